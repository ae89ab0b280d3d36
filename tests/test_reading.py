"""Reading an article in headless Chromium: the text and the selected card side by side, the
keyboard, screen-reader names, print, at 1280 px and 390 px, light and dark.

Screenshots land in tests/artifacts/ (not committed) for a person to look at.
"""

from __future__ import annotations

import re
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
ARTICLE = "sources/briefing/"
STATEMENTS = [
    "hua-efforts",
    "hua-cure-overlap",
    "hua-sickness",
    "hua-sickness-same-span",
    "hua-double-standards",
    "groups-internment",
    "ministry-schools",
]
"""The statements of the article, in text order (the order of its cards)."""


@pytest.fixture(scope="module")
def base(nested_site: Site) -> Iterator[str]:
    with serve(nested_site.root) as url:
        yield url


@dataclass(frozen=True)
class View:
    page: Page
    name: str
    phone: bool


def _context_page(browser: Browser, scheme: str, viewport: dict[str, int]) -> tuple[Page, list[str]]:
    context = browser.new_context(color_scheme=scheme, viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(10_000)
    return page, errors


@pytest.fixture(params=[(s, v) for s in SCHEMES for v in VIEWPORTS], ids=lambda p: f"{p[0]}-{p[1]}")
def view(request: pytest.FixtureRequest, browser: Browser) -> Iterator[View]:
    """A fresh page in one palette and viewport; it fails the test on any console error."""
    scheme, viewport = request.param
    page, errors = _context_page(browser, scheme, VIEWPORTS[viewport])
    yield View(page, f"{scheme}-{viewport}", viewport == "phone")
    page.context.close()
    assert errors == []


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.locator(".archive-panel").wait_for(state="attached")  # the script has set the page up


def _shot(view: View, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    view.page.screenshot(path=ARTIFACTS / f"{name}-{view.name}.png")


IN_VIEW = """(selector) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
    const panel = document.querySelector('.archive-panel');
    const sheet = getComputedStyle(panel).position === 'fixed'
        && !panel.contains(document.querySelector(selector));
    const bottom = sheet ? panel.getBoundingClientRect().top : innerHeight;
    return box.height > 0 && box.top >= header - 1 && box.top < bottom
        && box.left >= 0 && box.right <= innerWidth;
}"""
"""Whether the top of the element ``selector`` is on screen, below the header and above the sheet."""


def _in_view(page: Page, selector: str) -> None:
    page.wait_for_function(IN_VIEW, arg=selector)


def test_a_permalink_shows_the_highlight_and_its_card_together(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE + "#ministry-schools")
    _in_view(page, "#ministry-schools")
    _in_view(page, "a.archive-hl[href$='#ministry-schools']")
    # The last statement of the article: the end of the text does not push the panel's bar (its
    # position and the previous and next buttons) up under the header.
    _in_view(page, ".archive-panel__bar")
    assert page.locator(".archive-panel #ministry-schools").is_visible()
    assert page.locator(".archive-hl--active").count() == 1
    assert page.locator(".archive-panel__status").inner_text() == "Statement 7 of 7"
    # The card column sits beside the text on a wide screen; on a phone the card is a sheet over it.
    text = page.locator(".archive-text").bounding_box()
    card = page.locator("#ministry-schools").bounding_box()
    assert text and card
    if view.phone:
        assert page.evaluate("getComputedStyle(document.querySelector('.archive-panel')).position") == "fixed"
    else:
        assert card["x"] >= text["x"] + text["width"]
    _shot(view, "reading")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_selecting_a_highlight_opens_its_card_without_moving_the_text(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE)
    highlight = page.locator("a.archive-hl[href$='#groups-internment']")
    highlight.scroll_into_view_if_needed()
    highlight.click()
    _in_view(page, "#groups-internment")
    _in_view(page, "a.archive-hl[href$='#groups-internment']")
    assert page.evaluate("location.hash") == "#groups-internment"
    assert page.evaluate("document.activeElement.id") == "groups-internment"
    # Another statement, by a link between cards: the panel shows it in turn, the other card
    # goes back to its place in the list below the text.
    page.locator(".archive-panel").get_by_role("button", name="Next statement (j)").click()
    _in_view(page, "#ministry-schools")
    _in_view(page, "a.archive-hl[href$='#ministry-schools']")
    assert page.locator(".archive-cards #groups-internment").count() == 1
    # Escape closes it and gives the focus back to the text.
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.classList.contains('archive-hl')")
    assert page.evaluate("location.hash") == ""
    assert page.locator(".archive-cards .archive-card").count() == len(STATEMENTS)


def test_tab_enter_tab_keeps_the_focus_in_the_card(browser: Browser, base: str) -> None:
    for viewport in VIEWPORTS.values():
        page, errors = _context_page(browser, "light", viewport)
        _open(page, base + ARTICLE)
        kept = 0
        for _ in range(10):
            page.locator("a.archive-hl[href$='#hua-double-standards']").focus()
            page.keyboard.press("Enter")
            page.keyboard.press("Tab")
            kept += page.evaluate("!!document.activeElement.closest('#hua-double-standards')")
            page.keyboard.press("Escape")
            page.keyboard.press("Escape")
        assert kept == 10
        page.context.close()
        assert errors == []


def test_next_and_previous_keys_walk_every_statement(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE)
    walked = []
    for _ in STATEMENTS:
        page.keyboard.press("j")
        walked.append(page.evaluate("document.activeElement.id"))
        _in_view(page, f"#_text-{walked[-1]}")
    assert walked == STATEMENTS
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.id") == STATEMENTS[-2]
    assert page.locator(".archive-panel__status").inner_text() == f"Statement 6 of {len(STATEMENTS)}"


def test_statements_at_one_place_are_listed_beside_it(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE)
    page.locator("a.archive-hl[href$='#hua-sickness']").click()
    choices = page.locator(".archive-panel__here button")
    assert choices.count() == 4
    choices.nth(2).click()
    assert page.evaluate("location.hash") == "#hua-cure-overlap"
    assert page.evaluate("document.activeElement.id") == "hua-cure-overlap"
    _in_view(page, "a.archive-hl[href$='#hua-sickness']")
    assert choices.nth(2).get_attribute("aria-pressed") == "true"


def test_show_in_text_marks_the_highlight_below_the_header(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator("#hua-efforts .archive-card__intext").click()
    assert page.evaluate("document.activeElement.hash") == "#hua-efforts"
    _in_view(page, "#_text-hua-efforts")
    active = page.locator(".archive-hl--active").evaluate_all("(all) => all.map((a) => a.hash)")
    assert active and "#hua-efforts" in active


def test_screen_readers_get_names_headings_and_languages(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE)
    label = page.locator("a.archive-hl[href$='#groups-internment']").first.get_attribute("aria-label")
    assert label
    assert label.startswith("Statement 6: Rights groups · Accusation: ")
    region = page.get_by_role("article", name="Statement 5: Hua Chunying · Whataboutism")
    assert region.get_by_role("heading", level=3).count() == 1
    names = page.locator(".archive-card__copy").evaluate_all("(all) => all.map((b) => b.ariaLabel)")
    assert len(names) == len(STATEMENTS) == len(set(names))
    names = page.locator(".archive-card__intext").evaluate_all("(all) => all.map((b) => b.ariaLabel)")
    assert len(set(names)) == len(STATEMENTS)
    assert page.locator(".archive-native [lang=zh]").first.inner_text() == "华春莹"
    # A skip link leads past the header and tabs to the text.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the article text"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "_text"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('archive-hl')")


def test_categories_are_marked_by_more_than_colour(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE)
    marks = page.locator(".archive-anchor").evaluate_all(
        "(all) => all.map((a) => getComputedStyle(a, '::before').content)"
    )
    # Shown, with no text for screen readers (the highlights' names say it).
    assert marks[:2] == ['"1M" / ""', '"2D" / ""']
    assert page.locator(".archive-legend .archive-swatch").all_inner_texts() == ["·", "D", "M"]
    heading = page.locator("#hua-cure-overlap h3")
    assert heading.evaluate("(h) => getComputedStyle(h, '::before').content") == '"D" / ""'
    assert heading.inner_text().endswith("Statement 2: Hua Chunying · Whataboutism")


def test_lines_stay_short_on_a_wide_screen(browser: Browser, base: str) -> None:
    page, errors = _context_page(browser, "light", {"width": 1920, "height": 1080})
    _open(page, base + ARTICLE + "#hua-efforts")
    width = page.evaluate(
        """() => { const text = document.querySelector('.archive-text');
                   const probe = document.createElement('span');
                   probe.textContent = 'abcdefghijklmnopqrstuvwxyz '.repeat(4);
                   probe.style.cssText = 'position: absolute; white-space: nowrap';
                   text.querySelector('p').appendChild(probe);
                   const ch = probe.getBoundingClientRect().width / probe.textContent.length;
                   probe.remove();
                   return text.getBoundingClientRect().width / ch; }"""
    )
    assert 55 < width < 80
    text = page.locator(".archive-text").bounding_box()
    card = page.locator("#hua-efforts").bounding_box()
    assert text and card and card["x"] > text["x"] + text["width"]
    page.context.close()
    assert errors == []


def test_an_article_prints_as_text_and_numbered_notes(browser: Browser, base: str, tmp_path: Path) -> None:
    page, errors = _context_page(browser, "light", VIEWPORTS["desktop"])
    _open(page, base + ARTICLE + "#hua-efforts")
    page.emulate_media(media="print")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")  # as printing does; emulation does not
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "print-light-desktop.png", full_page=True)
    assert page.locator(".archive-card__copy").first.is_hidden()
    assert page.locator(".archive-chips").is_hidden()
    assert page.locator(".archive-panel__bar").is_hidden()
    mark = page.evaluate("getComputedStyle(document.querySelector('.archive-anchor'), '::before').content")
    assert mark == '"[1M]"'
    # A card's fields run on in one line, a separator between them and none after the last (a
    # summary's own full stop ends it).
    separators = page.evaluate(
        "[...document.querySelector('.archive-card__facts').querySelectorAll(':scope > dd')]"
        ".map(dd => getComputedStyle(dd, '::after').content)"
    )
    assert separators[:-1] == ['" · "'] * (len(separators) - 1) and separators[-1] == "none"
    pdf = tmp_path / "article.pdf"
    page.pdf(path=pdf, format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))
    assert 1 <= pages <= 3
    assert page.locator(".archive-card:visible").count() == len(STATEMENTS)
    page.context.close()
    assert errors == []


def test_speaker_and_claim_type_show_without_hovering(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE)
    # Keyboard focus shows the highlight's tooltip (Material's tooltips follow the focus) ...
    page.locator("a.archive-hl[href$='#groups-internment']").first.focus()
    page.locator(".md-tooltip2").filter(has_text="Rights groups · Accusation").first.wait_for()
    # ... and a tap opens the card, which says the same in its heading and rows.
    page.locator("a.archive-hl[href$='#groups-internment']").first.click()
    card = page.locator(".archive-panel #groups-internment")
    assert "Rights groups" in card.locator("dd").first.inner_text()


def test_the_404_page_leads_on(view: View, base: str) -> None:
    page = view.page
    page.goto(base + "404.html")
    page.wait_for_load_state("networkidle")
    sections = page.locator(".md-content li a").all_inner_texts()
    assert sections == ["Home", "Sources", "Speakers", "Claim types", "Claims"]
    page.locator("#archive-404-q").fill("sickness")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=sickness")
    page.locator(".archive-search__result").first.wait_for()


def test_a_link_from_another_page_opens_the_statement_beside_the_text(view: View, base: str) -> None:
    page = view.page
    page.goto(base + "speakers/hua-chunying/")
    page.wait_for_load_state("networkidle")
    page.locator(".archive-statements a[href$='#hua-double-standards']").click()  # instant navigation
    page.wait_for_url("**/sources/briefing/#hua-double-standards")
    page.locator(".archive-panel #hua-double-standards").wait_for()
    _in_view(page, "#hua-double-standards")
    _in_view(page, "a.archive-hl[href$='#hua-double-standards']")


def test_every_control_shows_the_keyboard_focus(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE)
    page.keyboard.press("Tab")  # the skip link, then on through the page
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        shown = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                       return [e.tagName + '.' + e.className,
                               s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                               || s.boxShadow !== 'none']; }"""
        )
        seen.add(shown[0].split(" ")[0])
        assert shown[1], shown[0]
    search = page.locator(".archive-header-search input")
    if search.is_visible():
        search.focus()
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert len(seen) > 3


def test_a_card_lights_its_highlights(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE + "#groups-internment")
    page.locator(".archive-panel #groups-internment .archive-card__intext").focus()
    lit = page.locator(".archive-hl--lit").evaluate_all("(all) => all.map((a) => a.hash)")
    assert lit == ["#groups-internment"]
    page.keyboard.press("Escape")  # the sheet closes and uncovers the cards below the text
    page.locator(".archive-cards #hua-efforts h3").hover()
    page.wait_for_function("document.querySelector('.archive-hl--lit')?.hash === '#hua-efforts'")


def test_the_article_says_who_is_quoted(nested_site: Site) -> None:
    html = nested_site.page(ARTICLE)
    who = re.search(r'<ul class="archive-who".*?</ul>', html)
    assert who
    items = [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", who.group())]
    # Most often quoted first; a statement of two speakers counts for each.
    assert items == [
        "Hua Chunying: 5 statements, 1 rebutted",
        "Ministry of Foreign Affairs: 2 statements, 1 rebutted",
        "Rights groups: 1 statement, 1 rebutted",
    ]


def _undimmed(page: Page) -> tuple[list[str], list[str]]:
    cards = page.locator(".archive-card:not(.archive-dim)").evaluate_all("(all) => all.map((c) => c.id)")
    marks = page.locator("a.archive-hl:not(.archive-dim)").evaluate_all(
        "(all) => all.map((a) => (a.dataset.annotations || a.hash.slice(1)))"
    )
    return cards, marks


def test_filters_dim_the_other_statements(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE)
    chips = page.locator(".archive-chips")
    speaker = chips.get_by_role("button", name="Rights groups", exact=True)
    speaker.click()
    assert speaker.get_attribute("aria-pressed") == "true"
    assert chips.get_by_role("status").inner_text() == "1 of 7 statements"
    assert _undimmed(page) == (["groups-internment"], ["groups-internment"])
    # Dimmed, the other statements' text stays as readable as the rest of the article.
    # (Material's links fade their colour: wait for the fade to end.)
    page.wait_for_function(
        "getComputedStyle(document.querySelector('a.archive-hl.archive-dim')).color"
        " == getComputedStyle(document.querySelector('.archive-text p')).color"
    )
    dimmed = page.locator("a.archive-hl.archive-dim").first
    assert dimmed.evaluate("(a) => getComputedStyle(a).opacity") == "1"
    _shot(view, "filters")
    # j and k go through the statements left.
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == "groups-internment"
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == "groups-internment"
    page.keyboard.press("Escape")
    # The keyboard works the chips: a second speaker widens the choice, a category narrows it.
    chips.get_by_role("button", name="Ministry of Foreign Affairs", exact=True).focus()
    page.keyboard.press("Enter")
    assert _undimmed(page)[0] == ["hua-sickness-same-span", "groups-internment", "ministry-schools"]
    chips.get_by_role("button", name="Rebutted", exact=True).click()
    assert _undimmed(page)[0] == ["groups-internment", "ministry-schools"]
    # "Show all" clears every chip.
    chips.get_by_role("button", name="Show all").click()
    assert page.locator(".archive-dim").count() == 0
    assert chips.locator("[aria-pressed=true]").count() == 0
    assert chips.get_by_role("status").inner_text() == ""


def test_a_highlight_lights_its_card(view: View, base: str) -> None:
    page = view.page
    _open(page, base + ARTICLE + "#groups-internment")
    page.locator("a.archive-hl[href$='#groups-internment']").first.hover()
    assert page.locator(".archive-card--lit").evaluate_all("(all) => all.map((c) => c.id)") == [
        "groups-internment"
    ]
    page.mouse.move(0, 0)  # off the article: nothing is lit
    page.wait_for_function("!document.querySelector('.archive-card--lit')")
    page.locator("a.archive-hl[href$='#hua-efforts']").first.focus()
    page.wait_for_function(
        "[...document.querySelectorAll('.archive-card--lit')].map((c) => c.id).join() === 'hua-efforts'"
    )


def test_beside_the_text_the_card_sits_level_with_its_highlight(browser: Browser, base: str) -> None:
    page, errors = _context_page(browser, "light", {"width": 1280, "height": 1400})
    _open(page, base + ARTICLE)
    highlight = page.locator("a.archive-hl[href$='#groups-internment']")
    highlight.click()
    page.wait_for_function(
        """() => Math.abs(document.getElementById('groups-internment').getBoundingClientRect().top
                          - document.querySelector("a.archive-hl[href$='#groups-internment']")
                                .getBoundingClientRect().top) < 2"""
    )
    _shot(View(page, "light-tall", False), "aligned")
    # Closed, the card goes back to the list and the panel back to its place.
    page.keyboard.press("Escape")
    assert page.evaluate("document.querySelector('.archive-panel__body').style.paddingTop") == ""
    page.context.close()
    assert errors == []
