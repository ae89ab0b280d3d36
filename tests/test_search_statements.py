"""Search finds statements, speakers and claim types, in Chromium, on the seed archive's site."""

from __future__ import annotations

import gzip
import json
import re
from typing import TYPE_CHECKING

import pytest

from tests.conftest import SEED, Site, build_site, make_project, serve

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Page

BRIEFING = "/sources/2019-02-25-reuters-xinjiang-envoys-briefing/"
LIKENS = "/sources/2018-china-likens-xinjiang-camps-to-western-counterterrorism/"


@pytest.fixture(scope="module")
def base(seed_site: Site) -> Iterator[str]:
    with serve(seed_site.root) as url:
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


def _statement_links(page: Page) -> list[str]:
    page.wait_for_selector(".archive-search__statements a")
    return [a.get_attribute("href") or "" for a in page.locator(".archive-search__statements a").all()]


def test_a_statements_words_lead_to_that_statement(page: Page, base: str) -> None:
    page.goto(base + "search/?q=worthy+of+praise")
    links = _statement_links(page)
    # The statement holding all three words is listed; those holding only "of" are counted.
    assert links == [BRIEFING + "#zhang-new-way-worthy-of-praise"]
    others = page.locator(".archive-search__statements li").last.inner_text()
    assert re.fullmatch(r"and \d+ other statements in this article with some of these words", others)
    first = page.locator(".archive-search__statements a").first
    assert first.locator("mark").all_inner_texts()[-3:] == ["worthy", "of", "praise,”"]
    assert first.inner_text().startswith("Xinjiang\u2019s counterterrorism and de-extremism efforts")
    first.click()
    page.wait_for_url("**#zhang-new-way-worthy-of-praise")
    assert page.locator("article#zhang-new-way-worthy-of-praise").count() == 1


def test_a_word_only_in_a_card_leads_to_that_card(page: Page, base: str) -> None:
    page.goto(base + "search/?q=restates")
    page.wait_for_selector(".archive-search__statements a")
    item = page.locator(
        ".archive-search__statements li",
        has=page.locator(f"a[href='{BRIEFING}#zhang-efforts-should-be-applauded']"),
    )
    assert item.locator(".archive-search__card mark").all_inner_texts() == ["restates"]


def test_the_fields_around_a_match_in_a_card_are_told_apart(page: Page, base: str) -> None:
    page.goto(base + "search/?q=beforehand")
    page.wait_for_selector(".archive-search__card")
    words = page.locator(".archive-search__card").first.inner_text()
    assert "Statement function · Paraphrase · Unnamed diplomats said beforehand" in words


def test_a_cards_fields_are_separated_in_the_index(seed_site: Site) -> None:
    [content] = [str(page["content"]) for page in _fragments(seed_site) if page["url"] == LIKENS]
    # Speaker and role, claim type and category, attribution, summary: one field, then the next.
    assert (
        "Hua Chunying 华春莹 Spokesperson, Ministry of Foreign Affairs · Whataboutism Distraction · "
        in content
    )


def test_speakers_and_claim_types_are_found_by_name(page: Page, base: str) -> None:
    page.goto(base + "search/?q=Hua+Chunying")
    page.wait_for_selector(".archive-search__result")
    first = page.locator(".archive-search__result").first
    assert first.locator(".archive-search__title a").get_attribute("href") == "/speakers/hua-chunying/"
    assert first.locator(".archive-search__kind").inner_text().startswith("Speaker")
    page.goto(base + "search/?q=euphemism")
    page.wait_for_selector(".archive-search__result")
    first = page.locator(".archive-search__result").first
    assert first.locator(".archive-search__title a").get_attribute("href") == "/claim-types/euphemism/"


def test_filters_say_they_count_articles(page: Page, base: str) -> None:
    page.goto(base + "search/?claim+type=Euphemism")
    page.wait_for_selector(".archive-search__result")
    option = page.locator("select[name='claim type'] option[value='Euphemism']")
    assert option.inner_text() == "Euphemism (2 articles)"
    assert "counts are of articles" in page.locator(".archive-search__note").inner_text()
    assert page.locator(".archive-search__status").inner_text() == "2 pages match."


def test_the_search_landmarks_have_distinct_names(page: Page, base: str) -> None:
    page.goto(base + "search/")
    page.wait_for_selector(".archive-header-search")
    names = page.locator("[role=search]").evaluate_all("all => all.map(e => e.getAttribute('aria-label'))")
    assert len(names) == 2
    assert all(names)
    assert len(set(names)) == 2


GUIDE = """# Contributing

Make a branch for your change, then write the annotation:

```yaml
annotations:
  - id: hua-efforts
    quote: "efforts to save people"
    speaker: hua-chunying
    claim_type: euphemism
```

Then check it.
"""


def test_code_blocks_are_not_indexed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", SEED)
    (project / "docs" / "contributing.md").write_text(GUIDE, encoding="utf-8")
    site = build_site(project)
    [content] = [str(page["content"]) for page in _fragments(site) if page["url"] == "/contributing/"]
    assert "Make a branch for your change" in content
    assert "Then check it." in content
    for key in ("annotations:", "quote:", "claim_type:", "hua-chunying"):
        assert key not in content


def _fragments(site: Site) -> Iterator[dict[str, object]]:
    for path in (site.root / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        yield json.loads(data[data.index(b"{") :])
