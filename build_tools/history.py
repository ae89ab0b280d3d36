"""Every statement's history, read from git: which commits added, changed, renamed and removed it.

The history of each statement, source, speaker and claim type is made by comparing, commit by
commit, the files the commit changed as they were before it and after it (see
:func:`~build_tools.gitlog.file_changes`). Each version of a file (a blob) is read by the archive's
own parsers (:mod:`build_tools.parse`) once, and what they read is kept in
``.cache/history/blobs.json`` under the blob's id, for every later build.

Statements are followed by their id, across files: an id that leaves one file and enters another
in the same commit was moved. An id is **renamed** when one commit removes id A and adds id B with
the same quote (white space aside) and the same speakers; where several removed ids could match,
they pair in alphabetical order. Changes to a statement's speakers, claim type, quote, attribution
or a rebuttal's relation, and its removal, are **corrections**; so are changes to a source's text,
a claim type's definition and a speaker's name.
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from build_tools import gitlog
from build_tools.load import CLAIM_TYPES, SPEAKERS
from build_tools.model import ExternalRebuttal, InternalRebuttal
from build_tools.parse import parse_annotation_file, parse_claim_types, parse_source, parse_speakers

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from build_tools.parse import Draft

Kind = Literal["statement", "source", "speaker", "claim_type"]
Entries = dict[str, dict[str, str]]
"""What one version of a file holds: each entry's fields as text, by id."""

FORMAT = 1
"""The version of what the cache keeps (a change to :func:`_entries` makes it a new one)."""
LONG = frozenset({"note", "summary", "text", "definition", "description"})
"""Fields too long to show whole: a change to them is named, not shown (a source's text shows
the words that changed)."""
CORRECTED = frozenset({"speakers", "claim_type", "quote", "attribution", "text", "definition", "name"})
"""Fields whose change is a correction (besides a rebuttal's relation)."""
REBUTTAL = "rebuttal "
"""The start of the field that holds the relation of one rebuttal (then its target)."""
LABELS = {"speakers": "speaker", "claim_type": "claim type", "id": "id"}
_SHOWN = 120
"""Characters of a changed value shown at most."""
_CONTEXT = 4
"""Words shown either side of a change to a source's text."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field changed: its value before and after (``None``: absent; for a long field, ``""``
    stands for any text)."""

    name: str
    old: str | None
    new: str | None

    @property
    def correction(self) -> bool:
        """Whether the change corrects what was published."""
        relation = self.name.startswith(REBUTTAL) and self.old is not None and self.new is not None
        return relation or self.name in CORRECTED

    def describe(self) -> str:
        """The change in words: ``claim type: denial → euphemism``, ``note changed``."""
        if self.name.startswith(REBUTTAL):
            target = self.name.removeprefix(REBUTTAL)
            if self.old is None:
                return f"rebuttal added: {target} ({self.new})"
            if self.new is None:
                return f"rebuttal removed: {target}"
            return f"relation to {target}: {self.old} → {self.new}"
        label = LABELS.get(self.name, self.name.replace("_", " "))
        if self.name in LONG and self.name != "text":
            verb = "added" if self.old is None else "removed" if self.new is None else "changed"
            return f"{label} {verb}"
        if self.old is None:
            return f"{label} set: {_shown(self.new)}"
        if self.new is None:
            return f"{label} removed (was {_shown(self.old)})"
        return f"{label}: {_shown(self.old)} → {_shown(self.new)}"


def _shown(value: str | None) -> str:
    flat = " ".join((value or "").split())
    return flat if len(flat) <= _SHOWN else flat[: _SHOWN - 1] + "…"


