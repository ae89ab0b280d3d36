"""What a site engine needs to know of a generated page's body, and where its JSON-LD goes.

A generated page's body is HTML made by :mod:`build_tools.render`. The engine shows it as the
page's content; its JSON-LD goes into the page's head instead (a theme that swaps pages in place,
as Material's instant navigation does, re-inserts the scripts of the content), and its element ids
are the anchors other pages may link to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INDEXED = "data-pagefind-body"
"""The attribute of the element whose text search indexes (Pagefind reads only pages that have it)."""

_JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>\n?', re.DOTALL)
_ID = re.compile(r' id="([^"]+)"')
_HEAD_END = "</head>"


@dataclass(frozen=True, slots=True)
class Body:
    """A generated page's body, ready for its page."""

    html: str
    """Its HTML, but for its JSON-LD."""
    head: str
    """Its JSON-LD scripts, for the page's head."""
    ids: frozenset[str]
    """The ids of its elements: the anchors a link to the page may name."""

    @property
    def indexed(self) -> bool:
        """Whether search indexes the page."""
        return INDEXED in self.html


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
