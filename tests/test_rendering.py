"""Making generated files beside the build (``build_tools.rendering``), in a forked process and in
this one, on a plan of real ``Planned`` files, with the pages written as MkDocs writes them."""

from __future__ import annotations

import os
import re
import time
from functools import partial
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_tools import rendering
from build_tools.load import can_fork
from build_tools.render import Planned

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

PAGES = 40
Renderer = rendering.Forked | rendering.Inline


def _body(uri: str) -> str:
    return (
        f'<p id="p-{uri}">{uri} \u201cquoted\u201d</p>' * 100
        + f'<script type="application/ld+json">"{uri}"</script>\n'
    )


def _plan(fail: str | None = None, made: Path | None = None) -> Callable[[], Iterator[Planned]]:
    def make(uri: str) -> str:
        if uri == fail:
            raise ValueError(f"cannot make {uri}")
        if made is not None:
            with made.open("a") as out:
                out.write(uri + "\n")
        return _body(uri)

    def plan() -> Iterator[Planned]:
        for number in range(PAGES):
            uri = f"pages/{number}.md"
            yield Planned(uri, f"---\ntitle: {number}\n---\n", partial(make, uri))
        yield Planned("data/rows.json", None, partial(make, "data/rows.json"))

    return plan


_PIECES = (
    ' id="',
    '"',
    "x",
    "\u00e9",
    "\u201c",
    " ",
    "\n",
    '<script type="application/ld+json">',
    "</script>",
    rendering.INDEXED,
)


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_a_body_is_prepared_as_regular_expressions_read_it(body: str) -> None:
    """A body's JSON-LD scripts (each with the line end after it) and its elements' ids are found
    by searching its UTF-8 as these regular expressions find them in its text."""
    parts = re.split(r'(<script type="application/ld\+json">.*?</script>\n?)', body, flags=re.S)
    ids = tuple(re.findall(r' id="([^"]+)"', body))
    expected = rendering.Body(
        "".join(parts[::2]).encode(),
        "".join(parts[1::2]).encode(),
        rendering.Facts(ids, rendering.INDEXED in body),
    )
    assert rendering.prepare(body) == expected


def _export(folder: Path) -> Iterator[None]:
    (folder / "exports").mkdir()
    with (folder / "exports/all.txt").open("w", encoding="utf-8") as out:
        for piece in ("every", "thing"):
            out.write(piece)
            yield


def _slow_job(number: int, folder: Path) -> Iterator[None]:
    time.sleep(0.3)
    (folder / f"job-{number}").write_text(str(os.getpid()), encoding="utf-8")
    yield


def _page(number: int) -> str:
    """A page as MkDocs renders it around the placeholder."""
    return f"<html><head><title>{number}</title></head><body>{rendering.PLACEHOLDER}</body></html>\n"


def _write(renderer: Renderer, folder: Path, number: int, page: str | None = None) -> rendering.Facts:
    """Place page ``number`` and write what MkDocs would write."""
    path = folder / f"{number}.html"
    output, facts = renderer.place(f"pages/{number}.md", page or _page(number), str(path))
    path.write_text(output, encoding="utf-8")
    return facts


@pytest.fixture(params=["forked", "inline"])
def start(request: pytest.FixtureRequest) -> Callable[..., Renderer]:
    def started(folder: Path, plan: Callable[[], Iterator[Planned]]) -> Renderer:
        made = rendering.Forked if request.param == "forked" else rendering.Inline
        return made(plan, [_export], folder)

    if request.param == "forked":
        assert can_fork()
    return started


def test_bodies_go_into_the_written_pages_in_any_order_and_other_files_into_the_ready_folder(
    start: Callable[..., Renderer], tmp_path: Path
) -> None:
    renderer = start(tmp_path, _plan())
    planned = renderer.planned()
    assert planned[0] == ("pages/0.md", "---\ntitle: 0\n---\n")
    assert planned[-1] == ("data/rows.json", None)
    for number in [*range(PAGES - 1, 20, -1), *range(21)]:
        facts = _write(renderer, tmp_path, number)
        assert facts == rendering.Facts((f"p-pages/{number}.md",) * 100, indexed=False)
    time.sleep(0.5)  # time enough for the other files, were they not held back
    assert not (tmp_path / "data").exists()  # nothing is written before the folder is ready
    renderer.ready()
    renderer.finish()
    for number in range(PAGES):
        body = _body(f"pages/{number}.md")
        script = body[body.index("<script") :]
        assert (tmp_path / f"{number}.html").read_text(encoding="utf-8") == (
            f"<html><head><title>{number}</title>{script}</head><body>{body.replace(script, '')}"
            "</body></html>\n"
        )
    assert (tmp_path / "data/rows.json").read_text(encoding="utf-8") == _body("data/rows.json")
    assert (tmp_path / "exports/all.txt").read_text(encoding="utf-8") == "everything"
    assert renderer.waited > 0


