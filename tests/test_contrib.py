"""The contributor commands (import, suggest, stats, schema), through the real entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema
import pytest
import yaml

from build_tools import fields, records, suggest
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
        "then: archive suggest envoys --write",
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
    assert (
        done.stderr == f"every quotation in sources/{source}.md has an entry in annotations/{source}.yaml\n"
    )
    unknown = run("suggest", "envoy-briefing", cwd=archive)
    assert unknown.returncode == 1
    assert "no valid source `envoy-briefing`" in unknown.stderr


RAW = (
    "date 2020-01-05 Example Wire, URUMQI\n\n"
    "Officials defend the centres.\n\n"
    "\u201cThe centres are vocational schools for everyone,\u201d Hua Chunying said on Monday.\n\n"
    "A local official spoke too. \u201cWe are right about this matter in every way,\u201d he said.\n\n"
    "Critics disagree. \u201cThey are camps where people are held against their will,\u201d "
    "said Kelley Currie.\n"
)
NEW_ID = "2020-01-05-example-wire-officials-defend-the-centres"


def test_new_writes_the_source_and_an_annotation_file_of_stubs(archive: Path) -> None:
    raw = archive / "received.txt"
    raw.write_text(RAW, encoding="utf-8")
    result = run("new", str(raw), cwd=archive)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        f"wrote sources/{NEW_ID}.md (title Officials defend the centres., date 2020-01-05, "
        "outlet Example Wire, dateline URUMQI)",
        f"wrote annotations/{NEW_ID}.yaml (3 quotations to annotate)",
    ]
    source = (archive / "sources" / f"{NEW_ID}.md").read_text(encoding="utf-8")
    assert 'title: "Officials defend the centres."' in source
    assert source.split("\n---\n", 1)[1].startswith("\u201cThe centres are")
    text = (archive / "annotations" / f"{NEW_ID}.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"{suggest.SCHEMA_LINE}\nsource: {NEW_ID}\n")
    assert [e["speaker"] for e in yaml.safe_load(text)["annotations"]] == [
        "hua-chunying",
        None,
        "kelley-currie",
    ]
    assert "the text says 'he' said it: who?" in text
    check = json.loads(run("validate", "--format", "json", cwd=archive).stdout)
    mine = [p for p in check if NEW_ID in p["path"] and p["level"] == "error"]
    assert {(p["path"], p["code"]) for p in mine} == {(f"annotations/{NEW_ID}.yaml", "wrong-type")}
    assert len(mine) == 3 + 1  # three claim types to choose, one speaker the text does not name


def test_new_writes_nothing_when_either_file_exists(archive: Path) -> None:
    raw = archive / "received.txt"
    raw.write_text(RAW, encoding="utf-8")
    (archive / "annotations" / f"{NEW_ID}.yaml").write_text("kept\n", encoding="utf-8")
    result = run("new", str(raw), cwd=archive)
    assert result.returncode == 1
    assert f"annotations/{NEW_ID}.yaml already exists; nothing was written" in result.stderr
    assert not (archive / "sources" / f"{NEW_ID}.md").exists()
    (archive / "annotations" / f"{NEW_ID}.yaml").unlink()
    assert run("new", str(raw), cwd=archive).returncode == 0
    again = run("new", str(raw), cwd=archive)
    assert again.returncode == 1
    assert f"sources/{NEW_ID}.md already exists; nothing was written" in again.stderr


def test_an_id_comes_from_the_text_never_from_the_file_name(tmp_path: Path) -> None:
    raw = tmp_path / "received.txt"
    raw.write_text("The text of an article without a headline, which goes on.\n", encoding="utf-8")
    assert run("import", str(raw), cwd=tmp_path).returncode == 0
    assert [p.name for p in (tmp_path / "sources").iterdir()] == [
        "the-text-of-an-article-without-a-headline.md"
    ]


def test_suggest_appends_to_an_empty_file_and_writes_into_the_file(archive: Path) -> None:
    source = "2018-china-likens-xinjiang-camps-to-western-counterterrorism"
    target = archive / "annotations" / f"{source}.yaml"
    target.write_text("", encoding="utf-8")  # what `>>` leaves before the command runs
    printed = run("suggest", source, cwd=archive)
    target.write_text(printed.stdout, encoding="utf-8")
    assert len(yaml.safe_load(target.read_text(encoding="utf-8"))["annotations"]) == 10
    again = run("suggest", source, "--write", cwd=archive)
    assert (again.returncode, again.stdout) == (0, "")
    assert (
        again.stderr == f"every quotation in sources/{source}.md has an entry in annotations/{source}.yaml\n"
    )
    target.write_text(f"source: {source}\nannotations: []  # none yet\n", encoding="utf-8")
    written = run("suggest", source, "--write", cwd=archive)
    assert written.stdout == f"added 10 stubs to annotations/{source}.yaml\n"
    assert len(yaml.safe_load(target.read_text(encoding="utf-8"))["annotations"]) == 10
    target.write_text(f"annotations: []\nsource: {source}\n", encoding="utf-8")
    assert run("suggest", source, "--write", cwd=archive).returncode == 0
    target.write_text(f"annotations:\n  - id: x\nsource: {source}\n", encoding="utf-8")
    refused = run("suggest", source, "--write", cwd=archive)
    assert refused.returncode == 1
    assert "cannot add the stubs: the file does not end with its `annotations:` list" in refused.stderr
    assert target.read_text(encoding="utf-8") == f"annotations:\n  - id: x\nsource: {source}\n"


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


TYPES = """\
slogan:
  label: Slogan
  category: Call
  definition: >-
    A short formula
    in place of an argument.
