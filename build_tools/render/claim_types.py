"""``/claim-types/`` (the taxonomy by category) and ``/claim-types/<id>/`` (statements by speaker)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING

from build_tools.render.context import claim_type_uri, date_key, page_uri, speaker_uri
from build_tools.render.html import esc, link, outside_link, plural, safe_url
from build_tools.render.listing import (
    listing_pages,
    page_count,
    pager,
    paginate,
    statement_item,
    statement_list,
)
from build_tools.render.planned import Planned, page_body
from build_tools.render.search import indexed

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from build_tools.model import Annotation, ClaimType
    from build_tools.render.context import Context

INDEX = "claim-types/index.md"


def plan_claim_types(ctx: Context) -> Iterator[Planned]:
    """The taxonomy page and one (paginated) page per claim type, listing its statements by
    speaker (a statement of two speakers is listed under each). The statements are gathered and
    sorted once, when the first of these pages is made: planning needs only how many there are."""
    statements = Counter(a.claim_type for a in ctx.archive.annotations.values())
    listed = Counter[str]()
    for annotation in ctx.archive.annotations.values():
        listed[annotation.claim_type] += len(annotation.speakers)
    description = "The kinds of claim the archive's statements are classified by, with their definitions."
    yield Planned.page(INDEX, "Claim types", description, partial(_taxonomy, ctx, statements))

    @cache
    def by_type() -> dict[str, _Listed]:
        return _by_type(ctx)

    for claim_type in ctx.archive.claim_types.values():
        total = page_count(listed[claim_type.id], ctx.per_page)
        make = partial(_type_page, ctx, claim_type, by_type)
        unchanged = ctx.since is not None and claim_type.id not in ctx.since.claim_types
        base = claim_type_uri(claim_type.id)
        description = f"Every statement in the archive classified as {claim_type.label}."
        yield from listing_pages(base, claim_type.label, description, total, make, unchanged=unchanged)


@dataclass(frozen=True)
class _Listed:
    """The statements of one claim type as its pages list them: ``(speaker id, statement)`` pairs
    by speaker, then date; how many statements and speakers that is."""

    pairs: list[tuple[str, Annotation]]
    statements: int
    speakers: int


def _by_type(ctx: Context) -> dict[str, _Listed]:
    """Each claim type's statements, by speaker (name, then id), then in date order: sorted once
    by date, then gathered."""
    gathered: dict[str, dict[str, list[Annotation]]] = {t: {} for t in ctx.archive.claim_types}
    for annotation in sorted(ctx.archive.annotations.values(), key=lambda a: date_key(ctx, a)):
        for speaker_id in annotation.speakers:
            gathered[annotation.claim_type].setdefault(speaker_id, []).append(annotation)
    by_type: dict[str, list[tuple[str, Annotation]]] = {}
    for claim_type, by_speaker in gathered.items():
        speakers = sorted(by_speaker, key=lambda s: (ctx.speaker_name(s).casefold(), s))
        by_type[claim_type] = [(s, a) for s in speakers for a in by_speaker[s]]
    return {
        t: _Listed(pairs, len({a.id for _, a in pairs}), len({s for s, _ in pairs}))
        for t, pairs in by_type.items()
    }


def _taxonomy(ctx: Context, counts: dict[str, int]) -> str:
    categories: dict[str | None, list[ClaimType]] = {c: [] for c in ctx.category_class}
    for claim_type in ctx.archive.claim_types.values():
        categories[claim_type.category].append(claim_type)
    blocks = [
        f'<p class="archive-lead">{plural(len(ctx.archive.claim_types), "claim type")} in '
        f"{plural(sum(1 for c, ts in categories.items() if ts and c), 'category', 'categories')}.</p>"
    ]
    for category in sorted(categories, key=lambda c: (c is None, c or "")):
        types = sorted(categories[category], key=lambda t: (t.label.casefold(), t.id))
        if not types:
            continue
        rows = "\n".join(
            f"<tr><td>{link(ctx.urls.rel(INDEX, claim_type_uri(t.id)), t.label)}</td>"
            f"<td>{esc(t.definition)}</td><td>{counts[t.id]}</td></tr>"
            for t in types
        )
        blocks.append(
            f'<h2 class="archive-section"><span class="archive-swatch {ctx.category_class[category]}">'
            f"</span>{esc(category or 'Uncategorised')}</h2>"
        )
        caption = f"Claim types of the category {category}" if category else "Claim types without a category"
        blocks.append(
            '<div class="archive-table archive-table--types">\n<table>\n'
            f"<caption>{esc(caption)}</caption>\n"
            '<thead><tr><th scope="col">Claim type</th><th scope="col">Definition</th>'
            f'<th scope="col">Statements</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</div>'
        )
    return page_body(blocks)


def _type_page(
    ctx: Context, claim_type: ClaimType, by_type: Callable[[], dict[str, _Listed]], number: int
) -> str:
    base = claim_type_uri(claim_type.id)
    listed = by_type()[claim_type.id]
    chunks = paginate(listed.pairs, ctx.per_page)
    here = page_uri(base, number)
    blocks = _about(ctx, claim_type) if number == 1 else [_back(ctx, here, claim_type)]
    blocks.append(
        f'<h2 class="archive-section">{plural(listed.statements, "statement")}; '
        f"{plural(listed.speakers, 'speaker')}</h2>"
    )
    blocks.append(pager(ctx, base, number, len(chunks)))
    current = None
    items: list[str] = []
    for speaker_id, annotation in chunks[number - 1]:
        if speaker_id != current:
            if items:
                blocks.append(statement_list(items))
                items = []
            current = speaker_id
            who = link(ctx.urls.rel(here, speaker_uri(speaker_id)), ctx.speaker_name(speaker_id))
            blocks.append(f'<h3 class="archive-group">{who}</h3>')
        items.append(
            statement_item(ctx, here, annotation, speakers=False, claim_type=False, role_of=speaker_id)
        )
    if items:
        blocks.append(statement_list(items))
    blocks.append(pager(ctx, base, number, len(chunks), end=True))
    return page_body(blocks)


def _about(ctx: Context, claim_type: ClaimType) -> list[str]:
    category = claim_type.category or "Uncategorised"
    swatch = ctx.category_class.get(claim_type.category, "hl-c0")
    blocks = [
        f'<p class="archive-byline"><span class="archive-swatch {swatch}"></span>{esc(category)}</p>',
        f'<div class="admonition abstract"><p class="admonition-title">Definition</p>'
        f"<p>{esc(claim_type.definition)}</p></div>",
    ]
    if claim_type.reference:
        reference = claim_type.reference
        shown = outside_link(reference, reference) if safe_url(reference) else esc(reference)
        blocks.append(f'<p class="archive-reference">Reference: {shown}</p>')
    return [
        indexed("Claim type", claim_type.label, "\n".join(blocks)),
        ctx.filter_link(claim_type_uri(claim_type.id), "type", claim_type.id),
    ]


def _back(ctx: Context, here: str, claim_type: ClaimType) -> str:
    return f"<p>{link(ctx.urls.rel(here, claim_type_uri(claim_type.id)), 'About ' + claim_type.label)}</p>"
