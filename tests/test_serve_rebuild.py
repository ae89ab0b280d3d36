"""The dev server's rebuilds (``mkdocs serve --dirty``, as ``make serve`` runs it), in process:
after an edit the site equals a clean build of the edited archive (but for the search index, the
exports and the statements' pages, made at the server's first build and kept), and pages the edit
cannot change are not written again."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.conftest import CASES, make_project

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

SERVE_URL = "http://127.0.0.1:8000/"


@pytest.fixture(params=[100, 1], ids=["per_page=100", "per_page=1"])
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Path:
    """The case's project; with one statement a page, every listing has several pages."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = make_project(tmp_path / "project", CASES / "render-nested")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "per_page: 100\n" in text
    config.write_text(text.replace("per_page: 100\n", f"per_page: {request.param}\n"), encoding="utf-8")
    return project


@pytest.fixture
def rebuild(project: Path, tmp_path: Path) -> Iterator[Callable[[], Path]]:
    """Build ``project`` as ``mkdocs serve --dirty`` does on each change; returns the site folder.

    MkDocs keeps the plugin instance for the whole process: it is put back in build mode after.
    """
    site = tmp_path / "served"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)

    def run() -> Path:
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)), serve_url=SERVE_URL, dirty=True)
        return site

    try:
        yield run
    finally:
        config.plugins.on_shutdown()
        config.plugins.on_startup(command="build", dirty=False)


def _clean_build(project: Path, site: Path) -> Path:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=project, check=True)
    return site


KEPT = ("pagefind/", "exports/", "statements/")
"""What the dev server makes at its first build and keeps."""


def _files(root: Path) -> list[str]:
    """Every file but those the dev server keeps from its first build."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not p.relative_to(root).as_posix().startswith(KEPT)
    )


def _assert_same_site(served: Path, clean: Path) -> None:
    files = _files(clean)
    assert _files(served) == files
    _, mismatch, errors = filecmp.cmpfiles(served, clean, files, shallow=False)
    assert (mismatch, errors) == ([], [])


STAMP = 4_000_000_000
"""A date (in 2096) given to every built file, so that a rewritten file shows; being later than
the project's files, it makes hand-written pages unmodified for MkDocs too."""


def _stamp(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (STAMP, STAMP))


def _rewritten(root: Path, url: str) -> bool:
    return (root / url / "index.html").stat().st_mtime != STAMP


def test_a_dirty_rebuild_equals_a_clean_build_and_skips_untouched_pages(
    project: Path, tmp_path: Path, rebuild: Callable[[], Path]
) -> None:
    site = rebuild()
    assert (site / "pagefind/pagefind.js").is_file()
    first_exports = (site / "exports/claims.csv.gz").read_bytes()
    annotations = project / "annotations/briefing.yaml"
    original = annotations.read_text(encoding="utf-8")
    # hua-efforts (on the briefing page) changes speaker; the response page shows its speakers in
    # the card of the statement rebutting it.
    edited = original.replace(
        "    speaker: hua-chunying\n    claim_type: euphemism\n    summary:",
        "    speaker: foreign-ministry\n    claim_type: euphemism\n    summary:",
        1,
    )
    assert edited != original
    _stamp(site)
    annotations.write_text(edited, encoding="utf-8")
    rebuild()
    _assert_same_site(site, _clean_build(project, tmp_path / "clean-edited"))
    for url in ("sources/briefing", "sources/response", "speakers/foreign-ministry", "speakers/hua-chunying"):
        assert _rewritten(site, url), url
    for url in ("claim-types/whataboutism", "speakers/unnamed-official"):
        assert not _rewritten(site, url), url
    assert (site / "pagefind/pagefind.js").is_file()
    assert (site / "exports/claims.csv.gz").read_bytes() == first_exports
    assert (tmp_path / "clean-edited/exports/claims.csv.gz").read_bytes() != first_exports

    annotations.write_text(original, encoding="utf-8")
    rebuild()
    _assert_same_site(site, _clean_build(project, tmp_path / "clean-original"))
