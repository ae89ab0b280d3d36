"""A contributor's ``note``: Markdown rendered to HTML, then sanitized with nh3 (ammonia).

The sanitizer, not the Markdown step, is what makes the result safe: raw HTML in the note is
parsed like any other tag and removed unless it is one of the plain formatting tags Markdown itself
produces, only http(s) and relative link targets survive, and links keep no attribute but href.
"""

from __future__ import annotations

from functools import cache

import markdown
import nh3

from build_tools.render.html import OUTSIDE_REL

_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
}
# No `title`: Material's tooltips would insert it into the page as HTML.
_ATTRIBUTES = {"a": {"href"}}
_DROP_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "noscript", "textarea", "select"}


def render_note(text: str) -> str:
    """Safe HTML for a note; outside links get ``rel="nofollow noopener"``."""
    rendered = _markdown().reset().convert(text)
    return nh3.clean(
        rendered,
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel=OUTSIDE_REL,
    ).strip()


@cache
def _markdown() -> markdown.Markdown:
    # One converter, reset between notes: building a new one per note is most of the cost.
    return markdown.Markdown(extensions=["sane_lists"], output_format="html")
