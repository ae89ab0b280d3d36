"""One parser per kind of file. Each reads one file alone, so its result can be cached by the file's
content; checks that need other files (references, anchoring) live in :mod:`build_tools.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar, cast, get_args

import yaml

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
    SpeakerKind,
)
from build_tools.problems import Level, Problem
from build_tools.values import date_error, id_error, url_error
from build_tools.yamlnodes import Mapping, compose, decode, kind_of, pos_of

if TYPE_CHECKING:
    from collections.abc import Sequence

SOURCE_FIELDS = ("title", "outlet", "date", "url", "archived_url", "author", "dateline", "language")
FILE_FIELDS = ("source", "annotations")
ANNOTATION_FIELDS = (
    "id",
    "quote",
    "prefix",
    "suffix",
    "occurrence",
    "speaker",
    "role",
    "claim_type",
    "attribution",
    "via",
    "summary",
    "note",
    "rebuttals",
    "tags",
)
REBUTTAL_FIELDS = ("annotation", "title", "url", "citation", "publisher", "date")
SPEAKER_FIELDS = ("name", "native_name", "kind", "affiliation", "roles", "description", "links")
ROLE_FIELDS = ("title", "from", "to")
LINK_FIELDS = ("url", "title")
CLAIM_TYPE_FIELDS = ("label", "category", "definition", "reference")
ATTRIBUTIONS: tuple[str, ...] = get_args(Attribution)
KINDS: tuple[str, ...] = get_args(SpeakerKind)

SOURCE_EXAMPLE = "a line `---`, then `title: The headline`, then `---`, then the article text"
ANNOTATION_EXAMPLE = (
    "`annotations:`, then entries like `- id: hua-no-different` with quote, speaker, claim_type"
)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


def _check(problems: list[Problem], pos: Pos, code: str, error: str | None) -> bool:
    if error:
        _error(problems, pos, code, error)
    return error is None


def _date(m: Mapping, key: str) -> str | None:
    value = m.text(key)
    return value if value is None or _check(m.problems, m.pos(key), "bad-date", date_error(value)) else None


def _url(m: Mapping, key: str) -> str | None:
    value = m.text(key)
    return value if value is None or _check(m.problems, m.pos(key), "bad-url", url_error(value)) else None


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
    _check(problems, Pos(path), "invalid-source-name", _name_error(stem, "source file"))
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
            f"a source starts with front matter between two `---` lines: {SOURCE_EXAMPLE}",
        )
        return None, problems
    m = _front_matter("\n".join(lines[1:end]), path, problems)
    if m is None:
        return None, problems
    body = "\n".join(lines[end + 1 :])
    if not body.strip():
        _error(
            problems, Pos(path, end + 2, 1), "empty-body", "the article text after the front matter is empty"
        )
    language = m.text("language") or "en"
    if not language.replace("-", "").isalnum():
        _error(
            problems, m.pos("language"), "bad-language", f"`{language}` is not a language tag such as `en`"
        )
    source = Source(
        id=stem,
        title=m.text("title", required=True) or "",
        body=body,
        path=path,
        body_line=end + 2,
        outlet=m.text("outlet"),
        date=_date(m, "date"),
        url=_url(m, "url"),
        archived_url=_url(m, "archived_url"),
        author=m.text("author"),
        dateline=m.text("dateline"),
        language=language,
    )
    # A source with a bad optional field is kept (without that field), so its annotations are
    # still checked against its text.
    return (source if source.title else None), problems


def _front_matter(text: str, path: str, problems: list[Problem]) -> Mapping | None:
    """A source's front matter (from line 2 of its file)."""
    node, found = compose(text, path, line_offset=1)
    problems.extend(found)
    if node is None:
        if not found:
            _error(problems, Pos(path, 2, 1), "missing-field", "the front matter is missing `title`")
        return None
    return Mapping.read(
        node,
        path,
        problems,
        what="the front matter",
        allowed=SOURCE_FIELDS,
        required=("title",),
        example=SOURCE_EXAMPLE,
        line_offset=1,
    )


def _name_error(stem: str, what: str) -> str | None:
    error = id_error(stem)
    if error is None:
        return None
    return f"the {what} name is its id, and {error}"


