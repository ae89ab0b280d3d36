"""``/sources/``: every article, newest first, grouped by year, in pages."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from build_tools.render.context import page_uri, source_uri
from build_tools.render.html import esc, link, plural, time_tag
from build_tools.render.listing import listing_pages, pager, paginate
from build_tools.render.planned import Planned, page_body

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from build_tools.model import Source
    from build_tools.render.context import Context

INDEX = "sources/index.md"


def newest_first(sources: Iterable[Source]) -> list[Source]:
    """``sources`` by date, newest first (undated last), ties by id."""
    by_id = sorted(sources, key=lambda s: s.id)
    dated = [s for s in by_id if s.date]
    dated.sort(key=lambda s: s.date or "", reverse=True)
    return dated + [s for s in by_id if not s.date]


def _year(source: Source) -> str:
    return source.date[:4] if source.date else "Undated"


def plan_sources_index(ctx: Context, ordered: list[Source]) -> Iterator[Planned]:
    """The pages of ``/sources/``."""
    chunks = paginate(ordered, ctx.per_page)
    first_page: dict[str, int] = {}
    for number, chunk in enumerate(chunks, 1):
        for source in chunk:
            first_page.setdefault(_year(source), number)
    make = partial(_index_page, ctx, len(ordered), chunks, first_page)
    description = (
        "Every article in the archive, newest first, with how many statements are annotated in each."
    )
    yield from listing_pages(INDEX, "Sources", description, len(chunks), make)


def _index_page(
    ctx: Context, total: int, chunks: list[Sequence[Source]], first_page: dict[str, int], number: int
) -> str:
    here = page_uri(INDEX, number)
    years = " ".join(
        link(ctx.urls.rel(here, page_uri(INDEX, n), f"year-{year}"), year) for year, n in first_page.items()
    )
    blocks = [
        f'<p class="archive-lead">{plural(total, "article")}, newest first.</p>',
        f'<nav class="archive-years" aria-label="Years">{years}</nav>' if years else "",
        pager(ctx, INDEX, number, len(chunks)),
    ]
    current = None
    rows: list[str] = []
    for source in chunks[number - 1]:
        if _year(source) != current:
            blocks.append(_table(rows, current))
            rows = []
            current = _year(source)
            blocks.append(f'<h2 class="archive-section" id="year-{esc(current)}">{esc(current)}</h2>')
        count = len(ctx.archive.annotations_by_source.get(source.id, ()))
        title = link(ctx.urls.rel(here, source_uri(source.id)), source.title)
        rows.append(
            f"<tr><td>{title}</td><td>{esc(ctx.outlet(source))}</td>"
            f"<td>{time_tag(source.date)}</td><td>{count}</td></tr>"
        )
    blocks.append(_table(rows, current))
    blocks.append(pager(ctx, INDEX, number, len(chunks), end=True))
    return page_body(blocks)


def _table(rows: list[str], year: str | None) -> str:
    """The sources of one ``year``, with their statements' count (stacked rows on phones)."""
    if not rows:
        return ""
    head = (
        '<thead><tr><th scope="col">Title</th><th scope="col">Outlet</th><th scope="col">Date</th>'
        '<th scope="col">Statements</th></tr></thead>'
    )
    caption = f"Sources of {year}" if year and year[:1].isdigit() else "Undated sources"
    return (
        f'<div class="archive-table archive-table--counted">\n<table>\n<caption>{esc(caption)}</caption>\n'
        f"{head}\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>"
    )
