"""Checks that need more than one file: references, ids across the archive, anchoring, coverage.

:func:`resolve` turns parsed files into an :class:`Archive` holding only what is valid, and the
problems found on the way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeAlias

from build_tools import anchor
from build_tools.model import Annotation, Archive, ClaimType, InternalRebuttal, Pos, Source, Speaker
from build_tools.problems import Level, Problem
from build_tools.values import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from build_tools.parse import AnnotationFile, Draft

_SHOWN = 70
"""How many characters of a passage a message quotes."""

Anchored: TypeAlias = tuple[tuple[tuple[int, int] | None, tuple[Problem, ...]], ...]
"""A file's drafts anchored in its source, in order: each one's span in the source's text
(``None`` when it has no quote, or its quote is not found) and the problems anchoring it found."""
Quotations: TypeAlias = tuple[tuple[int, int], ...]


def _clip(text: str, limit: int = _SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


@dataclass
class _Context:
    sources: Mapping[str, Source]
    speakers: Mapping[str, Speaker] | None
    claim_types: Mapping[str, ClaimType] | None
    folded: dict[str, anchor.Folded]
    problems: list[Problem]
    quotations: Mapping[str, Quotations] = field(default_factory=dict)

    def add(self, pos: Pos, level: Level, code: str, message: str) -> None:
        self.problems.append(Problem.at(pos, level, code, message))

    def folded_of(self, source: Source) -> anchor.Folded:
        folded = self.folded.get(source.id)
        if folded is None:
            folded = self.folded[source.id] = anchor.Folded.of(source.body)
        return folded

    def quotations_of(self, source: Source) -> Quotations:
        quoted = self.quotations.get(source.id)
        return self.folded_of(source).quotations if quoted is None else quoted


def anchor_file(
    file: AnnotationFile, sources: Mapping[str, Source], folded: dict[str, anchor.Folded]
) -> Anchored | None:
    """The drafts of ``file`` anchored in its source (folded into ``folded`` unless it is there);
    ``None`` when its source is not in ``sources`` (:func:`resolve` anchors it where it is, or
    says that there is none). Each file is anchored on its own, in whichever process read it."""
    source = sources.get(file.source) if file.source is not None else None
    if source is None:
        return None
    ctx = _Context(sources, None, None, folded, [])
    anchored: list[tuple[tuple[int, int] | None, tuple[Problem, ...]]] = []
    for draft in file.drafts:
        span = _anchor(ctx, source, draft) if draft.quote else None
        anchored.append((span, tuple(ctx.problems) if ctx.problems else ()))
        ctx.problems.clear()
    return tuple(anchored)


def resolve(
    sources: Mapping[str, Source],
    files: list[AnnotationFile],
    speakers: Mapping[str, Speaker] | None,
    claim_types: Mapping[str, ClaimType] | None,
    folded: dict[str, anchor.Folded] | None = None,
    *,
    anchored: Mapping[str, Anchored] | None = None,
    quotations: Mapping[str, Quotations] | None = None,
) -> tuple[Archive, list[Problem]]:
    """The archive of every valid annotation, and the problems of the whole set.

    ``speakers`` or ``claim_types`` is ``None`` when its registry is missing (reported elsewhere),
    which turns off the checks against it. ``folded`` caches folded source texts between calls.
    ``anchored`` holds files already anchored (:func:`anchor_file`), by path; ``quotations``,
    those of sources folded elsewhere (for the coverage check).
    """
    ctx = _Context(sources, speakers, claim_types, {} if folded is None else folded, [], quotations or {})
    anchored = anchored or {}
    first_seen: dict[str, Draft] = {}
    for file in files:
        for draft in file.drafts:
            if draft.id is None:
                continue
            if draft.id in first_seen:
                ctx.add(
                    draft.at("id"),
                    Level.ERROR,
                    "duplicate-id",
                    f"annotation id `{draft.id}` is already used at {first_seen[draft.id].at('id')}; "
                    "ids must be unique across the whole archive",
                )
            else:
                first_seen[draft.id] = draft
    spans_of: dict[str, list[tuple[int, int]]] = {}
    valid: dict[str, Annotation] = {}
    problems = ctx.problems
    for file in files:
        source = _source_of(ctx, file)
        spans = spans_of.setdefault(source.id, []) if source else []
        done = (anchored.get(file.path) or anchor_file(file, sources, ctx.folded)) if source else None
        for draft, (span, found) in zip(file.drafts, done or itertools.repeat(_UNANCHORED), strict=False):
            before = len(problems)
            problems.extend(found)
            if span:
                spans.append(span)
            _check_references(ctx, draft, first_seen)
            errors = len(problems) > before and any(p.level is Level.ERROR for p in problems[before:])
            if (
                span
                and source
                and draft.id
                and draft.quote
                and draft.claim_type
                and not draft.broken
                and not errors
            ) and draft.id not in valid:
                valid[draft.id] = _annotation(draft, source.id, span)
    _check_unused(ctx, [draft for file in files for draft in file.drafts])
    for source in sources.values():
        _check_coverage(ctx, source, spans_of.get(source.id, []))
    # When every annotation is valid, every rebuttal of one names a valid annotation (an unknown
    # name is an error of the rebutting annotation): nothing to drop.
    kept = valid if len(valid) == len(first_seen) else _drop_dangling(valid)
    return Archive(dict(sources), kept, dict(speakers or {}), dict(claim_types or {})), sorted(ctx.problems)


_UNANCHORED: tuple[None, tuple[Problem, ...]] = (None, ())


def _source_of(ctx: _Context, file: AnnotationFile) -> Source | None:
    if file.source is None:
        return None
    source = ctx.sources.get(file.source)
    if source is None:
        ctx.add(
            file.source_pos,
            Level.ERROR,
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
        if score < 50:
            hint = "nothing in the article is close; check the file's `source` and copy the words again"
        else:
            line = source.position_of(folded.original(start)).line
            passage = _clip(folded.text[start:end])
            hint = f"the closest passage (line {line}, {score:.0f}% similar) is \u201c{passage}\u201d"
        message = f"the quote is not in {source.path}: {hint}"
        ctx.add(draft.at("quote"), Level.ERROR, "quote-not-found", message)
        return None
    prefix = anchor.fold(draft.prefix) if draft.prefix else None
    suffix = anchor.fold(draft.suffix) if draft.suffix else None
    matching = folded.narrow(starts, len(needle), prefix, suffix)
    if not matching:
        ctx.add(
            draft.at("prefix" if "prefix" in draft.fields else "suffix"),
            Level.ERROR,
            "context-not-found",
            f"none of the {len(starts)} occurrences of the quote has this `prefix`/`suffix` around it; "
            f"they are at {_places(source, folded, starts)}",
        )
        return None
    if draft.occurrence is not None:
        if draft.occurrence > len(matching):
            ctx.add(
                draft.at("occurrence"),
                Level.ERROR,
                "bad-occurrence",
                f"`occurrence: {draft.occurrence}` but the quote occurs {len(matching)} "
                f"time{'s' if len(matching) > 1 else ''} at {_places(source, folded, matching)}",
            )
            return None
        matching = [matching[draft.occurrence - 1]]
    if len(matching) > 1:
        ctx.add(
            draft.at("quote"),
            Level.ERROR,
            "quote-ambiguous",
            f"the quote occurs {len(matching)} times in {source.path}, "
            f"at {_places(source, folded, matching)}; "
            "add `prefix:` or `suffix:` with the words around the one you mean, or `occurrence: N`",
        )
        return None
    return folded.span(matching[0], len(needle))


def _places(source: Source, folded: anchor.Folded, starts: list[int]) -> str:
    shown = [source.position_of(folded.original(s)) for s in starts[:10]]
    more = f" and {len(starts) - 10} more" if len(starts) > 10 else ""
    return ", ".join(f"{p.line}:{p.col}" for p in shown) + more


def _check_references(ctx: _Context, draft: Draft, ids: Mapping[str, Draft]) -> None:
    if ctx.speakers is not None:
        for speaker, where in draft.speakers:
            if speaker not in ctx.speakers:
                ctx.add(
                    where,
                    Level.ERROR,
                    "unknown-speaker",
                    f"unknown speaker `{speaker}`{did_you_mean(speaker, ctx.speakers)}; "
                    "speakers are listed in annotations/speakers.yaml",
                )
    if ctx.claim_types is not None and draft.claim_type and draft.claim_type not in ctx.claim_types:
        ctx.add(
            draft.at("claim_type"),
            Level.ERROR,
            "unknown-claim-type",
            f"unknown claim type `{draft.claim_type}`{did_you_mean(draft.claim_type, ctx.claim_types)}; "
            "claim types are listed in annotations/claim_types.yaml",
        )
    if not draft.rebuttals:
        return
    seen: set[str] = set()
    for rebuttal in draft.rebuttals:
        if not isinstance(rebuttal, InternalRebuttal):
            continue
        target = rebuttal.annotation
        if target == draft.id:
            ctx.add(rebuttal.pos, Level.ERROR, "self-rebuttal", f"annotation `{target}` cannot rebut itself")
        elif target not in ids:
            ctx.add(
                rebuttal.pos,
                Level.ERROR,
                "unknown-annotation",
                f"no annotation `{target}` in the archive{did_you_mean(target, ids)}",
            )
        elif target in seen:
            ctx.add(rebuttal.pos, Level.WARNING, "duplicate-rebuttal", f"`{target}` is listed twice")
        seen.add(target)


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


def _check_unused(ctx: _Context, drafts: Iterable[Draft]) -> None:
    used_speakers: set[str] = set()
    used_types: set[str] = set()
    for draft in drafts:
        used_speakers.update(speaker for speaker, _ in draft.speakers)
        used_types.add(draft.claim_type or "")
    for speaker in (ctx.speakers or {}).values():
        if speaker.id not in used_speakers:
            ctx.add(
                speaker.pos,
                Level.WARNING,
                "unused-speaker",
                f"speaker `{speaker.id}` is not the speaker of any annotation; "
                "remove it or annotate a statement",
            )
    for claim_type in (ctx.claim_types or {}).values():
        if claim_type.id not in used_types:
            ctx.add(
                claim_type.pos,
                Level.NOTICE,
                "unused-claim-type",
                f"claim type `{claim_type.id}` has no statement yet (fine for a taxonomy)",
            )


def _check_coverage(ctx: _Context, source: Source, spans: list[tuple[int, int]]) -> None:
    """A warning for each quotation in the text that annotations do not cover."""
    merged = anchor.merge(spans)
    for start, end in ctx.quotations_of(source):
        missing = anchor.uncovered_words(source.body, start, end, merged)
        if missing:
            total = anchor.words(source.body[start:end])
            state = "is not annotated" if missing == total else f"has {missing} of {total} words unannotated"
            ctx.add(
                source.position_of(start),
                Level.WARNING,
                "uncovered-quotation",
                f"quotation \u201c{_clip(source.body[start:end], 60)}\u201d {state}; "
                "add an annotation whose `quote` covers it",
            )
