"""Split a source's text into paragraphs of segments, each carrying every annotation covering it.

Spans may nest and overlap, so one stretch of text can belong to several statements. Cutting the
text at every span boundary (and every paragraph boundary) gives segments whose set of covering
annotations is constant; a single sweep does it in O(n log n) for n boundaries.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable

    from build_tools.model import Annotation


class Segment(NamedTuple):
    """``text[start:end]``, covered by ``annotations`` (innermost, i.e. shortest, first)."""

    start: int
    end: int
    annotations: tuple[Annotation, ...]


def innermost_first(annotation: Annotation) -> tuple[int, int, str]:
    """Sort key putting the shortest (innermost) span first; ties go to the later start, then id."""
    return (annotation.end - annotation.start, -annotation.start, annotation.id)


def split(paragraphs: Iterable[tuple[int, int]], annotations: Iterable[Annotation]) -> list[list[Segment]]:
    """The segments of each paragraph, in text order; text outside paragraphs is dropped."""
    paras = list(paragraphs)
    opening: dict[int, list[Annotation]] = {}
    closing: dict[int, list[Annotation]] = {}
    for annotation in annotations:
        if annotation.end > annotation.start:
            opening.setdefault(annotation.start, []).append(annotation)
            closing.setdefault(annotation.end, []).append(annotation)
    points = sorted({*opening, *closing, *(p for para in paras for p in para)})
    result: list[list[Segment]] = [[] for _ in paras]
    active: dict[str, Annotation] = {}
    covering: tuple[Annotation, ...] = ()
    index = 0
    for here, there in pairwise(points):
        changed = False
        for annotation in closing.get(here, ()):
            del active[annotation.id]
            changed = True
        for annotation in opening.get(here, ()):
            active[annotation.id] = annotation
            changed = True
        if changed:
            covering = tuple(sorted(active.values(), key=innermost_first))
        while index < len(paras) and paras[index][1] <= here:
            index += 1
        if index < len(paras) and paras[index][0] <= here:
            result[index].append(Segment(here, there, covering))
    return result
