"""How to cite one annotated statement: a plain-text line and a BibTeX entry."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from build_tools.render.html import show_date

if TYPE_CHECKING:
    from build_tools.model import Annotation
    from build_tools.render.context import Context

_QUOTE_LIMIT = 120
_BIBTEX_SPECIAL = re.compile(r"([{}\\%&#$_^~])")


def _short(text: str) -> str:
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1].rstrip() + "\u2026"


def plain(ctx: Context, ann: Annotation) -> str:
    """``Speaker. "Quote." In: Title, Outlet, date. Site, statement id. URL``."""
    source = ctx.source_of(ann)
    where = ", ".join(
        p for p in (source.title, source.outlet, show_date(source.date) if source.date else None) if p
    )
    return (
        f"{ctx.speaker_names(ann)}. \u201c{_short(ctx.words(ann))}\u201d In: {where}. "
        f"{ctx.site.name}, statement {ann.id}. {ctx.site.annotation(source.id, ann.id)}"
    )


def _bib(text: str) -> str:
    # A function rather than the template r"\\\1": re runs a template through Python code on every
    # call, matches or not (and most text has none), while a function is only called on a match.
    return _BIBTEX_SPECIAL.sub(_backslashed, " ".join(text.split()))


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match[1]


def bibtex(ctx: Context, ann: Annotation) -> str:
    """A ``@misc`` entry keyed by the annotation id."""
    source = ctx.source_of(ann)
    fields = [
        ("title", _bib(_short(ctx.words(ann)))),
        ("author", " and ".join("{" + _bib(ctx.speaker_name(s)) + "}" for s in ann.speakers)),
        ("howpublished", _bib(f"{source.title}" + (f", {source.outlet}" if source.outlet else ""))),
        ("note", _bib(f"Annotated statement {ann.id}, {ctx.site.name}")),
        ("url", ctx.site.annotation(source.id, ann.id)),
    ]
    if source.date:
        fields.insert(3, ("year", source.date[:4]))
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields)
    return f"@misc{{{ann.id},\n{body}\n}}"
