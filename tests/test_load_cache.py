"""The dev server's cache of parsed and checked files (``LoadCache``) between loads."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from build_tools.load import LoadCache, load_archive
from tests.conftest import CASES

if TYPE_CHECKING:
    from pathlib import Path


def test_a_file_is_checked_again_only_when_it_its_source_or_a_registry_changed(tmp_path: Path) -> None:
    for folder in ("sources", "annotations"):
        shutil.copytree(CASES / "render-nested" / folder, tmp_path / folder)
    cache = LoadCache()
    first = load_archive(tmp_path / "sources", tmp_path / "annotations", root=tmp_path, cache=cache)
    kept = {path: checked for path, (_, checked) in cache.checked.items()}
    again = load_archive(tmp_path / "sources", tmp_path / "annotations", root=tmp_path, cache=cache)
    assert again.archive.annotations == first.archive.annotations
    assert again.problems == first.problems
    assert all(cache.checked[path][1] is checked for path, checked in kept.items())

    source = tmp_path / "sources/response.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("on Monday", "on a Monday"), encoding="utf-8"
    )
    load_archive(tmp_path / "sources", tmp_path / "annotations", root=tmp_path, cache=cache)
    rechecked = {path for path, (_, checked) in cache.checked.items() if checked is not kept[path]}
    assert rechecked == {"annotations/response.yaml"}

    with (tmp_path / "annotations/speakers.yaml").open("a", encoding="utf-8") as registry:
        registry.write("nobody:\n  name: Nobody\n")
    load_archive(tmp_path / "sources", tmp_path / "annotations", root=tmp_path, cache=cache)
    assert all(checked is not kept[path] for path, (_, checked) in cache.checked.items())