def parse_annotation_file(data: bytes, path: str, stem: str) -> AnnotationFile:
    """An annotation file: an optional ``source`` and a list of ``annotations``."""
    text, problems = decode(data, path)
    node = None if text is None else _compose(text, path, problems)
    m = None
    if node is not None:
        m = Mapping.read(
            node,
            path,
            problems,
            what="an annotation file",
            allowed=FILE_FIELDS,
            required=("annotations",),
            example=ANNOTATION_EXAMPLE,
        )
    if m is None:
        return AnnotationFile(path, None, Pos(path), problems=tuple(problems))
    source_pos = m.pos("source")
    source = _source_id(m.text("source"), source_pos, stem, problems)
    drafts = tuple(_draft(item, path, problems) for item in m.items("annotations"))
    return AnnotationFile(path, source, source_pos, drafts, tuple(problems))


def _source_id(source: str | None, where: Pos, stem: str, problems: list[Problem]) -> str:
    """The id of the source a file annotates: its ``source`` (at ``where``), else its name; either
    is checked as an id."""
    if source is None:
        _check(problems, Pos(where.path), "invalid-id", _name_error(stem, "annotation file"))
        return stem
    _check(problems, where, "invalid-id", id_error(source))
    return source


def _draft(node: yaml.Node, path: str, problems: list[Problem]) -> Draft:
    before = len(problems)
    m = Mapping.read(
        node,
        path,
        problems,
        what="an annotation",
        allowed=ANNOTATION_FIELDS,
        required=("id", "quote", "speaker", "claim_type"),
        example=ANNOTATION_EXAMPLE,
    )
    if m is None:
        return Draft(None, None, (), None, pos_of(node, path), {}, broken=True)
    ann_id = m.text("id", required=True)
    if ann_id is not None:
        _check(problems, m.pos("id"), "invalid-id", id_error(ann_id))
    quote = m.text("quote")
    if "quote" in m.fields and (quote is None or not quote.strip()):
        _error(
            problems,
            m.pos("quote"),
            "empty-quote",
            "`quote` is empty; copy the statement's words from the article",
        )
        quote = None
    attribution = m.text("attribution") or "direct"
    if attribution not in ATTRIBUTIONS:
        _error(
            problems,
            m.pos("attribution"),
            "invalid-value",
            f"`attribution` is `{attribution}`; use one of: {', '.join(ATTRIBUTIONS)}",
        )
        attribution = "direct"
    occurrence = m.integer("occurrence")
    if occurrence is not None and occurrence < 1:
        _error(
            problems, m.pos("occurrence"), "bad-occurrence", "`occurrence` counts from 1 (the first match)"
        )
        occurrence = None
    speakers = tuple(m.texts("speaker", allow_single=True))
    if "speaker" in m.fields and not speakers:
        _error(problems, m.pos("speaker"), "wrong-type", "`speaker` must not be empty: give a speaker id")
    tags = []
    for tag, where in m.texts("tags", allow_single=True):
        if _check(problems, where, "invalid-tag", id_error(tag, "tag")):
            tags.append(tag)
    return Draft(
        id=ann_id,
        quote=quote,
        speakers=speakers,
        claim_type=m.text("claim_type", required=True),
        pos=pos_of(node, path),
        fields={key: m.line_col(key) for key in m.fields},
        attribution=cast("Attribution", attribution),
        prefix=m.text("prefix"),
        suffix=m.text("suffix"),
        occurrence=occurrence,
        role=m.text("role"),
        via=m.text("via"),
        summary=m.text("summary"),
        note=m.text("note"),
        rebuttals=tuple(r for item in m.items("rebuttals") if (r := _rebuttal(item, path, problems))),
        tags=tuple(tags),
        broken=any(p.level is Level.ERROR for p in problems[before:]),
    )


