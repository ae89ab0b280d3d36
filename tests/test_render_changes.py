"""What the dev server reuses after an edit: the files planned as unchanged (outside ``changes``)
and the kept fragments must be exactly what a full render of the edited archive gives."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from build_tools.model import Archive, InternalRebuttal
from build_tools.render import Fragments, changes, plan_site, render_site
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
    "source outlet": _with(
        OLD, sources=_set("source-002", replace(OLD.sources["source-002"], outlet="Wire A"))
    ),
    "claim type of a statement": _with(
        OLD, annotations=_set("a-004-1", replace(OLD.annotations["a-004-1"], claim_type="euphemism"))
    ),
    "removed statement": _with(OLD, annotations=_without("a-007-1")),
    "new rebuttal": _with(
        OLD,
        annotations=_set(
            "a-001-0", replace(OLD.annotations["a-001-0"], rebuttals=(InternalRebuttal("a-006-1"),))
        ),
    ),
}


PER_PAGE = 2
"""Small pages, so that the listings have several."""


@pytest.mark.parametrize("edit", EDITS)
def test_files_planned_as_unchanged_are_unchanged(edit: str) -> None:
    new = EDITS[edit]
    since = changes(OLD, new)
    assert since is not None
    before, after = render_site(OLD, per_page=PER_PAGE), render_site(new, per_page=PER_PAGE)
    planned = list(plan_site(new, per_page=PER_PAGE, since=since))
    unchanged = {p.uri for p in planned if p.unchanged}
    differ = {p.uri for p in planned if before.get(p.uri) != after[p.uri]}
    assert differ, edit
    assert not unchanged & differ
    if edit == "speaker of a rebutted statement":  # each kind can be kept
        assert {uri.split("/")[0] for uri in unchanged} == {"sources", "speakers", "claim-types", "claims"}
    assert not any(p.unchanged for p in plan_site(new, per_page=PER_PAGE))


@pytest.mark.parametrize("edit", EDITS)
def test_kept_fragments_give_the_full_render(edit: str) -> None:
    new = EDITS[edit]
    since = changes(OLD, new)
    assert since is not None
    fragments = Fragments()
    _made(OLD, fragments)
    for archive in (OLD, new):
        fragments.forget(a.id for a in archive.annotations.values() if a.source in since.sources)
    assert dict(sorted(_made(new, fragments).items())) == render_site(new)


def _made(archive: Archive, fragments: Fragments) -> dict[str, str]:
    return {planned.uri: planned.content() for planned in plan_site(archive, fragments=fragments)}


def test_a_change_of_speakers_claim_types_or_outlets_affects_every_file() -> None:
    renamed = replace(OLD.speakers["speaker-0"], name="Someone else")
    assert changes(OLD, _with(OLD, speakers=_set("speaker-0", renamed))) is None
    assert changes(OLD, _with(OLD, claim_types=_without("denial"))) is None
    new_outlet = replace(OLD.sources["source-002"], outlet="Wire C")
    assert changes(OLD, _with(OLD, sources=_set("source-002", new_outlet))) is None
