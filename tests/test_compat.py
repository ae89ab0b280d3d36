"""Other MkDocs plugins beside ``archive``: each processes the generated pages as it does any page.

One strict build per plugin (see :mod:`tests.compat`), made once per session; where the order of
the two plugins in ``mkdocs.yml`` could matter, the plugin is also listed before ``archive``.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest

from tests.compat import (
    FIRST_COMMIT,
    LAST_CHANGE,
    SOURCE,
    Built,
    Setup,
    build_with,
    make_template,
)
from tests.sitecheck import broken_links, html_pages

if TYPE_CHECKING:
    from collections.abc import Callable

STATEMENT = "Rights groups say they are internment camps."
"""The quote of ``groups-internment``, a statement of ``sources/briefing.md``."""
PLACEHOLDER = "archive:page-body"

PRIVACY = {"privacy": {"assets": False, "cache": False, "links_attr_map": {"target": "_blank"}}}
"""Offline-safe: ``assets: false`` fetches nothing (external links are still processed)."""
MINIFY = {"minify": {"minify_html": True, "htmlmin_opts": {"remove_comments": True}}}
HTMLPROOFER = {
    # htmlproofer takes a query string for part of a local path, so it cannot resolve the claims
    # table's filter links (claims/?speaker=...); every other local link and anchor is checked.
    "htmlproofer": {"validate_external_urls": False, "ignore_urls": ["*/claims/?*"]}
}
I18N = {
    "i18n": {
        "docs_structure": "suffix",
        # One language: no language switcher, whose Material set-up warns about navigation.instant.
        "reconfigure_material": False,
        "languages": [{"locale": "en", "default": True, "name": "English", "build": True}],
    }
}
GIT_REVISION = {
    "git-revision-date-localized": {"type": "date", "locale": "en", "fallback_to_build_date": False}
}
RSS = {"rss": {"match_path": "sources/.+"}}
REDIRECTS = {
    "redirects": {
        "redirect_maps": {
            "old/briefing.md": "sources/briefing.md",
            "old/hua-efforts.md": "sources/briefing.md#hua-efforts",
        }
    }
}
BROKEN_ANCHOR = "sources/briefing.md#no-such-statement"

SETUPS = {
    "search": Setup(after=["search"]),
    "search-first": Setup(before=["search"]),
    "privacy": Setup(after=[PRIVACY]),
    "tags": Setup(after=["tags"], files={"docs/about.md": "---\ntags: [Archive]\n---\n# About\n\nTagged.\n"}),
    "offline": Setup(after=["search", "offline"]),
    "minify": Setup(after=[MINIFY]),
    "minify-first": Setup(before=[MINIFY]),
    "htmlproofer": Setup(after=[HTMLPROOFER]),
    "htmlproofer-first": Setup(before=[HTMLPROOFER]),
    "htmlproofer-broken": Setup(
        after=[HTMLPROOFER],
        files={"docs/about.md": f"# About\n\nA [statement that is not there]({BROKEN_ANCHOR}).\n"},
    ),
    "rss": Setup(after=[RSS]),
    "i18n": Setup(after=[I18N]),
    "i18n-first": Setup(before=[I18N]),
    "git-revision": Setup(after=[GIT_REVISION]),
    "print-site": Setup(after=["print-site"]),
    "redirects": Setup(after=[REDIRECTS]),
    "redirects-first": Setup(before=[REDIRECTS]),
}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Built]:
    """The build of a named setup, made the first time a test asks for it."""
    template = make_template(tmp_path_factory.mktemp("compat-template"))
    done: dict[str, Built] = {}

    def get(name: str) -> Built:
        if name not in done:
            done[name] = build_with(template, tmp_path_factory.mktemp(name) / "project", SETUPS[name])
        return done[name]

    return get


def text_of(html: str) -> str:
    """The visible text of ``html``, white space folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def article(html: str) -> str:
    """The page's content, from the opening of Material's article element to its end."""
    start = html.index('<article class="md-content__inner')
    return html[start : html.index("</article>", start)]


# Material's search


@pytest.mark.parametrize("name", ["search", "search-first"])
def test_search_indexes_the_statements_of_a_generated_page(built: Callable[[str], Built], name: str) -> None:
    site = built(name).passed()
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = {doc["location"]: doc["text"] for doc in index["docs"]}
    page = " ".join(text for location, text in texts.items() if location.startswith(SOURCE))
    assert STATEMENT in text_of(page), sorted(texts)
    assert PLACEHOLDER not in json.dumps(index)


def test_offline_inlines_a_search_index_with_the_generated_pages(built: Callable[[str], Built]) -> None:
    site = built("offline").passed()
    script = (site.root / "search" / "search_index.js").read_text(encoding="utf-8")
    assert STATEMENT in script
    # Offline builds use file URLs (sources/briefing.html): every local link still resolves.
    assert (site.root / "sources" / "briefing.html").is_file()
    pages = {name: page for name, page in html_pages(site.root).items() if name != "404.html"}
    assert broken_links(site.root, pages) == []


