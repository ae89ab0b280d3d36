"""The built site in headless Chromium: highlights, cards, permalinks, filters, both palettes.

Screenshots land in tests/artifacts/ (not committed) for a person to look at; the layout checks that
can be automated (no horizontal overflow, highlights visible against the page) are asserted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import Site, serve

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

ARTIFACTS = Path(__file__).parent / "artifacts"
SCHEMES = {"light": "default", "dark": "slate"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def base(nested_site: Site) -> Iterator[str]:
    with serve(nested_site.root) as url:
        yield url


@dataclass(frozen=True)
class View:
    page: Page
    name: str


@pytest.fixture(params=[(s, v) for s in SCHEMES for v in VIEWPORTS], ids=lambda p: f"{p[0]}-{p[1]}")
def view(request: pytest.FixtureRequest, browser: Browser) -> Iterator[View]:
    """A fresh page in one palette and viewport; it fails the test on any console error."""
    scheme, viewport = request.param
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORTS[viewport])  # type: ignore[arg-type]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(10_000)
    yield View(page, f"{scheme}-{viewport}")
    context.close()
    assert errors == []


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _wait_for_hash(page: Page, fragment: str) -> None:
    """Wait until the address ends in ``fragment`` (a click's navigation may finish after it returns)."""
    page.wait_for_function("(fragment) => location.hash === fragment", arg=fragment)


def _shot(view: View, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    view.page.screenshot(path=ARTIFACTS / f"{name}-{view.name}.png", full_page=True)


def _assert_layout(page: Page) -> None:
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme in SCHEMES.values()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_source_page_highlights_cards_and_permalinks(view: View, base: str) -> None:
    page = view.page
    _open(page, base + "sources/briefing/")
    _assert_layout(page)
    colours = page.evaluate(
        """() => {
            const page = getComputedStyle(document.body).backgroundColor;
            return [...document.querySelectorAll('a.archive-hl')].map(
                (a) => [getComputedStyle(a).backgroundColor, page]);
        }"""
    )
    assert len(colours) == 8
    for highlight, background in colours:
        assert highlight not in (background, "rgba(0, 0, 0, 0)")
    cards = page.locator("article.archive-card")
    assert cards.count() == 7
    copy = page.locator("#hua-efforts .archive-card__copy")
    copy.wait_for(state="visible")  # the site's script adds it
    assert copy.get_attribute("data-clipboard-text") == base + "sources/briefing/#hua-efforts"
    page.locator("a.archive-hl[href$='#hua-double-standards']").click()
    # The address, the card opening beside the text and its text marked follow the click: wait for
    # each (tests/test_reading.py checks the layout).
    _wait_for_hash(page, "#hua-double-standards")
    page.locator(".archive-panel #hua-double-standards").wait_for(state="visible")
    page.wait_for_function(
        "() => { const top = document.getElementById('hua-double-standards').getBoundingClientRect().top;"
        " return 0 <= top && top < window.innerHeight; }"
    )
    page.wait_for_function("document.querySelectorAll('a.archive-hl--active').length === 1")
    _shot(view, "source")


def test_every_overlapping_statement_is_reachable_from_the_text(view: View, base: str) -> None:
    page = view.page
    _open(page, base + "sources/briefing/")
    word = page.locator("a.archive-hl[href$='#hua-sickness']")
    assert word.get_attribute("data-annotations") == (
        "hua-sickness hua-sickness-same-span hua-cure-overlap hua-efforts"
    )
    for fragment in (
        "#hua-sickness",
        "#hua-sickness-same-span",
        "#hua-cure-overlap",
        "#hua-efforts",
        "#hua-sickness",
    ):
        word.click()
        _wait_for_hash(page, fragment)
    page.locator("#hua-sickness .archive-card__intext").click()
    page.wait_for_function("document.activeElement?.hash === '#hua-sickness'")


def test_cards_cite_their_statement_in_plain_text_and_bibtex(view: View, base: str) -> None:
    page = view.page
    _open(page, base + "sources/briefing/")
    # A title with every character BibTeX reads as markup, set before the citation is made.
    odd = "50% of {x} & y_z #1 $2 ^3 ~ \\ end"
    page.evaluate("(t) => document.querySelector('.archive-cards').setAttribute('data-title', t)", odd)
    url = page.evaluate("document.querySelector('.archive-cards').dataset.url")
    page.locator("#hua-efforts .archive-card__cite summary").click()
    line = page.locator("#hua-efforts .archive-card__cite p").inner_text()
    assert line.startswith("Hua Chunying. \u201c\u201cThey are all efforts to cure")
    assert line.endswith(
        "In: 50% of {x} & y_z #1 $2 ^3 ~ \\ end, Example Wire, 25 February 2019. "
        "Annotated statements archive, statement hua-efforts. "
        f"{url}#hua-efforts"
    )
    entry = page.locator("#hua-efforts .archive-card__cite code").inner_text()
    assert entry.startswith("@misc{hua-efforts,\n  title = {\u201cThey are all efforts")
    assert "  author = {{Hua Chunying}},\n" in entry
    escaped = "50\\% of \\{x\\} \\& y\\_z \\#1 \\$2 \\^3 \\~ \\\\ end"
    assert f"  howpublished = {{{escaped}, Example Wire}},\n" in entry
    assert "  year = {2019},\n" in entry


def test_tooltips_show_speaker_claim_type_and_definition(view: View, base: str) -> None:
    page = view.page
    _open(page, base + "sources/briefing/")
    page.locator("a.archive-hl[href$='#groups-internment']").hover()
    page.locator(".md-tooltip2").filter(has_text="Rights groups · Accusation").first.wait_for(state="visible")
    page.mouse.move(0, 0)
    page.locator("#hua-efforts a[href$='claim-types/euphemism/']").hover()
    page.locator(".md-tooltip2").filter(has_text="A mild word in place of a harsh one.").first.wait_for(
        state="visible"
    )


def test_speaker_page_links_to_permalinks_through_instant_navigation(view: View, base: str) -> None:
    page = view.page
    _open(page, base + "speakers/hua-chunying/")
    _assert_layout(page)
    assert page.locator(".archive-statements li").count() == 5
    assert page.locator("table tbody tr").count() == 3
    _shot(view, "speaker")
    page.locator(".archive-statements a[href$='#hua-double-standards']").click()
    page.wait_for_url("**/sources/briefing/#hua-double-standards")
    page.wait_for_function("document.querySelector('#hua-efforts .archive-card__copy')?.hidden === false")
    page.wait_for_function("document.querySelectorAll('a.archive-hl--active').length === 1")


def _rows(page: Page) -> list[str]:
    return page.locator(".archive-claims tbody tr td:first-child").all_inner_texts()


def test_claims_can_be_filtered_without_a_server(view: View, base: str) -> None:
    page = view.page
    _open(page, base + "claims/")
    _assert_layout(page)
    assert len(_rows(page)) == 8
    status = page.locator(".archive-filters__status")
    page.select_option("select[name=speaker]", "hua-chunying")
    page.wait_for_function("document.querySelector('.archive-filters__status').textContent.includes('match')")
    assert status.inner_text() == "5 statements match."
    assert len(_rows(page)) == 5
    assert page.evaluate("location.search") == "?speaker=hua-chunying"
    page.select_option("select[name=type]", "euphemism")
    page.wait_for_function("document.querySelectorAll('.archive-claims tbody tr').length === 2")
    assert _rows(page) == [
        "“They are all efforts to cure the \u2018sickness\u2019 and save people,”",
        "“sickness”",
    ]
    page.select_option("select[name=outlet]", "other-daily")
    page.wait_for_function("document.querySelectorAll('.archive-claims tbody tr').length === 0")
    assert status.inner_text() == "0 statements match."
    _shot(view, "claims-filtered")
    page.locator(".archive-filters button[type=reset]").click()
    page.wait_for_function("document.querySelectorAll('.archive-claims tbody tr').length === 8")
    assert page.evaluate("location.search") == ""
    _open(page, base + "claims/?type=accusation")
    page.wait_for_function("document.querySelectorAll('.archive-claims tbody tr').length === 3")
    assert page.locator("select[name=type]").input_value() == "accusation"
    page.locator(".archive-claims tbody a[href$='#official-no-sickness']").click()
    page.wait_for_url("**/sources/response/#official-no-sickness")


def test_palette_toggle_switches_scheme_and_highlights_stay_visible(view: View, base: str) -> None:
    page = view.page
    _open(page, base + "sources/briefing/")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(
        "(before) => document.body.getAttribute('data-md-color-scheme') !== before", arg=before
    )
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == set(SCHEMES.values())
    highlight, background = page.evaluate(
        """() => [getComputedStyle(document.querySelector('a.archive-hl')).backgroundColor,
                  getComputedStyle(document.body).backgroundColor]"""
    )
    assert highlight != background


def test_home_and_listings_render(view: View, base: str) -> None:
    page = view.page
    for name, url in [("home", ""), ("sources", "sources/"), ("claim-types", "claim-types/")]:
        _open(page, base + url)
        _assert_layout(page)
        _shot(view, name)
    assert page.locator("h2.archive-section").count() == 3
