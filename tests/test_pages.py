"""What the site engine does with a generated page's body: the frame around it made compact."""

from __future__ import annotations

from build_tools.pages import compact

BODY = '<div class="archive-text">\n<p>  two  spaces\n\n   kept</p>\n<pre>a\n    b</pre>\n</div>'


def _page(body: str) -> str:
    return (
        "<!doctype html>\n<html>\n  <head>\n    \n"
        '    <meta name="description" content="one\n      two">\n'
        "    <script>var a = 1\n      b()</script>\n"
        "    <style>\n  p { margin: 0 }\n</style>\n"
        "  </head>\n\n\n  <body>\n"
        '    <a href="x">\n      Made with\n    </a>\n'
        f"    <article>\n      {body}\n    </article>\n"
        "    <textarea>\n  typed\n</textarea>\n"
        "    <p title='a > b\n   c'>\n      text\n    </p>\n"
        "  </body>\n</html>\n"
    )


def test_the_frame_loses_its_indentation_and_blank_lines() -> None:
    assert compact(_page(BODY), BODY) == (
        "<!doctype html>\n<html>\n<head>\n"
        '<meta name="description" content="one\n      two">\n'
        "<script>var a = 1\n      b()</script>\n"
        "<style>\n  p { margin: 0 }\n</style>\n"
        "</head>\n<body>\n"
        '<a href="x">\nMade with\n</a>\n'
        f"<article>\n{BODY}\n</article>\n"
        "<textarea>\n  typed\n</textarea>\n"
        "<p title='a > b\n   c'>\ntext\n</p>\n"
        "</body>\n</html>\n"
    )


def test_the_body_is_kept_as_it_is() -> None:
    body = "<p>\n    indented\n\n\n</p>"
    made = compact(_page(body), body)
    assert body in made
    assert made.count("\n\n") == body.count("\n\n")


def test_a_page_without_the_body_is_returned_as_it_is() -> None:
    page = _page(BODY)
    assert compact(page, "<p>not there</p>") is page
    assert compact(page, "") is page


def test_compact_is_idempotent() -> None:
    once = compact(_page(BODY), BODY)
    assert compact(once, BODY) == once
