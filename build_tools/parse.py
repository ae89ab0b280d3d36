"""One parser per kind of file. Each reads one file alone, so its result can be cached by the file's
content; checks that need other files (references, anchoring) live in :mod:`build_tools.validate`.
Which fields each mapping has, and the checks of each field alone, come from the table of fields
(:mod:`build_tools.fields`, read by :mod:`build_tools.records`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

import yaml

from build_tools import fields, records
from build_tools.model import (
    Attribution,
    ClaimType,
    ExternalRebuttal,
    InternalRebuttal,
    Link,
    Pos,
    Rebuttal,
    Role,
    Source,
    Speaker,
)
from build_tools.problems import Level, Problem
from build_tools.values import id_error
from build_tools.yamlnodes import Mapping, compose, decode, kind_of, pos_of

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass(frozen=True)
class Draft:
    """An annotation as written, before it is anchored and its references resolved."""

    id: str | None
    quote: str | None
    speakers: tuple[tuple[str, Pos], ...]
    claim_type: str | None
    pos: Pos
    fields: dict[str, tuple[int, int]]
    """The line and column of each field's value, for problems found later (see :meth:`at`)."""
    attribution: Attribution = "direct"
    prefix: str | None = None
    suffix: str | None = None
    occurrence: int | None = None
    role: str | None = None
    via: str | None = None
    summary: str | None = None
    note: str | None = None
    rebuttals: tuple[Rebuttal, ...] = ()
    tags: tuple[str, ...] = ()
    broken: bool = False
    """Whether the annotation itself has an error, so it stays out of the site."""

    def at(self, key: str) -> Pos:
        """Where the value of field ``key`` is."""
        return Pos(self.pos.path, *self.fields[key])


@dataclass(frozen=True)
class AnnotationFile:
    path: str
    source: str | None
    source_pos: Pos
    drafts: tuple[Draft, ...] = ()
    problems: tuple[Problem, ...] = ()


E = TypeVar("E", Speaker, ClaimType)


@dataclass(frozen=True, slots=True)
class Registry(Generic[E]):
    """A parsed registry file: speakers or claim types by id."""

    path: str
    entries: dict[str, E] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def _error(problems: list[Problem], pos: Pos, code: str, message: str) -> None:
    problems.append(Problem.at(pos, code, message))


def _load(data: bytes, path: str, problems: list[Problem]) -> yaml.Node | None:
    text, found = decode(data, path)
    problems.extend(found)
    return None if text is None else _compose(text, path, problems)


def _compose(text: str, path: str, problems: list[Problem]) -> yaml.Node | None:
    node, found = compose(text, path)
    problems.extend(found)
    if node is None and not found:
        _error(problems, Pos(path, 1, 1), "empty-file", "the file is empty")
    return node


def parse_source(data: bytes, path: str, stem: str) -> tuple[Source | None, list[Problem]]:
    """A source file: front matter between ``---`` lines, then the verbatim article text."""
    problems: list[Problem] = []
    error = _name_error(stem, "source file")
    if error:
        _error(problems, Pos(path), "invalid-source-name", error)
    text, found = decode(data, path)
    problems.extend(found)
    if text is None:
        return None, problems
    lines = text.split("\n")
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if not lines or lines[0].rstrip() != "---" or end is None:
        _error(
            problems,
            Pos(path),
            "front-matter",
            f"a source starts with front matter between two `---` lines: {fields.SOURCE.example}",
        )
        return None, problems
    values = _front_matter("\n".join(lines[1:end]), path, problems)
    if values is None:
        return None, problems
    body = "\n".join(lines[end + 1 :])
    if not body.strip():
        _error(
            problems, Pos(path, end + 2, 1), "empty-body", "the article text after the front matter is empty"
        )
    # A source with a bad optional field is kept (without that field), so its annotations are
    # still checked against its text.
    if not values["title"]:
        return None, problems
    return Source(id=stem, body=body, path=path, body_line=end + 2, **values), problems


def _front_matter(text: str, path: str, problems: list[Problem]) -> records.Values | None:
    """The values of a source's front matter (from line 2 of its file)."""
    node, found = compose(text, path, line_offset=1)
    problems.extend(found)
    if node is None:
        if not found:
            _error(problems, Pos(path, 2, 1), "missing-field", "the front matter is missing `title`")
        return None
    read = records.read(node, fields.SOURCE, path, problems, line_offset=1)
    return None if read is None else read[1]


def _name_error(stem: str, what: str) -> str | None:
    error = id_error(stem)
    if error is None:
        return None
    return f"the {what} name is its id, and {error}"


def parse_annotation_file(data: bytes, path: str, stem: str) -> AnnotationFile:
    """An annotation file: an optional ``source`` and a list of ``annotations``."""
    text, problems = decode(data, path)
    node = None if text is None else _compose(text, path, problems)
    read = None if node is None else records.read(node, fields.ANNOTATION_FILE, path, problems)
    if read is None:
        return AnnotationFile(path, None, Pos(path), problems=tuple(problems))
    m, values = read
    source = values["source"]
    if source is None:
        error = _name_error(stem, "annotation file")
        if error:
            _error(problems, Pos(path), "invalid-id", error)
        source = stem
    drafts = tuple(_draft(item, path, problems) for item in values["annotations"])
    return AnnotationFile(path, source, m.pos("source"), drafts, tuple(problems))


