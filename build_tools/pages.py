"""What a site engine needs to know of a generated page's body, and where its JSON-LD goes.

A generated page's body is HTML made by :mod:`build_tools.render`. The engine shows it as the
page's content; its JSON-LD goes into the page's head instead (a theme that swaps pages in place,
as Material's instant navigation does, re-inserts the scripts of the content), and its element ids
are the anchors other pages may link to. The theme's frame around the body is indented for people
reading templates, not pages: :func:`compact` takes that indentation out of the written page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INDEXED = "data-pagefind-body"
"""The attribute of the element whose text search indexes (Pagefind reads only pages that have it)."""

_JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>\n?', re.DOTALL)
_ID = re.compile(r' id="([^"]+)"')
_HEAD_END = "</head>"
_FRAME = re.compile(
    # What is copied as it is: elements whose text keeps its white space (or, in a script, may
    # need its line breaks), and tags, whose attribute values may hold line breaks.
    r"""(?P<keep><(?P<raw>pre|textarea|script|style)\b[^>]*>.*?</(?P=raw)\s*>"""
    r"""|<[a-zA-Z/!?][^"'>]*(?:(?:"[^"]*"|'[^']*')[^"'>]*)*>)"""
    # What is not: a run of white space with a line break in it, in text between tags.
    r"|[ \t\r\f]*\n\s*",
    re.DOTALL | re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Body:
    """A generated page's body, ready for its page."""

    html: str
    """Its HTML, but for its JSON-LD."""
    head: str
    """Its JSON-LD scripts, for the page's head."""
    ids: frozenset[str]
    """The ids of its elements: the anchors a link to the page may name."""


def prepare(body: str) -> Body:
    """Split ``body`` (as :mod:`build_tools.render` makes it) into its HTML and its JSON-LD."""
    scripts = _JSON_LD.findall(body)
    html = _JSON_LD.sub("", body) if scripts else body
    return Body(html, "".join(scripts), frozenset(_ID.findall(html)))


def with_head(page: str, head: str) -> str:
    """The written ``page`` with ``head`` at the end of its head."""
    if not head:
        return page
    at = page.find(_HEAD_END)
    return page if at < 0 else page[:at] + head + page[at:]


def compact(page: str, body: str) -> str:
    """The written ``page`` with every run of white space that holds a line break, in the text of
    the theme's frame around ``body``, made one line break: the same page to a browser, without the
    frame's indentation and blank lines. ``body`` itself, ``<pre>``, ``<textarea>``, ``<script>``
    and ``<style>`` elements and the tags themselves are kept as they are; a page in which ``body``
    is not found is returned as it is."""
    at = page.find(body) if body else -1
    if at < 0:
        return page
    end = at + len(body)
    return _FRAME.sub(_frame_space, page[:at]) + body + _FRAME.sub(_frame_space, page[end:])


def _frame_space(match: re.Match[str]) -> str:
    return match["keep"] or "\n"