# Material's privacy and tags


def test_privacy_processes_every_external_link_of_a_source_page(built: Callable[[str], Built]) -> None:
    site = built("privacy").passed()
    body = article(site.page(SOURCE))
    links = re.findall(r"<a\b[^>]*\bhref=\"https?://[^>]*>", body)
    assert len(links) >= 4, body
    for link in links:
        assert 'target="_blank"' in link, link
        assert re.search(r'\brel="[^"]*\bnoopener\b', link), link


def test_tags_builds_beside_the_generated_pages(built: Callable[[str], Built]) -> None:
    """Material's tags come from a page's front matter. A generated page has none (an annotation's
    ``tags`` are the archive's own), so the listing holds the hand-written pages that have them."""
    site = built("tags").passed()
    listing = article(site.page("taxonomy/"))
    assert re.search(r'id="tag:archive".*<a href="\.\./about/">\s*About\s*</a>', listing, flags=re.DOTALL)
    assert STATEMENT in text_of(article(site.page(SOURCE)))


# mkdocs-minify-plugin


@pytest.mark.parametrize("name", ["minify", "minify-first"])
def test_minify_minifies_the_body_of_a_generated_page(built: Callable[[str], Built], name: str) -> None:
    site = built(name).passed()
    html = site.page(SOURCE)
    body = article(html)
    assert STATEMENT in text_of(body)
    assert "<!--" not in html
    # White space is folded everywhere but in <pre> (a card's citation).
    folded = re.sub(r"<pre\b.*?</pre>", "", body, flags=re.DOTALL)
    assert not re.search(r"\n|\s\s", folded), "the statement markup keeps runs of white space"


# mkdocs-htmlproofer-plugin


@pytest.mark.parametrize("name", ["htmlproofer", "htmlproofer-first"])
def test_htmlproofer_accepts_links_to_statements(built: Callable[[str], Built], name: str) -> None:
    result = built(name)
    result.passed()
    assert "htmlproofer" not in result.log


def test_htmlproofer_reports_a_broken_anchor_into_a_generated_page(built: Callable[[str], Built]) -> None:
    result = built("htmlproofer-broken")
    assert result.error is not None, "the strict build passed with a link to a missing statement"
    proofer = [line for line in result.log.splitlines() if "htmlproofer" in line]
    assert any("no-such-statement" in line for line in proofer), result.log


# mkdocs-rss-plugin


def test_rss_has_an_item_for_each_article_dated_from_git(built: Callable[[str], Built]) -> None:
    site = built("rss").passed()
    feed = (site.root / "feed_rss_created.xml").read_text(encoding="utf-8")
    items = re.findall(r"<item>(.*?)</item>", feed, flags=re.DOTALL)
    links = {re.search(r"<link>(.*?)</link>", item).group(1): item for item in items}  # type: ignore[union-attr]
    item = links.get(f"http://127.0.0.1:8000/{SOURCE}")
    assert item, sorted(links)
    assert "Spokesperson defends the" in item
    assert FIRST_COMMIT in item


# mkdocs-static-i18n


@pytest.mark.parametrize("name", ["i18n", "i18n-first"])
def test_i18n_builds_the_generated_pages(built: Callable[[str], Built], name: str) -> None:
    site = built(name).passed()
    assert STATEMENT in text_of(article(site.page(SOURCE)))
    assert 'lang="en"' in site.page(SOURCE)


# mkdocs-git-revision-date-localized-plugin


@pytest.mark.parametrize("page", sorted(LAST_CHANGE))
def test_git_revision_dates_an_article_by_its_last_change(built: Callable[[str], Built], page: str) -> None:
    """The last commit to the article or its annotations, not the build's time or the last commit."""
    site = built("git-revision").passed()
    dates = re.findall(r'class="git-revision-date-localized-plugin[^"]*"[^>]*>([^<]+)<', site.page(page))
    assert dates == [LAST_CHANGE[page]], dates


# mkdocs-print-site-plugin


def test_print_page_holds_the_statements(built: Callable[[str], Built]) -> None:
    site = built("print-site").passed()
    html = site.page("print_page/")
    assert STATEMENT in text_of(html)
    assert PLACEHOLDER not in html


# mkdocs-redirects


@pytest.mark.parametrize("name", ["redirects", "redirects-first"])
def test_redirects_lead_to_a_generated_page(built: Callable[[str], Built], name: str) -> None:
    site = built(name).passed()
    for old, target in (
        ("old/briefing/", "../../sources/briefing/"),
        ("old/hua-efforts/", "../../sources/briefing/#hua-efforts"),
    ):
        html = site.page(old)
        assert f'content="0; url={target}"' in html, html
    assert (site.root / SOURCE / "index.html").is_file()
