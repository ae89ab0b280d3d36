"""Machine-readable copies of the archive, published under ``/exports/``.

Each export is a pure function of the archive and the site's address, so the same core can feed
another site engine; :data:`EXPORTS` maps file names to them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

from build_tools.exports import data, feed, tabular, webanno
from build_tools.exports.jsontext import WHOLE, Part

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from pathlib import Path

    from build_tools.exports.links import Site
    from build_tools.model import Archive


@dataclass(frozen=True)
class Export:
    """An export: ``make(archive, site, part)`` gives its text, or that ``part`` of it, in pieces
    (a large one is made as its pieces are taken, so that writing it out never holds it whole). A
    ``parted`` export can be made in several parts, each with a share of the annotations (see
    :func:`parts`), by two processes at once."""

    make: Callable[[Archive, Site, Part], Iterable[str]]
    parted: bool = False


EXPORTS: dict[str, Export] = {
    "claims.csv": Export(tabular.claims_csv, parted=True),
    "annotations.jsonld": Export(webanno.collection, parted=True),
    "archive.json": Export(lambda archive, site, part: data.pieces(archive, part), parted=True),
    "sources.atom": Export(lambda archive, site, part: (feed.atom(archive, site),)),
    "archive.schema.json": Export(lambda archive, site, part: (data.schema_text(),)),
}
"""The exports by name, the longest to make first (at 10,000 articles about 2 s, 1-2 s, 1 s, then
moments): ``mkdocs build`` has two processes take their parts in this order, so that what
is left when MkDocs has written its last page is short."""

PART_SIZE = 25_000
"""Annotations in a part of a parted export (at most a few tenths of a second's work)."""


def parts(export: Export, archive: Archive) -> list[Part]:
    """The parts to make ``export`` of ``archive`` in."""
    count = max(1, -(-len(archive.annotations) // PART_SIZE)) if export.parted else 1
    return [Part(number, count) for number in range(count)]


def text(export: Export, archive: Archive, site: Site) -> str:
    """The whole text of ``export``."""
    return "".join(export.make(archive, site, WHOLE))


def write(export: Export, archive: Archive, site: Site, path: Path) -> None:
    """Write ``export`` into ``path`` (UTF-8), piece by piece."""
    for _ in writing(export, archive, site, path):
        pass


def writing(export: Export, archive: Archive, site: Site, path: Path, part: Part = WHOLE) -> Iterator[None]:
    """Write ``export``, or that ``part`` of it, into ``path`` (UTF-8), pausing after each piece."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for piece in export.make(archive, site, part):
            out.write(piece.encode())
            yield


def join(path: Path, parts: Sequence[Path]) -> None:
    """Put the files ``parts`` together, in order, into ``path``, and remove them."""
    with path.open("wb") as out:
        for part in parts:
            with part.open("rb") as written:
                shutil.copyfileobj(written, out, _COPIED)
            part.unlink()


_COPIED = 1 << 22
"""Bytes copied at a time by :func:`join`."""
