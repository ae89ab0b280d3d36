"""The renderer's HTML building blocks: escaping, URL checks, dates, front matter, addresses."""

from __future__ import annotations

import re
from html import escape as html_escape

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from build_tools.render.context import Context, Urls, page_uri, source_uri
from build_tools.render.html import esc, front_matter, outside_link, quoted, safe_url, shorten, show_date
from build_tools.render.note import render_note
from tests.factory import synthetic_archive


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/relative/path",
        "mailto:someone@example.org",
        "https:\\\\evil.example",
        "http://",
        "",
        None,
    ],
)
def test_only_absolute_http_urls_are_safe(url: str | None) -> None:
    assert safe_url(url) is None
    assert "href" not in outside_link(url, "text")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
        ("HTTP://Example.org", "HTTP://Example.org"),
        (" https://example.org/\n", "https://example.org/"),
    ],
)
def test_http_urls_are_kept(url: str, expected: str) -> None:
    assert safe_url(url) == expected


def test_outside_links_are_escaped_and_marked_nofollow() -> None:
    html = outside_link('https://example.org/?q="><script>', "<b>title</b>")
    assert html == (
        '<a href="https://example.org/?q=&quot;&gt;&lt;script&gt;" rel="nofollow noopener">'
        "&lt;b&gt;title&lt;/b&gt;</a>"
    )


def test_escape_covers_markup_quotes_and_control_characters() -> None:
    assert esc("<a href='x'>\"&\x00") == "&lt;a href=&#x27;x&#x27;&gt;&quot;&amp;\ufffd"


@given(st.text(alphabet=st.sampled_from("a &<>\"'\x00\x01\x7f\t\n\r\x85\u200b\u2028é字")) | st.text())
def test_escape_is_html_escape_with_control_characters_replaced(text: str) -> None:
    expected = html_escape(re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", text), quote=True)
    assert esc(text) == expected


@pytest.mark.parametrize(
    ("date", "shown"),
    [("2019", "2019"), ("2019-02", "February 2019"), ("2019-02-05", "5 February 2019"), (None, "undated")],
)
def test_dates_are_never_more_precise_than_given(date: str | None, shown: str) -> None:
    assert show_date(date) == shown


def test_shorten_cuts_at_a_word_and_marks_the_cut() -> None:
    assert shorten("one two  three\nfour", 100) == "one two three four"
    assert shorten("alpha beta gamma delta epsilon", 20) == "alpha beta gamma…"


def test_quotation_marks_are_added_only_when_missing() -> None:
    assert quoted("words") == "“words”"
    assert quoted("“words,”") == "“words,”"


@given(st.text())
def test_front_matter_title_survives_yaml_as_escaped_html(title: str) -> None:
    data = yaml.safe_load(front_matter(title).split("---")[1])
    assert data["title"] == esc(" ".join(title.split()))


def test_notes_keep_markdown_and_lose_raw_html_and_unsafe_links() -> None:
    note = (
        "Some *emphasis*, [a source](https://example.org) and [a card](#other).\n\n"
        "<script>window.__xss=1</script><img src=x onerror=alert(1)><b onclick=x()>bold</b>\n\n"
        "[bad](javascript:alert(1)) ![pixel](https://tracker.example/p.png)"
    )
    assert render_note(note) == (
        '<p>Some <em>emphasis</em>, <a href="https://example.org" rel="nofollow noopener">a source</a> and '
        '<a href="#other" rel="nofollow noopener">a card</a>.</p>\n\n<p>bold</p>\n'
        '<p><a rel="nofollow noopener">bad</a> </p>'
    )


@pytest.mark.parametrize(
    ("directory_urls", "origin", "target", "expected"),
    [
        (True, "sources/a.md", "sources/b.md", "../b/"),
        (True, "sources/a.md", "index.md", "../../"),
        (True, "index.md", "sources/index.md", "sources/"),
        (True, "sources/page/2.md", "speakers/x.md", "../../../speakers/x/"),
        (True, "claims/index.md", "claims/data/type-x.json", "data/type-x.json"),
        (False, "sources/a.md", "sources/b.md", "b.html"),
        (False, "index.md", "sources/index.md", "sources/index.html"),
        (False, "sources/a.md", "index.md", "../index.html"),
    ],
)
def test_links_between_pages_are_relative(
    directory_urls: bool, origin: str, target: str, expected: str
) -> None:
    assert Urls(directory_urls).rel(origin, target) == expected


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_kept_by_page_depth_are_the_links_rendered_afresh(directory_urls: bool) -> None:
    uris = [
        "index.md", "claims.md", "claims/index.md", "claims/x.md", "claims/page/2.md", "sources/a.md",
        "sources/b.md", "sources/index.md", "sources/page/3.md", "speakers/x.md", "speakers/x/page/2.md",
        "speakers/y.md", "claim-types/t.md", "search/index.md",
    ]  # fmt: skip
    archive = synthetic_archive(1)
    ctx = Context(archive, Urls(directory_urls))
    for _ in range(2):  # the second time round, from what was kept
        for here in uris:
            for target in uris:
                assert ctx.page_link(here, target, _href, None) == ctx.urls.rel(here, target), (here, target)
            for annotation in archive.annotations.values():
                card = ctx.urls.rel(here, source_uri(annotation.source), annotation.id)
                assert ctx.permalink(here, annotation) == card, (here, annotation.id)


def _href(href: str, subject: None) -> str:
    return href


def test_a_link_to_the_same_page_is_just_the_fragment() -> None:
    assert Urls().rel("sources/a.md", "sources/a.md", "x") == "#x"


def test_listing_pages_after_the_first_live_under_page() -> None:
    assert page_uri("sources/index.md", 1) == "sources/index.md"
    assert page_uri("sources/index.md", 3) == "sources/page/3.md"
    assert page_uri("speakers/hua.md", 2) == "speakers/hua/page/2.md"
