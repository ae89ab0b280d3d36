"""The contributor commands (import, suggest, stats, schema), through the real entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema
import pytest
import yaml

from build_tools import fields, records
from build_tools.schema import SCHEMAS, dump, with_docs_tables
from tests.test_cli import CASES, run

if TYPE_CHECKING:
    from build_tools.problems import Problem

REPO = Path(__file__).parents[1]
SEED = Path(__file__).parent / "cases" / "seed"
SEED_2 = Path(__file__).parent / "cases" / "import" / "reuters-2019-02-25.txt"
"""The second seed article exactly as received, with its `date ... Reuters, BEIJING` line."""


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A copy of the seed articles to change freely."""
    for folder in ("sources", "annotations"):
        shutil.copytree(SEED / folder, tmp_path / folder)
    return tmp_path


def test_import_moves_the_metadata_line_into_front_matter_and_keeps_the_text(tmp_path: Path) -> None:
    result = run("import", str(SEED_2), "--id", "envoys", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wrote sources/envoys.md (date 2019-02-25, outlet Reuters, dateline BEIJING)",
        "next: fill in `title` (required), then the other fields you can support",
        "then: archive suggest envoys >> annotations/envoys.yaml",
    ]
    written = (tmp_path / "sources" / "envoys.md").read_bytes()
    front, body = written.split(b"\n---\n", 1)
    assert b'outlet: "Reuters"\ndate: "2019-02-25"\ndateline: "BEIJING"' in front
    assert body == SEED_2.read_bytes().split(b"\n\n", 1)[1]
    problems = run("validate", "--format", "json", cwd=tmp_path)
    assert {p["code"] for p in json.loads(problems.stdout) if p["path"] == "sources/envoys.md"} == {
        "wrong-type"
    }


