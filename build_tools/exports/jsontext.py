"""The JSON text of a large document, made without holding the document whole as Python objects
(which take several times the memory of their text: 0.7 GB for 150,000 Web Annotations)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence


@dataclass(frozen=True)
class Items:
    """A list in a :func:`document`: ``make`` of each of ``objects``, made and turned into text a
    few at a time."""

    objects: Sequence[Any]
    make: Callable[[Any], object] = lambda item: item


BATCH = 256
"""Items of an :class:`Items` list made and turned into text together, by one call of the encoder
(a call per item took a third of the time of a large export)."""


def compact(value: object) -> str:
    """``value`` as JSON without spaces, non-ASCII characters kept as they are: the text of
    ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, made by orjson four to six
    times as fast. Text from the archive's files is UTF-8 without lone surrogates (YAML rejects
    their escapes), which orjson, unlike ``json``, refuses."""
    return orjson.dumps(value).decode()


def document(data: object) -> str:
    """``data``'s compact JSON text and a final newline, as :func:`compact` writes it, where
    :class:`Items` values of its mappings stand for lists."""
    return "".join(pieces(data))


def pieces(data: object) -> Iterator[str]:
    """:func:`document`'s text in pieces, the items of an :class:`Items` list made and turned into
    text :data:`BATCH` at a time, each batch only when the pieces before it have been taken
    (written out, say)."""
    yield from _pieces(data)
    yield "\n"


def _pieces(value: object) -> Iterator[str]:
    if isinstance(value, Items):
        yield "["
        objects = value.objects
        for start in range(0, len(objects), BATCH):
            batch = [value.make(item) for item in objects[start : start + BATCH]]
            yield ("," if start else "") + compact(batch)[1:-1]
        yield "]"
    elif isinstance(value, dict):
        yield "{"
        for number, (key, item) in enumerate(value.items()):
            yield f"{',' if number else ''}{compact(key)}:"
            yield from _pieces(item)
        yield "}"
    else:
        yield compact(value)
