"""A problem is a value: checks yield them, reporters print them, nothing stops at the first one."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from build_tools.codes import CODES, Level

if TYPE_CHECKING:
    from collections.abc import Iterable

    from build_tools.model import Pos


__all__ = ["Level", "Problem", "counts", "failing", "summary", "to_json"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong at one place; sorts by file and position. Its level is its code's
    (:data:`~build_tools.codes.CODES`)."""

    path: str
    line: int
    col: int
    level: Level
    code: str
    message: str

    @classmethod
    def at(cls, pos: Pos, code: str, message: str) -> Problem:
        """The problem ``code`` at ``pos``, at the code's level."""
        return cls(pos.path, pos.line, pos.col, CODES[code].level, code, message)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.level.value}: {self.message} [{self.code}]"

    def github(self) -> str:
        """A GitHub Actions workflow command, which becomes an annotation on the changed line."""
        message = _gh_escape(f"{self.message} [{self.code}]")
        path = _gh_escape(self.path, prop=True)
        return (
            f"::{self.level.value} file={path},line={self.line},col={self.col},title={self.code}::{message}"
        )

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["level"] = self.level.value
        return data


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def counts(problems: Iterable[Problem]) -> dict[Level, int]:
    """How many problems there are of each level."""
    tally = dict.fromkeys(Level, 0)
    for problem in problems:
        tally[problem.level] += 1
    return tally


def failing(problems: Iterable[Problem], *, strict: bool) -> bool:
    """Whether these problems fail a run: errors always, warnings too when ``strict``."""
    tally = counts(problems)
    return tally[Level.ERROR] > 0 or (strict and tally[Level.WARNING] > 0)


def summary(problems: list[Problem], files: int) -> str:
    """The one line that closes a text report."""
    tally = counts(problems)
    parts = [
        f"{n} {level.value}{'' if n == 1 else 's'}" for level, n in tally.items() if n or level is Level.ERROR
    ]
    return f"{', '.join(parts)} in {files} file{'' if files == 1 else 's'} checked."


def to_json(problems: list[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)
