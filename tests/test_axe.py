"""axe-core in headless Chromium over the pages of a built fixture site, light and dark, at 1280 px
and 390 px: no serious or critical violation of WCAG 2.1 A/AA or of axe's best practices
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

from tests.conftest import Site, serve

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

SCHEMES = ("light", "dark")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGES = {
    "home": "",
    "article": "sources/briefing/#hua-efforts",
    "sources": "sources/",
    "speaker": "speakers/hua-chunying/",
    "claim-type": "claim-types/euphemism/",
    "search": "search/?q=sickness",
    "404": "404.html",
}
PHONE_PAGES = ("home", "article", "search")
"""At 390 px, the pages whose layout changes most (the rest differ from 1280 px only in width)."""
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base(nested_site: Site) -> Iterator[str]:
    with serve(nested_site.root) as url:
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
        for name, url in PAGES.items():
            if viewport == "phone" and name not in PHONE_PAGES:
                continue
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            if name == "search":
                page.locator(".archive-search__result").first.wait_for()
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
                "slate" if scheme == "dark" else "default"
            )
            violations = _violations(page)
            if violations:
                found[name] = violations
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
