"""The page of one source: its metadata, the verbatim text with statements highlighted, the cards.

The text is plain text that must never be read as Markdown, so the whole page body is emitted as
raw HTML blocks, every piece of it escaped; Python-Markdown passes them through untouched.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from build_tools.render.card import render_card
from build_tools.render.context import source_uri
from build_tools.render.html import attrs, esc, outside_link, plural, show_date, time_tag, tooltip
from build_tools.render.linked_data import script, source_data
from build_tools.render.planned import Planned
from build_tools.render.search import search_facets
from build_tools.render.segments import Segment, split

if TYPE_CHECKING:
    from build_tools.model import Annotation, Source
    from build_tools.render.context import Context


def plan_source(ctx: Context, source: Source) -> Planned:
    """``/sources/<id>/``."""
    unchanged = ctx.since is not None and source.id not in ctx.since.sources
    make = partial(render_source, ctx, source)
    # The article page has no navigation sidebar: its width goes to the text and, beside it, the
    # card of the statement being read (see archive.js).
    return Planned.page(
        source_uri(source.id),
        source.title,
        _description(ctx, source),
        make,
        unchanged=unchanged,
        hide=("navigation", "toc"),
    )


def _description(ctx: Context, source: Source) -> str:
    """What the page of ``source`` holds, in a sentence."""
    count = len(ctx.archive.annotations_by_source.get(source.id, ()))
    outlet = ctx.outlet(source)
    dated = f", {show_date(source.date)}" if source.date else ""
    statements = plural(count, "annotated statement")
    return f"{outlet[:1].upper()}{outlet[1:]}{dated}: {statements}, with who made them and what rebuts them."


def render_source(ctx: Context, source: Source) -> str:
    """The body of ``/sources/<id>/``."""
    annotations = ctx.archive.annotations_by_source.get(source.id, ())
    paragraphs = split(source.paragraphs(), annotations)
    overlaps = _overlaps(annotations, paragraphs)
    numbers = {a.id: n for n, a in enumerate(annotations, 1)}
    blocks = [
        script(source_data(ctx, source)),
        f'<div class="archive-source" data-pagefind-body>\n\n{search_facets(ctx, source)}',
        _byline(source),
    ]
    if annotations:
        blocks += [_who(ctx, source, annotations), _legend(ctx, annotations)]
    blocks.append(f'<div class="archive-reading">\n{_text(ctx, source, paragraphs, numbers)}\n</div>')
    count = plural(len(annotations), "annotated statement")
    blocks.append(f'<h2 class="archive-cards__title" data-pagefind-ignore>{count}</h2>')
    if annotations:
        cards = [render_card(ctx, a, overlaps.get(a.id, ()), numbers[a.id]) for a in annotations]
        blocks.append(f"<div{_cards_attrs(ctx, source)}>\n" + "\n".join(cards) + "\n</div>")
    else:
        blocks.append('<p class="archive-empty">No statement in this article has been annotated yet.</p>')
    blocks.append("</div>")
    return "\n\n".join(blocks) + "\n"


def _cards_attrs(ctx: Context, source: Source) -> str:
    """The cards' container, with what the script needs to cite a statement (see ``archive.js``)."""
    return attrs(
        class_="archive-cards",
        data_site=ctx.site.name,
        data_url=ctx.site.source(source.id),
        data_title=source.title,
        data_outlet=source.outlet,
        data_date=show_date(source.date) if source.date else None,
        data_year=source.date[:4] if source.date else None,
    )


def _byline(source: Source) -> str:
    facts = [f'<span class="archive-outlet">{esc(source.outlet or "Unknown outlet")}</span>']
    facts.append(time_tag(source.date))
    if source.author:
        facts.append(f"by {esc(source.author)}")
    if source.dateline:
        facts.append(f'<span class="archive-dateline">{esc(source.dateline)}</span>')
    links = []
    if source.url:
        links.append(outside_link(source.url, "Original article"))
    if source.archived_url:
        links.append(outside_link(source.archived_url, "Archived copy"))
    line = " · ".join(facts)
    if source.date_note:
        line += f'<br><span class="archive-date-note">About the date: {esc(source.date_note)}</span>'
    if links:
        line += '<br><span class="archive-source-links">' + " · ".join(links) + "</span>"
    if source.title.startswith("[") and source.title.rstrip().endswith("]"):
        line += (
            '<br><span class="archive-supplied">The title in square brackets was supplied by the '
            "archive: the text as received has none.</span>"
        )
    return f'<p class="archive-byline">{line}</p>'


