"""Golden cases for the renderer: each ``tests/cases/render-*/`` folder holds an archive and, under
``expected/``, every file the renderer generates from it (``_home.md``: the home page figures).
Set UPDATE_GOLDEN=1 to rewrite the expected files after an intended change, then review the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_tools.load import load_archive
from build_tools.problems import Level
from build_tools.render import render_home, render_site

CASES = sorted(p for p in (Path(__file__).parent / "cases").glob("render-*") if p.is_dir())
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
HOME = "_home.md"


def _generated(case: Path) -> dict[str, str]:
    loaded = load_archive(case / "sources", case / "annotations", root=case)
    assert [str(p) for p in loaded.problems if p.level is not Level.NOTICE] == []
    files = render_site(loaded.archive)
    files[HOME] = render_home(loaded.archive)
    return files


def _expected(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_generated_files_match_the_golden_copy(case: Path) -> None:
    actual = _generated(case)
    folder = case / "expected"
    if UPDATE:
        for stale in set(_expected(folder)) - set(actual) if folder.exists() else ():
            (folder / stale).unlink()
        for uri, content in actual.items():
            target = folder / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    expected = _expected(folder)
    assert sorted(actual) == sorted(expected)
    for uri, content in actual.items():
        assert content == expected[uri], f"{case.name}/expected/{uri} differs (UPDATE_GOLDEN=1 rewrites it)"


def test_there_is_a_golden_case_with_nested_spans() -> None:
    assert any((case / "expected" / "sources").is_dir() for case in CASES)
