"""The JSON text of a large document, made without holding the document whole as Python objects
(which take several times the memory of their text: 0.7 GB for 150,000 Web Annotations)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence


@dataclass(frozen=True)
class Part:
    """The ``number``-th (from 0) of ``count`` parts of a large export's text, which put together
    in order make the whole: the items of its list that is parted (see :class:`Items`, and
    ``tabular.claims_csv``) are shared out in order, the first part having everything before them
    and the last everything after. Two processes can so make one export at once."""

    number: int = 0
    count: int = 1

    @property
    def first(self) -> bool:
        return self.number == 0

    @property
    def last(self) -> bool:
        return self.number == self.count - 1

    def share(self, total: int) -> range:
        """This part's share of ``total`` items."""
        return range(total * self.number // self.count, total * (self.number + 1) // self.count)


WHOLE = Part()
"""The whole text, in one part."""


@dataclass(frozen=True)
class Items:
    """A list in a :func:`document`: ``make`` of each of ``objects``, made and turned into text a
    few at a time. A document's list that is ``parted`` is the one its parts share out."""

    objects: Sequence[Any]
    make: Callable[[Any], object] = lambda item: item
    parted: bool = False


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


def pieces(data: object, part: Part = WHOLE) -> Iterator[str]:
    """:func:`document`'s text (or ``part`` of it) in pieces, the items of an :class:`Items` list
    made and turned into text :data:`BATCH` at a time, each batch only when the pieces before it
    have been taken (written out, say)."""
    yield from _pieces(data, part, [part.first])
    if part.last:
        yield "\n"


def _pieces(value: object, part: Part, here: list[bool]) -> Iterator[str]:
    """The pieces of ``value`` in ``part``: ``here[0]`` says whether the text being made belongs to
    it (before the parted list, to the first part; after it, to the last)."""
    if isinstance(value, Items):
        if value.parted:
            yield from _items(value, part.share(len(value.objects)), opened=part.first, closed=part.last)
            here[0] = part.last
        elif here[0]:
            yield from _items(value, range(len(value.objects)), opened=True, closed=True)
    elif isinstance(value, dict):
        if here[0]:
            yield "{"
        for number, (key, item) in enumerate(value.items()):
            if here[0]:
                yield f"{',' if number else ''}{compact(key)}:"
            yield from _pieces(item, part, here)
        if here[0]:
            yield "}"
    elif here[0]:
        yield compact(value)


def _items(items: Items, share: range, *, opened: bool, closed: bool) -> Iterator[str]:
    if opened:
        yield "["
    for start in range(share.start, share.stop, BATCH):
        batch = [items.make(item) for item in items.objects[start : min(start + BATCH, share.stop)]]
        yield ("," if start else "") + compact(batch)[1:-1]
    if closed:
        yield "]"
