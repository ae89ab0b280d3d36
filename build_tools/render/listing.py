"""Pieces shared by listing pages: splitting into pages, the pager, one statement in a list."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, TypeVar

from build_tools.render.context import page_uri
from build_tools.render.html import esc, link, quoted, show_date
from build_tools.render.planned import Planned

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from build_tools.model import Annotation
    from build_tools.render.context import Context

T = TypeVar("T")


def paginate(items: Sequence[T], per_page: int) -> list[Sequence[T]]:
    """``items`` in pages of ``per_page``; always at least one (possibly empty) page."""
    size = max(per_page, 1)
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def page_count(items: int, per_page: int) -> int:
    """How many pages :func:`paginate` makes of ``items`` items."""
    return max(1, -(-items // max(per_page, 1)))


def page_title(title: str, number: int, total: int) -> str:
    """The title of page ``number`` of a listing."""
    return title if total == 1 else f"{title} (page {number} of {total})"


def listing_pages(
    base: str,
    title: str,
    description: str,
    total: int,
    make: Callable[[int], str],
    *,
    unchanged: bool = False,
) -> Iterator[Planned]:
    """The ``total`` pages of the listing at ``base`` titled ``title`` (see :meth:`Planned.page`),
    planned; ``make(number)`` makes the body of page ``number``; ``unchanged``: see
    :attr:`Planned.unchanged`."""
    for number in range(1, total + 1):
        title_here = page_title(title, number, total)
        yield Planned.page(
            page_uri(base, number), title_here, description, partial(make, number), unchanged=unchanged
        )


def pager(ctx: Context, base: str, number: int, total: int, *, end: bool = False) -> str:
    """Links to the other pages of a listing; empty when there is only one page. A listing has
    one above it and one at its ``end``, named apart (two landmarks of one name confuse a screen
    reader's list of them)."""
    if total <= 1:
        return ""
    here = page_uri(base, number)
    shown = sorted({1, total, *range(max(1, number - 2), min(total, number + 2) + 1)})
    items = []
    if number > 1:
        items.append(link(ctx.urls.rel(here, page_uri(base, number - 1)), "Previous", rel="prev"))
    previous = 0
    for n in shown:
        if n > previous + 1:
            items.append('<span class="archive-pager__gap">…</span>')
        if n == number:
            items.append(f'<span class="archive-pager__current" aria-current="page">{n}</span>')
        else:
            items.append(link(ctx.urls.rel(here, page_uri(base, n)), str(n)))
        previous = n
    if number < total:
        items.append(link(ctx.urls.rel(here, page_uri(base, number + 1)), "Next", rel="next"))
    label = "Pages, at the end of the list" if end else "Pages"
    return f'<nav class="archive-pager" aria-label="{label}">{" ".join(items)}</nav>'


def statement_item(
    ctx: Context,
    here: str,
    annotation: Annotation,
    *,
    speakers: bool = True,
    claim_type: bool = True,
    role_of: str | None = None,
) -> str:
    """One statement in a list: the quote linking to its permalink, then who, what, where, when.

    With ``role_of`` (a speaker id), the role that speaker held is shown too.
    """
    return ctx.fragment(
        annotation,
        ("item", here, speakers, claim_type, role_of),
        lambda: _statement_item(ctx, here, annotation, speakers, claim_type, role_of),
    )


def _statement_item(
    ctx: Context, here: str, annotation: Annotation, speakers: bool, claim_type: bool, role_of: str | None
) -> str:
    # A list holds thousands of these: the list's class styles them, and the date is in words only.
    source = ctx.source_of(annotation)
    facts = []
    if speakers:
        facts.append(ctx.speaker_links(here, annotation.speakers))
    role = ctx.archive.role_of(annotation, role_of) if role_of else None
    if role:
        facts.append(f"as {esc(role)}")
    if claim_type:
        facts.append(ctx.claim_type_link(here, ctx.type_of(annotation), definition=False))
    # The source's title without a link: the quote links to the statement on the source's page.
    facts.append(esc(source.title))
    facts.append(f"{esc(ctx.outlet(source))}, {esc(show_date(source.date))}")
    quote = link(ctx.permalink(here, annotation), quoted(ctx.words(annotation)))
    return f'<li class="{ctx.colour(annotation)}">{quote}<small>{" · ".join(facts)}</small></li>'


def statement_list(items: Sequence[str]) -> str:
    """A list of rendered :func:`statement_item` entries."""
    return '<ul class="archive-statements">\n' + "\n".join(items) + "\n</ul>"


def counts_table(rows: Sequence[tuple[str, int]], heading: str, caption: str) -> str:
    """A two-column table of (already escaped) labels and counts, captioned ``caption``."""
    body = "\n".join(f"<tr><td>{label}</td><td>{count}</td></tr>" for label, count in rows)
    head = f'<thead><tr><th scope="col">{heading}</th><th scope="col">Statements</th></tr></thead>'
    return f"<table>\n<caption>{esc(caption)}</caption>\n{head}\n<tbody>\n{body}\n</tbody>\n</table>"