def _rebuttal(node: yaml.Node, path: str, problems: list[Problem]) -> Rebuttal | None:
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
    allowed: Sequence[str] = ("annotation",) if internal else REBUTTAL_FIELDS[1:]
    m = Mapping.read(node, path, problems, what="a rebuttal", allowed=allowed)
    if m is None:
        return None
    if internal:
        target = m.text("annotation", required=True)
        return InternalRebuttal(target, m.pos("annotation")) if target else None
    title = m.text("title")
    url = _url(m, "url")
    citation = m.text("citation")
    if title is None:
        _error(problems, where, "rebuttal-no-title", "outside evidence needs a `title` naming the document")
    if "url" not in m.fields and citation is None:
        _error(
            problems,
            where,
            "rebuttal-no-reference",
            "outside evidence needs a `url`, or a `citation` (title, publisher, date, document number) "
            "when there is no stable address",
        )
    if title is None or (url is None and citation is None):
        return None
    return ExternalRebuttal(title, url, citation, m.text("publisher"), _date(m, "date"), where)


def parse_speakers(data: bytes, path: str) -> Registry[Speaker]:
    """``speakers.yaml``: a mapping from speaker id to the speaker's details."""
    problems: list[Problem] = []
    entries: dict[str, Speaker] = {}
    for key, where, m in _registry(data, path, problems, "speaker", SPEAKER_FIELDS, ("name",)):
        kind = m.text("kind") or "person"
        if kind not in KINDS:
            _error(
                problems,
                m.pos("kind"),
                "invalid-value",
                f"`kind` is `{kind}`; use one of: {', '.join(KINDS)}",
            )
            kind = "person"
        roles = []
        for item in m.items("roles"):
            r = Mapping.read(item, path, problems, what="a role", allowed=ROLE_FIELDS, required=("title",))
            if r and (title := r.text("title", required=True)):
                start, end = _date(r, "from"), _date(r, "to")
                if start and end and end[: len(start)] < start[: len(end)]:
                    _error(
                        problems, r.pos("to"), "bad-date", f"the role ends ({end}) before it starts ({start})"
                    )
                roles.append(Role(title, start, end))
        links = []
        for item in m.items("links"):
            link = Mapping.read(
                item, path, problems, what="a link", allowed=LINK_FIELDS, required=LINK_FIELDS
            )
            if link and (url := _url(link, "url")) and (title := link.text("title", required=True)):
                links.append(Link(url, title))
        name = m.text("name", required=True)
        if name:
            entries[key] = Speaker(
                id=key,
                name=name,
                kind=cast("SpeakerKind", kind),
                native_name=m.text("native_name"),
                affiliation=m.text("affiliation"),
                roles=tuple(roles),
                description=m.text("description"),
                links=tuple(links),
                pos=where,
            )
    return Registry(path, entries, tuple(problems))


def parse_claim_types(data: bytes, path: str) -> Registry[ClaimType]:
    """``claim_types.yaml``: a mapping from claim-type id to its label and definition."""
    problems: list[Problem] = []
    entries: dict[str, ClaimType] = {}
    for key, where, m in _registry(
        data, path, problems, "claim type", CLAIM_TYPE_FIELDS, ("label", "definition")
    ):
        label, definition = m.text("label", required=True), m.text("definition", required=True)
        if label and definition:
            entries[key] = ClaimType(key, label, definition, m.text("category"), m.text("reference"), where)
    return Registry(path, entries, tuple(problems))


def _registry(
    data: bytes,
    path: str,
    problems: list[Problem],
    what: str,
    allowed: Sequence[str],
    required: Sequence[str],
) -> list[tuple[str, Pos, Mapping]]:
    node = _load(data, path, problems)
    if node is None:
        return []
    top = Mapping.read(node, path, problems, what=f"the {what} registry", allowed=_AnyKey())
    if top is None:
        return []
    found = []
    for key, (key_node, value_node) in top.fields.items():
        where = pos_of(key_node, path)
        if not _check(problems, where, "invalid-id", id_error(key)):
            continue
        m = Mapping.read(
            value_node, path, problems, what=f"{what} `{key}`", allowed=allowed, required=required
        )
        if m is not None:
            found.append((key, where, m))
    return found


class _AnyKey(tuple[str, ...]):
    """An ``allowed`` list that admits every key (a registry's keys are ids, checked separately)."""

    def __contains__(self, key: object) -> bool:
        return True
