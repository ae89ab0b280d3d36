"""The listing pages in Chromium on the seed archive's site: readable at 390 px (stacked rows, no
sideways scrolling), the claims filters arriving without moving the page, counts that follow them.

Screenshots land in tests/artifacts/ (not committed) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from build_tools.render import render_site
from tests.conftest import Site, serve
from tests.factory import synthetic_archive

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page, Route

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 390, "height": 844}
LISTINGS = (
    "claims/",
    "sources/",
    "speakers/",
    "claim-types/",
    "speakers/hua-chunying/",
    "claim-types/euphemism/",
)
LAYOUT_SHIFT = """new Promise((done) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  requestAnimationFrame(() => requestAnimationFrame(() => done(total)));
})"""
"""The page's cumulative layout shift so far, read after two frames have been drawn."""


@pytest.fixture(scope="module")
def base(seed_site: Site) -> Iterator[str]:
    with serve(seed_site.root) as url:
        yield url


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert errors == []


def _filters_ready(page: Page) -> None:
    page.wait_for_function(
        "document.querySelector('.archive-filters select[name=speaker]:not([disabled]) option:nth-child(2)')"
    )


@pytest.mark.parametrize("url", LISTINGS)
def test_listings_fit_a_phone(phone: Page, base: str, url: str) -> None:
    phone.goto(base + url)
    phone.wait_for_load_state("load")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # No table wider than the screen, nor scrolling sideways in its box (Material's or ours).
    for table in phone.locator(".archive-table table").all():
        assert table.evaluate("e => e.getBoundingClientRect().right <= innerWidth"), url
    for box in phone.locator(".archive-table, .archive-table .md-typeset__scrollwrap").all():
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), url
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / f"listing-phone-{url.strip('/').replace('/', '-')}.png"))


def test_claims_rows_are_stacked_on_a_phone(phone: Page, base: str) -> None:
    phone.goto(base + "claims/")
    row = phone.locator(".archive-claims tbody tr").first
    width = row.evaluate("e => e.getBoundingClientRect().width")
    statement = row.locator("td").first.evaluate("e => e.getBoundingClientRect().width")
    # The statement takes the row's whole width, not a fifth of it; the header row is not shown.
    assert statement >= width - 20
    assert statement > 300
    assert phone.locator(".archive-claims thead").evaluate("e => e.getBoundingClientRect().height") <= 1
    top = [cell.evaluate("e => e.getBoundingClientRect().top") for cell in row.locator("td").all()]
    bottom = row.locator("td").first.evaluate("e => e.getBoundingClientRect().bottom")
    # Speaker and claim type on one line under the statement, then the source, then the date.
    assert bottom - 1 < top[1] == top[2] < top[3] < top[4]


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_the_claims_filters_arrive_without_moving_the_page(browser: Browser, base: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 844})
    held: list[Route] = []
    page.route("**/claims/data/filters.json", lambda route: held.append(route))
    page.goto(base + "claims/")
    # The page is drawn with the filters' data still on its way, then it arrives.
    page.wait_for_load_state("load")
    assert page.locator(".archive-filters select[name=speaker]").is_disabled()
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    assert len(held) == 1
    held[0].continue_()
    _filters_ready(page)
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"claims-filters-{width}.png"))
    page.close()


def test_the_count_follows_the_filters(phone: Page, base: str) -> None:
    phone.goto(base + "claims/")
    count = phone.locator(".archive-claims__count")
    everything = count.inner_text()
    assert everything.endswith("annotated statements")
    _filters_ready(phone)
    phone.select_option("select[name=speaker]", "hua-chunying")
    phone.wait_for_function(
        "document.querySelector('.archive-filters__status').textContent.includes('match')"
    )
    rows = phone.locator(".archive-claims tbody tr").count()
    assert count.inner_text() == f"{rows} statements match the filters, of {everything}"
    phone.screenshot(path=str(ARTIFACTS / "claims-filtered-phone.png"), full_page=True)
    phone.locator(".archive-filters button[type=reset]").click()
    restored = "text => document.querySelector('.archive-claims__count').textContent === text"
    phone.wait_for_function(restored, arg=everything)


def test_the_outlet_filter_names_unknown_outlets(phone: Page, base: str) -> None:
    phone.goto(base + "claims/")
    _filters_ready(phone)
    outlets = phone.locator("select[name=outlet] option").all_inner_texts()
    assert outlets[-1].startswith("Outlet not known (")
    assert not [o for o in outlets if "unknown" in o.lower()]


def test_listing_tables_have_captions_and_column_headers(seed_site: Site) -> None:
    for url in ("claims/", "sources/", "speakers/", "claim-types/", "speakers/hua-chunying/"):
        page = seed_site.page(url)
        assert page.count("<table>") == page.count("<caption>") > 0, url
        assert "<th>" not in page, url
    assert "4 statements; 5 speakers" in seed_site.page("claim-types/euphemism/")


def test_a_listings_two_pagers_are_named_apart() -> None:
    pages = render_site(synthetic_archive(5), per_page=2)
    paginated = {uri: text for uri, text in pages.items() if 'class="archive-pager"' in text}
    kinds = {uri.split("/", 1)[0] for uri in paginated}
    assert kinds == {"claims", "claim-types", "sources", "speakers"}
    for uri, text in paginated.items():
        labels = re.findall(r'<nav class="archive-pager" aria-label="([^"]+)"', text)
        assert labels == ["Pages", "Pages, at the end of the list"], uri