euphemism:
  label: Euphemism | mild word
  definition: A mild word.
  reference: Archive addition.
"""


def test_schema_docs_remakes_the_table_of_claim_types(tmp_path: Path) -> None:
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "claim_types.yaml").write_text(TYPES, encoding="utf-8")
    page = tmp_path / "taxonomy.md"
    page.write_text("# T\n\n<!-- claim-types -->\nstale\n<!-- /claim-types -->\n\nEnd.\n", encoding="utf-8")
    result = run("schema", "--docs", str(page), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    made = page.read_text(encoding="utf-8")
    assert made == (
        "# T\n\n<!-- claim-types -->\n\n"
        "| claim type | category | definition | reference |\n| --- | --- | --- | --- |\n"
        "| [Slogan](claim-types/slogan.md) | Call | A short formula in place of an argument. |  |\n"
        "| [Euphemism \\| mild word](claim-types/euphemism.md) |  | A mild word. | Archive addition. |\n"
        "\n<!-- /claim-types -->\n\nEnd.\n"
    )
    assert run("schema", "--docs", str(page), cwd=tmp_path).returncode == 0
    assert page.read_text(encoding="utf-8") == made


def test_schema_docs_refuses_a_broken_registry(tmp_path: Path) -> None:
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "claim_types.yaml").write_text("slogan:\n  label: Slogan\n", encoding="utf-8")
    page = tmp_path / "taxonomy.md"
    page.write_text("<!-- claim-types -->\n<!-- /claim-types -->\n", encoding="utf-8")
    result = run("schema", "--docs", str(page), cwd=tmp_path)
    assert result.returncode == 1
    assert "annotations/claim_types.yaml:2:3: error:" in result.stderr
    assert "no valid claim-type registry at annotations/claim_types.yaml" in result.stderr
    assert page.read_text(encoding="utf-8") == "<!-- claim-types -->\n<!-- /claim-types -->\n"


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


def test_schemas_reject_what_the_validator_rejects() -> None:
    bad = {"annotations": [{"id": "Bad Id", "quote": "x", "speaker": "a", "claim_type": "b", "sumary": "x"}]}
    errors = list(jsonschema.Draft7Validator(SCHEMAS["annotations"]).iter_errors(bad))
    assert errors