def _draft(node: yaml.Node, path: str, problems: list[Problem]) -> Draft:
    before = len(problems)
    read = records.read(node, fields.ANNOTATION, path, problems)
    if read is None:
        return Draft(None, None, (), None, pos_of(node, path), {}, broken=True)
    m, values = read
    values["rebuttals"] = tuple(r for item in values["rebuttals"] if (r := _rebuttal(item, path, problems)))
    return Draft(
        **values,
        pos=pos_of(node, path),
        fields={key: m.line_col(key) for key in m.fields},
        broken=any(p.level is Level.ERROR for p in problems[before:]),
    )


def _rebuttal(node: yaml.Node, path: str, problems: list[Problem]) -> Rebuttal | None:
    """A rebuttal: another annotation when it names one (``annotation:``), else outside evidence."""
    where = pos_of(node, path)
    if isinstance(node, yaml.ScalarNode):
        _error(
            problems,
            where,
            "wrong-type",
            f"a rebuttal is a mapping, not {kind_of(node)}; write `- annotation: {node.value}` for an "
            "annotation in the archive, or `- title: ...` with `url:` or `citation:` for outside evidence",
        )
        return None
    internal = isinstance(node, yaml.MappingNode) and any(k.value == "annotation" for k, _ in node.value)
    record = fields.INTERNAL_REBUTTAL if internal else fields.EXTERNAL_REBUTTAL
    read = records.read(node, record, path, problems)
    if read is None:
        return None
    m, values = read
    if internal:
        return InternalRebuttal(**values, pos=m.pos("annotation")) if values["annotation"] else None
    if "url" not in m.fields and values["citation"] is None:
        _error(
            problems,
            where,
            "rebuttal-no-reference",
            "outside evidence needs a `url`, or a `citation` (title, publisher, date, document number) "
            "when there is no stable address",
        )
    if values["title"] is None or (values["url"] is None and values["citation"] is None):
        return None
    return ExternalRebuttal(**values, pos=where)


def parse_speakers(data: bytes, path: str) -> Registry[Speaker]:
    """``speakers.yaml``: a mapping from speaker id to the speaker's details."""
    problems: list[Problem] = []
    entries: dict[str, Speaker] = {}
    for key, where, values in _registry(data, path, problems, fields.SPEAKER):
        values["roles"] = tuple(_roles(values["roles"], path, problems))
        values["links"] = tuple(
            Link(**link)
            for item in values["links"]
            if (link := _entry(item, fields.LINK, path, problems)) and link["url"] and link["title"]
        )
        if values["name"]:
            entries[key] = Speaker(id=key, pos=where, **values)
    return Registry(path, entries, tuple(problems))


def _roles(items: list[yaml.Node], path: str, problems: list[Problem]) -> Iterator[Role]:
    for item in items:
        read = records.read(item, fields.ROLE, path, problems)
        if read is None or not read[1]["title"]:
            continue
        m, values = read
        start, end = values["start"], values["end"]
        if start and end and end[: len(start)] < start[: len(end)]:
            _error(problems, m.pos("to"), "bad-date", f"the role ends ({end}) before it starts ({start})")
        yield Role(**values)


def _entry(node: yaml.Node, record: fields.Record, path: str, problems: list[Problem]) -> records.Values:
    """The values of ``node`` read as ``record`` (none when it is not a mapping)."""
    read = records.read(node, record, path, problems)
    return {} if read is None else read[1]


def parse_claim_types(data: bytes, path: str) -> Registry[ClaimType]:
    """``claim_types.yaml``: a mapping from claim-type id to its label and definition."""
    problems: list[Problem] = []
    entries: dict[str, ClaimType] = {}
    for key, where, values in _registry(data, path, problems, fields.CLAIM_TYPE):
        if values["label"] and values["definition"]:
            entries[key] = ClaimType(id=key, pos=where, **values)
    return Registry(path, entries, tuple(problems))


def _registry(
    data: bytes, path: str, problems: list[Problem], record: fields.Record
) -> list[tuple[str, Pos, records.Values]]:
    """Each entry of a registry: its id, where the id is, and its values read as ``record``."""
    node = _load(data, path, problems)
    if node is None:
        return []
    top = Mapping.read(node, path, problems, what=f"the {record.what[2:]} registry", allowed=_AnyKey())
    if top is None:
        return []
    found = []
    for key, (key_node, value_node) in top.fields.items():
        where = pos_of(key_node, path)
        error = id_error(key)
        if error:
            _error(problems, where, "invalid-id", error)
            continue
        read = records.read(value_node, record, path, problems, what=f"{record.what[2:]} `{key}`")
        if read is not None:
            found.append((key, where, read[1]))
    return found


class _AnyKey(tuple[str, ...]):
    """An ``allowed`` list that admits every key (a registry's keys are ids, checked separately)."""

    def __contains__(self, key: object) -> bool:
        return True
