"""axe-core in headless Chromium over every page type of a built fixture site (an article also
with a filter on, the claims table with and without one, a statement's own page), light and dark,
at 1280 px and 390 px: no serious or critical violation of WCAG 2.1 A/AA or of axe's best practices
(``color-contrast``, ``link-in-text-block`` and ``landmark-unique`` among them).

axe-core comes from the pinned ``axe-playwright-python`` package, which ships its ``axe.min.js``;
the script is injected into each page and run as it is.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import CASES, build_site, make_project, serve, set_option

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

SCHEMES = ("light", "dark")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGES = {
    "home": ("", None),
    "article": ("sources/briefing/#hua-efforts", None),
    "article-filtered": ("sources/briefing/", ".archive-chips button[aria-pressed]"),
    "sources": ("sources/", None),
    "speakers": ("speakers/", None),
    "speaker": ("speakers/hua-chunying/", None),
    "claim-types": ("claim-types/", None),
    "claim-type": ("claim-types/euphemism/", None),
    "claims": ("claims/", None),
    "claims-filtered": ("claims/?speaker=hua-chunying", None),
    "search": ("search/?q=sickness", None),
    "statement": ("statements/hua-efforts/", None),
    "404": ("404.html", None),
}
"""Every page type, by name: its address and what to press first (the article with a filter on)."""
READY = {
    "article": ".archive-panel #hua-efforts",
    "article-filtered": ".archive-chips__status:not(:empty)",
    "claims-filtered": ".archive-filters__status:not(:empty)",
    "search": ".archive-search__result",
}
"""What shows that the script has done its work on a page, before axe looks at it."""
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The ``render-nested`` case built with a page per statement, served."""
    project = make_project(tmp_path_factory.mktemp("axe"), CASES / "render-nested")
    set_option(project, "statement_pages", "true")
    site = build_site(project)
    with serve(site.root) as url:
        yield url


def _violations(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(content=_axe_source())
    result = page.evaluate(
        "(tags) => axe.run(document,"
        " { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })",
        TAGS,
    )
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "nodes": [(n["target"], n["failureSummary"]) for n in v["nodes"][:3]],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_serious_violations(browser: Browser, base: str, scheme: str, viewport: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORTS[viewport])  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = {}
    try:
        for name, (url, press) in PAGES.items():
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            if press:
                page.locator(press).first.click()
            if name in READY:
                page.locator(READY[name]).first.wait_for()
            if name != "statement":  # a page of its own, without the theme
                assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
                    "slate" if scheme == "dark" else "default"
                )
            violations = _violations(page)
            if violations:
                found[name] = violations
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
