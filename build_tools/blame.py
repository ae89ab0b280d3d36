"""Problems reported where a change causes them (``archive validate --changed-from REF``).

A problem on a line the change did not touch is moved to the changed line that causes it, when
there is one: a duplicate id to the new entry rather than the old one; rebuttals naming an
annotation the change deletes to the deletion, once, naming the rebutting entries; quotes that an
edit of an article's text orphaned to the edit, once, naming the annotations. The others are
split into those in the change and those outside it, which a report summarises once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools import anchor
from build_tools.model import Pos
from build_tools.parse import parse_annotation_file
from build_tools.problems import Problem

if TYPE_CHECKING:
    from collections.abc import Iterable

    from build_tools.gitdiff import Change, Hunk
    from build_tools.parse import AnnotationFile

_ALREADY_USED = re.compile(r"already used at (?P<path>[^\s;]+):(?P<line>\d+):(?P<col>\d+);")
_UNKNOWN = re.compile(r"^no annotation `(?P<id>[^`]+)`")
_DELETED_ID = re.compile(r"^[ -]*id:[ \t]*[\"']?(?P<id>[A-Za-z0-9-]+)")
_UNUSED = re.compile(r"^(?:speaker|claim type) `(?P<id>[^`]+)`")
_REMOVED_USE = re.compile(r"^[ -]*(?P<key>speaker|claim_type):[ \t]*\[?(?P<ids>[^#\n]*)")
_ORPHANED = ("quote-not-found", "context-not-found", "quote-ambiguous", "bad-occurrence")


@dataclass
class Placed:
    """The problems of a run, those in the change and those outside it."""

    inside: list[Problem] = field(default_factory=list)
    outside: list[Problem] = field(default_factory=list)


def place(problems: Iterable[Problem], change: Change, sources_dir: str) -> Placed:
    """``problems`` moved to the changed lines that cause them, and split by whether they are in
    ``change``; ``sources_dir`` is the sources folder as the problems' paths start with it."""
    blamer = _Blamer(change, sources_dir.rstrip("/") + "/")
    moved: list[Problem] = []
    for problem in problems:
        moved.extend(blamer.blame(problem))
    moved.extend(blamer.grouped())
    placed = Placed()
    for problem in sorted(set(moved)):
        (placed.inside if change.touches(problem.path, problem.line) else placed.outside).append(problem)
    return placed


