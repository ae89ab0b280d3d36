"""Machine-readable copies of the archive, published under ``/exports/``.

Each export is a pure function of the archive and the site's address, so the same core can feed
another site engine; :data:`EXPORTS` maps file names to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from build_tools.exports import data, feed, tabular, webanno

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from pathlib import Path

    from build_tools.exports.links import Site
    from build_tools.model import Archive

Export: TypeAlias = "Callable[[Archive, Site], Iterable[str]]"
"""An export's text, in pieces: a large one is made as its pieces are taken, so that writing it
out never holds it whole."""

EXPORTS: dict[str, Export] = {
    "claims.csv": tabular.claims_csv,
    "annotations.jsonld": webanno.collection,
    "archive.json": lambda archive, site: data.pieces(archive),
    "sources.atom": lambda archive, site: (feed.atom(archive, site),),
    "archive.schema.json": lambda archive, site: (data.schema_text(),),
}
"""The exports by name, the longest to make first (at 10,000 articles 2-3 s, 1.5-2.5 s, 1-1.5 s,
then moments): ``mkdocs build`` has two processes take them in this order, so that what is
left when MkDocs has written its last page is the shortest."""


def text(export: Export, archive: Archive, site: Site) -> str:
    """The whole text of ``export``."""
    return "".join(export(archive, site))


def write(export: Export, archive: Archive, site: Site, path: Path) -> None:
    """Write ``export`` into ``path`` (UTF-8), piece by piece."""
    for _ in writing(export, archive, site, path):
        pass


def writing(export: Export, archive: Archive, site: Site, path: Path) -> Iterator[None]:
    """Write ``export`` into ``path`` (UTF-8), pausing after each piece."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for piece in export(archive, site):
            out.write(piece.encode())
            yield
