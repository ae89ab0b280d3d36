"""Reading a built site back: every element's attributes, ids, and the links that do not resolve."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from pathlib import Path


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]


class ParsedPage(HTMLParser):
    """Every start tag of a page, with its attributes, and the set of ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if element.attrs.get("id"):
            self.ids.add(str(element.attrs["id"]))


def parse(html: str) -> ParsedPage:
    """Parse ``html`` into its elements."""
    page = ParsedPage()
    page.feed(html)
    page.close()
    return page


def html_pages(site: Path) -> dict[str, ParsedPage]:
    """Every HTML page of a built site, keyed by its path relative to the site root."""
    return {
        p.relative_to(site).as_posix(): parse(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
    }


def target(site: Path, page: str, href: str) -> tuple[str, str] | None:
    """The file (relative to ``site``) and fragment a local link points at; None for outside links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if href.split("#")[0].split("?")[0].endswith("/") or (site / path).is_dir():
        path = posixpath.normpath(posixpath.join(path, "index.html"))
    return path, unquote(parts.fragment)


def broken_links(site: Path, pages: dict[str, ParsedPage]) -> list[str]:
    """Local links (href/src) whose file or #fragment does not exist, as ``page -> link``."""
    broken = []
    for name, page in pages.items():
        for element in page.elements:
            for attr in ("href", "src"):
                value = element.attrs.get(attr)
                if not value or element.tag not in ("a", "link", "script", "img"):
                    continue
                found = target(site, name, value)
                if found is None:
                    continue
                path, fragment = found
                if not (site / path).is_file():
                    broken.append(f"{name} -> {value}")
                elif fragment and path.endswith(".html") and fragment not in pages[path].ids:
                    broken.append(f"{name} -> {value} (no such anchor)")
    return broken


SCRIPT_SOURCES = re.compile(
    r"^(/|(\.\./)*)assets/(javascripts/bundle\.[0-9a-f]+\.min\.js|archive/(archive|search|claims)\.js)$"
)
"""The only scripts a page may load: Material's bundle and the archive's own three."""
DANGEROUS_URL = re.compile(r"^[\x00-\x20]*(j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|data|vbscript)\s*:", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href")


def _opens_script(element: Element) -> bool:
    source = element.attrs.get("src")
    return (
        element.tag in ("iframe", "object", "embed")
        or any(a.startswith("on") or a == "srcdoc" for a in element.attrs)
        or any(DANGEROUS_URL.match(element.attrs.get(attr) or "") for attr in URL_ATTRIBUTES)
        or (element.tag == "script" and bool(source) and not SCRIPT_SOURCES.match(str(source)))
    )


def script_openings(pages: dict[str, ParsedPage]) -> list[str]:
    """Every element through which a page could run script it was not built with: an event-handler
    or ``srcdoc`` attribute, a ``javascript:``/``data:`` address, a script from elsewhere, an
    embedded frame or object. Empty for a safe site."""
    return [
        f"{name}: <{element.tag} {element.attrs}>"
        for name, page in pages.items()
        for element in page.elements
        if _opens_script(element)
    ]
