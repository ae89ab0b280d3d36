"""The archive's immutable model: what the loader produces and the renderer and exports consume.

Every value that came from a file keeps a :class:`Pos` so that a later check can point at the
exact key. Offsets into a source's ``body`` are code points (Python ``str`` indices).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Mapping

    from build_tools.history import History

Attribution = Literal["direct", "paraphrase", "reported"]
SpeakerKind = Literal["person", "organization", "group", "unnamed"]
Relation = Literal["contradicts", "disputes", "context"]
"""How a rebuttal bears on a statement (see ``RELATION`` in :mod:`build_tools.fields`)."""


@dataclass(frozen=True, order=True)
class Pos:
    """A 1-based position in a file, as a contributor's editor shows it."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    title: str


@dataclass(frozen=True, slots=True)
class Role:
    """A position a speaker held; ``start``/``end`` are partial dates (YYYY[-MM[-DD]])."""

    title: str
    start: str | None = None
    end: str | None = None

    def covers(self, date: str) -> bool:
        """Whether the partial ``date`` falls within this role, comparing at the coarser precision."""
        if self.start and date[: len(self.start)] < self.start[: len(date)]:
            return False
        return not (self.end and date[: len(self.end)] > self.end[: len(date)])


@dataclass(frozen=True, slots=True)
class Speaker:
    id: str
    name: str
    kind: SpeakerKind = "person"
    native_name: str | None = None
    affiliation: str | None = None
    roles: tuple[Role, ...] = ()
    description: str | None = None
    links: tuple[Link, ...] = ()
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class ClaimType:
    id: str
    label: str
    definition: str
    category: str | None = None
    reference: str | None = None
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True)
class Source:
    """One article: front matter plus the verbatim text (``body``), never interpreted as markup."""

    id: str
    title: str
    body: str
    path: str
    outlet: str | None = None
    date: str | None = None
    date_note: str | None = None
    """How ``date`` was established, when it is not printed with the article."""
    url: str | None = None
    archived_url: str | None = None
    author: str | None = None
    dateline: str | None = None
    language: str = "en"
    body_line: int = 1
    """The line of ``path`` on which ``body`` starts."""

    def position_of(self, offset: int) -> Pos:
        """The file position of a code-point offset into ``body``."""
        line = self.body.count("\n", 0, offset)
        col = offset - (self.body.rfind("\n", 0, offset) + 1)
        return Pos(self.path, self.body_line + line, col + 1)

    def paragraphs(self) -> list[tuple[int, int]]:
        """The ``(start, end)`` offsets of each paragraph (text between blank lines)."""
        spans: list[tuple[int, int]] = []
        start = None
        offset = 0
        for line in self.body.splitlines(keepends=True):
            text = line.strip()
            if text and start is None:
                start = offset
            elif not text and start is not None:
                spans.append((start, offset))
                start = None
            offset += len(line)
        if start is not None:
            spans.append((start, len(self.body)))
        return [(s, s + len(self.body[s:e].rstrip())) for s, e in spans]


@dataclass(frozen=True)
class InternalRebuttal:
    """Another annotation in the archive that rebuts this one."""

    annotation: str
    relation: Relation = "contradicts"
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True)
class ExternalRebuttal:
    """Outside evidence: a title and a ``url`` or a ``citation`` (or both)."""

    title: str
    url: str | None = None
    citation: str | None = None
    publisher: str | None = None
    date: str | None = None
    relation: Relation = "contradicts"
    pos: Pos = field(default=Pos(""), compare=False)


Rebuttal = InternalRebuttal | ExternalRebuttal


@dataclass(frozen=True)
class Annotation:
    """One statement in one source, anchored at ``body[start:end]``."""

    id: str
    source: str
    quote: str
    start: int
    end: int
    speakers: tuple[str, ...]
    claim_type: str
    attribution: Attribution = "direct"
    role: str | None = None
    via: str | None = None
    summary: str | None = None
    note: str | None = None
    rebuttals: tuple[Rebuttal, ...] = ()
    tags: tuple[str, ...] = ()
    pos: Pos = field(default=Pos(""), compare=False)


def _frozen(mapping: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(sorted(mapping.items())))


@dataclass(frozen=True)
class Archive:
    """Everything the site shows, with the indexes the pages need computed once.

    Mappings are read-only and sorted by id; ``annotations_by_source`` lists each source's
    annotations in text order (start, then longest first, then id).
    """

    sources: Mapping[str, Source]
    annotations: Mapping[str, Annotation]
    speakers: Mapping[str, Speaker]
    claim_types: Mapping[str, ClaimType]
    annotations_by_source: Mapping[str, tuple[Annotation, ...]] = field(init=False)
    backlinks: Mapping[str, tuple[str, ...]] = field(init=False)
    history: History | None = field(default=None, init=False, compare=False)
    """Each statement's history from git (see :mod:`build_tools.history`; ``None``: not read)."""

    def __post_init__(self) -> None:
        for name in ("sources", "annotations", "speakers", "claim_types"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        by_source: dict[str, list[Annotation]] = {sid: [] for sid in self.sources}
        backlinks: dict[str, list[str]] = {}
        for ann in self.annotations.values():
            by_source.setdefault(ann.source, []).append(ann)
            for reb in ann.rebuttals:
                if isinstance(reb, InternalRebuttal):
                    backlinks.setdefault(reb.annotation, []).append(ann.id)
        object.__setattr__(
            self,
            "annotations_by_source",
            MappingProxyType(
                {
                    sid: tuple(sorted(anns, key=lambda a: (a.start, -a.end, a.id)))
                    for sid, anns in sorted(by_source.items())
                }
            ),
        )
        object.__setattr__(
            self,
            "backlinks",
            MappingProxyType({aid: tuple(sorted(set(ids))) for aid, ids in sorted(backlinks.items())}),
        )

    def with_history(self, history: History) -> Archive:
        """This archive with ``history`` (its indexes shared, not made again)."""
        made = copy.copy(self)
        object.__setattr__(made, "history", history)
        return made

    def rebuts(self, annotation_id: str) -> tuple[Annotation, ...]:
        """The annotations that this one rebuts (the computed backlinks of their ``rebuttals``)."""
        return tuple(self.annotations[aid] for aid in self.backlinks.get(annotation_id, ()))

    def role_of(self, annotation: Annotation, speaker_id: str) -> str | None:
        """The role ``speaker_id`` held when making ``annotation``.

        The annotation's own ``role`` wins; otherwise the registry role that covers the source's
        date, or the speaker's only role when the date is unknown.
        """
        if annotation.role:
            return annotation.role
        speaker = self.speakers.get(speaker_id)
        if speaker is None or not speaker.roles:
            return None
        date = self.sources[annotation.source].date if annotation.source in self.sources else None
        if date is None:
            return speaker.roles[0].title if len(speaker.roles) == 1 else None
        for role in speaker.roles:
            if role.covers(date):
                return role.title
        return None
