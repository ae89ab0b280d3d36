"""The card of one annotation on its source page, anchored at ``#<annotation-id>``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from build_tools.model import ExternalRebuttal, InternalRebuttal
from build_tools.render.context import source_uri
from build_tools.render.html import attrs, esc, link, outside_link, quoted, show_date
from build_tools.render.note import render_note
from build_tools.render.revisions import card_history
from build_tools.render.statements import statement_uri

if TYPE_CHECKING:
    from collections.abc import Iterable

    from build_tools.model import Annotation, Relation
    from build_tools.render.context import Context

ATTRIBUTION = {"direct": "Direct quote", "paraphrase": "Paraphrase", "reported": "Reported speech"}
RELATIONS: dict[Relation, tuple[str, str]] = {
    "contradicts": ("Contradicted by", "Contradicts"),
    "disputes": ("Disputed by", "Disputes"),
    "context": ("Context", "Gives context to"),
}
"""The headings of a card's rebuttals by relation: on the statement rebutted, and on the one
rebutting it."""
_EXCERPT = 160


def render_card(ctx: Context, annotation: Annotation, overlaps: Iterable[Annotation], number: int) -> str:
    """One ``<article>`` card, the ``number``-th statement of its source: a heading naming who said
    it and its claim type, the quote, who said it (and as what), classification, evidence, links."""
    here = source_uri(annotation.source)
    rows = [
        _row("Speaker" if len(annotation.speakers) == 1 else "Speakers", _speakers(ctx, here, annotation)),
        _row("Claim type", _claim_type(ctx, here, annotation)),
        _row("Attribution", _attribution(annotation)),
    ]
    if annotation.summary:
        rows.append(_row("Summary", esc(annotation.summary)))
    if annotation.tags:
        rows.append(
            _row("Tags", " ".join(f'<span class="archive-tag">{esc(tag)}</span>' for tag in annotation.tags))
        )
    aid = esc(annotation.id)  # escaped once for its places
    page = _page_link(ctx, here, annotation)
    parts = [
        f'<article class="archive-card {ctx.colour(annotation)}" id="{aid}" aria-labelledby="_h-{aid}">',
        # The heading names the card for screen readers and numbers it as the text's marks do; its
        # category's mark is the stylesheet's, from data-mark.
        f'<h3 id="_h-{aid}" data-mark="{esc(ctx.mark(annotation))}" data-pagefind-ignore>'
        f"Statement {number}: {esc(ctx.speaker_names(annotation))} · "
        f"{esc(ctx.type_of(annotation).label)}</h3>",
        # The script adds a "Copy link" button and a "Show in text" link after the permalink: the
        # same words on every card, made where they are used. The permalink and row labels are the
        # same words on every card too (and the statement's id a word of its own in the index):
        # only the facts after the labels are worth searching.
        '<div class="archive-card__head" data-pagefind-ignore>'
        f'<a class="archive-card__permalink" href="#{aid}">#{aid}</a>{page}</div>',
        # The quote, like the statements listed under Rebuts and Overlaps with, is text that the
        # search index already has from the article: indexing it again only makes results heavier.
        f'<blockquote class="archive-card__quote" data-pagefind-ignore><p>{esc(ctx.words(annotation))}</p>'
        "</blockquote>",
        '<dl class="archive-card__facts">',
        *rows,
        "</dl>",
    ]
    if annotation.note:
        parts.append(f'<div class="archive-card__note">{render_note(annotation.note)}</div>')
    for relation, (rebutted, _) in RELATIONS.items():
        items = [_rebuttal(ctx, here, r) for r in annotation.rebuttals if r.relation == relation]
        if items:
            parts.append(_section(rebutted, f"archive-card__rebutted archive-card__{relation}", items))
    rebuts = [(other, _relation(other, annotation.id)) for other in ctx.archive.rebuts(annotation.id)]
    for relation, (_, rebutting) in RELATIONS.items():
        items = [_statement(ctx, here, other) for other, named in rebuts if named == relation]
        if items:
            parts.append(
                _section(rebutting, f"archive-card__rebuts archive-card__{relation}", items, indexed=False)
            )
    near = [_statement(ctx, here, a) for a in overlaps]
    if near:
        parts.append(_section("Overlaps with", "archive-card__overlaps", near, indexed=False))
    # The script adds "Cite this statement" (a plain line and a BibTeX entry) from the quote, the
    # speakers' names and the source's facts on the cards' container: a convenience, made when
    # needed rather than written out for every statement.
    parts += card_history(ctx, annotation)
    parts.append("</article>")
    return "\n".join(parts)


def _row(label: str, value: str) -> str:
    # The label is the same on every card, so not indexed; the hidden separator keeps one field
    # from running into the next in the search results' excerpts.
    return f"<dt data-pagefind-ignore>{label}</dt><dd>{value}<i hidden> ·</i></dd>"


def _page_link(ctx: Context, here: str, annotation: Annotation) -> str:
    """A link to the statement's own page, when the site has them (the script names it after the
    card's heading, as it names "Copy link")."""
    if not ctx.site.statement_pages:
        return ""
    to = ctx.urls.rel(here, statement_uri(annotation.id))
    return f' <a class="archive-card__page" href="{esc(to)}">Statement page</a>'


