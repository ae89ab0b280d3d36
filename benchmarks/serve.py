"""Time `mkdocs serve`'s rebuild: edit one annotation file, wait for the served page to change.

A synthetic archive (1,000 articles by default) is served by ``mkdocs serve --livereload`` on a
free local port, with ``--dirty`` as ``make serve`` runs it (``--plain`` leaves it out). Once the
site is up, one annotation's summary is edited a few times; each time the clock runs from the
write until the served source page contains the new text (polled over HTTP every 50 ms). The
server is always stopped, with its process group, however this ends.

    python -m benchmarks.serve --articles 1000 --edits 3 [--plain]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.project import plugin_project

TARGET_SECONDS = 3.0
POLL_SECONDS = 0.05
START_TIMEOUT = 900.0
EDIT_TIMEOUT = 300.0


@dataclass(frozen=True)
class ServeResult:
    """How long the first build took to be served, and each edit's time until it was served."""

    articles: int
    dirty: bool
    startup_seconds: float
    edits: list[float]

    @property
    def worst(self) -> float:
        """The slowest edit (the target applies to every edit)."""
        return max(self.edits)

    @property
    def median(self) -> float:
        """The median edit."""
        return float(statistics.median(self.edits))

    def as_dict(self) -> dict[str, object]:
        """The figures for the JSON report."""
        return {**asdict(self), "worst": self.worst, "median": self.median, "target": TARGET_SECONDS}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, text: str, timeout: float, process: subprocess.Popen[bytes]) -> float:
    """Seconds until ``url`` serves a page containing ``text``."""
    start = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8", errors="replace"):
                    return time.perf_counter() - start
        except (OSError, urllib.error.URLError):
            pass
        if process.poll() is not None:
            raise SystemExit(f"mkdocs serve exited with {process.returncode} before serving {text!r}")
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")
        time.sleep(POLL_SECONDS)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started: as Ctrl-C does first, so that it removes its
    temporary site and the plugin's search index (a terminated server leaves them behind)."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGINT, 20.0), (signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _raise_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def measure_serve(
    workdir: Path, articles: int = 1000, statements: int = 10, edits: int = 3, *, dirty: bool = True
) -> ServeResult:
    """Serve a synthetic project under ``workdir`` and time ``edits`` edits of one annotation
    (``mkdocs serve --dirty`` unless ``dirty`` is false)."""
    project = plugin_project(workdir / f"serve-{articles}", articles, statements)
    number = articles // 2
    annotation = project / "annotations" / f"article-{number:05d}.yaml"
    original = f"summary: Statement 3 of article {number}."
    if original not in annotation.read_text(encoding="utf-8"):
        raise SystemExit(f"{annotation} has no line {original!r}")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/sources/article-{number:05d}/"
    log = workdir / f"serve-{articles}.log"
    previous = signal.signal(signal.SIGTERM, _raise_on_term)
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "mkdocs", "serve", "--livereload"),
                *(["--dirty"] if dirty else []),
                *("--dev-addr", f"127.0.0.1:{port}"),
            ],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for(url, f"Statement 3 of article {number}.", START_TIMEOUT, process)
            startup = time.perf_counter() - start
            timings: list[float] = []
            text = annotation.read_text(encoding="utf-8")
            for edit in range(1, edits + 1):
                wanted = f"Edited summary {edit} of article {number}."
                time.sleep(1.0)  # let the watcher settle after the previous rebuild
                annotation.write_text(text.replace(original, f"summary: {wanted}"), encoding="utf-8")
                timings.append(_wait_for(url, wanted, EDIT_TIMEOUT, process))
        finally:
            _stop(process)
            signal.signal(signal.SIGTERM, previous)
    return ServeResult(articles, dirty, startup, timings)


def report(result: ServeResult) -> str:
    """Aligned lines: each edit, then the worst next to the target."""
    verdict = "PASS" if result.worst <= TARGET_SECONDS else "FAIL"
    lines = [
        f"mkdocs serve{' --dirty' if result.dirty else ''}, {result.articles:,} articles: "
        f"first build served in {result.startup_seconds:.1f} s"
    ]
    lines += [f"  edit {i}: served after {s:6.2f} s" for i, s in enumerate(result.edits, 1)]
    lines.append(f"  worst:  {result.worst:6.2f} s   target <= {TARGET_SECONDS:.0f} s   {verdict}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=10, help="quoted statements per article")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--plain", action="store_true", help="serve without --dirty")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-serve-") as tmp:
        print(
            report(
                measure_serve(Path(tmp), args.articles, args.statements, args.edits, dirty=not args.plain)
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
