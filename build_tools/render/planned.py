"""A generated file before it is made: where it goes, its front matter, and how to make the rest.

Planning the whole site is cheap (a page's title needs no rendering); the rendering is done by
``make``, when and where the caller chooses: at once, on demand, or in another process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from build_tools.render.html import esc, front_matter

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


@dataclass(frozen=True, slots=True)
class Planned:
    """One generated file: a page (``front`` is its front matter and ``make()`` its HTML body) or
    another file (``front`` is ``None`` and ``make()`` its whole content)."""

    uri: str
    """Its ``src_uri`` in the site."""
    front: str | None
    make: Callable[[], str]
    unchanged: bool = False
    """Whether ``make()`` would give what it gave in the render the caller keeps (see
    :func:`~build_tools.render.plan_site`'s ``since``): a caller holding that may use it instead."""

    @classmethod
    def page(
        cls,
        uri: str,
        title: str,
        description: str,
        make: Callable[[], str],
        *,
        unchanged: bool = False,
        hide: tuple[str, ...] = ("toc",),
    ) -> Planned:
        """A generated page titled ``title`` (``description`` says in a sentence what it holds, for
        search engines, feeds and link previews): its body is the title as its heading, which tools
        that gather pages (print views) look for, then ``make()``. ``hide`` names the parts of
        Material's page to leave out (its ``hide`` front matter)."""
        front = front_matter(title, description=description, hide=hide)
        return cls(uri, front, partial(_titled, title, make), unchanged)

    @property
    def is_page(self) -> bool:
        """Whether it is a page (Markdown, for MkDocs)."""
        return self.front is not None

    def content(self) -> str:
        """The whole file, made now."""
        return self.make() if self.front is None else self.front + self.make()


def _titled(title: str, make: Callable[[], str]) -> str:
    return f"<h1>{esc(' '.join(title.split()))}</h1>\n{make()}"


def page_body(blocks: Sequence[str]) -> str:
    """The body of a generated page: the non-empty raw HTML ``blocks``."""
    return "\n\n".join(b for b in blocks if b) + "\n"