def _who(ctx: Context, source: Source, annotations: tuple[Annotation, ...]) -> str:
    """Who is quoted, most often first: each speaker's statements, and how many of them are
    rebutted (contradicted or disputed). The script makes its filters from it (see archive.js)."""
    counts: dict[str, list[int]] = {}
    for annotation in annotations:
        rebutted = int(any(r.relation != "context" for r in annotation.rebuttals))
        for speaker_id in annotation.speakers:
            count = counts.setdefault(speaker_id, [0, 0])
            count[0] += 1
            count[1] += rebutted
    here = source_uri(source.id)
    items = []
    for speaker_id in sorted(counts, key=lambda s: (-counts[s][0], ctx.speaker_name(s).casefold(), s)):
        total, contested = counts[speaker_id]
        tail = f", {contested} rebutted" if contested else ""
        items.append(f"<li>{ctx.speaker_links(here, [speaker_id])}: {plural(total, 'statement')}{tail}</li>")
    return f'<ul class="archive-who" aria-label="Who is quoted" data-pagefind-ignore>{"".join(items)}</ul>'


def _legend(ctx: Context, annotations: tuple[Annotation, ...]) -> str:
    used = {ctx.type_of(a).category for a in annotations}
    order = [c for c in ctx.category_class if c in used]
    items = [
        f'<li><span class="archive-swatch {ctx.category_class[c]}" aria-hidden="true">'
        f"{esc(ctx.category_mark[c])}</span>{esc(c or 'Uncategorised')}</li>"
        for c in order
    ]
    return (
        '<div class="archive-legend" data-pagefind-ignore><p>Highlights by claim-type category; each '
        "statement starts with its number and its category's letter. Where statements overlap, the "
        "text is underlined; select it again to step through them.</p>"
        f"<ul>{''.join(items)}</ul></div>"
    )


def _text(ctx: Context, source: Source, paragraphs: list[list[Segment]], numbers: dict[str, int]) -> str:
    body = source.body
    anchored: set[str] = set()
    out = [f'<div class="archive-text" id="_text"{attrs(lang=source.language or "en")} tabindex="-1">']
    for para in paragraphs:
        pieces = []
        for segment in para:
            starting = [a for a in segment.annotations if a.id not in anchored]
            for annotation in sorted(starting, key=lambda a: numbers[a.id]):
                anchored.add(annotation.id)
                # Where each statement starts: its number and its category's mark (for readers who
                # do not tell the colours apart, and for print), shown by the stylesheet with no
                # text for screen readers, which have them in the highlight's name instead.
                mark = f"{numbers[annotation.id]}{esc(ctx.mark(annotation))}"
                pieces.append(
                    f'<span class="archive-anchor" id="_text-{esc(annotation.id)}" data-mark="{mark}"></span>'
                )
            text = esc(body[segment.start : segment.end])
            pieces.append(_highlight(ctx, segment, text) if segment.annotations else text)
        out.append("<p>" + "".join(pieces) + "</p>")
    out.append("</div>")
    return "\n".join(out)


def _highlight(ctx: Context, segment: Segment, text: str) -> str:
    inner = segment.annotations[0]
    classes = f"archive-hl {ctx.colour(inner)}"
    if len(segment.annotations) > 1:
        classes += " archive-hl--multi"
    tip = tooltip("; ".join(f"{ctx.speaker_names(a)} · {ctx.type_of(a).label}" for a in segment.annotations))
    # Text under more than one statement names them all, innermost first; else the link names it.
    ids = " ".join(a.id for a in segment.annotations) if len(segment.annotations) > 1 else None
    return f"<a{attrs(class_=classes, href=f'#{inner.id}', title=tip, data_annotations=ids)}>{text}</a>"


def _overlaps(
    annotations: tuple[Annotation, ...], paragraphs: list[list[Segment]]
) -> dict[str, tuple[Annotation, ...]]:
    """For each annotation, the others sharing some of its text, in text order."""
    order = {a.id: i for i, a in enumerate(annotations)}
    shared: dict[str, set[str]] = {}
    for para in paragraphs:
        for segment in para:
            if len(segment.annotations) > 1:
                for a in segment.annotations:
                    shared.setdefault(a.id, set()).update(b.id for b in segment.annotations if b is not a)
    return {
        aid: tuple(annotations[order[o]] for o in sorted(others, key=order.__getitem__))
        for aid, others in shared.items()
    }
