"""``archive schema``: JSON Schemas of the file formats, made from the table of fields
(:mod:`build_tools.fields`), for editors and other tools.

Editors that speak the YAML language server validate and complete annotation files as you type
(the files' first line names the schema). The validator stays the authority: it also checks what
a schema cannot (quotes in the text, references, ids across the archive). Draft-07, the draft
editors support best.
"""

from __future__ import annotations

import json
from typing import Any

from build_tools import fields
from build_tools.values import ID_MAX

SchemaDict = dict[str, Any]

ID: SchemaDict = {"type": "string", "pattern": f"^[a-z0-9][a-z0-9-]{{0,{ID_MAX - 1}}}$"}
_DATE = {
    "type": ["string", "integer"],
    "pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
}
_URL = {"type": "string", "format": "uri", "pattern": "^https?://"}


def _value(field: fields.Field) -> SchemaDict:
    """The schema of one field's value, with its description (and default)."""
    kind = field.kind
    if kind in ("id", "ref"):
        value: SchemaDict = dict(ID)
    elif kind in ("ids", "tags"):
        value = {"oneOf": [ID, {"type": "array", "items": ID, **({"minItems": 1} if kind == "ids" else {})}]}
    elif kind == "date":
        value = dict(_DATE)
    elif kind == "url":
        value = dict(_URL)
    elif kind == "integer":
        value = {"type": "integer", "minimum": 1}
    elif kind == "choice":
        value = {"enum": list(field.allowed)}
    elif kind == "language":
        value = {"type": "string", "pattern": "^[A-Za-z0-9-]+$"}
    elif kind == "list":
        items = [record_schema(record) for record in field.items]
        value = {"type": "array", "items": items[0] if len(items) == 1 else {"oneOf": items}}
    else:
        value = {"type": "string", "minLength": 1}
    value["description"] = field.description
    if field.default is not None:
        value["default"] = field.default
    return value


def record_schema(record: fields.Record) -> SchemaDict:
    """The schema of a mapping of ``record``'s fields."""
    schema: SchemaDict = {
        "type": "object",
        "properties": {f.name: _value(f) for f in record.fields},
        "required": list(record.required),
        "additionalProperties": False,
    }
    if record is fields.EXTERNAL_REBUTTAL:
        schema["anyOf"] = [{"required": ["url"]}, {"required": ["citation"]}]
    return schema


def _schema(name: str, title: str, body: SchemaDict) -> SchemaDict:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://annotated-archive.invalid/schemas/{name}.schema.json",
        "title": title,
        **body,
    }


def _registry(record: fields.Record) -> SchemaDict:
    return {"type": "object", "propertyNames": ID, "additionalProperties": record_schema(record)}


SCHEMAS: dict[str, SchemaDict] = {
    "annotations": _schema(
        "annotations", "Annotation file (annotations/<source-id>.yaml)", record_schema(fields.ANNOTATION_FILE)
    ),
    "source": _schema("source", "Source front matter (sources/<source-id>.md)", record_schema(fields.SOURCE)),
    "speakers": _schema(
        "speakers", "Speaker registry (annotations/speakers.yaml)", _registry(fields.SPEAKER)
    ),
    "claim-types": _schema(
        "claim-types", "Claim-type registry (annotations/claim_types.yaml)", _registry(fields.CLAIM_TYPE)
    ),
}


def dump(name: str) -> str:
    """The schema ``name`` as stable, indented JSON text."""
    return json.dumps(SCHEMAS[name], indent=2, ensure_ascii=False) + "\n"


DOCS_START = "<!-- fields: {name} -->"
DOCS_END = "<!-- /fields -->"


def docs_table(record: fields.Record) -> str:
    """``record``'s fields as a Markdown table: field, required, what it holds, example."""
    rows = ["| field | required | what it holds | example |", "| --- | --- | --- | --- |"]
    for f in record.fields:
        holds = f.description
        if f.choices:
            holds += " One of: " + "; ".join(f"`{c.value}`: {c.meaning}" for c in f.choices) + "."
        if f.default is not None:
            holds += f" Default `{f.default}`."
        if f.items:
            holds += (
                " Each entry is "
                + " or ".join(
                    "an " * (r.name[0] in "aeiou")
                    + "a " * (r.name[0] not in "aeiou")
                    + r.name.replace("-", " ")
                    for r in f.items
                )
                + " (see its table)."
            )
        example = f"`{f.example}`" if f.example else ""
        rows.append(f"| `{f.name}` | {'yes' if f.required else 'no'} | {holds} | {example} |")
    return "\n".join(rows)


def with_docs_tables(text: str) -> str:
    """``text`` (a Markdown page) with the table of each record named between
    ``<!-- fields: NAME -->`` and ``<!-- /fields -->`` lines made again from the table of fields."""
    by_name = {record.name: record for record in fields.RECORDS}
    out: list[str] = []
    lines = iter(text.split("\n"))
    for line in lines:
        out.append(line)
        name = line.removeprefix("<!-- fields: ").removesuffix(" -->")
        if name != line and name in by_name:
            for skipped in lines:
                if skipped == DOCS_END:
                    break
            out += ["", docs_table(by_name[name]), "", DOCS_END]
    return "\n".join(out)
