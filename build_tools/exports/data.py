"""``archive.json``: the whole model as one JSON document, its JSON Schema, and the way back.

Offsets (``start``, ``end``) are code points into each source's ``text``, as in the model.
"""

from __future__ import annotations

import json
from functools import partial
from typing import TYPE_CHECKING, Any

from build_tools import fields
from build_tools.exports import corrections, jsontext
from build_tools.model import (
    Annotation,
    Archive,
    ClaimType,
    ExternalRebuttal,
    InternalRebuttal,
    Link,
    Rebuttal,
    Role,
    Source,
    Speaker,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

VERSION = 1
Json = dict[str, Any]


def _clean(data: Json) -> Json:
    """``data`` without empty optional values, so the file stays small and diffs stay quiet."""
    return {k: v for k, v in data.items() if v not in (None, [], ())}


def _rebuttal(rebuttal: Rebuttal) -> Json:
    if isinstance(rebuttal, InternalRebuttal):
        return {"annotation": rebuttal.annotation, "relation": rebuttal.relation}
    return _clean(
        {
            "title": rebuttal.title,
            "url": rebuttal.url,
            "citation": rebuttal.citation,
            "publisher": rebuttal.publisher,
            "date": rebuttal.date,
            "relation": rebuttal.relation,
        }
    )


def _source(s: Source) -> Json:
    return _clean(
        {
            "id": s.id,
            "title": s.title,
            "outlet": s.outlet,
            "date": s.date,
            "date_note": s.date_note,
            "url": s.url,
            "archived_url": s.archived_url,
            "author": s.author,
            "dateline": s.dateline,
            "language": s.language,
            "text": s.body,
        }
    )


def _annotation(a: Annotation, archive: Archive | None = None) -> Json:
    """One statement; with ``archive``, its history too, where the archive carries one."""
    history = corrections.events(archive, a.id) if archive is not None else []
    return _clean(
        {
            "id": a.id,
            "source": a.source,
            "quote": a.quote,
            "start": a.start,
            "end": a.end,
            "speakers": list(a.speakers),
            "claim_type": a.claim_type,
            "attribution": a.attribution,
            "role": a.role,
            "via": a.via,
            "summary": a.summary,
            "note": a.note,
            "tags": list(a.tags),
            "rebuttals": [_rebuttal(r) for r in a.rebuttals],
            "history": history,
        }
    )


def to_data(archive: Archive) -> Json:
    """The archive as plain JSON-ready data, every list sorted by id."""
    sources = [_source(s) for s in archive.sources.values()]
    return _data(archive, sources, [_annotation(a, archive) for a in archive.annotations.values()])


def _data(archive: Archive, sources: object, annotations: object) -> Json:
    """The document around ``sources`` and ``annotations``."""
    return {
        "version": VERSION,
        "sources": sources,
        "annotations": annotations,
        "speakers": [
            _clean(
                {
                    "id": s.id,
                    "name": s.name,
                    "native_name": s.native_name,
                    "kind": s.kind,
                    "affiliation": s.affiliation,
                    "roles": [_clean({"title": r.title, "from": r.start, "to": r.end}) for r in s.roles],
                    "description": s.description,
                    "links": [{"url": link.url, "title": link.title} for link in s.links],
                }
            )
            for s in archive.speakers.values()
        ],
        "claim_types": [
            _clean(
                {
                    "id": c.id,
                    "label": c.label,
                    "category": c.category,
                    "definition": c.definition,
                    "reference": c.reference,
                }
            )
            for c in archive.claim_types.values()
        ],
        "rebuttal_edges": [
            {"rebutted": a.id, "by": r.annotation, "relation": r.relation}
            for a in archive.annotations.values()
            for r in a.rebuttals
            if isinstance(r, InternalRebuttal)
        ],
    }


def dump(archive: Archive) -> str:
    """``archive.json``'s text."""
    return "".join(pieces(archive))


def pieces(archive: Archive) -> Iterator[str]:
    """``archive.json``'s text in pieces (the sources and the annotations made and turned into
    text a few at a time, as the pieces are taken)."""
    sources = jsontext.Items(list(archive.sources.values()), _source)
    annotations = jsontext.Items(list(archive.annotations.values()), partial(_annotation, archive=archive))
    return jsontext.pieces(_data(archive, sources, annotations))


def load(text: str) -> Archive:
    """The archive back from ``archive.json`` (positions in the original files are not kept)."""
    data = json.loads(text)

    def rebuttal(item: Json) -> Rebuttal:
        if "annotation" in item:
            return InternalRebuttal(item["annotation"], item["relation"])
        return ExternalRebuttal(
            item["title"],
            item.get("url"),
            item.get("citation"),
            item.get("publisher"),
            item.get("date"),
            item["relation"],
        )

    return Archive(
        sources={
            s["id"]: Source(
                id=s["id"],
                title=s["title"],
                body=s["text"],
                path=f"sources/{s['id']}.md",
                outlet=s.get("outlet"),
                date=s.get("date"),
                date_note=s.get("date_note"),
                url=s.get("url"),
                archived_url=s.get("archived_url"),
                author=s.get("author"),
                dateline=s.get("dateline"),
                language=s.get("language", "en"),
            )
            for s in data["sources"]
        },
        annotations={
            a["id"]: Annotation(
                id=a["id"],
                source=a["source"],
                quote=a["quote"],
                start=a["start"],
                end=a["end"],
                speakers=tuple(a["speakers"]),
                claim_type=a["claim_type"],
                attribution=a.get("attribution", "direct"),
                role=a.get("role"),
                via=a.get("via"),
                summary=a.get("summary"),
                note=a.get("note"),
                rebuttals=tuple(rebuttal(r) for r in a.get("rebuttals", [])),
                tags=tuple(a.get("tags", [])),
            )
            for a in data["annotations"]
        },
        speakers={
            s["id"]: Speaker(
                id=s["id"],
                name=s["name"],
                kind=s.get("kind", "person"),
                native_name=s.get("native_name"),
                affiliation=s.get("affiliation"),
                roles=tuple(Role(r["title"], r.get("from"), r.get("to")) for r in s.get("roles", [])),
                description=s.get("description"),
                links=tuple(Link(link["url"], link["title"]) for link in s.get("links", [])),
            )
            for s in data["speakers"]
        },
        claim_types={
            c["id"]: ClaimType(c["id"], c["label"], c["definition"], c.get("category"), c.get("reference"))
            for c in data["claim_types"]
        },
    )


_STR = {"type": "string"}
_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
_IDS = {"type": "array", "items": _ID}
_KINDS: dict[str, Json] = {
    "id": _ID,
    "ref": _ID,
    "ids": {**_IDS, "minItems": 1},
    "tags": _IDS,
    "date": _DATE,
    "integer": {"type": "integer", "minimum": 1},
}


def _obj(required: list[str], **properties: Json) -> Json:
    return {"type": "object", "required": required, "properties": properties, "additionalProperties": False}


def _record(
    record: fields.Record,
    *,
    before: Json | None = None,
    after: Json | None = None,
    optional: Json | None = None,
) -> Json:
    """The schema of ``record``'s entries in ``archive.json`` (with the properties ``before`` and
    ``after`` its fields, which are required, and the ``optional`` ones last): a field holding a
    list of ids is named as the model names it (``speakers``); a field with a default is always
    written, so required."""
    properties = dict(before or {})
    required = list(properties)
    for f in record.fields:
        if f.name in _UNEXPORTED:
            continue
        name = f.key if f.kind == "ids" else f.name
        if f.kind == "choice":
            properties[name] = {"enum": list(f.allowed)}
        elif f.kind == "list":
            items = [_record(r) for r in f.items]
            properties[name] = {"type": "array", "items": items[0] if len(items) == 1 else {"oneOf": items}}
        else:
            properties[name] = _KINDS.get(f.kind, _STR)
        if f.required or f.default is not None:
            required.append(name)
    properties.update(after or {})
    return _obj([*required, *(after or {})], **properties, **(optional or {}))


_UNEXPORTED = ("prefix", "suffix", "occurrence")
"""Fields that only place a quote: ``archive.json`` gives its offsets instead."""

SCHEMA: Json = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Annotated statements archive (archive.json)",
    "description": "Offsets are code points into each source's text; empty optional values are left out.",
    **_obj(
        ["version", "sources", "annotations", "speakers", "claim_types", "rebuttal_edges"],
        version={"const": VERSION},
        sources={"type": "array", "items": _record(fields.SOURCE, before={"id": _ID}, after={"text": _STR})},
        annotations={
            "type": "array",
            "items": _record(
                fields.ANNOTATION,
                before={"source": _ID},
                after={"start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 1}},
                optional={"history": corrections.EVENT_SCHEMA},
            ),
        },
        speakers={"type": "array", "items": _record(fields.SPEAKER, before={"id": _ID})},
        claim_types={"type": "array", "items": _record(fields.CLAIM_TYPE, before={"id": _ID})},
        rebuttal_edges={
            "type": "array",
            "items": _obj(
                ["rebutted", "by", "relation"],
                rebutted=_ID,
                by=_ID,
                relation={"enum": list(fields.RELATION.allowed)},
            ),
        },
    ),
}


def schema_text() -> str:
    return json.dumps(SCHEMA, indent=2) + "\n"
