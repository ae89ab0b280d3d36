"""Machine-readable copies of the archive, published under ``/exports/``.

Each export is a pure function of the archive and the site's address, so the same core can feed
another site engine; :data:`EXPORTS` maps file names to them. The large ones (their size grows
with every statement) are gzip-compressed downloads; ``index.json`` beside them says what each
file is and how many of each thing the archive holds.
"""

from __future__ import annotations

import gzip
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from build_tools.exports import corrections, data, feed, jsontext, tabular, webanno

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

    from build_tools.exports.links import Site
    from build_tools.model import Archive


@dataclass(frozen=True)
class Export:
    """An export: ``make(archive, site)`` gives its text in pieces (a large one is made as its
    pieces are taken, so that writing it out never holds it whole), in the ``media_type`` named;
    a ``compressed`` one is published gzip-compressed."""

    make: Callable[[Archive, Site], Iterable[str]]
    media_type: str
    description: str
    compressed: bool = False


COMPRESSION = 6
"""gzip's compression level for the compressed exports: zlib's default, which makes them about a
sixth of their text, 16 % smaller than its fastest level in about twice the time (level 9 gains 2 %
more in twice that again)."""


def _index(archive: Archive, site: Site) -> Iterable[str]:
    """``index.json``: the archive's counts and, for each export, its address and what it is."""
    files = [
        {
            "name": name,
            "url": site.export(name),
            "mediaType": export.media_type,
            "encoding": "gzip" if export.compressed else None,
            "description": export.description,
        }
        for name, export in EXPORTS.items()
    ]
    counts = {
        "sources": len(archive.sources),
        "annotations": len(archive.annotations),
        "speakers": len(archive.speakers),
        "claim_types": len(archive.claim_types),
    }
    return jsontext.pieces({"version": data.VERSION, "counts": counts, "files": files})


EXPORTS: dict[str, Export] = {
    "index.json": Export(_index, "application/json", "What each file here is, and the archive's counts"),
    "annotations.jsonld.gz": Export(
        lambda archive, site: webanno.collection(archive, site, "annotations.jsonld.gz"),
        "application/ld+json",
        "Every annotated statement as a W3C Web Annotation AnnotationCollection",
        compressed=True,
    ),
    "archive.json.gz": Export(
        lambda archive, site: data.pieces(archive),
        "application/json",
        "The whole archive: sources with their text, annotations with offsets, speakers, claim types",
        compressed=True,
    ),
    "archive.schema.json": Export(
        lambda archive, site: (data.schema_text(),),
        "application/schema+json",
        "The JSON Schema (draft 2020-12) of archive.json",
    ),
    "claims.csv.gz": Export(
        tabular.claims_csv, "text/csv", "One row per statement, for spreadsheets", compressed=True
    ),
    "changes.atom": Export(
        lambda archive, site: (corrections.atom(archive, site),),
        "application/atom+xml",
        "An Atom feed of the changes and corrections to published statements, newest first",
    ),
    "sources.atom": Export(
        lambda archive, site: (feed.atom(archive, site),),
        "application/atom+xml",
        "An Atom feed of the sources, newest first",
    ),
}
"""The exports by the name of their file in ``/exports/``."""


def text(export: Export, archive: Archive, site: Site) -> str:
    """The whole text of ``export`` (uncompressed)."""
    return "".join(export.make(archive, site))


def write(export: Export, archive: Archive, site: Site, path: Path) -> None:
    """Write ``export`` into ``path`` (UTF-8, gzip-compressed if it is ``compressed``), piece by
    piece. The gzip header holds no file name and no time, so the same archive gives the same
    bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        raw = stack.enter_context(path.open("wb"))
        write = raw.write
        if export.compressed:
            gz = gzip.GzipFile(filename="", mode="wb", compresslevel=COMPRESSION, fileobj=raw, mtime=0)
            write = stack.enter_context(gz).write
        for piece in export.make(archive, site):
            write(piece.encode())
