"""What the dev server reuses after an edit: source pages outside ``affected_sources`` and kept
fragments must be exactly what a full render of the edited archive gives."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from build_tools.model import Archive, InternalRebuttal
from build_tools.render import Fragments, affected_sources, plan_site, render_site, source_uri
from tests.factory import synthetic_archive

if TYPE_CHECKING:
    from collections.abc import Callable

OLD = synthetic_archive(8)


def _with(archive: Archive, **changes: object) -> Archive:
    parts = {
        "sources": dict(archive.sources),
        "annotations": dict(archive.annotations),
        "speakers": dict(archive.speakers),
        "claim_types": dict(archive.claim_types),
    }
    for name, change in changes.items():
        parts[name] = change(parts[name])  # type: ignore[operator]
    return Archive(**parts)  # type: ignore[arg-type]


def _set(key: str, value: object) -> Callable[[dict[str, object]], dict[str, object]]:
    return lambda mapping: {**mapping, key: value}


def _without(key: str) -> Callable[[dict[str, object]], dict[str, object]]:
    return lambda mapping: {k: v for k, v in mapping.items() if k != key}


EDITS = {
    "speaker of a rebutted statement": _with(
        OLD, annotations=_set("a-003-0", replace(OLD.annotations["a-003-0"], speakers=("speaker-2",)))
    ),
    "source title": _with(OLD, sources=_set("source-002", replace(OLD.sources["source-002"], title="New"))),
    "removed statement": _with(OLD, annotations=_without("a-007-1")),
    "new rebuttal": _with(
        OLD,
        annotations=_set(
            "a-001-0", replace(OLD.annotations["a-001-0"], rebuttals=(InternalRebuttal("a-006-1"),))
        ),
    ),
}


@pytest.mark.parametrize("edit", EDITS)
def test_pages_outside_the_affected_sources_are_unchanged(edit: str) -> None:
    new = EDITS[edit]
    affected = affected_sources(OLD, new)
    assert affected is not None
    before, after = render_site(OLD), render_site(new)
    changed = {sid for sid in new.sources if before.get(source_uri(sid)) != after[source_uri(sid)]}
    assert changed, edit
    assert changed <= affected


@pytest.mark.parametrize("edit", EDITS)
def test_kept_fragments_give_the_full_render(edit: str) -> None:
    new = EDITS[edit]
    affected = affected_sources(OLD, new)
    assert affected is not None
    fragments = Fragments()
    _made(OLD, fragments)
    for archive in (OLD, new):
        fragments.forget(a.id for a in archive.annotations.values() if a.source in affected)
    assert dict(sorted(_made(new, fragments).items())) == render_site(new)


def _made(archive: Archive, fragments: Fragments) -> dict[str, str]:
    return {planned.uri: planned.content() for planned in plan_site(archive, fragments=fragments)}


def test_a_speaker_or_claim_type_change_affects_every_page() -> None:
    renamed = replace(OLD.speakers["speaker-0"], name="Someone else")
    assert affected_sources(OLD, _with(OLD, speakers=_set("speaker-0", renamed))) is None
    assert affected_sources(OLD, _with(OLD, claim_types=_without("denial"))) is None
