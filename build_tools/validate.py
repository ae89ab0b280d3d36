"""Checks that need more than one file: anchoring, references, ids across the archive, coverage.

:func:`check_file` checks an annotation file against its source and the registries;
:func:`resolve` checks the checked files against each other (ids, rebuttals, coverage) and turns
them into an :class:`Archive` holding only what is valid, and the problems found on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from build_tools import anchor
from build_tools.model import Annotation, Archive, ClaimType, InternalRebuttal, Pos, Source, Speaker
from build_tools.problems import Level, Problem
from build_tools.values import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from build_tools.parse import AnnotationFile, Draft

_SHOWN = 70
"""How many characters of a passage a message quotes."""


@dataclass(frozen=True)
class Entry:
    """A draft as checked on its own: its id and where the id is written, the annotation it makes
    unless a check of its own failed, and the rebuttals naming other annotations, which only the
    whole archive can check."""

    id: str | None
    pos: Pos
    annotation: Annotation | None
    """The annotation it makes: ``None`` when a check of its own failed, or when it is not kept
    (:meth:`Checked.without_annotations`)."""
    rebuttals: tuple[InternalRebuttal, ...]
    valid: bool
    """Whether it makes an annotation (no check of its own failed)."""


def _clip(text: str, limit: int = _SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


UNREADABLE = frozenset({"yaml-syntax", "tab", "too-deep", "alias-bomb", "alias-cycle", "encoding"})
"""The codes of the mistakes that can stop a file from being read at all."""
_ID_LINE = re.compile(r"^[ -]*id:[ \t]*[\"']?([A-Za-z0-9-]+)", re.MULTILINE)
_SOURCE_LINE = re.compile(r"^source:[ \t]*[\"']?([A-Za-z0-9-]+)", re.MULTILINE)


def unreadable(problems: Iterable[Problem]) -> bool:
    """Whether ``problems``, a file's, include one that can stop it from being read at all."""
    return any(p.code in UNREADABLE and p.level is Level.ERROR for p in problems)


@dataclass
class Unread:
    """What the files that could not be read may hold, guessed from their text, so that the
    problems they would settle are not reported: one mistake, one message."""

    sources: set[str] = field(default_factory=set)
    """The ids of the sources not read."""
    covered: set[str] = field(default_factory=set)
    """The sources that annotation files not read are about."""
    ids: set[str] = field(default_factory=set)
    """The annotation ids that annotation files not read seem to hold."""
    annotations: bool = False
    """Whether an annotation file was not read (any speaker or claim type may be its)."""

    def add_annotation_file(self, text: str, stem: str) -> None:
        """An annotation file not read: its source and ids as its lines seem to give them."""
        self.annotations = True
        source = _SOURCE_LINE.search(text)
        self.covered.add(source[1] if source else stem)
        self.ids.update(_ID_LINE.findall(text))


@dataclass
class _Context:
    sources: Mapping[str, Source]
    speakers: Mapping[str, Speaker] | None
    claim_types: Mapping[str, ClaimType] | None
    folded: dict[str, anchor.Folded]
    problems: list[Problem]

    def add(self, pos: Pos, code: str, message: str) -> None:
        self.problems.append(Problem.at(pos, code, message))

    def folded_of(self, source: Source) -> anchor.Folded:
        folded = self.folded.get(source.id)
        if folded is None:
            folded = self.folded[source.id] = anchor.Folded.of(source.body)
        return folded


@dataclass(frozen=True)
class Checked:
    """An annotation file checked on its own (:func:`check_file`): what :func:`resolve` needs of
    it to check it against the rest of the archive."""

    path: str
    source: str | None
    """The id of its source, ``None`` when there is no such source."""
    named: str | None
    """The source it names (its ``source``, or its name), there or not."""
    entries: tuple[Entry, ...]
    spans: tuple[tuple[int, int], ...]
    """Where its quotes are in the source's text."""
    quotations: tuple[tuple[int, int], ...]
    """Where the source's quotations are (see :func:`~build_tools.anchor.quotations`)."""
    speakers: frozenset[str]
    """The speakers its drafts name, known or not."""
    claim_types: frozenset[str]
    problems: tuple[Problem, ...]
    """What checking it found (not what reading it found)."""

    def without_annotations(self) -> Checked:
        """What checking found without the annotations made (for a caller that wants only the
        problems: they are most of what a checked file weighs)."""
        entries = tuple(replace(entry, annotation=None) for entry in self.entries)
        return replace(self, entries=entries)

    def at(self, ann_id: str) -> Pos:
        """Where the id ``ann_id`` is written in the file."""
        return next(entry.pos for entry in self.entries if entry.id == ann_id)


