"""What every page renderer needs: the archive, page addresses, and archive-wide lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from build_tools.exports.links import Site
from build_tools.render.html import link, shorten, tooltip

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from build_tools.model import Annotation, Archive, ClaimType, Source
    from build_tools.render.changes import Changes

T = TypeVar("T")

PALETTE_SIZE = 8
"""Highlight colours in the stylesheet (``hl-c1`` ... ``hl-c8``); ``hl-c0`` is "no category"."""


def source_uri(source_id: str) -> str:
    """The generated page of one source."""
    return f"sources/{source_id}.md"


def speaker_uri(speaker_id: str) -> str:
    """The generated page of one speaker."""
    return f"speakers/{speaker_id}.md"


def claim_type_uri(claim_type_id: str) -> str:
    """The generated page of one claim type."""
    return f"claim-types/{claim_type_id}.md"


def page_uri(base: str, number: int) -> str:
    """Page ``number`` (1-based) of a listing whose first page is ``base`` (``x/index.md`` or ``x.md``)."""
    if number == 1:
        return base
    folder = base.removesuffix("/index.md") if base.endswith("/index.md") else base.removesuffix(".md")
    return f"{folder}/page/{number}.md"


@dataclass(frozen=True)
class Urls:
    """Addresses of pages, given as MkDocs ``src_uri`` values, the way MkDocs will publish them."""

    directory_urls: bool = True
    _known: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    """The URLs given so far, by ``src_uri``: the pages link to the same few again and again."""
    _places: dict[str, tuple[str, int]] = field(default_factory=dict, init=False, repr=False, compare=False)
    """What :meth:`place` gave so far, by ``src_uri``."""

    def url(self, src_uri: str) -> str:
        """The site-relative URL MkDocs gives the page ``src_uri``."""
        known = self._known.get(src_uri)
        if known is None:
            known = self._known[src_uri] = self._url(src_uri)
        return known

    def place(self, src_uri: str) -> tuple[str, int]:
        """The top folder of the page ``src_uri`` in the site, and how deep its URL is."""
        known = self._places.get(src_uri)
        if known is None:
            url = self.url(src_uri)
            known = self._places[src_uri] = (url.partition("/")[0], url.count("/"))
        return known

    def _url(self, src_uri: str) -> str:
        stem = src_uri.removesuffix(".md")
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index":
            return ""
        return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"

    def rel(self, from_uri: str, to_uri: str, anchor: str | None = None) -> str:
        """A link from page ``from_uri`` to page (or file) ``to_uri``, optionally to ``#anchor``."""
        here = self.url(from_uri)
        there = to_uri if not to_uri.endswith(".md") else self.url(to_uri)
        fragment = f"#{anchor}" if anchor else ""
        if there == here and fragment:
            return fragment
        return relative(there, here) + fragment


def relative(target: str, page_url: str) -> str:
    """``target`` (site-relative) as seen from a page published at ``page_url`` (site-relative).

    Plain string work: this runs for every link of every page, and ``posixpath.relpath`` (which
    consults the working directory) would dominate the rendering time.
    """
    base = page_url if page_url.endswith("/") else page_url[: page_url.rfind("/") + 1]
    shared = 0
    while (cut := base.find("/", shared)) >= 0 and target.startswith(base[shared : cut + 1], shared):
        shared = cut + 1
    return "../" * base.count("/", shared) + target[shared:] or "./"


class Fragments:
    """Rendered pieces of pages about one annotation (a listing's item, a table row), kept from one
    render of an archive to the next (the dev server's rebuilds): whoever changes the archive
    forgets the pieces of the annotations whose text may have changed (see
    :func:`~build_tools.render.changes.affected_sources`)."""

    def __init__(self) -> None:
        self._by_annotation: dict[str, dict[tuple[object, ...], str]] = {}

    def get(self, annotation_id: str, key: tuple[object, ...], render: Callable[[], str]) -> str:
        """The piece ``key`` of ``annotation_id``, rendered by ``render`` unless kept."""
        kept = self._by_annotation.setdefault(annotation_id, {})
        text = kept.get(key)
        if text is None:
            text = kept[key] = render()
        return text

    def forget(self, annotation_ids: Iterable[str]) -> None:
        """Drop the pieces of these annotations."""
        for annotation_id in annotation_ids:
            self._by_annotation.pop(annotation_id, None)

    def clear(self) -> None:
        """Drop every piece."""
        self._by_annotation.clear()


