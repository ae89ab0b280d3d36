"""The shareable page of each statement (plugin option ``statement_pages``): its preview tags, its
summary, its link to the statement in its article, with and without JavaScript."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import MappingProxyType
from typing import TYPE_CHECKING

import pytest
import yaml

from build_tools.exports.links import Site as LinkSite
from build_tools.gitlog import Commit
from build_tools.history import Event, History
from build_tools.render import Context
from build_tools.render.statements import render_statement
from build_tools.versions import Difference, FieldChange
from tests.conftest import CASES, SEED, Site, build_site, make_project, serve, set_option
from tests.factory import XSS_URLS, payload, xss_archive
from tests.sitecheck import parse, script_openings

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser

    from build_tools.model import Archive

SITE_URL = "https://archive.example/"


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The ``render-nested`` case built with a page per statement."""
    project = make_project(tmp_path_factory.mktemp("statements"), CASES / "render-nested")
    set_option(project, "statement_pages", "true")
    settings = (project / "mkdocs.yml").read_text(encoding="utf-8")
    settings = re.sub(r"^site_url: .*$", f"site_url: {SITE_URL}", settings, flags=re.MULTILINE)
    (project / "mkdocs.yml").write_text(settings, encoding="utf-8")
    return build_site(project)


class _Head(HTMLParser):
    """The ``<meta property>``, ``<link rel=canonical>`` and ``<a href>`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "meta" and "property" in values:
            self.meta[values["property"]] = values["content"]
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"]
        elif tag == "a":
            self.links.append(values["href"])


def _read(site: Site, annotation_id: str) -> _Head:
    head = _Head()
    head.feed(site.page(f"statements/{annotation_id}/"))
    return head


def test_every_statement_has_a_page_with_its_preview(shared_site: Site) -> None:
    pages = sorted(p.parent.name for p in (shared_site.root / "statements").glob("*/index.html"))
    ids = [
        annotation["id"]
        for name in ("briefing", "response")
        for annotation in yaml.safe_load((shared_site.project / "annotations" / f"{name}.yaml").read_text())[
            "annotations"
        ]
    ]
    assert pages == sorted(ids)
    head = _read(shared_site, "hua-double-standards")
    assert head.meta["og:title"].startswith("\u201c") and head.meta["og:title"].endswith("\u201d")
    assert head.meta["og:url"] == head.canonical == SITE_URL + "statements/hua-double-standards/"
    assert "Hua Chunying" in head.meta["og:description"]
    assert head.links[0] == "../../sources/briefing/#hua-double-standards"


def test_a_statement_page_is_small(shared_site: Site) -> None:
    sizes = [p.stat().st_size for p in (shared_site.root / "statements").glob("*/index.html")]
    assert max(sizes) < 2_500


def test_statement_pages_are_off_by_default(tmp_path: Path) -> None:
    project = make_project(tmp_path, SEED)
    set_option(project, "statement_pages", None)
    site = build_site(project)
    assert not (site.root / "statements").exists()
    assert "archive-card__page" not in site.page("sources/2019-02-25-reuters-xinjiang-envoys-briefing/")


def test_each_card_links_its_statement_page(shared_site: Site, browser: Browser) -> None:
    html = shared_site.page("sources/briefing/")
    links = re.findall(r'<a class="archive-card__page" href="([^"]+)">Statement page</a>', html)
    assert links[0] == "../../statements/hua-efforts/"
    assert len(links) == html.count('<article class="archive-card')
    for link in links:
        assert (shared_site.root / "sources" / "briefing" / link / "index.html").is_file()
    # Each has a name of its own, after its card's heading.
    page = browser.new_page()
    with serve(shared_site.root) as base:
        page.goto(base + "sources/briefing/")
        page.locator(".archive-panel").wait_for(state="attached")
        names = page.locator(".archive-card__page").evaluate_all("(all) => all.map((a) => a.ariaLabel)")
        assert names[0] == "Statement page of Statement 1: Hua Chunying · Euphemism"
        assert len(set(names)) == len(links)
    page.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_page_leads_to_the_statement_in_its_article(
    browser: Browser, shared_site: Site, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    with serve(shared_site.root) as base:
        page.goto(base + "statements/hua-double-standards/")
        assert page.locator("blockquote").inner_text().startswith("\u201c")
        page.get_by_role("link", name="Read it in the article, with its card").click()
        page.wait_for_url("**/sources/briefing/#hua-double-standards")
        assert page.locator("article#hua-double-standards").count() == 1
    context.close()


def _hostile_history(archive: Archive) -> History:
    """Two commits per statement, with a payload in every message and value git could give."""
    statements = {}
    for annotation in archive.annotations.values():
        key, label, source = annotation.id, payload("label"), annotation.source
        changes = (FieldChange("claim_type", payload("old"), payload("new")), FieldChange("note", "", ""))
        added = Difference("statement", "added", key, label, source)
        changed = Difference("statement", "changed", key, label, source, changes)
        statements[key] = (
            Event(Commit("a" * 40, 1_800_000_000, f"{payload('subject')}\n\n{payload('body')}", 0), added),
            Event(Commit("b" * 40, 1_800_086_400, payload("subject2"), 1), changed),
        )
    return History(statements=MappingProxyType(statements), known=True)


@pytest.mark.parametrize(
    "repo", [None, *XSS_URLS], ids=["no-repo", *(f"repo{i}" for i in range(len(XSS_URLS)))]
)
def test_contributors_text_stays_text(repo: str | None) -> None:
    archive = xss_archive()
    archive = archive.with_history(_hostile_history(archive))
    ctx = Context(archive, site=LinkSite(repo=repo))
    for annotation in archive.annotations.values():
        page = render_statement(ctx, annotation)
        assert "<h2>History</h2>" in page
        tags = set(re.findall(r"<([a-zA-Z][\w-]*)", page))
        assert tags <= {
            "html",
            "head",
            "meta",
            "title",
            "link",
            "style",
            "body",
            "main",
            "blockquote",
            "p",
            "cite",
            "a",
            "h2",
            "ol",
            "li",
            "time",
            "span",
            "strong",
            "q",
        }, tags
        assert script_openings({annotation.id: parse(page)}) == []
        for href in re.findall(r'href="([^"]*)"', page):
            assert href.startswith(("../../", ctx.site.base, "https://example.org/")), href
