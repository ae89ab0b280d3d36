"""Search with Pagefind: the search page, and what each source page tells the index.

Source pages carry ``data-pagefind-body``, so Pagefind indexes the article text and its cards;
of the listings, only the profile at the top of a speaker's and a claim type's page is indexed
(:func:`indexed`), so that their names find them. Each source page names its filters (speaker,
claim type, outlet, year), its sort key (date) and where its statements are (:func:`statement_words`)
in a hidden block.

A search result is a page; the search page finds the statements in it from the page's anchors
(Pagefind keeps the word position of every element with an id): the text of statement ``x``
starts at the empty anchor ``_text-x`` and runs for as many words as the ``statements`` metadata
says; its card is the element ``x``, up to the next card.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from build_tools.render.claims import UNKNOWN_OUTLET
from build_tools.render.html import attrs, esc
from build_tools.render.planned import Planned

if TYPE_CHECKING:
    from build_tools.model import Annotation, Source
    from build_tools.render.context import Context

SEARCH_PAGE = "search/index.md"
BUNDLE = "pagefind/"
"""Where Pagefind writes its index and UI, relative to the site root."""


def part_path(number: int) -> str:
    """Where part ``number`` (from 1) of the search index goes, relative to :data:`BUNDLE`: the
    first is the bundle itself, whose script the search page loads; each further part is a folder
    in it, which the search page merges in."""
    return "" if number == 1 else f"part-{number}/"


def search_facets(ctx: Context, source: Source) -> str:
    """The hidden filters, metadata and sort key of one source page."""
    annotations = ctx.archive.annotations_by_source.get(source.id, ())
    speakers = sorted({ctx.speaker_name(s) for a in annotations for s in a.speakers})
    types = sorted({ctx.type_of(a).label for a in annotations})
    values = [
        *(("speaker", name) for name in speakers),
        *(("claim type", label) for label in types),
        ("outlet", source.outlet or UNKNOWN_OUTLET),
        ("year", source.date[:4] if source.date else "undated"),
    ]
    spans = "".join(f"<span{attrs(data_pagefind_filter=key)}>{esc(value)}</span>" for key, value in values)
    meta = f'<span data-pagefind-meta="title">{esc(source.title)}</span>'
    if annotations:
        meta += f'<span data-pagefind-meta="statements">{statement_words(source, annotations)}</span>'
    sort = attrs(data_pagefind_sort=f"date:{source.date or '0000'}")
    return f"<div hidden data-pagefind-ignore{sort}>{meta}{spans}</div>"


def statement_words(source: Source, annotations: tuple[Annotation, ...]) -> str:
    """How many words Pagefind counts in the text of each statement, space-separated, in the order
    of the statements' starts (then ids): the order of their ``_text-`` anchors by word position.

    Pagefind splits words at white space, and also where an element starts or ends inside a word
    (a highlight's edge: ``“<a>The`` is two words to it).
    """
    body = source.body
    edges = {edge for a in annotations for edge in (a.start, a.end)}
    counts = []
    for a in sorted(annotations, key=lambda a: (a.start, a.id)):
        inside = sum(
            1 for e in edges if a.start < e < a.end and not body[e - 1].isspace() and not body[e].isspace()
        )
        counts.append(str(len(body[a.start : a.end].split()) + inside))
    return " ".join(counts)


def indexed(kind: str, name: str, profile: str) -> str:
    """``profile``, the top of the page of a speaker or a claim type named ``name``, marked for the
    search index (the page's statements are not: the articles' pages have their words), with the
    name weighted as a title is."""
    return (
        f"<div{attrs(data_pagefind_body='', data_pagefind_meta=f'kind:{kind}')}>"
        f'<p hidden data-pagefind-weight="7">{esc(name)}</p>\n{profile}\n</div>'
    )


def plan_search(ctx: Context, parts: int = 1) -> Planned:
    """The search page (see :func:`render_search`)."""
    description = "Search the text of every article and every annotated statement in the archive."
    return Planned.page(SEARCH_PAGE, "Search", description, partial(render_search, ctx, parts))


def render_search(ctx: Context, parts: int = 1) -> str:
    """The body of the search page: a form and a result list that the site's script runs on
    Pagefind's API, over the ``parts`` of the index."""
    bundle = ctx.urls.rel(SEARCH_PAGE, BUNDLE)
    merged = " ".join(part_path(number) for number in range(2, parts + 1))
    claims = ctx.urls.rel(SEARCH_PAGE, "claims/index.md")
    return (
        "\n<p>Search the text of every article and every annotation card, and the names of speakers "
        "and claim types. Under an article, the statements your words are in link to their cards. "
        "Filter the articles by speaker, claim type, outlet and year.</p>\n\n"
        f'<form id="archive-search" class="archive-search" role="search" aria-label="Search the archive"'
        f"{attrs(data_bundle=bundle, data_parts=merged or None)}>"
        '<input type="search" name="q" placeholder="Words, names, phrases" aria-label="Words to search for" '
        'autocomplete="off"><details class="archive-search__more-filters"><summary>Filters: speaker, '
        'claim type, outlet, year</summary><div class="archive-search__filters"></div>'
        '<p class="archive-search__note">The filters find articles, and their counts are of articles: '
        f'the <a href="{esc(claims)}">claims table</a> filters and counts statements.</p></details></form>\n'
        '<p class="archive-search__status" aria-live="polite"></p>\n'
        '<ol class="archive-search__results"></ol>\n'
        '<button class="archive-search__more md-button" type="button" hidden>More results</button>\n\n'
        '<noscript><p class="archive-empty">Search needs JavaScript. Without it, browse the '
        f'<a href="{esc(claims)}">claims table</a>.</p></noscript>\n'
    )
