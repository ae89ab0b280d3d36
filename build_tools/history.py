"""Every statement's history, read from git: which commits added, changed, renamed and removed it.

The history of each statement, source, speaker and claim type is made by comparing, commit by
commit, the files the commit changed as they were before it and after it (see
:func:`~build_tools.gitlog.file_changes` and :mod:`build_tools.versions`, which also says how a
statement is followed across files and renamed ids). What each commit did is kept in
``.cache/history/commits.json``, so a later build reads only git's log and the new commits' files
(and the same checkout not even the log). The same log tells when each file was last committed,
which dates each article's page (:func:`build_tools.generated.stands_for`).

Changes to a statement's speakers, claim type, quote, attribution or a rebuttal's relation, and its
removal, are **corrections**; so are changes to a source's text, a claim type's definition and a
speaker's name.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from build_tools import gitlog
from build_tools.versions import (
    FORMAT,
    Action,
    Blobs,
    Difference,
    Entries,
    FieldChange,
    Kind,
    Kinds,
    compare,
    write_json,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

__all__ = ["Event", "FieldChange", "History", "read_history"]


@dataclass(frozen=True, slots=True)
class Event:
    """What one commit did to one entry (a statement, source, speaker or claim type): the commit,
    and the difference it made, whose fields it gives too."""

    commit: gitlog.Commit
    difference: Difference

    @property
    def kind(self) -> Kind:
        return self.difference.kind

    @property
    def action(self) -> Action:
        return self.difference.action

    @property
    def id(self) -> str:
        """Its id after the commit (the id removed, for a removal)."""
        return self.difference.id

    @property
    def label(self) -> str:
        """What it is in a few words: a statement's quote, a source's title, a name."""
        return self.difference.label

    @property
    def source(self) -> str | None:
        """The source a statement was in (after the commit; before it, for a removal)."""
        return self.difference.source

    @property
    def changes(self) -> tuple[FieldChange, ...]:
        return self.difference.changes

    @property
    def correction(self) -> bool:
        """Whether the commit corrected it: removed it, or changed a field that says what it is."""
        return self.difference.correction

    @property
    def date(self) -> str:
        """The commit's day (UTC), YYYY-MM-DD."""
        return self.timestamp[:10]

    @property
    def timestamp(self) -> str:
        """The commit's time (UTC), as RFC 3339."""
        return _rfc3339(self.commit.time)

    def describe(self) -> list[str]:
        """What changed, one line a field (none for an addition or a removal)."""
        return self.difference.describe()


