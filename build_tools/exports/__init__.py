"""Machine-readable copies of the archive, published under ``/exports/``.

Each export is a pure function of the archive and the site's address, so the same core can feed
another site engine; :data:`EXPORTS` maps file names to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from build_tools.exports import data, feed, tabular, webanno

if TYPE_CHECKING:
    from collections.abc import Callable

    from build_tools.exports.links import Site
    from build_tools.model import Archive

EXPORTS: dict[str, Callable[[Archive, Site], str]] = {
    "annotations.jsonld": webanno.collection,
    "archive.json": lambda archive, site: data.dump(archive),
    "archive.schema.json": lambda archive, site: data.schema_text(),
    "claims.csv": tabular.claims_csv,
    "sources.atom": feed.atom,
}
