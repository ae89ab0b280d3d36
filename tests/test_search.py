"""Search with Pagefind on the seed articles (cases/seed): what is indexed, a reader's query in Chromium."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest
import yaml

from tests.conftest import NAV_PAGES, SEED, Site, build_site, make_project, serve

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The seed archive with one article in each part of the search index (as a large archive has
    thousands in each)."""
    project = make_project(tmp_path_factory.mktemp("parted"), SEED)
    settings = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        settings.replace("      per_page: 100\n", "      per_page: 100\n      search_part_size: 1\n"),
        encoding="utf-8",
    )
    return build_site(project)


@pytest.fixture(scope="module", params=["one index", "two parts"])
def base(request: pytest.FixtureRequest, seed_site: Site, parted_site: Site) -> Iterator[str]:
    """Each reader's test runs on the seed site indexed whole, and indexed in two parts."""
    with serve(seed_site.root if request.param == "one index" else parted_site.root) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(10_000)
    yield page
    page.close()
    assert errors == []


SETTLED = """() => {
    const status = document.querySelector('.archive-search__status')?.textContent || '';
    const found = /^(\\d+) pages? match/.exec(status);
    return found !== null
        && document.querySelectorAll('.archive-search__result').length === Math.min(Number(found[1]), 10);
}"""
"""True once the search has said how many pages match and listed them (ten at a time)."""


def _results(page: Page) -> list[str]:
    page.wait_for_function(SETTLED)
    return [a.get_attribute("href") or "" for a in page.locator(".archive-search__title a").all()]


def test_articles_hand_written_pages_and_profiles_are_indexed(seed_site: Site) -> None:
    entry = json.loads((seed_site.root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 2 + len(NAV_PAGES) + _profiles()
    assert "data-pagefind-body" in seed_site.page("sources/2019-02-25-reuters-xinjiang-envoys-briefing/")
    for listing in ("sources/", "speakers/", "claim-types/", "claims/", "search/"):
        assert "data-pagefind-body" not in seed_site.page(listing), listing
    # A speaker's and a claim type's page: the profile is indexed, not the list of statements (the
    # articles' words, indexed on their pages).
    profiles = (("speakers/hua-chunying/", "Hua Chunying"), ("claim-types/euphemism/", "Euphemism"))
    for profile, name in profiles:
        indexed = _indexed_classes(seed_site.page(profile))
        assert "archive-byline" in indexed
        assert "archive-statements" not in indexed
        assert name in seed_site.page(profile).split("data-pagefind-body", 1)[1].split("</p>", 1)[0]


def _profiles() -> int:
    """How many speakers' and claim types' pages the seed archive has (each is indexed)."""
    return sum(
        len(yaml.safe_load((SEED / "annotations" / name).read_text(encoding="utf-8")))
        for name in ("speakers.yaml", "claim_types.yaml")
    )


class _Indexed(HTMLParser):
    """The classes of the elements inside the element marked ``data-pagefind-body``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.classes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        values = dict(attrs)
        if self.depth or "data-pagefind-body" in values:
            self.depth += 1
            self.classes.update((values.get("class") or "").split())

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1


def _indexed_classes(page: str) -> set[str]:
    parser = _Indexed()
    parser.feed(page)
    return parser.classes


def test_a_large_archive_is_indexed_in_parts(parted_site: Site) -> None:
    bundle = parted_site.root / "pagefind"
    first = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    second = json.loads((bundle / "part-2" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert first["languages"]["en"]["page_count"] == 1 + len(NAV_PAGES) + _profiles()
    assert second["languages"]["en"]["page_count"] == 1
    assert not (bundle / "part-3").exists()
    assert 'data-parts="part-2/"' in parted_site.page("search/")


def test_a_query_finds_articles_and_filters_narrow_them(page: Page, base: str) -> None:
    page.goto(base + "search/?q=vocational")
    page.wait_for_selector(".archive-search__result")
    everything = _results(page)
    # The two articles, and the speaker whose profile names "vocational".
    assert sorted("/".join(result.rstrip("/").split("/")[-2:]) for result in everything) == [
        "sources/2018-china-likens-xinjiang-camps-to-western-counterterrorism",
        "sources/2019-02-25-reuters-xinjiang-envoys-briefing",
        "speakers/shohrat-zakir",
    ]
    assert not page.locator(".archive-search__more").is_visible()
    marks = page.locator(".archive-search__result mark").all_inner_texts()
    assert marks and all("vocational" in mark.lower() for mark in marks)
    page.locator(".archive-search__more-filters summary").click()
    page.locator("select[name='outlet']").select_option("Reuters")
    page.wait_for_function("document.querySelectorAll('.archive-search__result').length === 1")
    [only] = _results(page)
    assert only.endswith("/sources/2019-02-25-reuters-xinjiang-envoys-briefing/")
    assert "outlet=Reuters" in page.url


def test_filters_alone_list_articles_by_speaker(page: Page, base: str) -> None:
    page.goto(base + "search/")
    page.locator(".archive-search__more-filters summary").click()
    page.locator("select[name='speaker']").select_option("Kelley Currie")
    page.wait_for_selector(".archive-search__result")
    assert [r.rsplit("/", 2)[1] for r in _results(page)] == [
        "2018-china-likens-xinjiang-camps-to-western-counterterrorism"
    ]


def test_filters_alone_list_articles_newest_first(page: Page, base: str) -> None:
    page.goto(base + "search/?claim+type=Euphemism")
    page.wait_for_function("document.querySelectorAll('.archive-search__result').length === 2")
    assert [r.rsplit("/", 2)[1] for r in _results(page)] == [
        "2019-02-25-reuters-xinjiang-envoys-briefing",
        "2018-china-likens-xinjiang-camps-to-western-counterterrorism",
    ]


def test_names_in_chinese_script_are_found(page: Page, base: str) -> None:
    page.goto(base + "search/?q=" + "华春莹")
    page.wait_for_selector(".archive-search__result")
    assert any("2018-china-likens" in href for href in _results(page))


def test_the_header_box_searches_from_any_page(page: Page, base: str) -> None:
    page.goto(base + "speakers/hua-chunying/")
    page.locator(".archive-header-search input").fill("double standards")
    page.keyboard.press("Enter")
    page.wait_for_selector(".archive-search__result")
    assert page.locator(".archive-search input[name='q']").input_value() == "double standards"
    assert any("2018-china-likens" in href for href in _results(page))


def test_filters_in_the_address_are_applied_on_arrival(page: Page, base: str) -> None:
    page.goto(base + "search/?speaker=Kelley+Currie")
    page.wait_for_selector(".archive-search__result")
    assert page.locator(".archive-search__more-filters").get_attribute("open") is not None
    assert page.locator("select[name='speaker']").input_value() == "Kelley Currie"
    assert len(_results(page)) == 1