@functools.cache
def _rfc3339(seconds: int) -> str:
    """A time in seconds since the epoch as RFC 3339 (UTC): a build asks for each commit's time once
    for every statement it touched."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class History:
    """The history of every entry, oldest event first, by its id now (its last id, if removed)."""

    statements: Mapping[str, tuple[Event, ...]] = field(default_factory=_empty)
    sources: Mapping[str, tuple[Event, ...]] = field(default_factory=_empty)
    speakers: Mapping[str, tuple[Event, ...]] = field(default_factory=_empty)
    claim_types: Mapping[str, tuple[Event, ...]] = field(default_factory=_empty)
    known: bool = False
    """Whether the history was read (a build without git, or with a shallow clone, has none)."""
    committed: Mapping[Path, int] = field(default_factory=_empty)
    """When each file of the archive was last committed (seconds since the epoch), by resolved
    path: what :func:`~build_tools.gitlog.last_commits` tells, from the same log."""

    def of(self, annotation_id: str) -> tuple[Event, ...]:
        """The events of the statement ``annotation_id``, oldest first."""
        return self.statements.get(annotation_id, ())

    def log(self, published: Iterable[str] = ()) -> list[tuple[str, Event]]:
        """Every event of the statements ``published`` and of the statements removed since, and
        every change to a source, speaker or claim type (not their additions), newest first, each
        with the id its entry has now (or had last)."""
        shown = set(published)
        found = [
            (key, event)
            for key, events in self.statements.items()
            if key in shown or events[-1].action == "removed"
            for event in events
        ]
        for kind in (self.sources, self.speakers, self.claim_types):
            found += [(key, e) for key, events in kind.items() for e in events if e.action != "added"]
        return sorted(found, key=lambda item: (-item[1].commit.number, item[1].kind, item[0]))


def read_history(sources: Path, annotations: Path, cache: Path | None) -> tuple[History, str | None]:
    """The history of the archive in ``sources`` and ``annotations`` as git tells it, and why there
    is none when git or the history is missing (for a warning). What is read is kept in the folder
    ``cache`` (none: not kept)."""
    repo = gitlog.repository(sources)
    if repo.top is None:
        return History(), repo.problem
    try:
        kinds = Kinds(repo.top, sources, annotations)
    except ValueError:  # the folders are not in the repository
        return History(), None
    kept = _Kept(cache, kinds, gitlog.head(repo.top))
    commits, committed = kept.log()
    if commits is None:
        commits = gitlog.file_changes(repo.top, [sources, annotations])
        committed = gitlog.last_times(commits)
    differences = kept.differences([commit for commit, _ in commits])
    new = [(commit, changes) for commit, changes in commits if commit.sha not in differences]
    blobs = Blobs(repo.top, cache)
    blobs.read(
        [
            (blob, kind, change.path)
            for _, changes in new
            for change in changes
            if (kind := kinds.of(change.path))
            for blob in (change.old, change.new)
            if blob
        ]
    )
    for commit, changes in new:
        differences[commit.sha] = _differences(changes, kinds, blobs)
    kept.save(commits, committed, differences, [commit for commit, _ in new])
    files = {repo.top / path: time for path, time in committed.items()}
    return _history([(commit, differences[commit.sha]) for commit, _ in commits], files), None


def _differences(changes: tuple[gitlog.FileChange, ...], kinds: Kinds, blobs: Blobs) -> list[Difference]:
    """What the commit that made ``changes`` did to each entry."""
    before: dict[Kind, Entries] = {}
    after: dict[Kind, Entries] = {}
    for change in changes:
        kind = kinds.of(change.path)
        if kind is None:
            continue
        if change.old:
            before.setdefault(kind, {}).update(blobs.entries(change.old, kind, change.path))
        if change.new:
            after.setdefault(kind, {}).update(blobs.entries(change.new, kind, change.path))
    return [
        difference
        for kind in sorted(before.keys() | after.keys())
        for difference in compare(kind, before.get(kind, {}), after.get(kind, {}))
    ]


class _Kept:
    """What each commit did, kept by commit id in ``commits.json``, with the log of the commit
    that was checked out and when each file was last committed then (the same checkout needs no
    ``git log``)."""

    def __init__(self, cache: Path | None, kinds: Kinds, head: str | None) -> None:
        self.file = None if cache is None else cache / "commits.json"
        self.folders = f"{kinds.sources} {kinds.annotations}"
        self.head = head
        self.data: dict[str, Any] = {}
        if self.file is not None and self.file.is_file():
            try:
                data = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if (
                isinstance(data, dict)
                and data.get("format") == FORMAT
                and data.get("folders") == self.folders
            ):
                self.data = data
        self.kept: dict[str, list[list[Any]]] = self.data.get("commits", {})

    def log(self) -> tuple[list[tuple[gitlog.Commit, tuple[gitlog.FileChange, ...]]] | None, dict[str, int]]:
        """The commits kept for this checkout, when it is the one kept (their files' changes are
        not kept: every commit's differences are), and when each file was last committed."""
        files = self.data.get("files")
        if self.head is None or self.data.get("head") != self.head or not isinstance(files, dict):
            return None, {}
        return [
            (gitlog.Commit(sha, time, message, n), ())
            for n, (sha, time, message) in enumerate(self.data["log"])
        ], files

    def differences(self, commits: list[gitlog.Commit]) -> dict[str, list[Difference]]:
        """The kept differences of those of ``commits`` the cache holds."""
        return {
            c.sha: [Difference.from_json(d) for d in self.kept[c.sha]] for c in commits if c.sha in self.kept
        }

    def save(
        self,
        commits: list[tuple[gitlog.Commit, tuple[gitlog.FileChange, ...]]],
        committed: dict[str, int],
        differences: dict[str, list[Difference]],
        new: list[gitlog.Commit],
    ) -> None:
        if not new and self.data.get("head") == self.head and self.data.get("files") == committed:
            return
        for commit in new:
            self.kept[commit.sha] = [d.to_json() for d in differences[commit.sha]]
        log = [[c.sha, c.time, c.message] for c, _ in commits]
        data = {
            "format": FORMAT,
            "folders": self.folders,
            "head": self.head,
            "log": log,
            "files": committed,
            "commits": self.kept,
        }
        write_json(self.file, data)


def _history(commits: list[tuple[gitlog.Commit, list[Difference]]], files: dict[Path, int]) -> History:
    """Each entry's events, from what each commit did, oldest commit first; a renamed statement's
    events so far become its new id's (after those of an earlier statement that had that id).
    ``files`` is when each file was last committed."""
    chains: dict[Kind, dict[str, list[Event]]] = {
        k: {} for k in ("statement", "source", "speaker", "claim_type")
    }
    for commit, differences in commits:
        for d in differences:
            event = Event(commit, d)
            chain = chains[d.kind]
            was = d.renamed_from
            if was is not None:
                chain[d.id] = [*chain.get(d.id, []), *chain.pop(was, [])]
            chain.setdefault(d.id, []).append(event)
    done = {kind: MappingProxyType({k: tuple(v) for k, v in sorted(c.items())}) for kind, c in chains.items()}
    return History(
        done["statement"],
        done["source"],
        done["speaker"],
        done["claim_type"],
        known=True,
        committed=MappingProxyType(files),
    )
