"""The generated files of a build: bodies made when asked for, or ahead by a forked process."""

from __future__ import annotations

import threading

import pytest

from build_tools import forking
from build_tools.generated import Generated, Settings
from build_tools.load import load_archive
from tests.conftest import CASES

CASE = CASES / "render-nested"


@pytest.mark.skipif(not forking.can_fork() or forking.cores() < 2, reason="needs fork and two cores")
def test_bodies_made_ahead_are_those_made_when_asked_for_in_any_order() -> None:
    archive = load_archive(CASE / "sources", CASE / "annotations", root=CASE).archive
    here, ahead = Generated(), Generated(ahead=True)
    files = here.files(archive, Settings())
    assert ahead.files(archive, Settings()) == files
    assert ahead.making_ahead
    pages = [file.uri for file in files if file.is_page]
    asked = pages[len(pages) // 2 :] + pages[: len(pages) // 2]  # not in the order planned
    try:
        assert [ahead.body(uri) for uri in asked] == [here.body(uri) for uri in asked]
        assert ahead.body(pages[0]) is None  # each body once
        assert ahead.body("not/a/page.md") is None
    finally:
        ahead.done(succeeded=True)
    assert not ahead.making_ahead


def test_a_process_running_threads_makes_the_bodies_itself() -> None:
    archive = load_archive(CASE / "sources", CASE / "annotations", root=CASE).archive
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        here, ahead = Generated(), Generated(ahead=True)
        files = ahead.files(archive, Settings())
        assert not ahead.making_ahead
        here.files(archive, Settings())
        page = next(file.uri for file in files if file.is_page)
        made = ahead.body(page)
        assert made is not None
        assert made == here.body(page)
    finally:
        release.set()
        other.join()