class _Blamer:
    def __init__(self, change: Change, sources: str) -> None:
        self.change = change
        self.sources = sources
        self.files: dict[str, AnnotationFile | None] = {}
        self.deleted = self._deleted_ids()
        self.last_uses = self._removed_uses()
        self.rebutting: dict[str, list[Problem]] = {}
        self.orphaned: dict[tuple[str, int], list[tuple[Problem, str]]] = {}

    def blame(self, problem: Problem) -> list[Problem]:
        """``problem`` moved to where the change causes it, or ``[]`` when it joins a group."""
        if self.change.touches(problem.path, problem.line):
            return [problem]
        if problem.code == "duplicate-id":
            return [self._duplicate(problem)]
        if problem.code == "unknown-annotation":
            named = _UNKNOWN.match(problem.message)
            if named and named["id"] in self.deleted:
                self.rebutting.setdefault(named["id"], []).append(problem)
                return []
        if problem.code in ("unused-speaker", "unused-claim-type"):
            return [self._last_use(problem)]
        if problem.code in _ORPHANED:
            found = self._edit(problem)
            if found is not None:
                self.orphaned.setdefault(found[0], []).append((problem, found[1]))
                return []
        return [problem]

    def _duplicate(self, problem: Problem) -> Problem:
        """A duplicate id reported at the other entry when that one is the change's."""
        first = _ALREADY_USED.search(problem.message)
        if first is None or not self.change.touches(first["path"], int(first["line"])):
            return problem
        message = problem.message.replace(
            first.group(), f"already used at {problem.path}:{problem.line}:{problem.col};"
        )
        return replace(
            problem, path=first["path"], line=int(first["line"]), col=int(first["col"]), message=message
        )

    def _last_use(self, problem: Problem) -> Problem:
        """An unused speaker or claim type reported where the change removed its last use."""
        named = _UNUSED.match(problem.message)
        key = "speaker" if problem.code == "unused-speaker" else "claim_type"
        removed = self.last_uses.get((key, named["id"])) if named else None
        if removed is None:
            return problem
        what = "speaker" if key == "speaker" else "claim type"
        return Problem.at(
            _pos(*removed),
            problem.code,
            f"this change removes the last statement of {what} `{named['id'] if named else ''}`; annotate "
            f"another one, or remove it from {problem.path} (line {problem.line})",
        )

    def _removed_uses(self) -> dict[tuple[str, str], tuple[str, int]]:
        """The speakers and claim types the change's removed lines named, and where."""
        uses = {}
        for path, hunks in self.change.hunks.items():
            for hunk in hunks if path.endswith(".yaml") else ():
                for line in hunk.removed:
                    found = _REMOVED_USE.match(line)
                    for name in re.findall(r"[A-Za-z0-9-]+", found["ids"]) if found else ():
                        uses[(found["key"] if found else "", name)] = (path, hunk.line)
        return uses

    def _deleted_ids(self) -> dict[str, tuple[str, Hunk]]:
        """The annotation ids whose `id:` lines the change removed, and where."""
        deleted = {}
        for path, hunks in self.change.hunks.items():
            if not path.endswith(".yaml"):
                continue
            for hunk in hunks:
                for line in hunk.removed:
                    found = _DELETED_ID.match(line)
                    if found:
                        deleted[found["id"]] = (path, hunk)
        return deleted

    def _file(self, path: str) -> AnnotationFile | None:
        if path not in self.files:
            try:
                data = (self.change.cwd / path).read_bytes()
            except OSError:
                self.files[path] = None
            else:
                self.files[path] = parse_annotation_file(data, path, Path(path).stem)
        return self.files[path]

    def _entry(self, problem: Problem) -> tuple[str | None, str | None, str | None]:
        """The id and quote of the entry ``problem`` is in, and its file's source id."""
        file = self._file(problem.path)
        if file is None:
            return None, None, None
        draft = None
        for candidate in file.drafts:
            if candidate.pos.line <= problem.line:
                draft = candidate
        return (draft.id, draft.quote, file.source) if draft else (None, None, file.source)

    def _edit(self, problem: Problem) -> tuple[tuple[str, int], str] | None:
        """The place of the edit of the article's text that orphaned the quote ``problem`` is
        about, and the quote's annotation id; ``None`` when the article is not changed."""
        ann_id, quote, source = self._entry(problem)
        article = f"{self.sources}{source}.md"
        hunks = self.change.hunks.get(article)
        if not hunks or quote is None:
            return None
        hunk = hunks[0]
        old = self.change.old_text(article)
        if old is not None:
            folded = anchor.Folded.of(old)
            starts = folded.find_all(anchor.fold(quote))
            lines = {old.count("\n", 0, folded.original(s)) + 1 for s in starts}
            hunk = next((h for h in hunks if any(h.covers_old(line) for line in lines)), hunk)
        return (article, hunk.line), ann_id or "?"

    def grouped(self) -> list[Problem]:
        """One problem at each deletion and each edit that the grouped problems come from."""
        made = []
        for ann_id, problems in self.rebutting.items():
            path, hunk = self.deleted[ann_id]
            named = ", ".join(self._named(p) for p in problems)
            made.append(
                Problem.at(
                    _pos(path, hunk.line),
                    "unknown-annotation",
                    f"this change deletes annotation `{ann_id}`, which is still named as a rebuttal by "
                    f"{named}; remove those rebuttals too, or keep `{ann_id}`",
                )
            )
        for (path, line), orphans in self.orphaned.items():
            named = ", ".join(f"`{ann_id}` ({p.path}:{p.line}:{p.col})" for p, ann_id in orphans)
            made.append(
                Problem.at(
                    _pos(path, line),
                    orphans[0][0].code,
                    f"this edit of the text leaves the quote of {_count(orphans, 'annotation')} without "
                    f"its words: {named}; undo the edit, or change those quotes to match",
                )
            )
        return made

    def _named(self, problem: Problem) -> str:
        ann_id = self._entry(problem)[0]
        where = f"{problem.path}:{problem.line}:{problem.col}"
        return f"`{ann_id}` ({where})" if ann_id else where


def _pos(path: str, line: int) -> Pos:
    return Pos(path, line, 1)


def _count(items: list[Problem] | list[tuple[Problem, str]], what: str) -> str:
    return f"{len(items)} {what}{'s' if len(items) != 1 else ''}"
