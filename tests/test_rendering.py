"""Making generated files beside the build (``build_tools.rendering``), in a forked process and in
this one, on a plan of real ``Planned`` files."""

from __future__ import annotations

import os
import time
from functools import partial
from typing import TYPE_CHECKING

import pytest

from build_tools import rendering
from build_tools.load import can_fork
from build_tools.render import Planned

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

PAGES = 40


def _plan(fail: str | None = None) -> Callable[[], Iterator[Planned]]:
    def make(uri: str) -> str:
        if uri == fail:
            raise ValueError(f"cannot make {uri}")
        return f"<p>{uri}</p>" * 1000

    def plan() -> Iterator[Planned]:
        for number in range(PAGES):
            uri = f"pages/{number}.md"
            yield Planned(uri, f"---\ntitle: {number}\n---\n", partial(make, uri))
        yield Planned("data/rows.json", None, partial(make, "data/rows.json"))

    return plan


def _finish(folder: Path) -> None:
    (folder / "exports").mkdir()
    (folder / "exports/all.txt").write_text("everything", encoding="utf-8")


@pytest.fixture(params=["forked", "inline"])
def start(request: pytest.FixtureRequest) -> Callable[..., rendering.Forked[str] | rendering.Inline[str]]:
    def started(
        folder: Path, plan: Callable[[], Iterator[Planned]]
    ) -> rendering.Forked[str] | rendering.Inline[str]:
        made = rendering.Forked if request.param == "forked" else rendering.Inline
        return made(plan, str.upper, _finish, folder)

    if request.param == "forked":
        assert can_fork()
    return started


def test_pages_come_in_any_order_and_other_files_go_into_the_ready_folder(
    start: Callable[..., rendering.Forked[str] | rendering.Inline[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rendering, "AHEAD", 10_000)  # a few pages ahead at most
    renderer = start(tmp_path, _plan())
    planned = renderer.planned()
    assert planned[0] == ("pages/0.md", "---\ntitle: 0\n---\n")
    assert planned[-1] == ("data/rows.json", None)
    renderer.collect()
    for number in [*range(PAGES - 1, 20, -1), *range(21)]:
        assert renderer.body(f"pages/{number}.md") == f"<P>PAGES/{number}.MD</P>" * 1000
    time.sleep(0.5)  # time enough for the other files, were they not held back
    assert not (tmp_path / "data").exists()  # nothing is written before the folder is ready
    renderer.ready()
    renderer.finish()
    assert (tmp_path / "data/rows.json").read_text(encoding="utf-8") == "<p>data/rows.json</p>" * 1000
    assert (tmp_path / "exports/all.txt").read_text(encoding="utf-8") == "everything"
    assert renderer.waited > 0


@pytest.mark.parametrize("fail", ["pages/7.md", "data/rows.json"])
def test_a_failure_to_make_a_file_says_which_and_why(
    start: Callable[..., rendering.Forked[str] | rendering.Inline[str]], tmp_path: Path, fail: str
) -> None:
    renderer = start(tmp_path, _plan(fail))
    renderer.planned()
    renderer.ready()
    with pytest.raises(
        rendering.RenderError, match=f"making the site's files failed:(.|\n)*cannot make {fail}"
    ):
        for number in range(PAGES):
            renderer.body(f"pages/{number}.md")
        renderer.finish()
    if isinstance(renderer, rendering.Forked) and fail == "data/rows.json":  # failed in finish()
        assert not any(process.is_alive() for process in renderer._processes)
    renderer.stop()


def test_a_build_that_gives_up_ends_the_processes(tmp_path: Path) -> None:
    renderer = rendering.Forked(_plan(), str.upper, _finish, tmp_path)
    renderer.planned()
    processes = list(renderer._processes)
    renderer.stop()
    assert [p.is_alive() for p in processes] == [False, False]
    assert not (tmp_path / "exports").exists()  # the folder was never ready


def test_the_other_files_are_made_at_the_lowest_priority(tmp_path: Path) -> None:
    seen = tmp_path / "niceness"

    def finish(folder: Path) -> None:
        seen.write_text(str(os.nice(0)), encoding="utf-8")

    renderer = rendering.Forked(_plan(), str.upper, finish, tmp_path)
    renderer.planned()
    renderer.ready()
    for number in range(PAGES):
        renderer.body(f"pages/{number}.md")
    renderer.finish()
    assert int(seen.read_text(encoding="utf-8")) == rendering.LOWEST
