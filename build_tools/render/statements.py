"""``/statements/<annotation-id>/``: one small standalone page per statement, for sharing.

Not a page of the theme: a few hundred bytes of HTML with the link-preview tags (``og:``,
Twitter) a shared address needs, a canonical link, and a visible summary — the quote, who said
it and as what, its claim type, the source — with a link to the statement in its article
(``/sources/<source-id>/#<annotation-id>``), and its history from git where the build has it
(what its card shows, :mod:`build_tools.render.revisions`). It needs no script and loads nothing
else. These pages are written beside the exports, only when the plugin's ``statement_pages``
option is on: an archive of 150,000 statements would have as many.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from build_tools.render.context import source_uri
from build_tools.render.html import attrs, esc, shorten, show_date
from build_tools.render.revisions import statement_history

if TYPE_CHECKING:
    from build_tools.model import Annotation
    from build_tools.render.context import Context

FOLDER = "statements"
TITLE_LIMIT = 200
"""Characters of the quote in the page's title and preview title."""
_STYLE = "body{font:1.1em/1.5 system-ui,sans-serif;max-width:38em;margin:2em auto;padding:0 1em}"


def statement_path(annotation_id: str) -> str:
    """Where the page of statement ``annotation_id`` is written, relative to the site root."""
    return f"{FOLDER}/{annotation_id}/index.html"


def statement_uri(annotation_id: str) -> str:
    """The page of statement ``annotation_id`` as if it were a page of MkDocs (``src_uri``), for
    :class:`~build_tools.render.context.Urls` to link it and from it as MkDocs links its pages
    (``statements/<id>/``, or ``statements/<id>/index.html`` without directory URLs)."""
    return f"{FOLDER}/{annotation_id}/index.md"


def render_statement(ctx: Context, annotation: Annotation) -> str:
    """The page of ``annotation``: preview tags, and a summary linking to it in its article."""
    source = ctx.source_of(annotation)
    claim_type = ctx.type_of(annotation)
    who = "; ".join(_speaker(ctx, annotation, speaker_id) for speaker_id in annotation.speakers)
    where = ctx.outlet(source) + (f", {show_date(source.date)}" if source.date else "")
    quote = shorten(ctx.words(annotation), TITLE_LIMIT)
    title = f"“{quote}”"
    description = f"{who} · {claim_type.label} · {where[:1].upper()}{where[1:]}"
    here = statement_uri(annotation.id)
    address = f"{ctx.site.base}{ctx.urls.url(here)}"
    context = ctx.urls.rel(here, source_uri(annotation.source), annotation.id)
    home = ctx.urls.rel(here, "index.md")
    meta = [
        ("og:type", "article"),
        ("og:site_name", ctx.site.name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", address),
    ]
    summary = f"<p>{esc(annotation.summary)}</p>" if annotation.summary else ""
    history = statement_history(ctx.site, ctx.archive.history, annotation)
    changes = "" if history is None else f"<h2>History</h2><p>{history[0]}.</p><ol>{history[1]}</ol>"
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(title)}</title>"
        f"<link{attrs(rel='canonical', href=address)}>"
        + "".join(f"<meta{attrs(property=key, content=value)}>" for key, value in meta)
        + f'<meta name="twitter:card" content="summary"><style>{_STYLE}</style></head>'
        f"<body><main><blockquote{attrs(lang=source.language or 'en')}><p>{esc(title)}</p></blockquote>"
        f"<p>— {esc(who)}. {esc(claim_type.label)}.</p>{summary}"
        f"<p>In <cite>{esc(source.title)}</cite>, {esc(where)}.</p>"
        f'<p><a href="{esc(context)}">Read it in the article, with its card</a> · '
        f'<a href="{esc(home)}">{esc(ctx.site.name)}</a></p>{changes}</main></body></html>\n'
    )


def _speaker(ctx: Context, annotation: Annotation, speaker_id: str) -> str:
    role = ctx.archive.role_of(annotation, speaker_id)
    name = ctx.speaker_name(speaker_id)
    return f"{name} ({role})" if role else name
