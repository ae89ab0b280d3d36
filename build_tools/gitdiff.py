"""What a change touched, from git: the lines of the working tree that differ from a commit.

``archive validate --changed-from REF`` reports each problem at the changed line that causes it
(:mod:`build_tools.blame`); this module only asks git.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class GitError(Exception):
    """Git could not say what changed (no repository, an unknown commit)."""


@dataclass(frozen=True, slots=True)
class Hunk:
    """One changed region: lines ``old_start`` to ``old_start + old_count - 1`` of the commit's
    file became lines ``new_start`` to ``new_start + new_count - 1`` of the working tree's."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    removed: tuple[str, ...]
    """The lines the change removed (or replaced)."""

    @property
    def line(self) -> int:
        """The working tree's line where the change is (after the lines it removed, if it only
        removed some)."""
        return self.new_start if self.new_count else max(1, self.new_start + 1)

    def covers_old(self, line: int) -> bool:
        return self.old_start <= line < self.old_start + max(1, self.old_count)


@dataclass
class Change:
    """The files under a folder that differ from commit ``ref``, by path relative to the folder."""

    ref: str
    cwd: Path
    hunks: dict[str, list[Hunk]] = field(default_factory=dict)
    new: set[str] = field(default_factory=set)
    """Files the commit does not have (git does not track them yet)."""

    def touches(self, path: str, line: int) -> bool:
        """Whether line ``line`` of ``path`` is one the change wrote (or where it removed lines)."""
        if path in self.new:
            return True
        return any(
            h.new_start <= line < h.new_start + h.new_count or line == h.line
            for h in self.hunks.get(path, ())
        )

    def changed(self, path: str) -> bool:
        return path in self.new or path in self.hunks

    def old_text(self, path: str) -> str | None:
        """``path`` as the commit has it (``None``: it has no such file)."""
        result = _git(self.cwd, "show", f"{self.ref}:./{path}", check=False)
        return result.stdout if result.returncode == 0 else None


def changes_since(ref: str, cwd: Path, paths: Sequence[str]) -> Change:
    """What differs under ``paths`` (relative to ``cwd``) between commit ``ref`` and the working
    tree, files git does not track yet included."""
    verified = _git(cwd, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if verified.returncode != 0:
        raise GitError(f"git knows no commit `{ref}` here (in CI, fetch it: actions/checkout's fetch-depth)")
    diff = _git(
        cwd,
        "diff",
        "--no-color",
        "--no-ext-diff",
        "--no-renames",
        "--unified=0",
        "--relative",
        ref,
        "--",
        *paths,
    )
    change = Change(ref, cwd)
    path = ""
    for line in diff.stdout.splitlines():
        if line.startswith("+++ "):
            path = "" if line == "+++ /dev/null" else line[6:]
        elif line.startswith("@@ ") and path:
            found = _HUNK.match(line)
            if found:
                old_start, old_count, new_start, new_count = (
                    int(n) if n is not None else 1 for n in found.groups()
                )
                change.hunks.setdefault(path, []).append(Hunk(old_start, old_count, new_start, new_count, ()))
        elif line.startswith("-") and not line.startswith("--- ") and path in change.hunks:
            last = change.hunks[path][-1]
            change.hunks[path][-1] = Hunk(
                last.old_start, last.old_count, last.new_start, last.new_count, (*last.removed, line[1:])
            )
    untracked = _git(cwd, "ls-files", "--others", "--exclude-standard", "--", *paths)
    change.new = set(untracked.stdout.splitlines())
    return change


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise GitError(f"cannot run git: {error}") from None
    if check and result.returncode != 0:
        raise GitError(result.stderr.strip() or f"git {args[0]} failed")
    return result