def test_bodies_are_made_ahead_only_so_far_unless_wanted_and_the_other_files_are_written_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tmp_path / "made"
    monkeypatch.setattr(rendering, "AHEAD", 1)  # one body held at most
    renderer = rendering.Forked(_plan(made=made), [_export], tmp_path)
    renderer.planned()
    time.sleep(0.5)  # time enough to make every page, were they not held back
    assert made.read_text().split() == ["pages/0.md"]
    assert not (tmp_path / "exports").exists()  # not before the folder is ready
    renderer.ready()
    time.sleep(0.5)  # time enough for the other files, while the process waits
    assert (tmp_path / "exports/all.txt").read_text(encoding="utf-8") == "everything"
    assert made.read_text().split() == ["pages/0.md", "data/rows.json"]
    _write(renderer, tmp_path, 30)
    assert len(made.read_text().split()) == 32
    for number in range(30):
        _write(renderer, tmp_path, number)
    renderer.finish()
    assert rendering.PLACEHOLDER not in (tmp_path / "29.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("fail", ["pages/7.md", "data/rows.json"])
def test_a_failure_to_make_a_file_says_which_and_why(
    start: Callable[..., Renderer], tmp_path: Path, fail: str
) -> None:
    renderer = start(tmp_path, _plan(fail))
    renderer.planned()
    renderer.ready()
    finishing = False
    with pytest.raises(
        rendering.RenderError, match=f"making the site's files failed:(.|\n)*cannot make {fail}"
    ):
        for number in range(PAGES):
            _write(renderer, tmp_path, number)
        finishing = True
        renderer.finish()
    # A page's failure is told when the page is placed, and the build's error handler stops the
    # process; the other file's, when it is placed or (had it not been made by then) in finish(),
    # which ends the process itself.
    if isinstance(renderer, rendering.Forked) and finishing:
        assert not renderer._process.is_alive()
    renderer.stop()


def test_a_page_that_lost_its_placeholder_fails_the_build(
    start: Callable[..., Renderer], tmp_path: Path
) -> None:
    renderer = start(tmp_path, _plan())
    renderer.planned()
    renderer.ready()
    with pytest.raises(rendering.RenderError, match="no placeholder `<!--archive:page-body-->`"):
        for number in range(PAGES):
            _write(renderer, tmp_path, number, None if number != 3 else "<html>minified</html>")
        renderer.finish()
    renderer.stop()


def test_a_build_that_gives_up_ends_the_process(tmp_path: Path) -> None:
    renderer = rendering.Forked(_plan(), [_export], tmp_path)
    renderer.planned()
    renderer.stop()
    assert not renderer._process.is_alive()
    assert not (tmp_path / "exports").exists()  # the folder was never ready


def test_the_build_does_its_share_of_the_jobs_left_once_the_pages_are_written(tmp_path: Path) -> None:
    renderer = rendering.Forked(_plan(), [partial(_slow_job, n) for n in range(4)], tmp_path)
    renderer.planned()
    renderer.ready()
    for number in range(PAGES):
        _write(renderer, tmp_path, number)
    renderer.finish()
    done_by = {(tmp_path / f"job-{n}").read_text(encoding="utf-8") for n in range(4)}
    assert done_by == {str(os.getpid()), str(renderer._process.pid)}


def test_what_the_build_does_while_the_process_ends_comes_once_it_holds_no_job(
    start: Callable[..., Renderer], tmp_path: Path
) -> None:
    renderer = start(tmp_path, _plan())
    renderer.planned()
    renderer.ready()
    for number in range(PAGES):
        _write(renderer, tmp_path, number)
    jobs_held: list[object] = []
    renderer.finish(lambda: jobs_held.append(renderer._jobs))
    assert jobs_held == [()]
    assert (tmp_path / "exports/all.txt").read_text(encoding="utf-8") == "everything"