@dataclass(frozen=True, slots=True)
class Event:
    """What one commit did to one entry (a statement, source, speaker or claim type)."""

    commit: gitlog.Commit
    kind: Kind
    action: Literal["added", "changed", "removed"]
    id: str
    """Its id after the commit (the id removed, for a removal)."""
    label: str
    """What it is in a few words: a statement's quote, a source's title, a name."""
    source: str | None = None
    """The source a statement was in (after the commit; before it, for a removal)."""
    changes: tuple[FieldChange, ...] = ()

    @property
    def correction(self) -> bool:
        """Whether the commit corrected it: removed it, or changed a field that says what it is."""
        return self.action == "removed" or any(change.correction for change in self.changes)

    @property
    def date(self) -> str:
        """The commit's day (UTC), YYYY-MM-DD."""
        return self.timestamp[:10]

    @property
    def timestamp(self) -> str:
        """The commit's time (UTC), as RFC 3339."""
        return datetime.fromtimestamp(self.commit.time, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def describe(self) -> list[str]:
        """What changed, one line a field (an addition or a removal is one line)."""
        if self.action != "changed":
            return [self.action]
        return [change.describe() for change in self.changes]


def _empty() -> Mapping[str, tuple[Event, ...]]:
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
    is none when git or the history is missing (for a warning). Parsed versions of files are kept
    in the folder ``cache`` (none: not kept)."""
    repo = gitlog.repository(sources)
    if repo.top is None:
        return History(), repo.problem
    try:
        kinds = _Kinds(repo.top, sources, annotations)
    except ValueError:  # the folders are not in the repository
        return History(), None
    commits = gitlog.file_changes(repo.top, [sources, annotations])
    blobs = _Blobs(repo.top, cache)
    wanted = [
        (blob, kind, change.path)
        for _, changes in commits
        for change in changes
        if (kind := kinds.of(change.path))
        for blob in (change.old, change.new)
        if blob
    ]
    blobs.read(wanted)
    chains: dict[Kind, dict[str, list[Event]]] = {
        k: {} for k in ("statement", "source", "speaker", "claim_type")
    }
    for commit, changes in commits:
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
        for kind in sorted(before.keys() | after.keys()):
            _compare(commit, kind, before.get(kind, {}), after.get(kind, {}), chains[kind])
    blobs.save()
    done = {kind: MappingProxyType({k: tuple(v) for k, v in sorted(c.items())}) for kind, c in chains.items()}
    return History(done["statement"], done["source"], done["speaker"], done["claim_type"], known=True), None


class _Kinds:
    """Which kind of file each path (from the repository's top) is."""

    def __init__(self, top: Path, sources: Path, annotations: Path) -> None:
        self.sources = sources.resolve().relative_to(top).as_posix() + "/"
        self.annotations = annotations.resolve().relative_to(top).as_posix() + "/"

    def of(self, path: str) -> Kind | None:
        for folder, suffix in ((self.sources, ".md"), (self.annotations, ".yaml")):
            name = path.removeprefix(folder)
            if name != path and "/" not in name and name.endswith(suffix):
                if folder == self.sources:
                    return "source"
                return {SPEAKERS: "speaker", CLAIM_TYPES: "claim_type"}.get(name, "statement")  # type: ignore[return-value]
        return None


def _stem(path: str) -> str:
    return path.rpartition("/")[2].rpartition(".")[0]


class _Blobs:
    """What each version of a file holds, read once and kept in the cache by blob id."""

    def __init__(self, top: Path, cache: Path | None) -> None:
        self.top = top
        self.file = None if cache is None else cache / "blobs.json"
        self.known: dict[str, Entries] = {}
        self.added = False
        if self.file is not None and self.file.is_file():
            try:
                kept = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                kept = {}
            if isinstance(kept, dict) and kept.get("format") == FORMAT:
                self.known = kept.get("blobs", {})

    @staticmethod
    def key(blob: str, kind: Kind, path: str) -> str:
        # A source's id, and an annotation file's default source, is the file's name.
        return f"{blob}:{kind}:{_stem(path)}"

    def read(self, wanted: list[tuple[str, Kind, str]]) -> None:
        """Parse every version in ``wanted`` that the cache does not hold."""
        missing = {self.key(*item): item for item in wanted if self.key(*item) not in self.known}
        contents = gitlog.blobs(self.top, (blob for blob, _, _ in missing.values()))
        for key, (blob, kind, path) in missing.items():
            self.known[key] = _entries(contents.get(blob, b""), kind, path)
            self.added = True

    def entries(self, blob: str, kind: Kind, path: str) -> Entries:
        return self.known.get(self.key(blob, kind, path), {})

    def save(self) -> None:
        """Write the cache back (at once: a build reading it meanwhile sees the old or the new)."""
        if self.file is None or not self.added:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=self.file.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"format": FORMAT, "blobs": self.known}, out, ensure_ascii=False)
            Path(name).replace(self.file)
        except OSError:
            return  # a cache that cannot be written is only slower next time


def _entries(data: bytes, kind: Kind, path: str) -> Entries:
    """What one version of a file holds, read by the archive's parsers."""
    if kind == "source":
        source, _ = parse_source(data, path, _stem(path))
        if source is None:
            return {}
        values = {"title": source.title, "outlet": source.outlet, "date": source.date, "url": source.url}
        return {source.id: _text({**values, "text": source.body})}
    if kind == "statement":
        parsed = parse_annotation_file(data, path, _stem(path))
        return {d.id: _statement(d, parsed.source) for d in parsed.drafts if d.id and d.quote}
    if kind == "speaker":
        return {
            key: _text(
                {
                    "name": s.name,
                    "native_name": s.native_name,
                    "kind": s.kind,
                    "affiliation": s.affiliation,
                    "roles": "; ".join(_role(r.title, r.start, r.end) for r in s.roles),
                    "description": s.description,
                }
            )
            for key, s in parse_speakers(data, path).entries.items()
        }
    return {
        key: _text(
            {"label": c.label, "category": c.category, "definition": c.definition, "reference": c.reference}
        )
        for key, c in parse_claim_types(data, path).entries.items()
    }


