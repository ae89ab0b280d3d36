"""Which source pages an edit can change: the dev server re-renders those and reuses the rest.

A source page shows its source, its annotations, the annotations they rebut and those rebutting
them (words, speakers, source title and date), every speaker's name and role, and the claim types
(their colours depend on all categories). So between two archives its text can differ only if the
source changed, one of those annotations changed (or appeared, or went), or the source of one of
them changed; a change of speakers or claim types can change any page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from build_tools.model import InternalRebuttal

if TYPE_CHECKING:
    from collections.abc import Mapping

    from build_tools.model import Archive


def _changed(old: Mapping[str, object], new: Mapping[str, object]) -> set[str]:
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def affected_sources(old: Archive, new: Archive) -> set[str] | None:
    """The ids of the sources whose pages may differ between ``old`` and ``new`` (rendered with
    the same settings); ``None`` when any page may differ."""
    if old.speakers != new.speakers or old.claim_types != new.claim_types:
        return None
    sources = _changed(old.sources, new.sources)
    annotations = _changed(old.annotations, new.annotations)
    for archive in (old, new):
        annotations.update(a.id for a in archive.annotations.values() if a.source in sources)
    affected = set(sources)
    for archive in (old, new):
        for annotation_id in annotations:
            annotation = archive.annotations.get(annotation_id)
            if annotation is None:
                continue
            linked = [r.annotation for r in annotation.rebuttals if isinstance(r, InternalRebuttal)]
            linked += archive.backlinks.get(annotation_id, ())
            affected.add(annotation.source)
            affected.update(archive.annotations[i].source for i in linked if i in archive.annotations)
    return affected
