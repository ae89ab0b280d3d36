"""schema.org JSON-LD embedded in pages: the article (``NewsArticle``) and its statements
(``Claim``) on a source page; the ``Person`` or ``Organization`` on a speaker page.

The JSON sits in a ``<script type="application/ld+json">``; ``<``, ``>`` and ``&`` are written as
``\\u003c``-style escapes so that no contributor's text can close the script element.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from build_tools.exports.jsontext import compact

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
    """The article and every statement in it."""
    page = ctx.site.source(source.id)
    article: Json = {
        "@type": "NewsArticle",
        "@id": f"{page}#article",
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
    claims = []
    for ann in ctx.archive.annotations_by_source.get(source.id, ()):
        claim: Json = {
            "@type": "Claim",
            "@id": ctx.site.annotation(source.id, ann.id),
            "text": ctx.words(ann),
            "author": [speaker_ref(ctx, s) for s in ann.speakers],
            "appearance": {"@id": article["@id"]},
        }
        if source.date:
            claim["datePublished"] = source.date
        if ann.summary:
            claim["description"] = ann.summary
        claims.append(claim)
    return {"@context": "https://schema.org", "@graph": [article, *claims]}


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
