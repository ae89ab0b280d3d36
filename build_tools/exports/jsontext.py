"""The JSON text of a large document, made without holding the document whole as Python objects
(which take several times the memory of their text: 0.7 GB for 150,000 Web Annotations)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator


@dataclass(frozen=True)
class Items:
    """A list in a :func:`document`, whose items are made and turned into text one at a time."""

    items: Iterable[object]


BATCH = 256
"""Items of an :class:`Items` list made and turned into text together, by one call of the encoder
(a call per item took a third of the time of a large export)."""


def compact(value: object) -> str:
    """``value`` as JSON without spaces, non-ASCII characters kept as they are: the text of
    ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, made by orjson four to six
    times as fast (the large exports take half the time). Text from the archive's files is UTF-8
    without lone surrogates (YAML rejects their escapes), which orjson, unlike ``json``, refuses."""
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
        items = iter(value.items)
        separator = "["
        while batch := list(islice(items, BATCH)):
            yield separator + compact(batch)[1:-1]
            separator = ","
        yield "]" if separator == "," else "[]"
    elif isinstance(value, dict):
        yield "{"
        for number, (key, item) in enumerate(value.items()):
            yield f"{',' if number else ''}{compact(key)}:"
            yield from _pieces(item)
        yield "}"
    else:
        yield compact(value)