def check_file(
    file: AnnotationFile,
    sources: Mapping[str, Source],
    speakers: Mapping[str, Speaker] | None,
    claim_types: Mapping[str, ClaimType] | None,
    folded: dict[str, anchor.Folded],
) -> Checked:
    """``file`` checked on its own: its source looked up in ``sources``, its drafts anchored in it
    (folded into ``folded`` unless it is there), and their speakers and claim types looked up in
    the registries (``None`` when one is missing, which turns off the checks against it)."""
    ctx = _Context(sources, speakers, claim_types, folded, [])
    problems = ctx.problems
    source = _source_of(ctx, file)
    entries: list[Entry] = []
    spans: list[tuple[int, int]] = []
    for draft in file.drafts:
        first = len(problems)
        span = _anchor(ctx, source, draft) if source and draft.quote else None
        if span:
            spans.append(span)
        _check_registries(ctx, draft)
        if draft.attribution == "reported" and not draft.via:
            ctx.add(
                draft.at("attribution"),
                "reported-without-via",
                "`attribution: reported` says someone relayed the statement: name them with `via:`, "
                "e.g. via: Ministry of Foreign Affairs statement (or use `paraphrase`)",
            )
        errors = any(p.level is Level.ERROR for p in problems[first:])
        annotation = None
        if span and source and draft.id and draft.quote and draft.claim_type and not (draft.broken or errors):
            annotation = _annotation(draft, source.id, span)
        where = draft.at("id") if draft.id else Pos(file.path, 0, 0)
        internal = tuple(r for r in draft.rebuttals if isinstance(r, InternalRebuttal))
        entries.append(Entry(draft.id, where, annotation, internal, annotation is not None))
    return Checked(
        file.path,
        source.id if source else None,
        file.source,
        tuple(entries),
        tuple(spans),
        ctx.folded_of(source).quotations if source else (),
        frozenset(speaker for draft in file.drafts for speaker, _ in draft.speakers),
        frozenset(draft.claim_type or "" for draft in file.drafts),
        tuple(problems),
    )


def resolve(
    sources: Mapping[str, Source],
    files: Sequence[Checked],
    speakers: Mapping[str, Speaker] | None,
    claim_types: Mapping[str, ClaimType] | None,
    folded: dict[str, anchor.Folded],
    unread: Unread | None = None,
) -> tuple[Archive, list[Problem]]:
    """The archive of every valid annotation (of those ``files`` hold: none, when they were
    checked without them), and the problems of the whole set.

    ``files`` are in the archive's order, each checked on its own (:func:`check_file`).
    ``speakers`` or ``claim_types`` is ``None`` when its registry is missing (reported elsewhere),
    which turns off the checks against it. ``folded`` holds folded source texts, and takes those
    folded here (a source no file was checked against). ``unread`` says what the files that could
    not be read may hold: the problems they may settle (an unused speaker, an uncovered quotation,
    a source or an annotation that seems missing) are not reported.
    """
    unread = unread or Unread()
    ctx = _Context(sources, speakers, claim_types, folded, [])
    first_seen: dict[str, Checked] = {}
    for file in files:
        for entry in file.entries:
            if entry.id is None:
                continue
            if entry.id in first_seen:
                ctx.add(
                    entry.pos,
                    "duplicate-id",
                    f"annotation id `{entry.id}` is already used at {first_seen[entry.id].at(entry.id)}; "
                    "ids must be unique across the whole archive",
                )
            else:
                first_seen[entry.id] = file
    spans_of: dict[str, list[tuple[int, int]]] = {}
    quotations_of: dict[str, tuple[tuple[int, int], ...]] = {}
    valid: dict[str, Annotation | None] = {}
    known = _with_unread(first_seen, unread)
    for file in files:
        ctx.problems.extend(
            p for p in file.problems if p.code != "unknown-source" or file.named not in unread.sources
        )
        if file.source is not None:
            spans_of.setdefault(file.source, []).extend(file.spans)
            quotations_of[file.source] = file.quotations
        for entry in file.entries:
            if entry.rebuttals and _wrong_rebuttals(ctx, entry.id, entry.rebuttals, known):
                continue
            if entry.valid and entry.id is not None and entry.id not in valid:
                valid[entry.id] = entry.annotation
    if not unread.annotations:
        _check_unused(ctx, files)
    for source in (s for s in sources.values() if s.id not in unread.covered):
        quotations = quotations_of.get(source.id) or ctx.folded_of(source).quotations
        _check_coverage(ctx, source, spans_of.get(source.id, []), quotations)
    # When every annotation is valid, every rebuttal of one names a valid annotation (an unknown
    # name is an error of the rebutting annotation): nothing to drop.
    made = {ann_id: ann for ann_id, ann in valid.items() if ann is not None}
    kept = made if len(valid) == len(first_seen) and not unread.ids else _drop_dangling(made)
    return Archive(dict(sources), kept, dict(speakers or {}), dict(claim_types or {})), sorted(ctx.problems)


