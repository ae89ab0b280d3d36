"""``sources.atom``: an Atom feed (RFC 4287) of the archive's sources, newest first.

Dates are the articles' own, at the precision known (a year becomes its first of January), so
the feed is the same bytes for the same archive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from build_tools.exports.links import Site
    from build_tools.model import Archive, Source

UNDATED = "1970-01-01"


def _timestamp(date: str | None) -> str:
    """An RFC 3339 time for a partial date: ``2019`` is ``2019-01-01``, ``2019-02`` is ``2019-02-01``."""
    date = date or UNDATED
    padding = {4: "-01-01", 7: "-01"}.get(len(date), "")
    return f"{date}{padding}T00:00:00Z"


def _entry(archive: Archive, site: Site, source: Source) -> str:
    count = len(archive.annotations_by_source.get(source.id, ()))
    summary = f"{source.outlet or 'Unknown outlet'}, {source.date or 'undated'}: {count} annotated statements"
    link = quoteattr(site.source(source.id))
    return (
        "  <entry>\n"
        f"    <id>{escape(site.source(source.id))}</id>\n"
        f"    <title>{escape(source.title)}</title>\n"
        f"    <updated>{_timestamp(source.date)}</updated>\n"
        f'    <link rel="alternate" type="text/html" href={link}/>\n'
        f"    <summary>{escape(summary)}</summary>\n"
        "  </entry>\n"
    )


def atom(archive: Archive, site: Site) -> str:
    """The feed's XML text."""
    ordered = sorted(archive.sources.values(), key=lambda s: (s.date or "", s.id), reverse=True)
    updated = _timestamp(ordered[0].date if ordered else None)
    self_link = quoteattr(site.export("sources.atom"))
    entries = "".join(_entry(archive, site, s) for s in ordered)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <id>{escape(site.export('sources.atom'))}</id>\n"
        f"  <title>{escape(site.name)}: sources</title>\n"
        f"  <updated>{updated}</updated>\n"
        f"  <author><name>{escape(site.name)}</name></author>\n"
        f'  <link rel="self" href={self_link}/>\n'
        f'  <link rel="alternate" href={quoteattr(site.base)}/>\n'
        f"{entries}</feed>\n"
    )