@dataclass(frozen=True)
class Context:
    """The archive plus the archive-wide facts that several page kinds need, computed once."""

    archive: Archive
    urls: Urls = Urls()
    per_page: int = 100
    site: Site = field(default_factory=Site)
    """The published address, for absolute links (JSON-LD, citations)."""
    fragments: Fragments | None = None
    """Pieces kept from a previous render of the archive (none: render every piece)."""
    since: Changes | None = None
    """What may have changed since the render the caller keeps (none: it keeps none): the files
    outside it are planned as :attr:`~build_tools.render.planned.Planned.unchanged`."""
    category_class: Mapping[str | None, str] = field(init=False)
    category_mark: Mapping[str | None, str] = field(init=False)
    """A short mark per category (its label's first letter, or as many as make it unique), shown
    with the colour so that no category is told by colour alone."""
    _links: dict[tuple[int, str, str], str] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Links rendered by :meth:`page_link`, by the depth of the page they are on, their target and
    their variant."""
    _hrefs: dict[tuple[int, str], str] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Addresses of source pages given by :meth:`permalink`, kept as :attr:`_links` are."""
    _words: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Each statement's words, by annotation id (see :meth:`words`)."""

    def __post_init__(self) -> None:
        categories = sorted({t.category for t in self.archive.claim_types.values() if t.category})
        classes: dict[str | None, str] = {None: "hl-c0"}
        for index, category in enumerate(categories):
            classes[category] = f"hl-c{index % PALETTE_SIZE + 1}"
        object.__setattr__(self, "category_class", classes)
        marks: dict[str | None, str] = {None: "·"}
        for category in categories:
            word = category.strip().capitalize() or "?"
            size = 1
            while size < len(word) and word[:size] in marks.values():
                size += 1
            marks[category] = word[:size]
        object.__setattr__(self, "category_mark", marks)

    def fragment(self, annotation: Annotation, key: tuple[object, ...], render: Callable[[], str]) -> str:
        """The piece ``key`` about ``annotation``: kept in :attr:`fragments`, or ``render()``."""
        if self.fragments is None:
            return render()
        return self.fragments.get(annotation.id, key, render)

    def type_of(self, annotation: Annotation) -> ClaimType:
        """The claim type of ``annotation`` (the loader guarantees it exists)."""
        return self.archive.claim_types[annotation.claim_type]

    def source_of(self, annotation: Annotation) -> Source:
        """The source ``annotation`` is anchored in."""
        return self.archive.sources[annotation.source]

    def words(self, annotation: Annotation, limit: int | None = None) -> str:
        """The statement as the article words it (white space collapsed), shortened to ``limit``."""
        words = self._words.get(annotation.id)
        if words is None:
            text = self.source_of(annotation).body[annotation.start : annotation.end]
            words = self._words[annotation.id] = " ".join(text.split())
        return shorten(words, limit) if limit else words

    def colour(self, annotation: Annotation) -> str:
        """The highlight class of ``annotation``'s claim-type category."""
        return self.category_class.get(self.type_of(annotation).category, "hl-c0")

    def mark(self, annotation: Annotation) -> str:
        """The mark of ``annotation``'s claim-type category (see :attr:`category_mark`)."""
        return self.category_mark.get(self.type_of(annotation).category, "·")

    def speaker_name(self, speaker_id: str) -> str:
        """A speaker's display name."""
        speaker = self.archive.speakers.get(speaker_id)
        return speaker.name if speaker else speaker_id

    def speaker_names(self, annotation: Annotation) -> str:
        """All speakers of ``annotation``, joined for a tooltip or a table cell."""
        return ", ".join(self.speaker_name(s) for s in annotation.speakers)

    def page_link(
        self, here: str, to_uri: str, render: Callable[[str, T], str], subject: T, variant: str = ""
    ) -> str:
        """``render(href, subject)``: the link from page ``here`` to page ``to_uri``, whose text is
        the target's name (the same wherever the target is linked from); links to one target
        rendered in two ways have two ``variant`` names.

        From a page outside the target's top folder the way to the target is up to the site root,
        then down: such a link is the same on every page at that depth (a speaker's on every
        source page), so it is rendered once per depth. Links within a folder are not kept.
        """
        kept = self._kept_as(here, to_uri)
        if kept is None:
            return render(self.urls.rel(here, to_uri), subject)
        key = (*kept, variant)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = render(self.urls.rel(here, to_uri), subject)
        return found

    def _kept_as(self, here: str, to_uri: str) -> tuple[int, str] | None:
        """What a link from page ``here`` to page ``to_uri`` is kept under: the depth of ``here``
        and the target, when ``here`` is outside the target's top folder; else ``None`` (not kept)."""
        top, depth = self.urls.place(here)
        return None if top == self.urls.place(to_uri)[0] else (depth, to_uri)

    def speaker_links(self, here: str, speaker_ids: Iterable[str]) -> str:
        """Links to the pages of these speakers, as seen from page ``here``."""
        return ", ".join(self.page_link(here, speaker_uri(s), self._speaker_link, s) for s in speaker_ids)

    def _speaker_link(self, href: str, speaker_id: str) -> str:
        return link(href, self.speaker_name(speaker_id))

    def claim_type_link(self, here: str, claim_type: ClaimType, *, definition: bool = True) -> str:
        """A link to a claim type's page; with ``definition``, the definition shows on hover (a
        statement's card has it; a row of a listing, one of many naming the same few types, not)."""
        if definition:
            return self.page_link(here, claim_type_uri(claim_type.id), _claim_type_link, claim_type)
        return self.page_link(here, claim_type_uri(claim_type.id), _claim_type_name_link, claim_type, "name")

    def permalink(self, here: str, annotation: Annotation) -> str:
        """The address of ``annotation``'s card, as seen from page ``here`` (the way to its source's
        page is kept as :meth:`page_link` keeps links)."""
        to_uri = source_uri(annotation.source)
        key = self._kept_as(here, to_uri)
        if key is None:
            return self.urls.rel(here, to_uri, annotation.id)
        found = self._hrefs.get(key)
        if found is None:
            found = self._hrefs[key] = self.urls.rel(here, to_uri)
        return f"{found}#{annotation.id}"

    def source_link(self, here: str, source: Source) -> str:
        """A link to a source's page."""
        return self.page_link(here, source_uri(source.id), _source_link, source)

    def filter_link(self, here: str, name: str, value: str) -> str:
        """A link to the claims table filtered on one speaker or claim type."""
        href = f"{self.urls.rel(here, 'claims/index.md')}?{name}={value}"
        return f"<p>{link(href, 'Filter these statements in the claims table')}</p>"

    def outlet(self, source: Source) -> str:
        """The publisher, or "unknown outlet"."""
        return source.outlet or "unknown outlet"


def _claim_type_link(href: str, claim_type: ClaimType) -> str:
    return link(href, claim_type.label, title=tooltip(claim_type.definition))


def _claim_type_name_link(href: str, claim_type: ClaimType) -> str:
    return link(href, claim_type.label)


def _source_link(href: str, source: Source) -> str:
    return link(href, source.title)


def date_key(ctx: Context, annotation: Annotation) -> tuple[int, str, str, int, str]:
    """Chronological order: dated statements by date, undated ones last, then text order."""
    source = ctx.source_of(annotation)
    return (source.date is None, source.date or "", source.id, annotation.start, annotation.id)
