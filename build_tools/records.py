"""Reading a mapping of a file format by its :class:`~build_tools.fields.Record`: the checks of
unknown, missing, empty and wrongly typed fields, of allowed values and of single values (ids,
dates, addresses) all come from the table of fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from build_tools.fields import RECORDS
from build_tools.problems import Problem
from build_tools.values import date_error, did_you_mean, id_error, url_error
from build_tools.yamlnodes import Mapping

if TYPE_CHECKING:
    from collections.abc import Callable

    import yaml

    from build_tools.fields import Field, Record
    from build_tools.model import Pos

Values = dict[str, Any]
"""A record's values by the model's names: text, a tuple of ``(text, Pos)`` for ``ids``, a tuple
of text for ``tags``, an int, or the nodes of a ``list``'s entries; absent optional values are
``None`` (or the field's default)."""


def read(
    node: yaml.Node,
    record: Record,
    path: str,
    problems: list[Problem],
    *,
    what: str | None = None,
    line_offset: int = 0,
) -> tuple[Mapping, Values] | None:
    """``node`` read as ``record`` (named ``what`` in messages when not ``record.what``): its
    mapping, for positions, and its values; ``None`` when it is not a mapping."""
    plan = _PLANS[record.name]
    m = Mapping.read(
        node,
        path,
        problems,
        what=what or record.what,
        allowed=plan.names,
        required=plan.required,
        example=record.example,
        line_offset=line_offset,
    )
    if m is None:
        return None
    values: Values = {}
    given = m.fields
    for f, key, reader, absent in plan.fields:
        if f.missing is not None and m.node_of(f.name) is None:
            problems.append(Problem.at(m.pos(f.name), *f.missing))
        # An absent field has nothing to check: it takes its default (or none) at once.
        values[key] = reader(m, f) if f.name in given else absent
    return m, values


@dataclass(frozen=True, slots=True)
class _Plan:
    """What reading a record needs, worked out once: its fields' names, those whose absence is
    reported as ``missing-field``, and each field with its model name, its reader and its value
    when absent."""

    names: tuple[str, ...]
    required: tuple[str, ...]
    fields: tuple[tuple[Field, str, Callable[[Mapping, Field], Any], Any], ...]


def _plan(record: Record) -> _Plan:
    return _Plan(
        record.names,
        tuple(f.name for f in record.fields if f.required and f.missing is None),
        tuple((f, f.key, _READERS[f.kind], _ABSENT.get(f.kind, f.default)) for f in record.fields),
    )


def _text(m: Mapping, f: Field) -> str | None:
    if f.blank is None:
        return m.text(f.name, required=f.required and f.missing is None)
    value = m.text(f.name)
    if f.name in m.fields and (value is None or not value.strip()):
        m.problems.append(Problem.at(m.pos(f.name), *f.blank))
        return None
    return value


def _checked(
    code: str, error: Callable[[str], str | None], *, keep: bool = False
) -> Callable[[Mapping, Field], str | None]:
    """A reader of text that ``error`` says is wrong (reported as ``code``, and dropped unless
    ``keep``) or right."""

    def reader(m: Mapping, f: Field) -> str | None:
        value = _text(m, f)
        message = None if value is None else error(value)
        if message:
            m.problems.append(Problem.at(m.pos(f.name), code, message))
            return value if keep else None
        return value

    return reader


def _ids(m: Mapping, f: Field) -> tuple[tuple[str, Pos], ...]:
    found = tuple(m.texts(f.name, allow_single=True))
    if f.name in m.fields and not found:
        message = f"`{f.name}` must not be empty: give a {f.name} id"
        m.problems.append(Problem.at(m.pos(f.name), "wrong-type", message))
    return found


def _tags(m: Mapping, f: Field) -> tuple[str, ...]:
    tags = []
    for tag, where in m.texts(f.name, allow_single=True):
        error = id_error(tag, "tag")
        if error:
            m.problems.append(Problem.at(where, "invalid-tag", error))
        else:
            tags.append(tag)
    return tuple(tags)


def _integer(m: Mapping, f: Field) -> int | None:
    value = m.integer(f.name)
    if value is not None and value < 1:
        message = f"`{f.name}` counts from 1 (the first match)"
        m.problems.append(Problem.at(m.pos(f.name), "bad-occurrence", message))
        return None
    return value


def _choice(m: Mapping, f: Field) -> str | None:
    value = m.text(f.name)
    if value is None:
        return f.default
    if value not in f.allowed:
        message = (
            f"`{f.name}` is `{value}`{did_you_mean(value, f.allowed)}; use one of: {', '.join(f.allowed)}"
        )
        m.problems.append(Problem.at(m.pos(f.name), "invalid-value", message))
        return f.default
    return value


def _language(m: Mapping, f: Field) -> str | None:
    value = m.text(f.name) or f.default
    if value is not None and not value.replace("-", "").isalnum():
        message = f"`{value}` is not a language tag such as `{f.default}`"
        m.problems.append(Problem.at(m.pos(f.name), "bad-language", message))
    return value


def _items(m: Mapping, f: Field) -> list[yaml.Node]:
    return m.items(f.name)


_ABSENT: dict[str, Any] = {"ids": (), "tags": (), "list": ()}
"""The value of an absent field of these kinds (of the others: its default, or ``None``)."""
_READERS: dict[str, Callable[[Mapping, Field], Any]] = {
    "text": _text,
    "ref": _text,
    # A wrong id is still an id: an annotation's, for the checks across files; a file's source's,
    # to say that there is no such source.
    "id": _checked("invalid-id", id_error, keep=True),
    "ids": _ids,
    "tags": _tags,
    "date": _checked("bad-date", date_error),
    "url": _checked("bad-url", url_error),
    "integer": _integer,
    "choice": _choice,
    "language": _language,
    "list": _items,
}
_PLANS = {record.name: _plan(record) for record in RECORDS}
