"""``/claims/``: every statement in one table, in pages, filterable by speaker, claim type and outlet.

Without JavaScript the table is a plain paginated listing. With it, the filters' choices come from
one JSON file (``filters.json``: every speaker, claim type and outlet with its label and count), and
choosing a filter fetches one small JSON file (the statements of the chosen speaker, claim type or
outlet, whichever is smallest) and filters the rest in the browser, so no page has to carry the
whole archive, nor every page the list of choices.

A statement in a data file is ``[source id, annotation id, quote, [speaker ids], claim-type id]``;
the file's ``sources`` give each source's ``[title, outlet key, date in words]``, and the filters'
choices the names of speakers, claim types and outlets. The addresses of pages are made from the
patterns on the table's container (``data-source``, ``data-speaker``, ``data-type``: a site-relative
address with ``%`` for the id).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING

from build_tools.exports.jsontext import compact
from build_tools.render.context import claim_type_uri, page_uri, source_uri, speaker_uri
from build_tools.render.html import attrs, esc, link, plural, quoted, show_date
from build_tools.render.listing import listing_pages, page_count, pager, paginate
from build_tools.render.planned import Planned, page_body

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from build_tools.model import Annotation, Source
    from build_tools.render.changes import Changes
    from build_tools.render.context import Context

INDEX = "claims/index.md"
DATA = "claims/data"
FILTERS = f"{DATA}/filters.json"
QUOTE_LIMIT = 200


def outlet_keys(sources: Sequence[Source]) -> dict[str | None, str]:
    """A stable, URL-safe key per outlet (``None``: unknown outlet), used in filter links."""
    keys: dict[str | None, str] = {}
    taken: set[str] = set()
    for outlet in sorted({s.outlet for s in sources if s.outlet}):
        slug = re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-")[:40]
        if not slug or slug in taken or slug == "unknown":
            slug = f"{slug or 'outlet'}-{hashlib.sha1(outlet.encode()).hexdigest()[:8]}"
        taken.add(slug)
        keys[outlet] = slug
    keys[None] = "unknown"
    return keys


def plan_claims(ctx: Context, ordered: list[Source]) -> Iterator[Planned]:
    """The per-filter JSON files of the claims pages, then the pages. The statements are gathered
    by filter value once, when the first of these files is made: planning needs only which values
    have statements, and how many statements there are. A statement's row is the same in each of
    its files (its speakers', its claim type's, its outlet's): made once, when the first is made."""
    keys = outlet_keys(ordered)
    by_source = ctx.archive.annotations_by_source
    names = {_facet("outlet", keys[s.outlet]) for s in ordered if by_source.get(s.id)}
    for annotation in ctx.archive.annotations.values():
        names.update(_facet("speaker", speaker) for speaker in annotation.speakers)
        names.add(_facet("type", annotation.claim_type))

    @cache
    def gathered() -> _Gathered:
        rows: list[Annotation] = []
        by: dict[str, dict[str, list[Annotation]]] = {"speaker": {}, "type": {}, "outlet": {}}
        for source in ordered:
            annotations = by_source.get(source.id, ())
            rows += annotations
            by["outlet"].setdefault(keys[source.outlet], []).extend(annotations)
            for annotation in annotations:
                for speaker_id in annotation.speakers:
                    by["speaker"].setdefault(speaker_id, []).append(annotation)
                by["type"].setdefault(annotation.claim_type, []).append(annotation)
        facets = {
            _facet(kind, key): found for kind, groups in by.items() for key, found in groups.items() if found
        }
        return _Gathered(paginate(rows, ctx.per_page), facets)

    @cache
    def data_rows() -> dict[str, str]:
        return {
            a.id: ctx.fragment(a, ("data",), partial(_data_row, ctx, a))
            for chunk in gathered().pages
            for a in chunk
        }

    @cache
    def data_sources() -> dict[str, str]:
        return {s.id: compact([s.title, keys[s.outlet], show_date(s.date)]) for s in ordered}

    changed = None if ctx.since is None else _changed_facets(ctx.since, keys)
    for name in sorted(names):
        unchanged = changed is not None and name not in changed
        make_data = partial(_data, data_sources, data_rows, gathered, name)
        yield Planned(f"{DATA}/{name}.json", None, make_data, unchanged)
    unchanged = changed is not None and not changed
    yield Planned(FILTERS, None, lambda: _filters(ctx, keys, gathered().facets), unchanged)

    total = sum(len(by_source.get(s.id, ())) for s in ordered)
    make = partial(_page, ctx, total, gathered)
    description = "Every annotated statement in the archive, by speaker, claim type, outlet and year."
    yield from listing_pages(INDEX, "Claims", description, page_count(total, ctx.per_page), make)


@dataclass(frozen=True)
class _Gathered:
    """Every statement in the table's order, in pages; the statements of each filter value (named
    by :func:`_facet`)."""

    pages: list[Sequence[Annotation]]
    facets: dict[str, list[Annotation]]


def _facet(kind: str, key: str) -> str:
    """How a filter value is named (its data file's name): ``kind-key``."""
    return f"{kind}-{key}"


def _changed_facets(since: Changes, keys: dict[str | None, str]) -> set[str]:
    """The filter values whose statements may have changed."""
    return {
        *(_facet("speaker", speaker) for speaker in since.speakers),
        *(_facet("type", claim_type) for claim_type in since.claim_types),
        *(_facet("outlet", keys[outlet]) for outlet in since.outlets),
    }


UNKNOWN_OUTLET = "Outlet not known"
"""The outlet filter's name for the sources whose outlet is not known."""

_FORM = (
    "".join(
        f'<label>{label} <select name="{name}" disabled><option value="">{everything}</option>'
        "</select></label>"
        for name, label, everything in (
            ("speaker", "Speaker", "All speakers"),
            ("type", "Claim type", "All claim types"),
            ("outlet", "Outlet", "All outlets"),
        )
    )
    + '<button class="md-button" type="reset" disabled>Clear filters</button>'
    + '<p class="archive-filters__status" aria-live="polite">'
    + "<noscript>The filters need JavaScript; the pages below list every statement.</noscript></p>"
)
"""The filters, whose choices the script adds from :data:`FILTERS`: in the page from the start
(disabled until then), so that the table does not move when they arrive."""


def _page(ctx: Context, total: int, gathered: Callable[[], _Gathered], number: int) -> str:
    chunks = gathered().pages
    here = page_uri(INDEX, number)
    body = "\n".join(ctx.fragment(a, ("row", here), partial(_row, ctx, here, a)) for a in chunks[number - 1])
    root = ctx.urls.rel(here, "index.md").removesuffix("index.html")
    container = {
        "data_root": root,
        "data_data": ctx.urls.rel(here, DATA + "/"),
        "data_source": ctx.urls.url(source_uri("%")),
        "data_speaker": ctx.urls.url(speaker_uri("%")),
        "data_type": ctx.urls.url(claim_type_uri("%")),
    }
    blocks = [
        f'<div class="archive-claims"{attrs(**container)}>',
        f'<p class="archive-lead"><span class="archive-claims__count">{plural(total, "annotated statement")}'
        "</span>, newest sources first.</p>",
        f'<form class="archive-filters" aria-label="Filter the statements">{_FORM}</form>',
        pager(ctx, INDEX, number, len(chunks)),
        '<div class="archive-table archive-table--claims">\n<table>\n'
        "<caption>Annotated statements, newest sources first</caption>\n"
        '<thead><tr><th scope="col">Statement</th><th scope="col">Speaker</th><th scope="col">Claim type</th>'
        '<th scope="col">Source</th><th scope="col">Date</th></tr></thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>\n</div>",
        '<p><button class="md-button archive-claims__more" type="button" hidden>Show more</button></p>',
        pager(ctx, INDEX, number, len(chunks), end=True),
        "</div>",
    ]
    return page_body(blocks)


def _row(ctx: Context, here: str, annotation: Annotation) -> str:
    source = ctx.source_of(annotation)
    quote = link(ctx.permalink(here, annotation), quoted(ctx.words(annotation, QUOTE_LIMIT)))
    return (
        f"<tr><td>{quote}</td><td>{ctx.speaker_links(here, annotation.speakers)}</td>"
        f"<td>{ctx.claim_type_link(here, ctx.type_of(annotation), definition=False)}</td>"
        f"<td>{esc(source.title)}<br><small>{esc(ctx.outlet(source))}</small></td>"
        f"<td>{esc(show_date(source.date))}</td></tr>"
    )


def _filters(ctx: Context, keys: dict[str | None, str], facets: dict[str, list[Annotation]]) -> str:
    """The filters' choices: for speakers, claim types and outlets, ``[key, label, count]`` of each
    value that has statements, in the order shown."""

    def choices(prefix: str, values: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
        found = [(key, label, len(facets.get(_facet(prefix, key), ()))) for key, label in values]
        return [choice for choice in found if choice[2]]

    speakers = sorted(ctx.archive.speakers.values(), key=lambda s: (s.name.casefold(), s.id))
    types = sorted(ctx.archive.claim_types.values(), key=lambda t: (t.label.casefold(), t.id))
    outlets = sorted(keys.items(), key=lambda kv: (kv[0] is None, (kv[0] or "").casefold()))
    return (
        compact(
            {
                "speaker": choices("speaker", [(s.id, s.name) for s in speakers]),
                "type": choices("type", [(t.id, t.label) for t in types]),
                "outlet": choices("outlet", [(k, o or UNKNOWN_OUTLET) for o, k in outlets]),
            }
        )
        + "\n"
    )


def _data(
    data_sources: Callable[[], dict[str, str]],
    data_rows: Callable[[], dict[str, str]],
    gathered: Callable[[], _Gathered],
    name: str,
) -> str:
    """The statements of the filter value ``name`` and their sources, for the browser to render
    with ``textContent`` only."""
    rows = gathered().facets[name]
    made = data_rows()
    made_sources = data_sources()
    ids = dict.fromkeys(a.source for a in rows)
    sources = ",".join(f"{compact(source_id)}:{made_sources[source_id]}" for source_id in ids)
    return '{"sources":{' + sources + '},"rows":[' + ",".join(made[a.id] for a in rows) + "]}\n"


def _data_row(ctx: Context, annotation: Annotation) -> str:
    """One row of :func:`_data`, as JSON."""
    return compact(
        [
            annotation.source,
            annotation.id,
            quoted(ctx.words(annotation, QUOTE_LIMIT)),
            list(annotation.speakers),
            annotation.claim_type,
        ]
    )
