"""`mkdocs serve` (as `make serve` runs it): with errors in the archive it starts, answers every
request, serves the last good site, and lists the problems on every page in an overlay; on an
article's page, a selection can be copied as an annotation. Only the dev server adds either."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from build_tools.load import load_archive
from tests.conftest import CASES, make_project

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser

    from tests.conftest import Site

GOOD = "    speaker: hua-chunying\n    claim_type: euphemism\n    summary: Hua calls"
INDENTED = "   speaker: hua-chunying\n    claim_type: euphemism\n    summary: Hua calls"
HOSTILE = GOOD.replace("hua-chunying", '"<img src=x onerror=window.hacked=1>"')
SUMMARY = "Hua calls the camps efforts to save people."
"""Shown on the article's page only while ``hua-efforts`` is in the archive."""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project", CASES / "render-nested")
    annotations = project / "annotations" / "briefing.yaml"
    text = annotations.read_text(encoding="utf-8")
    assert GOOD in text
    annotations.write_text(text.replace(GOOD, INDENTED), encoding="utf-8")
    return project


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _serving(project: Path, *options: str) -> Iterator[str]:
    """``mkdocs serve`` of ``project`` with ``options``; yields its address."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *options, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def served(project: Path) -> Iterator[str]:
    """The project served as ``make serve`` does."""
    with _serving(project, "--dirty") as address:
        yield address


def _get(url: str) -> str | None:
    """The body at ``url``; ``None`` while the server is not listening yet. A request that hangs
    fails the test (the timeout raises)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except ConnectionRefusedError:
        return None
    except urllib.error.URLError as error:
        if isinstance(error.reason, ConnectionRefusedError):
            return None
        raise


def _until(url: str, wanted: str, *, seconds: float = 60) -> str:
    """The body at ``url`` once it holds ``wanted`` (polled: a rebuild takes its time)."""
    deadline = time.monotonic() + seconds
    while True:
        body = _get(url)
        if body is not None and wanted in body:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} never showed {wanted!r}; last: {body!r}")
        time.sleep(0.2)


def _problems(served: str) -> dict[str, object]:
    return dict(json.loads(_get(served + "_archive/problems.json") or "{}"))


def test_serve_starts_with_errors_answers_and_keeps_the_last_good_site(
    project: Path, served: str, browser: Browser
) -> None:
    page = served + "sources/briefing/"
    # Started with an error: the valid part of the archive is served, the error listed.
    first = _until(page, "</html>")
    assert SUMMARY not in first
    assert "_archive/serve.js" in first
    report = _until(served + "_archive/problems.json", "yaml-syntax")
    assert json.loads(report)["problems"] == [
        "annotations/briefing.yaml:4:4: error: YAML syntax: expected an indentation of 4 spaces "
        "(as `quote` on line 3) or 0 or 2 (to close the list or mapping open there), found 3; "
        "indent it by 4 spaces [yaml-syntax]"
    ]

    annotations = project / "annotations" / "briefing.yaml"
    text = annotations.read_text(encoding="utf-8")
    annotations.write_text(text.replace(INDENTED, GOOD), encoding="utf-8")
    _until(served + "_archive/problems.json", '"problems": []')
    assert SUMMARY in _until(page, SUMMARY)

    # A new error: every request is answered at once, from the last good site, and the overlay
    # shows the contributor's text as text.
    annotations.write_text(text.replace(INDENTED, HOSTILE), encoding="utf-8")
    _until(served + "_archive/problems.json", "unknown-speaker")
    assert SUMMARY in (_get(page) or "")
    title = "1 error in the archive: the site shows the archive as it was before them."
    assert _problems(served)["title"] == title

    tab = browser.new_page()
    try:
        tab.goto(page)
        overlay = tab.locator("#archive-problems")
        overlay.wait_for()
        assert "unknown speaker `<img src=x onerror=window.hacked=1>`" in overlay.inner_text()
        assert overlay.locator("img").count() == 0
        assert tab.evaluate("window.hacked") is None
        assert tab.get_by_text(SUMMARY).count() > 0
    finally:
        tab.close()


