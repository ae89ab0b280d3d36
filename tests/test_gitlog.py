"""When files were last committed, as git tells (a real repository made in the test)."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

from build_tools.gitlog import file_changes, last_commits

if TYPE_CHECKING:
    from pathlib import Path


def _commit(repo: Path, when: int, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"@{when} +0000",
        "GIT_COMMITTER_DATE": f"@{when} +0000",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True, env=env)


def test_each_file_has_the_time_of_its_last_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    sources, annotations = repo / "sources", repo / "annotations"
    sources.mkdir(parents=True)
    annotations.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (sources / "a.md").write_text("one\n", encoding="utf-8")
    (annotations / "a.yaml").write_text("one\n", encoding="utf-8")
    (repo / "README.md").write_text("elsewhere\n", encoding="utf-8")
    _commit(repo, 1_600_000_000, "add")
    (annotations / "a.yaml").write_text("two\n", encoding="utf-8")
    (sources / "é b.md").write_text("new\n", encoding="utf-8")
    _commit(repo, 1_700_000_000, "edit")
    (repo / "README.md").write_text("later, not asked for\n", encoding="utf-8")
    _commit(repo, 1_800_000_000, "readme")
    (sources / "uncommitted.md").write_text("\n", encoding="utf-8")

    assert last_commits([sources, annotations]) == {
        (sources / "a.md").resolve(): 1_600_000_000,
        (annotations / "a.yaml").resolve(): 1_700_000_000,
        (sources / "é b.md").resolve(): 1_700_000_000,
    }


def test_outside_a_repository_nothing_is_known(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    assert last_commits([tmp_path / "sources"]) == {}


def test_a_message_with_control_characters_is_read_whole(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "a.md").write_text("one\n", encoding="utf-8")
    message = "Fix \x1e the \x1f quote\n\nBecause \x1f\x1e it was wrong"
    _commit(tmp_path, 1_600_000_000, message)
    (tmp_path / "a.md").write_text("two\n", encoding="utf-8")
    _commit(tmp_path, 1_700_000_000, "Second")
    found = file_changes(tmp_path, [tmp_path])
    assert [(commit.message, commit.time, [c.path for c in changes]) for commit, changes in found] == [
        (message, 1_600_000_000, ["a.md"]),
        ("Second", 1_700_000_000, ["a.md"]),
    ]
    assert last_commits([tmp_path]) == {(tmp_path / "a.md").resolve(): 1_700_000_000}
