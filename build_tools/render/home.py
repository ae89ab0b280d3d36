"""The generated part of the home page: the archive in figures and the latest sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from build_tools.model import InternalRebuttal
from build_tools.render.context import source_uri
from build_tools.render.html import esc, link, time_tag

if TYPE_CHECKING:
    from build_tools.model import Source
    from build_tools.render.context import Context

MARKER = "<!-- archive:figures -->"
"""Where ``docs/index.md`` wants the figures; without it they are appended."""
LATEST = 5


def render_home(ctx: Context, ordered: list[Source], here: str = "index.md") -> str:
    """Raw HTML for the home page, with links relative to page ``here``."""
    archive = ctx.archive
    internal = sum(isinstance(r, InternalRebuttal) for a in archive.annotations.values() for r in a.rebuttals)
    external = sum(len(a.rebuttals) for a in archive.annotations.values()) - internal
    figures = [
        (len(archive.sources), "sources", "sources/index.md"),
        (len(archive.annotations), "statements", "claims/index.md"),
        (len(archive.speakers), "speakers", "speakers/index.md"),
        (internal + external, "rebuttal links", "claims/index.md"),
    ]
    cells = "".join(
        f'<li><a href="{ctx.urls.rel(here, target)}"><strong>{count}</strong> {label}</a></li>'
        for count, label, target in figures
    )
    latest = "".join(
        f"<li>{link(ctx.urls.rel(here, source_uri(s.id)), s.title)} "
        f'<span class="archive-when">{esc(ctx.outlet(s))}, {time_tag(s.date)}</span></li>'
        for s in ordered[:LATEST]
    )
    parts = [f'<ul class="archive-figures">{cells}</ul>']
    if latest:
        parts.append(f'## Latest sources\n\n<ul class="archive-latest">{latest}</ul>')
    return "\n\n".join(parts) + "\n"


def with_home(markdown: str, figures: str) -> str:
    """``markdown`` (docs/index.md) with ``figures`` at its marker, or at its end."""
    if MARKER in markdown:
        return markdown.replace(MARKER, figures.strip("\n"), 1)
    return markdown.rstrip("\n") + "\n\n" + figures
