"""The `archive` command, run through its installed entry point."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases" / "validate"
ARCHIVE = str(Path(sys.executable).with_name("archive"))


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ARCHIVE, *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_clean_archive_exits_zero_with_a_summary() -> None:
    result = run("validate", "--strict", cwd=CASES / "good" / "base")
    assert result.returncode == 0
    assert result.stdout == "0 errors in 4 files checked.\n"
    assert result.stderr == ""


def test_broken_archive_prints_every_problem_and_exits_one() -> None:
    case = CASES / "bad" / "references"
    result = run("validate", cwd=case)
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert result.returncode == 1
    assert result.stdout == expected + "11 errors, 1 warning in 4 files checked.\n"


def test_warnings_fail_only_with_strict() -> None:
    case = CASES / "bad" / "coverage-and-unused"
    assert run("validate", cwd=case).returncode == 0
    strict = run("validate", "--strict", cwd=case)
    assert strict.returncode == 1
    assert strict.stdout.endswith("0 errors, 3 warnings in 4 files checked.\n")


def test_github_format_prints_workflow_commands() -> None:
    result = run("validate", "--format", "github", cwd=CASES / "bad" / "references")
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert lines[0] == (
        "::error file=annotations/briefing.yaml,line=4,col=14,title=unknown-speaker::unknown speaker "
        "`hua-chunyin` (did you mean `hua-chunying`?); speakers are listed in annotations/speakers.yaml "
        "[unknown-speaker]"
    )
    assert lines[8].startswith("::warning file=annotations/briefing.yaml,line=16,col=21,")


def test_json_format_is_a_list_of_problem_objects() -> None:
    result = run("validate", "--format", "json", cwd=CASES / "bad" / "quotes")
    problems = json.loads(result.stdout)
    assert result.returncode == 1
    assert problems[0] == {
        "path": "annotations/briefing.yaml",
        "line": 9,
        "col": 12,
        "level": "error",
        "code": "quote-not-found",
        "message": problems[0]["message"],
    }
    assert {p["code"] for p in problems} >= {"quote-ambiguous", "bad-occurrence", "empty-quote"}


def test_folders_can_be_named(tmp_path: Path) -> None:
    result = run(
        "validate",
        "--sources",
        str(CASES / "good" / "base" / "sources"),
        "--annotations",
        str(CASES / "good" / "base" / "annotations"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout


def test_missing_folders_are_a_problem_not_a_traceback(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "annotations:1:1: error: the folder annotations/ does not exist [missing-folder]",
        "sources:1:1: error: the folder sources/ does not exist [missing-folder]",
        "2 errors in 0 files checked.",
    ]
    assert result.stderr == ""


@pytest.mark.parametrize("args", [(), ("validate", "--format", "xml"), ("frobnicate",)])
def test_usage_errors_exit_two(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: archive")


def test_every_command_has_help_and_is_documented() -> None:
    top = run("--help", cwd=CASES)
    assert top.returncode == 0
    listed = top.stdout.split("COMMAND", 2)[2]
    commands = re.findall(r"^    (\w+) ", listed, flags=re.MULTILINE)
    assert "validate" in commands
    guide = (Path(__file__).parents[1] / "docs" / "contributing.md").read_text(encoding="utf-8")
    for command in commands:
        help_text = run(command, "--help", cwd=CASES)
        assert help_text.returncode == 0
        assert len(help_text.stdout) > 200
        assert f"archive {command}" in guide


def test_problems_name_files_where_they_resolve(tmp_path: Path) -> None:
    """A file is named relative to the working folder where it resolves within it (through linked
    folders and files), and as it was reached where it resolves outside."""
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    shutil.copytree(CASES / "bad" / "references", project / "data")
    (project / "sources").symlink_to("data/sources")
    (project / "annotations").mkdir()
    for name in ("speakers.yaml", "claim_types.yaml"):
        (project / "annotations" / name).symlink_to(project / "data" / "annotations" / name)
    elsewhere.mkdir()
    shutil.copy(project / "data" / "annotations" / "briefing.yaml", elsewhere / "outside.yaml")
    (project / "annotations" / "outside.yaml").symlink_to(elsewhere / "outside.yaml")
    (project / "annotations" / "inside.yaml").symlink_to(project / "data" / "annotations" / "briefing.yaml")

    result = run("validate", "--sources", str(project / "sources"), cwd=project)
    named = {line.split(":")[0] for line in result.stdout.splitlines()[:-1]}
    assert named == {"annotations/outside.yaml", "data/annotations/briefing.yaml", "data/sources/briefing.md"}


def test_a_control_character_written_as_an_escape_is_a_problem(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(CASES / "good" / "base", project)
    speakers = project / "annotations" / "speakers.yaml"
    text = speakers.read_text(encoding="utf-8")
    speakers.write_text(text.replace("  name: Hua Chunying", '  name: "Hua\\0Chunying"', 1), encoding="utf-8")
    annotations = project / "annotations" / "briefing.yaml"
    annotations.write_text(
        annotations.read_text(encoding="utf-8") + '    tags: ["fine", "bell\\a"]\n', encoding="utf-8"
    )

    result = run("validate", cwd=project)
    assert result.returncode == 1
    control = [line for line in result.stdout.splitlines() if "control character" in line]
    message = "YAML syntax: the control character U+{} (an escape in double quotes) is not allowed in a value"
    assert control == [
        f"annotations/briefing.yaml:23:20: error: {message.format('0007')}; delete it [yaml-syntax]",
        f"annotations/speakers.yaml:2:9: error: {message.format('0000')}; delete it [yaml-syntax]",
    ]