def _with_unread(ids: Mapping[str, object], unread: Unread) -> Mapping[str, object]:
    """``ids``, and those that files not read seem to hold (a rebuttal naming one is not reported)."""
    return {**dict.fromkeys(unread.ids), **ids} if unread.ids else ids


def _source_of(ctx: _Context, file: AnnotationFile) -> Source | None:
    if file.source is None:
        return None
    source = ctx.sources.get(file.source)
    if source is None:
        ctx.add(
            file.source_pos,
            "unknown-source",
            f"there is no source `{file.source}` for these annotations (expected sources/{file.source}.md)"
            f"{did_you_mean(file.source, ctx.sources)}; add the article first, or set `source:`",
        )
    return source


def _anchor(ctx: _Context, source: Source, draft: Draft) -> tuple[int, int] | None:
    """The span of the draft's quote in the source text, or ``None`` with a problem saying why."""
    assert draft.quote is not None
    needle = anchor.fold(draft.quote)
    folded = ctx.folded_of(source)
    starts = folded.find_all(needle)
    if not starts:
        start, end, score = folded.closest(needle)
        while (
            end > start and not folded.text[end - 1].isalnum() and not needle.endswith(folded.text[end - 1])
        ):
            end -= 1
        if score < 50:
            hint = "nothing in the article is close; check the file's `source` and copy the words again"
        else:
            line = source.position_of(folded.original(start)).line
            passage = _clip(folded.text[start:end])
            hint = f"the closest passage (line {line}, {score:.0f}% similar) is \u201c{passage}\u201d"
            differing = anchor.differences(needle, folded.text[start:end])
            if differing:
                hint += f"; where they differ: {', '.join(differing)}"
        message = f"the quote is not in {source.path}: {hint}"
        ctx.add(draft.at("quote"), "quote-not-found", message)
        return None
    prefix = anchor.fold(draft.prefix) if draft.prefix else None
    suffix = anchor.fold(draft.suffix) if draft.suffix else None
    matching = folded.narrow(starts, len(needle), prefix, suffix)
    if not matching:
        ctx.add(
            draft.at("prefix" if "prefix" in draft.fields else "suffix"),
            "context-not-found",
            f"none of the {len(starts)} occurrences of the quote in {source.path} has this "
            f"`prefix`/`suffix` around it; copy the words around the one you mean: "
            f"{_surroundings(source, folded, starts, len(needle))}",
        )
        return None
    if draft.occurrence is not None:
        if draft.occurrence > len(matching):
            ctx.add(
                draft.at("occurrence"),
                "bad-occurrence",
                f"`occurrence: {draft.occurrence}` but the quote occurs {len(matching)} "
                f"time{'s' if len(matching) > 1 else ''} at {_places(source, folded, matching)}",
            )
            return None
        matching = [matching[draft.occurrence - 1]]
    if len(matching) > 1:
        ctx.add(
            draft.at("quote"),
            "quote-ambiguous",
            f"the quote occurs {len(matching)} times in {source.path}, "
            f"at {_places(source, folded, matching)}; "
            "add `prefix:` or `suffix:` with the words around the one you mean, or `occurrence: N`",
        )
        return None
    span = folded.span(matching[0], len(needle))
    crossed = _PARAGRAPH_BREAK.search(source.body, *span)
    if crossed:
        where = source.position_of(crossed.start() + 1)
        ctx.add(
            draft.at("quote"),
            "quote-crosses-paragraphs",
            f"the quote runs across the paragraph break at line {where.line} of {source.path}; "
            "a statement is within one paragraph (the next one may be the reporter's words): "
            "make one annotation per paragraph",
        )
        return None
    return span


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_AROUND = 5
"""How many words before and after an occurrence a message shows."""


_MARKS = " \"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
"""Quote marks, which a `prefix` or `suffix` may leave out where it meets the quote."""


