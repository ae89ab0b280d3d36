"""The common shape of an annotation file (and of a source's front matter), read line by line
instead of composed by PyYAML.

Most annotation files are written alike: an optional ``source: id`` and an ``annotations:`` list
whose entries are ``key: value`` lines, each value plain or in double quotes (without escapes) on
its own line. :func:`read_shape` reads that shape in a fraction of the time PyYAML takes to compose
its nodes (which is most of reading an archive), and gives the lines of every entry it does not
read (nested lists such as ``rebuttals``, values over several lines, escapes, anchors), so that
only those are composed. Anything else it is not sure of (tabs, characters YAML treats specially,
document markers, other top-level keys, a list that is not one) makes it give up on the whole
file, which is then composed as a whole: what the archive reads is the same either way
(``tests/test_shape.py`` holds that, against PyYAML, for files made to be tricky). A source's
front matter is read so by :func:`read_mapping`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
"""A character this reader leaves to PyYAML: tabs, controls, YAML's other line breaks (NEL,
U+2028, U+2029), a byte-order mark, and what YAML does not allow at all."""
_ROW = re.compile(r"( *)(?:(- +)?([a-z_]+):(?:( +)([^\n]*))?|([^\n]*))\n")
"""One line: its indentation, then ``key: value`` (perhaps after a list's ``- ``) or anything else."""
_QUOTED = re.compile(r'"([^"\\]*)" *\Z')
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`~")
"""Characters that, first in a value, make it something other than plain text (``~`` is null)."""
_NULLS = frozenset(("null", "Null", "NULL"))


@dataclass(frozen=True, slots=True)
class Entry:
    """An entry of the list: where its lines are (``[start, end)``, counted from 0) and, when it
    was read, its values, the 1-based ``(line, column)`` of each, where the entry starts, and the
    annotations its ``rebuttals`` list (if any) names, each with where it is."""

    start: int
    end: int
    values: dict[str, str] | None = None
    fields: dict[str, tuple[int, int]] | None = None
    line: int = 0
    col: int = 0
    rebuttals: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Shape:
    """An annotation file of the common shape: its ``source`` (value, line, column) if given,
    where its top-level mapping starts, its entries, and its lines."""

    source: tuple[str, int, int] | None
    start: tuple[int, int]
    entries: list[Entry]
    lines: list[str]


_Row = tuple[str, str, str, str, str, str]
"""What :data:`_ROW` finds in a line."""


def read_shape(text: str) -> Shape | None:
    """``text`` read as an annotation file of the common shape; ``None`` when it is not one."""
    if _UNUSUAL.search(text):
        return None
    source: tuple[str, int, int] | None = None
    start: tuple[int, int] | None = None
    entries: list[Entry] = []
    entry: list[tuple[int, _Row]] = []
    """The lines of the entry being read, but for blank lines and comments."""
    indent = -1
    """The column of the list's ``-``: -1 before ``annotations:``, -2 just after it, -3 after the list."""
    rows: list[_Row] = _ROW.findall(text if text.endswith("\n") else text + "\n")
    for number, row in enumerate(rows):
        spaces, dash, key, gap, written, other = row
        col = len(spaces)
        if key:
            is_dash = bool(dash)
        elif not other or other[0] == "#":
            continue
        else:
            is_dash = other[0] == "-" and other[1:2] in ("", " ")
        if indent == -2:
            if not is_dash:
                return None
            indent = col
        if indent >= 0 and col > indent:
            entry.append((number, row))
            continue
        if entry:
            entries.append(_entry(entry, number))
            entry = []
        if indent >= 0 and col == indent and is_dash:
            entry.append((number, row))
            continue
        if col != 0 or is_dash or not key:
            return None
        if indent >= 0:
            indent = -3
        if start is None:
            start = (number + 1, 1)
        if key == "annotations" and indent == -1 and not written:
            indent = -2
        elif key == "source" and source is None and written:
            value = _value(written)
            if value is None:
                return None
            source = (value, number + 1, len(key) + len(gap) + 2)
        else:
            return None
    if entry:
        entries.append(_entry(entry, len(rows)))
    if not entries or start is None:
        return None
    return Shape(source, start, entries, text.split("\n"))


def _entry(rows: list[tuple[int, _Row]], end: int) -> Entry:
    """An entry from its lines: read when each is a ``key: value`` line of the entry's mapping, or
    a ``- annotation: id`` line of a list under ``rebuttals:``; else only where it is."""
    first, (spaces, dash, key, _, _, _) = rows[0]
    keys = len(spaces) + len(dash)
    odd = Entry(first, end)
    if not key:
        return odd
    values: dict[str, str] = {}
    fields: dict[str, tuple[int, int]] = {}
    rebuttals: list[tuple[str, int, int]] | None = None
    listed = -1
    """The column of the ``-`` of the ``rebuttals`` list being read, -2 before its first, -1 else."""
    for number, (spaces, dash, key, gap, written, _) in rows:
        col = len(spaces) + len(dash)
        if not key:
            return odd
        if col == keys and (not dash or number == first):
            if rebuttals == [] or key in values or key in fields:
                return odd
            listed = -1
            if key == "rebuttals" and not written:
                rebuttals, listed = [], -2
                continue
            value = _value(written)
            if value is None:
                return odd
            values[key] = value
        elif (
            listed != -1
            and dash
            and key == "annotation"
            and len(spaces) > keys
            and listed in (-2, len(spaces))
        ):
            if listed == -2:
                listed = len(spaces)
                fields["rebuttals"] = (number + 1, listed + 1)
            value = _value(written)
            if value is None or not value.strip() or rebuttals is None:
                return odd
            rebuttals.append((value, number + 1, col + len(key) + len(gap) + 2))
            continue
        else:
            return odd
        fields[key] = (number + 1, col + len(key) + len(gap) + 2)
    if rebuttals == []:
        return odd
    return Entry(first, end, values, fields, first + 1, keys + 1, tuple(rebuttals or ()))


def _value(written: str) -> str | None:
    """The text of a value written plainly or in double quotes on one line; ``None`` for any other."""
    if not written:
        return None
    if written[0] == '"':
        quoted = _QUOTED.match(written)
        return quoted[1] if quoted else None
    value = written.rstrip(" ")
    if value[0] in _INDICATORS or ": " in value or " #" in value or value[-1] == ":" or value in _NULLS:
        return None
    return value


def read_mapping(text: str, first: int) -> tuple[dict[str, tuple[str, int, int]], int] | None:
    """``text`` (whose first line is line ``first`` of its file) read as ``key: value`` lines at the
    left margin, each value plain or in double quotes on its line and not blank, with blank lines
    and comments between them: each key's value, line and column, and the line of the first key;
    ``None`` for anything else (such as a key given twice)."""
    if _UNUSUAL.search(text):
        return None
    found: dict[str, tuple[str, int, int]] = {}
    rows: list[_Row] = _ROW.findall(text if text.endswith("\n") else text + "\n")
    for number, (spaces, dash, key, gap, written, other) in enumerate(rows, first):
        if not key:
            if other and other[0] != "#":
                return None
            continue
        value = _value(written)
        if spaces or dash or key in found or value is None or not value.strip():
            return None
        found[key] = (value, number, len(key) + len(gap) + 2)
    return (found, next(iter(found.values()))[1]) if found else None
