"""``annotations.jsonld``: the archive as a W3C Web Annotation ``AnnotationCollection``.

Follows the Web Annotation Data Model (W3C Recommendation, 23 February 2017): every annotation
has an IRI ``id``, ``type`` Annotation, a ``motivation`` and a ``target``; the target is the
article's page (and its original address when known) narrowed by a ``TextQuoteSelector`` and a
``TextPositionSelector`` over the verbatim text; bodies say who spoke (identifying), the claim type
(classifying), tags (tagging), the summary (describing), the note (commenting) and what rebuts
the statement, with the purpose its relation gives (:data:`PURPOSES`: assessing, replying or
linking). Where git's history is known, ``created`` and ``modified`` are the times of the commits
that added the statement and last changed it; the collection's ``generator`` is the site. The
whole collection is one page, embedded as ``first``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from build_tools.exports import corrections, jsontext
from build_tools.model import InternalRebuttal

if TYPE_CHECKING:
    from collections.abc import Iterator

    from build_tools.exports.links import Site
    from build_tools.model import Annotation, Archive, Rebuttal, Relation

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_WIDTH = 32
"""Characters of prefix and suffix in each TextQuoteSelector."""

Json = dict[str, Any]


def _selectors(archive: Archive, ann: Annotation) -> list[Json]:
    body = archive.sources[ann.source].body
    return [
        {
            "type": "TextQuoteSelector",
            "exact": body[ann.start : ann.end],
            "prefix": body[max(0, ann.start - CONTEXT_WIDTH) : ann.start],
            "suffix": body[ann.end : ann.end + CONTEXT_WIDTH],
        },
        {"type": "TextPositionSelector", "start": ann.start, "end": ann.end},
    ]


PURPOSES: dict[Relation, str] = {"contradicts": "assessing", "disputes": "replying", "context": "linking"}
"""The W3C motivation a rebuttal body has as its ``purpose``, by relation: evidence that the
statement is false assesses it, another party's counter-claim replies to it, and related material
is linked."""


def _rebuttal(archive: Archive, site: Site, rebuttal: Rebuttal) -> Json:
    purpose = PURPOSES[rebuttal.relation]
    if isinstance(rebuttal, InternalRebuttal):
        other = archive.annotations[rebuttal.annotation]
        return {
            "type": "SpecificResource",
            "purpose": purpose,
            "source": site.annotation(other.source, other.id),
        }
    if rebuttal.url:
        return {"type": "SpecificResource", "purpose": purpose, "source": rebuttal.url}
    return {"type": "TextualBody", "purpose": purpose, "format": "text/plain", "value": rebuttal.citation}


def annotation(archive: Archive, site: Site, ann: Annotation) -> Json:
    """One Web Annotation for ``ann``."""
    source = archive.sources[ann.source]
    selectors = _selectors(archive, ann)
    targets: list[Json] = [
        {"type": "SpecificResource", "source": site.source(source.id), "selector": selectors}
    ]
    if source.url:
        targets.append({"type": "SpecificResource", "source": source.url, "selector": selectors[0]})
    bodies: list[Json] = [
        {"type": "SpecificResource", "purpose": "identifying", "source": site.speaker(speaker)}
        for speaker in ann.speakers
    ]
    bodies.append(
        {"type": "SpecificResource", "purpose": "classifying", "source": site.claim_type(ann.claim_type)}
    )
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in ann.tags]
    if ann.summary:
        bodies.append(
            {"type": "TextualBody", "purpose": "describing", "format": "text/plain", "value": ann.summary}
        )
    if ann.note:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "format": "text/markdown", "value": ann.note}
        )
    bodies += [_rebuttal(archive, site, r) for r in ann.rebuttals]
    return {
        "id": site.annotation(source.id, ann.id),
        "type": "Annotation",
        "motivation": "classifying",
        **corrections.created_modified(archive, ann.id),
        "body": bodies,
        "target": targets,
    }


def collection(archive: Archive, site: Site, name: str) -> Iterator[str]:
    """The ``AnnotationCollection`` of every annotation, published as the export ``name``, as
    JSON-LD text in pieces (each annotation made and turned into text when the pieces before it
    have been taken)."""
    collection_id = site.export(name)
    data = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"{site.name}: every annotated statement",
        "total": len(archive.annotations),
        "generator": {"id": site.base, "type": "Software", "name": site.name},
        "first": {
            "id": f"{collection_id}#page-1",
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": jsontext.Items(list(archive.annotations.values()), partial(annotation, archive, site)),
        },
    }
    return jsontext.pieces(data)
