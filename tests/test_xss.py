"""Contributors' text is untrusted: XSS payloads in every field, checked in the built HTML and in
headless Chromium, where none may run.

The archive is handed to the plugin directly (in place of the loader), so that fields the validator
would refuse (dangerous URLs, odd dates, a bad language tag) reach the renderer too: the renderer
must be safe on its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from typing import TYPE_CHECKING

import pytest

from build_tools import plugin
from build_tools.load import Loaded
from tests.conftest import CASES, Site, build_site, make_project, serve
from tests.factory import xss_archive
from tests.sitecheck import html_pages, script_openings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Dialog, Page

PAGES = [
    "",
    "sources/",
    "sources/xss/",
    "speakers/",
    "speakers/evil/",
    "claim-types/",
    "claim-types/evil-type/",
    "claim-types/plain/",
    "claims/",
    "claims/?speaker=evil",
    "claims/?type=evil-type&outlet=unknown",
]


@pytest.fixture(scope="session")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    archive = xss_archive()
    project = make_project(tmp_path_factory.mktemp("xss"), CASES / "render-nested")
    with pytest.MonkeyPatch.context() as patch:  # for this build only: later tests build others
        patch.setattr(plugin, "load_archive", lambda *args, **kwargs: Loaded(archive, [], 0))
        return build_site(project)


def test_no_payload_becomes_markup(xss_site: Site) -> None:
    pages = html_pages(xss_site.root)
    assert len(pages) > 10
    assert script_openings(pages) == []
    for name, page in pages.items():
        for element in page.elements:
            where = f"{name}: <{element.tag} {element.attrs}>"
            assert element.tag not in ("xss-probe", "img"), where
            if element.tag == "details":  # only the search filters
                assert element.attrs.get("class") == "archive-search__more-filters", where


def test_inline_scripts_are_materials_own_or_inert_json_ld(xss_site: Site) -> None:
    seen_json_ld = 0
    for path in xss_site.root.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            if 'type="application/ld+json"' in attributes:
                seen_json_ld += 1
                assert "<" not in body, path
                assert "__xss" in json.dumps(json.loads(body)) or "xss" not in path.as_posix(), path
            else:
                assert "__xss" not in body, path
    assert seen_json_ld >= 2


def test_outside_links_are_nofollow_noopener(xss_site: Site) -> None:
    for name, page in html_pages(xss_site.root).items():
        for element in page.elements:
            href = str(element.attrs.get("href") or "")
            if element.tag == "a" and re.match(r"https?://", href) and "squidfunk.github.io" not in href:
                assert set(str(element.attrs.get("rel")).split()) >= {"nofollow", "noopener"}, (name, href)


def test_payloads_are_shown_as_text(xss_site: Site) -> None:
    page = xss_site.page("sources/xss/")
    assert "&lt;script&gt;window.__xss=&quot;body&quot;&lt;/script&gt;" in page
    assert "&lt;script&gt;window.__xss=&quot;summary&quot;&lt;/script&gt;" in page
    assert "<title>&lt;script&gt;window.__xss=&quot;title&quot;" in page


@pytest.fixture(scope="module")
def xss_base(xss_site: Site) -> Iterator[str]:
    with serve(xss_site.root) as base:
        yield base


def _record_dialogs(page: Page) -> list[str]:
    """Every alert/confirm/prompt the page opens (dismissed at once)."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def _settle(page: Page) -> None:
    """Wait until nothing a payload could have started is pending: the network is idle (an image's
    error handler would have fired) and the page has painted twice (queued tasks have run)."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def _search_settled(page: Page) -> None:
    """Wait until the search has said how many pages match and listed them."""
    page.wait_for_function(
        """() => {
            const found = /^(\\d+) pages? match/.exec(
                document.querySelector('.archive-search__status')?.textContent || '');
            return found !== null && document.querySelectorAll('.archive-search__result').length
                === Math.min(Number(found[1]), 10);
        }"""
    )


def _exercise(page: Page) -> None:
    """Do what a reader does: hover and select highlights, open the citations, use the filters."""
    for highlight in page.locator("a.archive-hl").all()[:6]:
        highlight.hover()
        highlight.click()
    for link in page.locator(".archive-card a[href^='#']").all()[:6]:
        link.click()
    for summary in page.locator(".archive-card__cite summary").all()[:6]:
        summary.click()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")


@pytest.mark.parametrize("url", PAGES)
def test_no_payload_runs_in_chromium(browser: Browser, xss_base: str, url: str) -> None:
    page = browser.new_page()
    dialogs = _record_dialogs(page)
    page.goto(xss_base + url)
    page.wait_for_load_state("networkidle")
    _exercise(page)
    _settle(page)
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    if url == "sources/xss/":
        assert "<script>window.__xss" in page.locator(".archive-card__cite").first.inner_text()
    if url.startswith("claims/?"):
        assert page.locator(".archive-claims tbody tr").count() >= 1
        assert "<script>window.__xss" in page.locator(".archive-claims tbody").inner_text()
    page.close()


def test_no_payload_runs_from_search_results(browser: Browser, xss_base: str) -> None:
    page = browser.new_page()
    dialogs = _record_dialogs(page)
    page.goto(xss_base)
    page.wait_for_load_state("networkidle")
    page.locator(".archive-header-search input").fill("window.__xss")
    page.keyboard.press("Enter")
    page.wait_for_selector(".archive-search__result", timeout=10_000)
    _search_settled(page)
    assert "__xss" in page.locator(".archive-search__results").inner_text()
    page.locator(".archive-search__more-filters summary").click()
    page.wait_for_selector("select[name='outlet']")
    assert "__xss" in page.locator(".archive-search__filters").inner_text()
    for name in ("speaker", "outlet"):
        # Cleared first, so that waiting for it waits for this search, not the previous one.
        page.evaluate("document.querySelector('.archive-search__status').textContent = ''")
        page.locator(f"select[name='{name}']").select_option(index=1)
        _search_settled(page)
    _settle(page)
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    page.close()


def test_the_payload_archive_covers_every_field() -> None:
    archive = xss_archive()
    items: dict[str, object] = {
        "source": archive.sources["xss"],
        "speaker": archive.speakers["evil"],
        "claim type": archive.claim_types["evil-type"],
        "annotation": archive.annotations["xss-0"],
    }
    structural = {"id", "pos", "path", "body_line", "start", "end", "source", "speakers", "claim_type"}
    for kind, item in items.items():
        empty = [f.name for f in fields(item) if f.name not in structural and not getattr(item, f.name)]  # type: ignore[arg-type]
        assert empty == [], kind