def _yaml(text: str) -> str:
    """``text`` as a YAML value in double quotes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _surroundings(source: Source, folded: anchor.Folded, starts: list[int], length: int) -> str:
    """The words before and after each occurrence (the first five), as a `prefix` and a `suffix`
    would give them."""
    shown = []
    for start in starts[:5]:
        begin, end = folded.span(start, length)
        before = " ".join(source.body[max(0, begin - 200) : begin].split()[-_AROUND:]).strip(_MARKS)
        after = " ".join(source.body[end : end + 200].split()[:_AROUND]).strip(_MARKS)
        place = source.position_of(begin)
        shown.append(f"at {place.line}:{place.col} `prefix: {_yaml(before)}` or `suffix: {_yaml(after)}`")
    more = f"; and {len(starts) - 5} more" if len(starts) > 5 else ""
    return "; ".join(shown) + more


def _places(source: Source, folded: anchor.Folded, starts: list[int]) -> str:
    shown = [source.position_of(folded.original(s)) for s in starts[:10]]
    more = f" and {len(starts) - 10} more" if len(starts) > 10 else ""
    return ", ".join(f"{p.line}:{p.col}" for p in shown) + more


def _check_registries(ctx: _Context, draft: Draft) -> None:
    if ctx.speakers is not None:
        for speaker, where in draft.speakers:
            if speaker not in ctx.speakers:
                ctx.add(
                    where,
                    "unknown-speaker",
                    f"unknown speaker `{speaker}`{did_you_mean(speaker, ctx.speakers)}; "
                    "speakers are listed in annotations/speakers.yaml",
                )
    if ctx.claim_types is not None and draft.claim_type and draft.claim_type not in ctx.claim_types:
        ctx.add(
            draft.at("claim_type"),
            "unknown-claim-type",
            f"unknown claim type `{draft.claim_type}`{did_you_mean(draft.claim_type, ctx.claim_types)}; "
            "claim types are listed in annotations/claim_types.yaml",
        )


def _wrong_rebuttals(
    ctx: _Context, ann_id: str | None, rebuttals: tuple[InternalRebuttal, ...], ids: Mapping[str, object]
) -> bool:
    """Check the rebuttals naming other annotations against the archive's ``ids``; whether any is
    an error."""
    wrong = False
    seen: set[str] = set()
    for rebuttal in rebuttals:
        target = rebuttal.annotation
        if target == ann_id:
            ctx.add(rebuttal.pos, "self-rebuttal", f"annotation `{target}` cannot rebut itself")
            wrong = True
        elif target not in ids:
            ctx.add(
                rebuttal.pos,
                "unknown-annotation",
                f"no annotation `{target}` in the archive{did_you_mean(target, ids)}",
            )
            wrong = True
        elif target in seen:
            ctx.add(rebuttal.pos, "duplicate-rebuttal", f"`{target}` is listed twice")
        seen.add(target)
    return wrong


def _annotation(draft: Draft, source: str, span: tuple[int, int]) -> Annotation:
    assert draft.id and draft.quote and draft.claim_type
    return Annotation(
        id=draft.id,
        source=source,
        quote=draft.quote,
        start=span[0],
        end=span[1],
        speakers=tuple(s for s, _ in draft.speakers),
        claim_type=draft.claim_type,
        attribution=draft.attribution,
        role=draft.role,
        via=draft.via,
        summary=draft.summary,
        note=draft.note,
        rebuttals=draft.rebuttals,
        tags=draft.tags,
        pos=draft.pos,
    )


def _drop_dangling(valid: dict[str, Annotation]) -> dict[str, Annotation]:
    """Internal rebuttals only to annotations that made it into the archive."""
    kept = {}
    for ann_id, ann in valid.items():
        if not ann.rebuttals:
            kept[ann_id] = ann
            continue
        rebuttals = tuple(
            r for r in ann.rebuttals if not isinstance(r, InternalRebuttal) or r.annotation in valid
        )
        kept[ann_id] = ann if rebuttals == ann.rebuttals else replace(ann, rebuttals=rebuttals)
    return kept


def _check_unused(ctx: _Context, files: Iterable[Checked]) -> None:
    used_speakers: set[str] = set()
    used_types: set[str] = set()
    for file in files:
        used_speakers |= file.speakers
        used_types |= file.claim_types
    for speaker in (ctx.speakers or {}).values():
        if speaker.id not in used_speakers:
            ctx.add(
                speaker.pos,
                "unused-speaker",
                f"speaker `{speaker.id}` is not the speaker of any annotation; "
                "remove it or annotate a statement",
            )
    for claim_type in (ctx.claim_types or {}).values():
        if claim_type.id not in used_types:
            ctx.add(
                claim_type.pos,
                "unused-claim-type",
                f"claim type `{claim_type.id}` has no statement yet (fine for a taxonomy)",
            )


def _check_coverage(
    ctx: _Context, source: Source, spans: list[tuple[int, int]], quotations: Iterable[tuple[int, int]]
) -> None:
    """A warning for each of the text's ``quotations`` that annotations do not cover."""
    merged = anchor.merge(spans)
    for start, end in quotations:
        missing = anchor.uncovered_words(source.body, start, end, merged)
        if missing:
            total = anchor.words(source.body[start:end])
            state = "is not annotated" if missing == total else f"has {missing} of {total} words unannotated"
            ctx.add(
                source.position_of(start),
                "uncovered-quotation",
                f"quotation \u201c{_clip(source.body[start:end], 60)}\u201d {state}; "
                "add an annotation whose `quote` covers it",
            )
