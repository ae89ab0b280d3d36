"""What the validator tells a contributor: one message for one mistake, notices kept out of
GitHub's annotations, quote messages a person can act on."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from build_tools.load import load_archive
from tests.test_cli import CASES, run

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize("case", ["indent-three", "indent-six", "indent-tab", "colon-in-title"])
def test_one_mistake_gives_one_message(case: str) -> None:
    folder = CASES / "bad" / case
    problems = load_archive(folder / "sources", folder / "annotations", root=folder).problems
    assert len(problems) == 1, problems
    assert "did not find expected" not in problems[0].message


def test_the_six_space_indent_is_not_taken_for_an_unquoted_colon() -> None:
    folder = CASES / "bad" / "indent-six"
    (problem,) = load_archive(folder / "sources", folder / "annotations", root=folder).problems
    assert (problem.line, problem.col) == (14, 7)
    assert "must be quoted" not in problem.message
    assert "expected an indentation of 4 spaces" in problem.message
    assert "found 6" in problem.message


def test_github_format_leaves_notices_out_unless_asked(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(CASES / "bad" / "ids", case)
    plain = run("validate", "--format", "github", cwd=case).stdout.splitlines()
    asked = run("validate", "--format", "github", "--notices", cwd=case).stdout.splitlines()
    assert not [line for line in plain if line.startswith("::notice")]
    notices = [line for line in asked if line.startswith("::notice")]
    assert len(notices) == 1
    assert "title=unused-claim-type" in notices[0]
    assert [line for line in asked if not line.startswith("::notice")][:-1] == plain[:-1]
    assert ": notice: " in run("validate", cwd=case).stdout
