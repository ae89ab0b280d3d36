"""`archive validate --changed-from REF` in a real git repository: each problem at the changed
line that causes it, the others summarised once."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.test_cli import CASES, run

if TYPE_CHECKING:
    from pathlib import Path


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The good case, committed."""
    repo = tmp_path / "repo"
    shutil.copytree(CASES / "good" / "base", repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "tag", "base")
    return repo


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _lines(repo: Path, *args: str) -> list[str]:
    result = run("validate", "--changed-from", "base", *args, cwd=repo)
    assert result.returncode == 1, result.stderr
    return result.stdout.splitlines()[:-1]


def test_a_duplicate_id_is_reported_at_the_new_entry(repo: Path) -> None:
    """The new file comes first in the archive's order: without the change, the old entry would
    be the one reported."""
    (repo / "annotations" / "aaa.yaml").write_text(
        "source: briefing\nannotations:\n  - id: hua-no-different\n    quote: China says the camps\n"
        "    speaker: china\n    claim_type: euphemism\n",
        encoding="utf-8",
    )
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "a new file, committed as in a pull request")
    assert _lines(repo) == [
        "annotations/aaa.yaml:3:9: error: annotation id `hua-no-different` is already used at "
        "annotations/briefing.yaml:2:9; ids must be unique across the whole archive [duplicate-id]"
    ]
    plain = run("validate", cwd=repo).stdout
    assert plain.startswith(
        "annotations/briefing.yaml:2:9: error: annotation id `hua-no-different` is already"
    )


def test_a_deleted_annotation_still_rebutted_is_reported_at_the_deletion(repo: Path) -> None:
    annotations = repo / "annotations" / "briefing.yaml"
    text = annotations.read_text(encoding="utf-8")
    start, end = text.index("  - id: groups-internment"), text.index("  - id: china-vocational")
    annotations.write_text(text[:start] + text[end:], encoding="utf-8")
    assert _lines(repo) == [
        "annotations/briefing.yaml:12:1: error: this change deletes annotation `groups-internment`, which "
        "is still named as a rebuttal by `hua-no-different` (annotations/briefing.yaml:7:21); remove those "
        "rebuttals too, or keep `groups-internment` [unknown-annotation]",
        "annotations/briefing.yaml:12:1: notice: this change removes the last statement of claim type "
        "`accusation`; annotate another one, or remove it from annotations/claim_types.yaml (line 5) "
        "[unused-claim-type]",
        "annotations/briefing.yaml:12:1: warning: this change removes the last statement of speaker "
        "`rights-groups`; annotate another one, or remove it from annotations/speakers.yaml (line 8) "
        "[unused-speaker]",
    ]


def test_an_edit_of_the_text_is_reported_at_the_edit_naming_the_orphaned_annotations(repo: Path) -> None:
    _edit(repo / "sources" / "briefing.md", "We oppose double", "We reject double")
    lines = _lines(repo)
    assert lines[0] == (
        "sources/briefing.md:6:1: error: this edit of the text leaves the quote of 1 annotation without "
        "its words: `hua-double-standards` (annotations/briefing.yaml:9:12); undo the edit, or change "
        "those quotes to match [quote-not-found]"
    )
    assert [line.rsplit(" ", 1)[1] for line in lines[1:]] == ["[uncovered-quotation]"]


def test_problems_outside_the_change_are_summarised_once(repo: Path) -> None:
    _edit(repo / "annotations" / "briefing.yaml", "speaker: china", "speaker: chna")
    _edit(repo / "annotations" / "briefing.yaml", "speaker: rights-groups", "speaker: rights-grups")
    _git(repo, "commit", "-q", "-am", "two mistakes")
    _edit(repo / "annotations" / "briefing.yaml", "claim_type: euphemism", "claim_type: euphemisms")
    result = run("validate", "--changed-from", "HEAD", "--format", "github", cwd=repo)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(",")[0] for line in lines[:-1]] == [
        "::error file=annotations/briefing.yaml",
        "::error file=annotations/briefing.yaml",
    ]
    assert "title=unknown-claim-type::" in lines[0]
    assert "title=outside-the-change::2 errors, 2 warnings outside the change since HEAD" in lines[1]
    assert lines[-1] == "3 errors, 2 warnings in 4 files checked."


def test_without_the_commit_every_problem_is_reported_where_it_is(repo: Path) -> None:
    _edit(repo / "annotations" / "briefing.yaml", "speaker: china", "speaker: chna")
    result = run("validate", "--changed-from", "no-such-branch", cwd=repo)
    assert result.returncode == 1
    assert "git knows no commit `no-such-branch`" in result.stderr
    assert result.stdout == run("validate", cwd=repo).stdout