@pytest.fixture
def fixed(project: Path) -> Path:
    annotations = project / "annotations" / "briefing.yaml"
    annotations.write_text(annotations.read_text(encoding="utf-8").replace(INDENTED, GOOD), encoding="utf-8")
    return project


def test_a_rebuild_that_fails_is_listed_and_requests_are_still_answered(fixed: Path) -> None:
    """With ``--strict`` a warning fails the rebuild, which MkDocs' own server would answer by
    holding every request until it is fixed."""
    with _serving(fixed, "--strict") as served:
        _fails_and_answers(fixed, served)


def _fails_and_answers(fixed: Path, served: str) -> None:
    page = served + "sources/briefing/"
    _until(page, SUMMARY)
    annotations = fixed / "annotations" / "briefing.yaml"
    text = annotations.read_text(encoding="utf-8")
    annotations.write_text(
        text.replace("speaker: hua-chunying", "speaker: hua-chunying\n    attribution: reported", 1)
    )
    report = _until(served + "_archive/problems.json", "strict mode")
    assert (
        json.loads(report)["title"]
        == "1 error in the archive: the site shows the archive as it was before them."
    )
    assert SUMMARY in (_get(page) or "")


def test_the_published_site_has_no_overlay(nested_site: Site) -> None:
    assert "serve.js" not in nested_site.page("sources/briefing/")
    assert not list(nested_site.root.rglob("serve.js"))
    assert not list(nested_site.root.rglob("annotate.js"))
    assert not list(nested_site.root.rglob("problems.json"))


SELECT = """(word) => {
    const paragraph = document.querySelectorAll(".archive-text p")[1];
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(word);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        document.dispatchEvent(new MouseEvent("mouseup"));
        return true;
    }
    return false;
}"""


def test_a_selection_is_copied_as_an_annotation_the_validator_anchors_there(
    fixed: Path, browser: Browser
) -> None:
    """`said` occurs twice in the article; the second one needs the word before it."""
    with _serving(fixed, "--dirty") as served:
        _until(served + "sources/briefing/", "</html>")
        tab = browser.new_page()
        try:
            tab.goto(served + "sources/briefing/")
            tab.locator("html[data-archive-annotate=ready]").wait_for()
            assert tab.evaluate(SELECT, "said")
            tab.locator("#archive-annotate").click()
            yaml = tab.locator(".archive-annotate-yaml").inner_text()
            # A quote that occurs once needs no context.
            assert tab.evaluate(SELECT, "internment camps")
            tab.locator("#archive-annotate").click()
            tab.locator(".archive-annotate-yaml", has_text="internment").wait_for()
            once = tab.locator(".archive-annotate-yaml").inner_text().splitlines()
        finally:
            tab.close()
    assert yaml.splitlines()[:4] == [
        "# add to annotations/briefing.yaml, under annotations:",
        "  - id: choose-an-id",
        '    quote: "said"',
        '    prefix: "later"',
    ]
    assert yaml.splitlines()[4].startswith("    speaker: choose  # ")
    assert once[2:4] == [
        '    quote: "internment camps"',
        "    speaker: choose  # foreign-ministry, hua-chunying, rights-groups"
        " (all: annotations/speakers.yaml)",
    ]
    annotations = fixed / "annotations" / "briefing.yaml"
    entry = "".join(yaml.splitlines(keepends=True)[1:])
    entry = entry.replace("choose-an-id", "ministry-said").replace(
        "claim_type: choose", "claim_type: euphemism"
    )
    entry = entry.split("speaker: choose")[0] + "speaker: foreign-ministry\n    claim_type: euphemism\n"
    annotations.write_text(annotations.read_text(encoding="utf-8") + entry, encoding="utf-8")
    loaded = load_archive(fixed / "sources", fixed / "annotations", root=fixed)
    assert [p for p in loaded.problems if p.level.value != "notice"] == []
    added = loaded.archive.annotations["ministry-said"]
    body = loaded.archive.sources["briefing"].body
    assert added.start == body.index("later said") + len("later ")
