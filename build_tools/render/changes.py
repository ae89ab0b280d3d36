"""Which generated files an edit can change: the dev server makes those again and reuses the rest.

A source page shows its source, its annotations, the annotations they rebut and those rebutting
them (words, speakers, source title and date), every speaker's name and role, and the claim types
(their colours depend on all categories). So between two archives its text can differ only if the
source changed, one of those annotations changed (or appeared, or went), or the source of one of
them changed.

A speaker's or a claim type's pages, and the claims data of a speaker, a claim type or an outlet,
list statements (their words, speakers, roles, claim type, and their source's title, outlet and
date, in date order): they can differ only if one of the statements they list, before or after the
edit, changed or its source did.

A change of speakers or claim types, or of the set of outlets (their keys in the claims data's
names and rows are made from all of them), can change any file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from build_tools.model import InternalRebuttal

if TYPE_CHECKING:
    from collections.abc import Mapping

    from build_tools.model import Archive


@dataclass(frozen=True)
class Changes:
    """What may differ between two archives' files (see :func:`changes`)."""

    sources: frozenset[str]
    """The sources whose pages may differ."""
    speakers: frozenset[str]
    """The speakers whose pages and claims data may differ."""
    claim_types: frozenset[str]
    """The claim types whose pages and claims data may differ."""
    outlets: frozenset[str | None]
    """The outlets whose claims data may differ (``None``: sources of no known outlet)."""


def _changed(old: Mapping[str, object], new: Mapping[str, object]) -> set[str]:
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def _outlets(archive: Archive) -> set[str | None]:
    return {source.outlet for source in archive.sources.values()}


def changes(old: Archive, new: Archive) -> Changes | None:
    """What may differ between the files of ``old`` and ``new`` (rendered with the same settings);
    ``None`` when any file may differ."""
    if old.speakers != new.speakers or old.claim_types != new.claim_types or _outlets(old) != _outlets(new):
        return None
    sources = _changed(old.sources, new.sources)
    annotations = _changed(old.annotations, new.annotations)
    for archive in (old, new):
        annotations.update(a.id for a in archive.annotations.values() if a.source in sources)
    affected = set(sources)
    speakers: set[str] = set()
    claim_types: set[str] = set()
    outlets: set[str | None] = set()
    for archive in (old, new):
        for annotation_id in annotations:
            annotation = archive.annotations.get(annotation_id)
            if annotation is None:
                continue
            speakers.update(annotation.speakers)
            claim_types.add(annotation.claim_type)
            outlets.add(archive.sources[annotation.source].outlet)
            linked = [r.annotation for r in annotation.rebuttals if isinstance(r, InternalRebuttal)]
            linked += archive.backlinks.get(annotation_id, ())
            affected.add(annotation.source)
            affected.update(archive.annotations[i].source for i in linked if i in archive.annotations)
    return Changes(frozenset(affected), frozenset(speakers), frozenset(claim_types), frozenset(outlets))