def test_import_reads_a_headline_and_derives_the_id(tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text(
        "date 2020-01 Example Wire\n\nChina denies the camps exist\n\nThe text.\n", encoding="utf-8"
    )
    result = run("import", str(raw), cwd=tmp_path)
    assert result.returncode == 0
    target = tmp_path / "sources" / "2020-01-example-wire-china-denies-the-camps-exist.md"
    assert target.read_text(encoding="utf-8").endswith("---\nThe text.\n")
    assert 'title: "China denies the camps exist"' in target.read_text(encoding="utf-8")


def test_import_never_overwrites(tmp_path: Path) -> None:
    assert run("import", str(SEED_2), "--id", "envoys", cwd=tmp_path).returncode == 0
    target = tmp_path / "sources" / "envoys.md"
    target.write_text("edited", encoding="utf-8")
    again = run("import", str(SEED_2), "--id", "envoys", cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr == (
        "archive import: error: sources/envoys.md already exists; nothing was written (choose another --id)\n"
    )
    assert target.read_text(encoding="utf-8") == "edited"


@pytest.mark.parametrize(
    ("data", "args", "message"),
    [
        (b"caf\xe9 text", (), "the file is not UTF-8 (byte 0xe9 at offset 3)"),
        (b"Some text.", ("--id", "Bad Id"), "id `Bad Id` contains white space"),
        (b"\n\n", (), "the file has no article text"),
    ],
)
def test_import_explains_what_it_cannot_do(
    tmp_path: Path, data: bytes, args: tuple[str, ...], message: str
) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_bytes(data)
    result = run("import", str(raw), *args, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert not (tmp_path / "sources").exists() or not any((tmp_path / "sources").iterdir())


def test_suggest_prints_a_whole_file_of_stubs_with_obvious_speakers(archive: Path) -> None:
    source = "2018-china-likens-xinjiang-camps-to-western-counterterrorism"
    (archive / "annotations" / f"{source}.yaml").unlink()
    result = run("suggest", source, cwd=archive)
    assert result.returncode == 0
    data = yaml.safe_load(result.stdout)
    assert data["source"] == source
    speakers = {entry["quote"][:24]: entry["speaker"] for entry in data["annotations"]}
    assert speakers == {
        "The relevant practices i": "hua-chunying",
        "We oppose double standar": None,
        "They are all the active ": "hua-chunying",
        "We believe that targeted": None,
        "At a time when the Chine": None,
        "Through vocational train": "shohrat-zakir",
        "They have notably enhanc": None,
        "it has actively saved an": None,
        "The stated goal of the c": "kelley-currie",
        "We hope that friends fro": "hua-chunying",
    }
    (archive / "annotations" / f"{source}.yaml").write_text(result.stdout, encoding="utf-8")
    check = json.loads(run("validate", "--format", "json", cwd=archive).stdout)
    in_stubs = [p for p in check if p["path"].endswith(f"{source}.yaml")]
    assert {p["code"] for p in in_stubs} == {"wrong-type"}
    assert len(in_stubs) == 10 + 5  # ten empty claim types, five speakers not guessed
    assert not [p for p in check if p["code"] == "uncovered-quotation" and source in p["path"]]


def test_suggest_prints_entries_to_append_and_says_when_nothing_is_left(archive: Path) -> None:
    source = "2019-02-25-reuters-xinjiang-envoys-briefing"
    done = run("suggest", f"sources/{source}.md", cwd=archive)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == f"every quotation in sources/{source}.md is annotated\n"
    unknown = run("suggest", "envoy-briefing", cwd=archive)
    assert unknown.returncode == 1
    assert "no valid source `envoy-briefing`" in unknown.stderr


def test_stats_counts_and_coverage() -> None:
    result = run("stats", cwd=CASES / "good" / "base")
    assert result.returncode == 0
    assert result.stdout == (
        "1 sources, 4 statements, 3 speakers, 3 claim types, 1 rebuttal links, 0 pieces of outside evidence\n"
        "\nstatements by speaker\n       2  hua-chunying\n       1  china\n       1  rights-groups\n"
        "\nstatements by claim type\n       2  whataboutism\n       1  accusation\n       1  euphemism\n"
        "\nstatements by outlet\n       4  Example Wire\n"
        "\nstatements by year\n       4  2019\n"
        "\ncoverage (annotated quotations / quotations)\n     2/2     100%  briefing\n"
    )
    data = json.loads(run("stats", "--format", "json", cwd=CASES / "good" / "base").stdout)
    assert data["coverage"] == [{"source": "briefing", "quotations": 2, "covered": 2}]


def test_committed_schemas_are_the_generated_ones(tmp_path: Path) -> None:
    assert run("schema", "--write", str(tmp_path), cwd=tmp_path).returncode == 0
    for name in SCHEMAS:
        assert (REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8") == dump(name)
        assert (tmp_path / f"{name}.schema.json").read_text(encoding="utf-8") == dump(name)
    assert run("schema", "speakers", cwd=tmp_path).stdout == dump("speakers")


def test_the_guides_field_tables_are_the_generated_ones(tmp_path: Path) -> None:
    guide = REPO / "docs" / "contributing.md"
    text = guide.read_text(encoding="utf-8")
    assert with_docs_tables(text) == text, "run: archive schema --docs docs/contributing.md"
    names = {line.removeprefix("<!-- fields: ").removesuffix(" -->") for line in text.split("\n")}
    assert {record.name for record in fields.RECORDS} - {"annotation-file"} <= names
    copy = tmp_path / "page.md"
    copy.write_text(text.replace("| `dateline` |", "| `place` |"), encoding="utf-8")
    assert run("schema", "--docs", str(copy), cwd=tmp_path).returncode == 0
    assert copy.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("record", fields.RECORDS, ids=lambda r: r.name)
def test_the_parser_allows_exactly_the_tables_fields(record: fields.Record) -> None:
    """A misspelt field is reported with the table's nearest name and the table's list."""
    first = record.fields[0].name
    problems: list[Problem] = []
    node = yaml.compose(f"{first}x: 1\n")
    assert node is not None
    assert records.read(node, record, "a.yaml", problems) is not None
    unknown = next(p for p in problems if p.code == "unknown-field")
    assert f"(did you mean `{first}`?); allowed: {', '.join(record.names)}" in unknown.message
    missing = {p.message.rsplit("`", 2)[1] for p in problems if p.code == "missing-field"}
    assert missing == {f.name for f in record.fields if f.required and f.missing is None}


class _Yaml12Loader(yaml.SafeLoader):
    """Reads scalars as editors' YAML language server does (YAML 1.2: no timestamps)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_the_archive_satisfies_its_schemas_and_names_them_for_editors() -> None:
    for path in sorted((REPO / "annotations").glob("*.yaml")):
        name = {"speakers.yaml": "speakers", "claim_types.yaml": "claim-types"}.get(path.name, "annotations")
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# yaml-language-server: $schema=../schemas/{name}.schema.json\n")
        jsonschema.validate(yaml.load(text, Loader=_Yaml12Loader), SCHEMAS[name])
    for path in sorted((REPO / "sources").glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        jsonschema.validate(yaml.load(front, Loader=_Yaml12Loader), SCHEMAS["source"])


def test_schemas_reject_what_the_validator_rejects() -> None:
    bad = {"annotations": [{"id": "Bad Id", "quote": "x", "speaker": "a", "claim_type": "b", "sumary": "x"}]}
    errors = list(jsonschema.Draft7Validator(SCHEMAS["annotations"]).iter_errors(bad))
    assert errors
