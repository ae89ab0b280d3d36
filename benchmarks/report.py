"""The benchmark's output: the machine it ran on, and an aligned table of figures and targets."""

from __future__ import annotations

import os
import platform
import re
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pyyaml", "pagefind")


def _cpuinfo(field: str) -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown"
    found = re.search(rf"^{field}\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1).strip() if found else "unknown"


def _memory() -> str:
    try:
        text = Path("/proc/meminfo").read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    found = re.search(r"^MemTotal:\s*(\d+) kB", text, re.MULTILINE)
    return f"{int(found.group(1)) / 1024 / 1024:.1f} GB" if found else "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """Where and with what the figures were measured."""
    return {
        "date": time.strftime("%Y-%m-%d"),
        "cpus": f"{len(os.sched_getaffinity(0))} (nproc), {_cpuinfo('model name')}",
        "memory": _memory(),
        "system": f"{platform.system()} {platform.release()}",
        "load": f"{os.getloadavg()[0]:.2f} (1-minute load average at the start)",
        "python": platform.python_version(),
        "packages": ", ".join(f"{p} {_version(p)}" for p in PACKAGES),
    }


@dataclass(frozen=True)
class Row:
    """One figure at one N, with its target and verdict when it has one (None: no verdict)."""

    n: str
    measure: str
    figure: str
    target: str = ""
    passed: bool | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        """PASS, FAIL, or nothing."""
        return "" if self.passed is None else "PASS" if self.passed else "FAIL"


def table(rows: list[Row]) -> str:
    """A plain table, columns aligned, a blank line between values of N."""
    header = Row("N", "measure", "figure", "target", None, "note")
    cells = [(r.n, r.measure, r.figure, r.target, r.verdict, r.note) for r in [header, *rows]]
    cells[0] = (*cells[0][:4], "result", "note")
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    lines: list[str] = []
    previous = ""
    for index, row in enumerate(cells):
        if index > 1 and row[0] != previous:
            lines.append("")
        previous = row[0]
        line = "  ".join(
            [
                row[0].rjust(widths[0]),
                *(cell.ljust(width) for cell, width in zip(row[1:5], widths[1:], strict=True)),
            ]
        )
        lines.append(f"{line}  {row[5]}".rstrip())
    return "\n".join(lines)
