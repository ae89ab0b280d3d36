"""The versions of the archive's files in git, and what changed between two of them.

Each version of a file (a blob) is read by the archive's own parsers (:mod:`build_tools.parse`)
into its entries' fields as text, once: what is read is kept in ``.cache/history/blobs/``, one
file per blob, and read again only for the commits whose differences are not kept themselves
(:mod:`build_tools.history` keeps those).

:func:`compare` gives the differences between the entries of the files a commit changed, before
and after it. Statements are followed by their id, across files: an id that leaves one file and
enters another in the same commit was moved. An id is **renamed** when one commit removes id A and
adds id B with the same quote (white space aside) and the same speakers; where several removed
ids could match, they pair in alphabetical order, and rebuttals naming A then name B unchanged.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from build_tools import gitlog
from build_tools.load import CLAIM_TYPES, SPEAKERS
from build_tools.model import ExternalRebuttal, InternalRebuttal
from build_tools.parse import parse_annotation_file, parse_claim_types, parse_source, parse_speakers

if TYPE_CHECKING:
    from build_tools.parse import Draft

Kind = Literal["statement", "source", "speaker", "claim_type"]
Entries = dict[str, dict[str, str]]
"""What one version of a file holds: each entry's fields as text, by id."""

FORMAT = 2
"""The version of what the cache keeps (a change to what is read or compared makes a new one)."""
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
            return f"{label} set: {shown(self.new)}"
        if self.new is None:
            return f"{label} removed (was {shown(self.old)})"
        return f"{label}: {shown(self.old)} → {shown(self.new)}"


def shown(value: str | None) -> str:
    flat = " ".join((value or "").split())
    return flat if len(flat) <= _SHOWN else flat[: _SHOWN - 1] + "…"


Action = Literal["added", "changed", "removed"]


@dataclass(frozen=True, slots=True)
class Difference:
    """What one commit did to one entry (a statement, source, speaker or claim type)."""

    kind: Kind
    action: Action
    id: str
    """Its id after the commit (the id removed, for a removal)."""
    label: str
    """What it is in a few words: a statement's quote, a source's title, a name."""
    source: str | None = None
    """The source a statement was in (after the commit; before it, for a removal)."""
    changes: tuple[FieldChange, ...] = ()

    @property
    def correction(self) -> bool:
        """Whether it corrects what was published: a removal, or a change to a field that says
        what the entry is."""
        return self.action == "removed" or any(change.correction for change in self.changes)

    def describe(self) -> list[str]:
        """What changed, one line a field (none for an addition or a removal)."""
        return [change.describe() for change in self.changes]

    @property
    def renamed_from(self) -> str | None:
        """The statement's id before the commit, when the commit renamed it."""
        first = self.changes[0] if self.changes else None
        return first.old if first is not None and first.name == "id" else None

    def to_json(self) -> list[Any]:
        changes = [[c.name, c.old, c.new] for c in self.changes]
        return [self.kind, self.action, self.id, self.label, self.source, changes]

    @classmethod
    def from_json(cls, data: list[Any]) -> Difference:
        kind, action, key, label, source, changes = data
        return cls(kind, action, key, label, source, tuple(FieldChange(*c) for c in changes))


_REGISTRIES: dict[str, Kind] = {SPEAKERS: "speaker", CLAIM_TYPES: "claim_type"}


class Kinds:
    """Which kind of file each path (from the repository's top) is."""

    def __init__(self, top: Path, sources: Path, annotations: Path) -> None:
        self.sources = sources.resolve().relative_to(top).as_posix() + "/"
        self.annotations = annotations.resolve().relative_to(top).as_posix() + "/"

    def of(self, path: str) -> Kind | None:
        """The kind of file ``path`` is (``None``: not one the archive reads)."""
        name = path.removeprefix(self.sources)
        if name != path and "/" not in name and name.endswith(".md"):
            return "source"
        name = path.removeprefix(self.annotations)
        if name != path and "/" not in name and name.endswith(".yaml"):
            return _REGISTRIES.get(name, "statement")
        return None


def _stem(path: str) -> str:
    return path.rpartition("/")[2].rpartition(".")[0]


class Blobs:
    """What each version of a file holds, parsed once, kept in ``cache`` (if any) by blob id."""

    def __init__(self, top: Path, cache: Path | None) -> None:
        self.top = top
        self.folder = None if cache is None else cache / "blobs"
        self.known: dict[str, Entries] = {}

    def _file(self, key: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"{hashlib.blake2b(key.encode(), digest_size=16).hexdigest()}.json"

    @staticmethod
    def key(blob: str, kind: Kind, path: str) -> str:
        # A source's id, and an annotation file's default source, is the file's name.
        return f"{FORMAT}:{blob}:{kind}:{_stem(path)}"

    def read(self, wanted: list[tuple[str, Kind, str]]) -> None:
        """Have every version in ``wanted`` at hand: from the cache, else parsed (one ``git
        cat-file`` for them all) and kept in the cache."""
        missing = {}
        for blob, kind, path in wanted:
            key = self.key(blob, kind, path)
            if key in self.known or key in missing:
                continue
            kept = self._kept(key)
            if kept is None:
                missing[key] = (blob, kind, path)
            else:
                self.known[key] = kept
        contents = gitlog.blobs(self.top, (blob for blob, _, _ in missing.values()))
        for key, (blob, kind, path) in missing.items():
            self.known[key] = _entries(contents.get(blob, b""), kind, path)
            write_json(self._file(key), self.known[key])

    def _kept(self, key: str) -> Entries | None:
        file = self._file(key)
        if file is None or not file.is_file():
            return None
        try:
            kept = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return kept if isinstance(kept, dict) else None

    def entries(self, blob: str, kind: Kind, path: str) -> Entries:
        """What the version ``blob`` of the file ``path`` holds (read first with :meth:`read`)."""
        return self.known.get(self.key(blob, kind, path), {})


def write_json(file: Path | None, data: object) -> None:
    """Write ``data`` into ``file`` at once (a build reading it meanwhile sees the old or the new);
    a cache that cannot be written is only slower next time."""
    if file is None:
        return
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        Path(name).replace(file)
    except OSError:
        return


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


def compare(kind: Kind, before: Entries, after: Entries) -> list[Difference]:
    """What a commit did to the entries of ``kind``: ``before`` and ``after`` are those of the
    files it changed, as they were before it and after it."""
    renamed = _renames(before, after) if kind == "statement" else {}
    if renamed:  # a rebuttal naming a renamed statement is not changed by the rename
        before = {key: _follow(values, renamed) for key, values in before.items()}
    targets = set(renamed.values())
    found = []
    for key in sorted(before.keys() | after.keys() - targets):
        old, new = before.get(key), after.get(key)
        if key in renamed:
            now = renamed[key]
            changes = (FieldChange("id", key, now), *_changes(old or {}, after[now]))
            found.append(_difference(kind, "changed", now, after[now], changes))
        elif new is None:
            found.append(_difference(kind, "removed", key, old or {}))
        elif old is None:
            found.append(_difference(kind, "added", key, new))
        elif changes := _changes(old, new):
            found.append(_difference(kind, "changed", key, new, changes))
    return found


def _difference(
    kind: Kind, action: Action, key: str, values: dict[str, str], changes: tuple[FieldChange, ...] = ()
) -> Difference:
    label = values.get("quote") or values.get("title") or values.get("name") or values.get("label") or key
    return Difference(kind, action, key, shown(label), values.get("source"), changes)


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
