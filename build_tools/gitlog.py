"""When files were last committed, read from git in one pass over the history."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

_COMMIT = "\x00"
"""What starts each commit's line in the log read (a character no path holds)."""


def last_commits(folders: Iterable[Path]) -> dict[Path, int]:
    """The time (seconds since the epoch) of the last commit to each file under ``folders``, by
    resolved path; empty where git or the repository is missing."""
    folders = [folder.resolve() for folder in folders]
    if not folders or shutil.which("git") is None:
        return {}
    top = _run(["rev-parse", "--show-toplevel"], folders[0])
    if top is None:
        return {}
    top_dir = Path(top.strip())
    log = _run(["log", "--format=%x00%ct", "--name-only", "--no-renames", "--", *map(str, folders)], top_dir)
    if log is None:
        return {}
    times: dict[Path, int] = {}
    when = 0
    for line in log.splitlines():
        if line.startswith(_COMMIT):
            when = int(line[1:])
        elif line:
            times.setdefault(top_dir / line, when)  # newest first: the first seen is the last
    return times


def _run(arguments: list[str], folder: Path) -> str | None:
    """What ``git`` prints for ``arguments`` in ``folder`` (``None`` when it fails)."""
    result = subprocess.run(
        ["git", "-c", "core.quotepath=off", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout if result.returncode == 0 else None
