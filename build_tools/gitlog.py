"""What git knows of the archive's files, each read with one ``git`` command: which commits changed
which files (:func:`file_changes`), and so when each file was last committed (:func:`last_times`,
:func:`last_commits`), and the contents of those files as they were (:func:`blobs`)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


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
    return {top_dir / path: when for path, when in last_times(file_changes(top_dir, folders)).items()}


def last_times(commits: Iterable[tuple[Commit, Iterable[FileChange]]]) -> dict[str, int]:
    """The time of the last of ``commits`` (oldest first) to change each file, by its path from the
    repository's top."""
    return {change.path: commit.time for commit, changes in commits for change in changes}


@dataclass(frozen=True, slots=True)
class Repository:
    """The git repository holding a folder: its top folder, or why there is none to read."""

    top: Path | None
    problem: str | None = None
    """Why the history cannot be read, for a warning (``None`` with no ``top``: not in a repository)."""


def repository(folder: Path) -> Repository:
    """The repository that holds ``folder``, with its whole history: git missing and a shallow
    clone are problems (a history that exists cannot be read); a folder outside any repository
    has no history to read."""
    if shutil.which("git") is None:
        return Repository(None, "the `git` command is not installed")
    top = _run(["rev-parse", "--show-toplevel"], folder.resolve())
    if top is None:
        return Repository(None)
    top_dir = Path(top.strip())
    if _run(["rev-parse", "--is-shallow-repository"], top_dir) == "true\n":
        return Repository(
            None,
            "the repository is a shallow clone (run `git fetch --unshallow`; in CI, check out with "
            "`fetch-depth: 0`)",
        )
    return Repository(top_dir)


def head(top: Path) -> str | None:
    """The id of the commit checked out in the repository at ``top``."""
    found = _run(["rev-parse", "HEAD"], top)
    return found.strip() if found else None


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit: its id, its committer's time (seconds since the epoch), its message, and its
    place in the log read (0: the oldest)."""

    sha: str
    time: int
    message: str
    number: int = 0

    @property
    def subject(self) -> str:
        """The message's first line."""
        return self.message.partition("\n")[0].strip()

    @property
    def body(self) -> str:
        """The message after its first line and the blank line after it."""
        return self.message.partition("\n")[2].strip()


@dataclass(frozen=True, slots=True)
class FileChange:
    """A file a commit changed (``path`` from the repository's top): the blob it was and the blob it
    became (``None`` where it did not exist)."""

    path: str
    old: str | None
    new: str | None


_RECORD, _FIELD = "\x00", "\x1f"
"""What starts each commit's record in the log read (no commit message nor path holds a NUL), and
what ends its id, its time and its message (a message may hold one too: it is read up to the last)."""
_NO_BLOB = "0" * 40


def file_changes(top: Path, folders: Iterable[Path]) -> list[tuple[Commit, tuple[FileChange, ...]]]:
    """Every commit that changed a file under ``folders``, oldest first, with the files it changed
    compared with its (first) parent. A merge's own changes are those of the commits it merges,
    which are listed themselves; a file renamed is one removed and one added."""
    spec = [str(folder.resolve()) for folder in folders]
    log = _run(
        [
            "log",
            "--reverse",
            "--date-order",
            "--no-renames",
            "--raw",
            "--no-abbrev",
            "--format=%x00%H%x1f%ct%x1f%B%x1f",  # _RECORD, then each field and _FIELD
            "--",
            *spec,
        ],
        top,
    )
    found = []
    for number, record in enumerate((log or "").split(_RECORD)[1:]):
        sha, time, rest = record.split(_FIELD, 2)
        message, _, raw = rest.rpartition(_FIELD)
        changes = tuple(_file_change(line) for line in raw.splitlines() if line.startswith(":"))
        found.append((Commit(sha, int(time), message.strip(), number), changes))
    return found


def _file_change(line: str) -> FileChange:
    """A line of ``git log --raw``: ``:mode mode old new status<TAB>path``."""
    info, _, path = line.partition("\t")
    old, new = info.split()[2:4]
    return FileChange(path, None if old == _NO_BLOB else old, None if new == _NO_BLOB else new)


def blobs(top: Path, ids: Iterable[str]) -> dict[str, bytes]:
    """The contents of the blobs ``ids``, read by one ``git cat-file --batch``."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    result = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=top,
        input="".join(f"{blob}\n" for blob in wanted).encode(),
        capture_output=True,
        check=False,
    )
    out, found, at = result.stdout, {}, 0
    for blob in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        found[blob] = out[at : at + size]
        at += size + 1
    return found


def _run(arguments: list[str], folder: Path) -> str | None:
    """What ``git`` prints for ``arguments`` in ``folder`` (``None`` when it fails)."""
    result = subprocess.run(
        ["git", "-c", "core.quotepath=off", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    return result.stdout if result.returncode == 0 else None
