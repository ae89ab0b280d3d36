"""The machine-readable exports, checked against the specifications they follow."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_tools import exports, generated
from build_tools.exports import EXPORTS, data, jsontext, tabular, webanno
from build_tools.exports.links import Site
from build_tools.load import load_archive
from build_tools.model import Archive, Source

REPO = Path(__file__).parents[1]
SEED = Path(__file__).parent / "cases" / "seed"
SITE = Site("https://archive.example.org/")

# Written from the Web Annotation Data Model (W3C Recommendation 2017-02-23), its MUST clauses:
# 3.1 an Annotation MUST have 1+ @context values incl. the anno context, exactly 1 IRI id,
# 1+ types incl. "Annotation", 1+ targets; bodies and targets MUST have an id or be embedded
# resources with a type. 4.2.1 a TextQuoteSelector MUST have exactly one exact; 4.2.3 a
# TextPositionSelector MUST have exactly one start and one end, non-negative integers. 4.2.x a
# SpecificResource MUST have exactly one source. 5.1 a Collection MUST have an IRI id and the
# type AnnotationCollection; 5.2 a Page MUST have an IRI id, type AnnotationPage and items.
IRI = {"type": "string", "pattern": "^(https?|urn):[^\\s]+$"}
PURPOSES = {
    "enum": ["assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
             "identifying", "linking", "moderating", "questioning", "replying", "tagging"]
}  # fmt: skip
QUOTE = {
    "type": "object",
    "required": ["type", "exact"],
    "properties": {"type": {"const": "TextQuoteSelector"}, "exact": {"type": "string", "minLength": 1},
                   "prefix": {"type": "string"}, "suffix": {"type": "string"}},
}  # fmt: skip
POSITION = {
    "type": "object",
    "required": ["type", "start", "end"],
    "properties": {"type": {"const": "TextPositionSelector"}, "start": {"type": "integer", "minimum": 0},
                   "end": {"type": "integer", "minimum": 0}},
}  # fmt: skip
SPECIFIC = {
    "type": "object",
    "required": ["type", "source"],
    "properties": {
        "type": {"const": "SpecificResource"},
        "source": IRI,
        "purpose": PURPOSES,
        "selector": {"anyOf": [{"oneOf": [QUOTE, POSITION]}, {"type": "array", "minItems": 1,
                                                             "items": {"oneOf": [QUOTE, POSITION]}}]},
    },
}  # fmt: skip
TEXTUAL = {
    "type": "object",
    "required": ["type", "value"],
    "properties": {"type": {"const": "TextualBody"}, "value": {"type": "string"}, "purpose": PURPOSES,
                   "format": {"type": "string"}},
}  # fmt: skip
ANNOTATION = {
    "type": "object",
    "required": ["id", "type", "target"],
    "properties": {
        "id": IRI,
        "type": {"const": "Annotation"},
        "motivation": PURPOSES,
        "body": {"type": "array", "items": {"oneOf": [SPECIFIC, TEXTUAL]}},
        "target": {"anyOf": [SPECIFIC, {"type": "array", "minItems": 1, "items": SPECIFIC}]},
    },
}
COLLECTION = {
    "type": "object",
    "required": ["@context", "id", "type", "first", "total"],
    "properties": {
        "@context": {"const": "http://www.w3.org/ns/anno.jsonld"},
        "id": IRI,
        "type": {"const": "AnnotationCollection"},
        "total": {"type": "integer", "minimum": 0},
        "first": {
            "type": "object",
            "required": ["id", "type", "items", "partOf"],
            "properties": {
                "id": IRI,
                "type": {"const": "AnnotationPage"},
                "items": {"type": "array", "items": ANNOTATION},
            },
        },
    },
}


@pytest.fixture(scope="module")
def archive() -> Archive:
    loaded = load_archive(SEED / "sources", SEED / "annotations", root=SEED)
    assert not [p for p in loaded.problems if p.level.value == "error"]
    return loaded.archive


def _export(archive: Archive, name: str) -> str:
    return exports.text(EXPORTS[name], archive, SITE)


def test_web_annotations_satisfy_the_data_model(archive: Archive) -> None:
    collection: dict[str, Any] = json.loads(_export(archive, "annotations.jsonld.gz"))
    jsonschema.validate(collection, COLLECTION)
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == len(archive.annotations)
    assert len({item["id"] for item in items}) == len(items)


def test_web_annotation_selectors_point_at_the_quoted_text(archive: Archive) -> None:
    items = json.loads(_export(archive, "annotations.jsonld.gz"))["first"]["items"]
    for item in items:
        page = item["target"][0]
        text = archive.sources[page["source"].rstrip("/").rsplit("/", 1)[1]].body
        quote, position = page["selector"]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
        assert len(quote["prefix"]) == min(32, position["start"])
        purposes = {body["purpose"] for body in item["body"]}
        assert {"identifying", "classifying"} <= purposes


def test_rebuttals_become_bodies_with_their_relations_purpose(archive: Archive) -> None:
    items = {
        i["id"].split("#")[1]: i
        for i in json.loads(_export(archive, "annotations.jsonld.gz"))["first"]["items"]
    }
    ann = archive.annotations["china-re-education-and-training-facilities"]
    assert {r.relation for r in ann.rebuttals} == {"contradicts"}
    links = [b for b in items[ann.id]["body"] if b["purpose"] == "assessing"]
    assert len(links) == len(ann.rebuttals)
    assert links[0]["source"] == SITE.annotation(
        "2019-02-25-reuters-xinjiang-envoys-briefing", "rights-groups-internment-camps"
    )


def test_archive_json_follows_its_schema_and_round_trips(archive: Archive) -> None:
    text = _export(archive, "archive.json.gz")
    jsonschema.Draft202012Validator.check_schema(data.SCHEMA)
    jsonschema.validate(json.loads(text), json.loads(_export(archive, "archive.schema.json")))
    again = data.load(text)
    assert data.dump(again) == text
    assert again.annotations.keys() == archive.annotations.keys()
    for ann_id, ann in archive.annotations.items():
        back = again.annotations[ann_id]
        assert back == ann
    assert again.backlinks == archive.backlinks


@pytest.fixture(scope="module")
def related() -> Archive:
    """A fixture archive with a rebuttal of each relation (see its annotations)."""
    case = Path(__file__).parent / "cases" / "validate" / "good" / "nested-and-repeated"
    return load_archive(case / "sources", case / "annotations", root=case).archive


def test_every_export_carries_each_rebuttals_relation(related: Archive) -> None:
    text = _export(related, "archive.json.gz")
    jsonschema.validate(json.loads(text), data.SCHEMA)
    document = json.loads(text)
    rebuttals = {a["id"]: a["rebuttals"] for a in document["annotations"] if "rebuttals" in a}
    assert rebuttals["hua-sickness"] == [
        {
            "title": "Assessment of human rights concerns",
            "citation": "OHCHR, 31 August 2022",
            "relation": "context",
        }
    ]
    assert rebuttals["hua-camps-help-2"] == [{"annotation": "groups-internment", "relation": "disputes"}]
    assert {"rebutted": "hua-no-different", "by": "groups-internment", "relation": "contradicts"} in document[
        "rebuttal_edges"
    ]
    assert data.load(text).annotations == related.annotations
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(_export(related, "claims.csv.gz"), newline=""))}
    assert (rows["hua-camps-help-2"]["rebutted_by"], rows["hua-camps-help-2"]["rebutted_by_relations"]) == (
        "groups-internment",
        "disputes",
    )
    assert rows["hua-sickness"]["outside_evidence_relations"] == "context"
    items = json.loads(_export(related, "annotations.jsonld.gz"))["first"]["items"]
    purposes = {
        i["id"].split("#")[1]: [b["purpose"] for b in i["body"] if b["purpose"] in webanno.PURPOSES.values()]
        for i in items
    }
    assert purposes["hua-no-different"] == ["assessing"]
    assert purposes["hua-camps-help-2"] == ["replying"]
    assert purposes["hua-sickness"] == ["linking"]


def test_claims_csv_has_a_row_per_statement_and_defuses_formulas(archive: Archive) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(archive, "claims.csv.gz"), newline="")))
    assert len(rows) == len(archive.annotations)
    row = next(r for r in rows if r["id"] == "hua-sickness")
    assert row["speakers"] == "hua-chunying"
    assert row["quote"] == "sickness"
    ann = replace(archive.annotations["hua-sickness"], summary='=HYPERLINK("http://x")')
    hostile = Archive(archive.sources, {ann.id: ann}, archive.speakers, archive.claim_types)
    [only] = list(csv.DictReader(io.StringIO(_export(hostile, "claims.csv.gz"), newline="")))
    assert only["summary"] == '\'=HYPERLINK("http://x")'


def test_atom_feed_lists_sources_newest_first(archive: Archive) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(_export(archive, "sources.atom"))
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:updated", namespaces=ns) for e in entries] == [
        "2019-02-25T00:00:00Z",
        "2018-01-01T00:00:00Z",
    ]
    assert feed.findtext("a:updated", namespaces=ns) == "2019-02-25T00:00:00Z"


def test_a_document_made_item_by_item_is_the_whole_documents_json() -> None:
    items = [{"quote": "\u201cvocational\u201d", "n": 1}, {"quote": 'a "b" \x00items\x00', "n": 2}]
    many = list(range(600))
    whole = {"name": "\x00items\x00", "first": items, "meta": {"second": many, "none": []}, "last": True}
    made = {
        **whole,
        "first": jsontext.Items(items),
        "meta": {"second": jsontext.Items(many, lambda n: n), "none": jsontext.Items([])},
    }
    text = json.dumps(whole, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert jsontext.document(made) == text


_TEXT = st.text(st.characters(codec="utf-8"))  # no lone surrogates: YAML has none
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _TEXT,
    lambda inner: st.lists(inner) | st.dictionaries(_TEXT, inner),
)


@given(_JSON)
def test_compact_json_is_the_standard_librarys(value: object) -> None:
    assert jsontext.compact(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_an_export_written_piece_by_piece_is_its_file(
    archive: Archive, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large export is written as its pieces are made; a compressed one is gzip with no name
    and no time in its header, so writing it twice gives the same bytes."""
    monkeypatch.setattr(tabular, "ROWS", 2)  # the seed archive's CSV in several pieces
    export = EXPORTS[name]
    pieces = list(export.make(archive, SITE))
    if export.compressed:
        assert len(pieces) > 3
    first, second = tmp_path / "one" / name, tmp_path / "two" / name
    exports.write(export, archive, SITE, first)
    exports.write(export, archive, SITE, second)
    written = first.read_bytes()
    assert written == second.read_bytes()
    if export.compressed:
        assert written[:2] == b"\x1f\x8b"
        assert written[4:8] == bytes(4)  # no modification time
        assert not written[3] & gzip.FNAME  # no file name
        assert len(written) < len("".join(pieces).encode()) / 3
        written = gzip.decompress(written)
    assert written == "".join(pieces).encode() == _export(archive, name).encode()


