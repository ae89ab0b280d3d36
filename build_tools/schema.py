"""``archive schema``: JSON Schemas of the file formats, for editors and other tools.

Editors that speak the YAML language server validate and complete annotation files as you type
(the files' first line names the schema). The validator stays the authority: it also checks what
a schema cannot (quotes in the text, references, ids across the archive). Draft-07, the draft
editors support best.
"""

from __future__ import annotations

import json
from typing import Any

from build_tools import parse
from build_tools.values import ID_MAX

SchemaDict = dict[str, Any]

_ID = {"type": "string", "pattern": f"^[a-z0-9][a-z0-9-]{{0,{ID_MAX - 1}}}$"}
_DATE = {
    "type": ["string", "integer"],
    "pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
    "description": "YYYY, YYYY-MM or YYYY-MM-DD: only the precision that is known",
}
_URL = {"type": "string", "format": "uri", "pattern": "^https?://", "description": "an http(s) address"}
_TEXT = {"type": "string", "minLength": 1}


def _text(description: str) -> SchemaDict:
    return {**_TEXT, "description": description}


def _object(properties: dict[str, SchemaDict], required: tuple[str, ...]) -> SchemaDict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _schema(name: str, title: str, body: SchemaDict) -> SchemaDict:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://annotated-archive.invalid/schemas/{name}.schema.json",
        "title": title,
        **body,
    }


REBUTTAL = {
    "oneOf": [
        _object({"annotation": {**_ID, "description": "the id of a rebutting annotation"}}, ("annotation",)),
        {
            **_object(
                {
                    "title": _text("the document's title"),
                    "url": _URL,
                    "citation": _text("a full reference, for documents without a stable address"),
                    "publisher": _text("who published it"),
                    "date": _DATE,
                },
                ("title",),
            ),
            "anyOf": [{"required": ["url"]}, {"required": ["citation"]}],
        },
    ]
}

ANNOTATION = _object(
    {
        "id": {**_ID, "description": "unique across the archive; the permalink is #<id>"},
        "quote": _text("the statement's words, exactly as in the article"),
        "prefix": _text("text just before the quote, when the quote occurs more than once"),
        "suffix": _text("text just after the quote, when the quote occurs more than once"),
        "occurrence": {"type": "integer", "minimum": 1, "description": "which occurrence (1-based)"},
        "speaker": {
            "description": "a speaker id, or a list of ids",
            "oneOf": [_ID, {"type": "array", "items": _ID, "minItems": 1}],
        },
        "role": _text("the role held, when it differs from the registry's"),
        "claim_type": {**_ID, "description": "an id from claim_types.yaml"},
        "attribution": {"enum": list(parse.ATTRIBUTIONS), "default": "direct"},
        "via": _text("who relayed a reported or paraphrased statement"),
        "summary": _text("one line: what the statement claims"),
        "note": _text("Markdown commentary (no raw HTML)"),
        "rebuttals": {"type": "array", "items": REBUTTAL},
        "tags": {"oneOf": [_ID, {"type": "array", "items": _ID}]},
    },
    ("id", "quote", "speaker", "claim_type"),
)

SOURCE = _object(
    {
        "title": _text("the headline, or [an archivist's description in square brackets]"),
        "outlet": _text("the publisher"),
        "date": _DATE,
        "url": _URL,
        "archived_url": _URL,
        "author": _text("the author"),
        "dateline": _text("the place line, e.g. BEIJING"),
        "language": {"type": "string", "pattern": "^[A-Za-z0-9-]+$", "default": "en"},
    },
    ("title",),
)

SPEAKER = _object(
    {
        "name": _text("the name as usually written in English"),
        "native_name": _text("the name in its own script"),
        "kind": {"enum": list(parse.KINDS), "default": "person"},
        "affiliation": _text("organisation or country"),
        "roles": {
            "type": "array",
            "items": _object({"title": _text("the role"), "from": _DATE, "to": _DATE}, ("title",)),
        },
        "description": _text("a short, neutral description"),
        "links": {
            "type": "array",
            "items": _object({"url": _URL, "title": _text("the link text")}, ("url", "title")),
        },
    },
    ("name",),
)

CLAIM_TYPE = _object(
    {
        "label": _text("the name shown to readers"),
        "category": _text("the group it belongs to (drives colours and the legend)"),
        "definition": _text("what statements of this type do, in your own words"),
        "reference": _text("where the definition comes from"),
    },
    ("label", "definition"),
)


def _registry(entry: SchemaDict) -> SchemaDict:
    return {"type": "object", "propertyNames": _ID, "additionalProperties": entry}


SCHEMAS: dict[str, SchemaDict] = {
    "annotations": _schema(
        "annotations",
        "Annotation file (annotations/<source-id>.yaml)",
        _object(
            {
                "source": {**_ID, "description": "the source id; defaults to the file name"},
                "annotations": {"type": "array", "items": ANNOTATION},
            },
            ("annotations",),
        ),
    ),
    "source": _schema("source", "Source front matter (sources/<source-id>.md)", SOURCE),
    "speakers": _schema("speakers", "Speaker registry (annotations/speakers.yaml)", _registry(SPEAKER)),
    "claim-types": _schema(
        "claim-types", "Claim-type registry (annotations/claim_types.yaml)", _registry(CLAIM_TYPE)
    ),
}


def dump(name: str) -> str:
    """The schema ``name`` as stable, indented JSON text."""
    return json.dumps(SCHEMAS[name], indent=2, ensure_ascii=False) + "\n"