def _section(title: str, class_: str, items: list[str], *, indexed: bool = True) -> str:
    body = "".join(f"<li>{item}</li>" for item in items)
    ignore = "" if indexed else " data-pagefind-ignore"
    return f'<div class="{class_}"{ignore}><p class="archive-card__label">{title}</p><ul>{body}</ul></div>'


def _speakers(ctx: Context, here: str, annotation: Annotation) -> str:
    parts = []
    for speaker_id in annotation.speakers:
        role = ctx.archive.role_of(annotation, speaker_id)
        entry = ctx.speaker_links(here, [speaker_id])
        speaker = ctx.archive.speakers.get(speaker_id)
        if speaker and speaker.native_name:
            entry += " " + _native(speaker.native_name)
        if role:
            entry += f' <span class="archive-role">{esc(role)}</span>'
        parts.append(entry)
    return "; ".join(parts)


_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _native(name: str) -> str:
    """A native name, each of its " / "-separated forms marked with the language its script
    suggests: the registry does not say which language a name is in, so Han characters are read as
    Chinese (``zh``), Arabic script as an undetermined language written right to left
    (``und-Arab``, ``dir="rtl"``), anything else left to the browser (``dir="auto"``)."""
    forms = []
    for form in name.split(" / "):
        if _ARABIC.search(form):
            marked = attrs(lang="und-Arab", dir="rtl")
        elif _HAN.search(form):
            marked = attrs(lang="zh")
        else:
            marked = attrs(dir="auto")
        forms.append(f"<span{marked}>{esc(form)}</span>")
    return f'<span class="archive-native">{" / ".join(forms)}</span>'


def _claim_type(ctx: Context, here: str, annotation: Annotation) -> str:
    claim_type = ctx.type_of(annotation)
    text = ctx.claim_type_link(here, claim_type)
    if claim_type.category:
        text += f' <span class="archive-category">{esc(claim_type.category)}</span>'
    return text


def _attribution(annotation: Annotation) -> str:
    text = esc(ATTRIBUTION[annotation.attribution])
    if annotation.via:
        text += f", via {esc(annotation.via)}"
    return text


def _statement(ctx: Context, here: str, other: Annotation) -> str:
    """Another statement: its quote linking to its card, who said it, and where."""
    source = ctx.source_of(other)
    where = ""
    if source_uri(source.id) != here:
        where = f" in {ctx.source_link(here, source)}, {esc(show_date(source.date))}"
    return (
        f"{link(ctx.permalink(here, other), quoted(ctx.words(other, _EXCERPT)))}"
        f" — {ctx.speaker_links(here, other.speakers)}{where}"
    )


def _relation(rebutted: Annotation, rebutting: str) -> Relation:
    """How ``rebutting`` (an annotation's id) bears on ``rebutted``, as the first of
    ``rebutted``'s rebuttals naming it says."""
    return next(
        r.relation
        for r in rebutted.rebuttals
        if isinstance(r, InternalRebuttal) and r.annotation == rebutting
    )


def _rebuttal(ctx: Context, here: str, rebuttal: InternalRebuttal | ExternalRebuttal) -> str:
    if isinstance(rebuttal, InternalRebuttal):
        return _statement(ctx, here, ctx.archive.annotations[rebuttal.annotation])
    details = [esc(rebuttal.publisher)] if rebuttal.publisher else []
    if rebuttal.date:
        details.append(esc(show_date(rebuttal.date)))
    text = outside_link(rebuttal.url, rebuttal.title, class_="archive-outside")
    if details:
        text += f" — {', '.join(details)}"
    if rebuttal.citation:
        text += f'<br><span class="archive-citation">{esc(rebuttal.citation)}</span>'
    return text
