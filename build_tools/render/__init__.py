"""Render the archive as pages: pure functions from an :class:`~build_tools.model.Archive` to text.

Nothing here knows about MkDocs. :func:`plan_site` plans every generated file under the
``src_uri`` it should have in the site (Markdown pages and the JSON data the claims filter reads),
for the caller to make when it needs it; :func:`render_site` makes them all at once;
:func:`render_home` gives the figures the home page shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from build_tools.exports.links import Site
from build_tools.render.changes import Changes, changes
from build_tools.render.claim_types import plan_claim_types
from build_tools.render.claims import plan_claims
from build_tools.render.context import Context, Fragments, Urls, source_uri
from build_tools.render.corrections import INDEX as CHANGES_PAGE
from build_tools.render.corrections import plan_corrections
from build_tools.render.home import render_home as _render_home
from build_tools.render.home import with_home
from build_tools.render.planned import Planned
from build_tools.render.search import BUNDLE, SEARCH_PAGE, part_path, plan_search
from build_tools.render.source import plan_source
from build_tools.render.sources_index import newest_first, plan_sources_index
from build_tools.render.speakers import plan_speakers

if TYPE_CHECKING:
    from collections.abc import Iterator

    from build_tools.model import Archive

__all__ = [
    "BUNDLE",
    "INDEX_PAGES",
    "Changes",
    "Context",
    "Fragments",
    "Planned",
    "Urls",
    "changes",
    "newest_first",
    "part_path",
    "plan_site",
    "render_home",
    "render_site",
    "source_uri",
    "with_home",
]

INDEX_PAGES = (
    "sources/index.md",
    "speakers/index.md",
    "claim-types/index.md",
    "claims/index.md",
    SEARCH_PAGE,
    CHANGES_PAGE,
)
"""The generated pages that belong in the navigation; every other generated page stays out of it."""


def plan_site(
    archive: Archive,
    *,
    per_page: int = 100,
    directory_urls: bool = True,
    site: Site | None = None,
    fragments: Fragments | None = None,
    since: Changes | None = None,
    search_parts: int = 1,
) -> Iterator[Planned]:
    """Every generated file of the site, planned (see :class:`Planned`): the source pages, then
    the listings, the claims data and the search page. Planning them all takes a small fraction of
    the time making them takes, and they may be made in any order.

    ``site`` gives the published address for absolute links (JSON-LD, citations). ``fragments``
    keeps pieces of pages for the next call. A caller that keeps the files of a render of an
    earlier archive with the same settings gives ``since``, what may have changed since (see
    :func:`~build_tools.render.changes.changes`): the source pages, the speakers' and claim
    types' pages and the claims data outside it are planned as unchanged. The search page merges
    ``search_parts`` parts of the search index.
    """
    ctx = Context(archive, Urls(directory_urls), per_page, site or Site(), fragments, since)
    ordered = newest_first(archive.sources.values())
    for source in archive.sources.values():
        yield plan_source(ctx, source)
    yield from plan_sources_index(ctx, ordered)
    yield from plan_speakers(ctx)
    yield from plan_claim_types(ctx)
    yield from plan_claims(ctx, ordered)
    yield from plan_corrections(ctx)
    yield plan_search(ctx, search_parts)


def render_site(
    archive: Archive, *, per_page: int = 100, directory_urls: bool = True, site: Site | None = None
) -> dict[str, str]:
    """Every generated file of the site, made, keyed by ``src_uri``, sorted (see :func:`plan_site`)."""
    planned = plan_site(archive, per_page=per_page, directory_urls=directory_urls, site=site)
    return dict(sorted((p.uri, p.content()) for p in planned))


def render_home(archive: Archive, *, directory_urls: bool = True) -> str:
    """The figures and latest sources shown on the home page (``index.md``)."""
    ctx = Context(archive, Urls(directory_urls))
    return _render_home(ctx, newest_first(archive.sources.values()))