def test_the_index_names_every_export(archive: Archive) -> None:
    index = json.loads(_export(archive, "index.json"))
    assert [f["name"] for f in index["files"]] == list(EXPORTS)
    assert all(f["url"] == SITE.export(f["name"]) for f in index["files"])
    assert {f["name"] for f in index["files"] if f["encoding"] == "gzip"} == {
        "annotations.jsonld.gz",
        "archive.json.gz",
        "claims.csv.gz",
    }
    assert index["counts"]["annotations"] == len(archive.annotations)


def test_the_open_data_page_links_every_export() -> None:
    page = (REPO / "docs" / "open-data.md").read_text(encoding="utf-8")
    for name in EXPORTS:
        assert f"](exports/{name})" in page


def test_archive_json_carries_a_sources_date_note() -> None:
    source = Source("s", "T", "Text.", "sources/s.md", date="2018", date_note="Inferred from the text.")
    text = _export(Archive({"s": source}, {}, {}, {}), "archive.json.gz")
    jsonschema.validate(json.loads(text), data.SCHEMA)
    assert json.loads(text)["sources"][0]["date_note"] == "Inferred from the text."
    assert data.load(text).sources["s"] == source


def test_downloads_written_apart_are_those_written_at_once(archive: Archive, tmp_path: Path) -> None:
    """A build writes the exports and statement pages in a forked process while MkDocs renders the
    pages: the same files as written in the build's process, and every path it announced."""
    apart = generated.Downloads(archive, SITE, tmp_path / "apart", statements=True, apart=True)
    apart.wait()
    here = generated.Downloads(archive, SITE, tmp_path / "here", statements=True, apart=False)
    assert len(apart.paths) == len(EXPORTS) + len(archive.annotations)
    for uri, path in apart.paths.items():
        assert path.read_bytes() == here.paths[uri].read_bytes(), uri


def test_a_failure_in_the_writing_process_reaches_the_build(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(archive: Archive, site: Site) -> list[str]:
        raise ValueError(f"the export failed in process {os.getpid()}")

    monkeypatch.setitem(EXPORTS, "claims.csv.gz", replace(EXPORTS["claims.csv.gz"], make=fails))
    downloads = generated.Downloads(archive, SITE, tmp_path, statements=False, apart=True)
    with pytest.raises(ValueError, match="the export failed in process") as failed:
        downloads.wait()
    assert str(os.getpid()) not in str(failed.value)
