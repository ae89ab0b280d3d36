"""schema.org JSON-LD embedded in pages: the article (``NewsArticle``), its statements (``Claim``)
and their speakers on a source page; the ``Person`` or ``Organization`` on a speaker page.

A source page's graph names its nodes by addresses relative to the page (``@base``): each speaker
is described once and each statement refers to its speakers and its article by ``@id``.

The JSON sits in a ``<script type="application/ld+json">``; ``<``, ``>`` and ``&`` are written as
``\\u003c``-style escapes so that no contributor's text can close the script element.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from build_tools.exports.jsontext import compact
from build_tools.render.context import relative

if TYPE_CHECKING:
    from build_tools.model import Source, Speaker
    from build_tools.render.context import Context

Json = dict[str, Any]


def script(data: Json) -> str:
    """``data`` as an inert JSON-LD script element."""
    text = compact(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def _kind(speaker: Speaker | None) -> str:
    return "Organization" if speaker and speaker.kind in ("organization", "group") else "Person"


def speaker_ref(ctx: Context, speaker_id: str) -> Json:
    speaker = ctx.archive.speakers.get(speaker_id)
    return {
        "@type": _kind(speaker),
        "@id": ctx.site.speaker(speaker_id),
        "name": ctx.speaker_name(speaker_id),
    }


def source_data(ctx: Context, source: Source) -> Json:
    """The article, every statement in it and their speakers."""
    page = ctx.site.source(source.id)
    article: Json = {
        "@type": "NewsArticle",
        "@id": "#article",
        "headline": source.title,
        "url": source.url or page,
        "mainEntityOfPage": page,
        "inLanguage": source.language,
    }
    if source.date:
        article["datePublished"] = source.date
    if source.outlet:
        article["publisher"] = {"@type": "Organization", "name": source.outlet}
    if source.author:
        article["author"] = {"@type": "Person", "name": source.author}
    speakers: dict[str, Json] = {}
    claims = []
    for ann in ctx.archive.annotations_by_source.get(source.id, ()):
        authors = []
        for speaker_id in ann.speakers:
            if speaker_id not in speakers:
                here = relative(ctx.site.speaker(speaker_id), page)
                speakers[speaker_id] = {**speaker_ref(ctx, speaker_id), "@id": here}
            authors.append({"@id": speakers[speaker_id]["@id"]})
        claim: Json = {
            "@type": "Claim",
            "@id": f"#{ann.id}",
            "text": ctx.words(ann),
            "author": authors[0] if len(authors) == 1 else authors,
            "appearance": {"@id": "#article"},
        }
        if ann.summary:
            claim["description"] = ann.summary
        claims.append(claim)
    return {
        "@context": ["https://schema.org", {"@base": page}],
        "@graph": [article, *speakers.values(), *claims],
    }


def speaker_data(ctx: Context, speaker: Speaker) -> Json:
    """The speaker as a ``Person`` or an ``Organization``."""
    data: Json = {
        "@context": "https://schema.org",
        **speaker_ref(ctx, speaker.id),
        "url": ctx.site.speaker(speaker.id),
    }
    if speaker.native_name:
        data["alternateName"] = speaker.native_name
    if speaker.description:
        data["description"] = speaker.description
    if speaker.links:
        data["sameAs"] = [link.url for link in speaker.links]
    if data["@type"] == "Person":
        if speaker.affiliation:
            data["affiliation"] = {"@type": "Organization", "name": speaker.affiliation}
        if speaker.roles:
            data["jobTitle"] = speaker.roles[-1].title
    return data