def _role(title: str, start: str | None, end: str | None) -> str:
    return f"{title} ({start or '…'} to {end or '…'})" if start or end else title


def _text(values: dict[str, str | None]) -> dict[str, str]:
    return {key: value for key, value in values.items() if value}


def _statement(draft: Draft, source: str | None) -> dict[str, str]:
    values: dict[str, str | None] = {
        "source": source,
        "quote": draft.quote,
        "speakers": ", ".join(speaker for speaker, _ in draft.speakers),
        "claim_type": draft.claim_type,
        "attribution": draft.attribution,
        "role": draft.role,
        "via": draft.via,
        "summary": draft.summary,
        "note": draft.note,
        "tags": ", ".join(draft.tags),
    }
    for rebuttal in draft.rebuttals:
        if isinstance(rebuttal, InternalRebuttal):
            target = rebuttal.annotation
        else:
            assert isinstance(rebuttal, ExternalRebuttal)
            target = rebuttal.url or rebuttal.citation or rebuttal.title
        values[REBUTTAL + target] = rebuttal.relation
    return _text(values)


def _compare(
    commit: gitlog.Commit, kind: Kind, before: Entries, after: Entries, chains: dict[str, list[Event]]
) -> None:
    """Add to ``chains`` what ``commit`` did to the entries of ``kind`` (``before`` and ``after``:
    those of the files it changed)."""
    renamed = _renames(before, after) if kind == "statement" else {}
    if renamed:  # a rebuttal naming a renamed statement is not changed by the rename
        before = {key: _follow(values, renamed) for key, values in before.items()}
    targets = set(renamed.values())
    for key in sorted(before.keys() | after.keys() - targets):
        old, new = before.get(key), after.get(key)
        if key in renamed:
            _rename(commit, key, renamed[key], old or {}, after[renamed[key]], chains)
        elif new is None:
            chains.setdefault(key, []).append(_event(commit, kind, "removed", key, old or {}))
        elif old is None:
            chains.setdefault(key, []).append(_event(commit, kind, "added", key, new))
        elif changes := _changes(old, new):
            chains.setdefault(key, []).append(_event(commit, kind, "changed", key, new, changes))


def _rename(
    commit: gitlog.Commit,
    was: str,
    key: str,
    old: dict[str, str],
    new: dict[str, str],
    chains: dict[str, list[Event]],
) -> None:
    """Statement ``was`` became ``key``: its events so far are ``key``'s (after any of an earlier
    statement that had that id)."""
    changes = (FieldChange("id", was, key), *_changes(old, new))
    chains[key] = [
        *chains.get(key, []),
        *chains.pop(was, []),
        _event(commit, "statement", "changed", key, new, changes),
    ]


def _event(
    commit: gitlog.Commit,
    kind: Kind,
    action: Literal["added", "changed", "removed"],
    key: str,
    values: dict[str, str],
    changes: tuple[FieldChange, ...] = (),
) -> Event:
    label = values.get("quote") or values.get("title") or values.get("name") or values.get("label") or key
    return Event(commit, kind, action, key, _shown(label), values.get("source"), changes)


def _renames(before: Entries, after: Entries) -> dict[str, str]:
    """The statements renamed: an id removed and one added with the same quote and speakers."""
    added: dict[tuple[str, str], list[str]] = {}
    for key in sorted(after.keys() - before.keys()):
        added.setdefault(_identity(after[key]), []).append(key)
    renamed = {}
    for key in sorted(before.keys() - after.keys()):
        candidates = added.get(_identity(before[key]))
        if candidates:
            renamed[key] = candidates.pop(0)
    return renamed


def _follow(values: dict[str, str], renamed: dict[str, str]) -> dict[str, str]:
    """``values`` with the rebuttals naming renamed statements naming their new ids."""
    followed = {}
    for name, value in values.items():
        target = name.removeprefix(REBUTTAL)
        followed[REBUTTAL + renamed[target] if target != name and target in renamed else name] = value
    return followed


def _identity(values: dict[str, str]) -> tuple[str, str]:
    return " ".join(values.get("quote", "").split()), values.get("speakers", "")


def _changes(old: dict[str, str], new: dict[str, str]) -> tuple[FieldChange, ...]:
    found = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if name == "text" and before is not None and after is not None:
            found.append(FieldChange(name, *_text_change(before, after)))
        elif name in LONG:
            found.append(FieldChange(name, None if before is None else "", None if after is None else ""))
        else:
            found.append(FieldChange(name, before, after))
    return tuple(found)


def _text_change(old: str, new: str) -> tuple[str, str]:
    """The words of a source's text that changed, with a few words either side, before and after."""
    a, b = old.split(), new.split()
    was, now = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start, end = max(0, i1 - _CONTEXT), i2 + _CONTEXT
        was.append(" ".join(a[start:end]))
        now.append(" ".join(b[max(0, j1 - _CONTEXT) : j2 + _CONTEXT]))
    return " … ".join(was), " … ".join(now)
