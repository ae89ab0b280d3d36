"""Golden cases for the validator: each good archive has no problems, each bad one exactly the
problems in its ``expected.txt``. Set UPDATE_GOLDEN=1 to rewrite the expected files."""

from __future__ import annotations

import gc
import os
import shutil
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, get_args

import pytest

from build_tools import fields, forking, load
from build_tools.codes import CODES
from build_tools.load import Loaded, load_archive
from build_tools.model import Attribution, InternalRebuttal, Relation, SpeakerKind
from build_tools.problems import Level, Problem

CASES = Path(__file__).parent / "cases" / "validate"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _problems(case: Path) -> list[Problem]:
    return load_archive(case / "sources", case / "annotations", root=case).problems


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


@pytest.mark.parametrize("case", _cases("good"), ids=lambda p: p.name)
def test_good_archive_has_no_problems(case: Path) -> None:
    assert [str(p) for p in _problems(case) if p.level is not Level.NOTICE] == []


@pytest.mark.parametrize("case", _cases("bad"), ids=lambda p: p.name)
def test_bad_archive_reports_exactly_the_expected_problems(case: Path) -> None:
    actual = "".join(f"{p}\n" for p in _problems(case))
    expected = case / "expected.txt"
    if UPDATE:
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", _cases("bad"), ids=lambda p: p.name)
def test_reading_in_a_pool_of_processes_reports_the_same_problems(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[object] = []

    def pool(*args: Any, **kwargs: Any) -> ProcessPoolExecutor:
        pools.append(args)
        return ProcessPoolExecutor(*args, **kwargs)

    monkeypatch.setattr(forking, "ProcessPoolExecutor", pool)
    loaded = load_archive(case / "sources", case / "annotations", root=case, parallel=True)
    assert loaded.problems == _problems(case)
    sources = list(case.glob("sources/*.md"))
    annotations = [
        p for p in case.glob("annotations/*.yaml") if p.name not in (load.SPEAKERS, load.CLAIM_TYPES)
    ]
    # A pool reads the sources, then another reads and checks the annotation files.
    expected = (len(sources) > 1) + (len(annotations) > 1)
    assert len(pools) == (expected if forking.can_fork() and (os.cpu_count() or 1) > 1 else 0)


@pytest.mark.parametrize("case", [*_cases("bad"), *_cases("good")], ids=lambda p: f"{p.parent.name}-{p.name}")
def test_checking_for_the_problems_alone_reports_the_same_problems(case: Path) -> None:
    """``archive validate`` wants only the problems: the processes that check the annotation files
    do not send back the annotations, and the problems are those of a full load."""
    full = load_archive(case / "sources", case / "annotations", root=case, parallel=True)
    alone = load_archive(case / "sources", case / "annotations", root=case, parallel=True, statements=False)
    assert alone.problems == full.problems
    assert not alone.archive.annotations
    assert alone.archive.sources == full.archive.sources


def test_a_process_running_threads_parses_in_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked copy of a process running other threads may hang: such a process (a dev server)
    reads everything itself, with the same result."""
    case = _cases("bad")[0]
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    pools: list[object] = []
    monkeypatch.setattr(forking, "ProcessPoolExecutor", lambda *args, **kwargs: pools.append(args))
    try:
        loaded = load_archive(case / "sources", case / "annotations", root=case, parallel=True)
    finally:
        release.set()
        other.join()
    assert pools == []
    assert loaded.problems == _problems(case)


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    """Loading pauses the collector; a caller's choice survives it, even when loading fails."""
    case = _cases("good")[0]
    (gc.enable if enabled else gc.disable)()
    try:
        load_archive(case / "sources", case / "annotations", root=case)
        assert gc.isenabled() is enabled
        with pytest.raises(TypeError):
            load_archive(case / "sources", case / "annotations", root=case, progress=1)  # type: ignore[arg-type]
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_every_code_is_exercised_by_a_bad_case() -> None:
    seen = {line.rsplit("[", 1)[1].rstrip("]") for case in _cases("bad") for line in _lines(case)}
    assert sorted(set(CODES) - seen) == []
    assert sorted(seen - set(CODES)) == []


def _lines(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_a_rebuttal_of_an_annotation_left_out_is_dropped_from_the_archive(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(_cases("good")[0], case)
    annotations = case / "annotations" / "briefing.yaml"
    text = annotations.read_text(encoding="utf-8")
    broken = text.replace("say they are internment camps", "say they are camps")
    annotations.write_text(broken, encoding="utf-8")
    loaded = load_archive(case / "sources", case / "annotations", root=case)
    assert [p.code for p in loaded.problems if p.level is Level.ERROR] == ["quote-not-found"]
    assert "groups-internment" not in loaded.archive.annotations
    assert loaded.archive.annotations["hua-no-different"].rebuttals == ()
    assert loaded.archive.backlinks == {}
    intact = load_archive(_cases("good")[0] / "sources", _cases("good")[0] / "annotations").archive
    rebuttals = intact.annotations["hua-no-different"].rebuttals
    assert [r.annotation for r in rebuttals if isinstance(r, InternalRebuttal)] == ["groups-internment"]


def _copies(tmp_path: Path, files: dict[str, str]) -> Loaded:
    """The archive of four copies of the good case's source (a, b, c and d) and the annotation
    files ``files`` (by name), read by a pool of processes, having checked that the problems and
    the archive are those of reading it in one."""
    base = _cases("good")[0]
    case = tmp_path / "case"
    shutil.copytree(base / "annotations", case / "annotations")
    (case / "annotations" / "briefing.yaml").unlink()
    for stem in "abcd":
        (case / "sources").mkdir(exist_ok=True)
        shutil.copy(base / "sources" / "briefing.md", case / "sources" / f"{stem}.md")
    for stem, text in files.items():
        (case / "annotations" / f"{stem}.yaml").write_text(text, encoding="utf-8")
    one = load_archive(case / "sources", case / "annotations", root=case)
    two = load_archive(case / "sources", case / "annotations", root=case, parallel=True)
    assert two.problems == one.problems
    assert two.archive == one.archive
    # Equality leaves positions out; their representations show them.
    assert [repr(a) for a in two.archive.annotations.values()] == [
        repr(a) for a in one.archive.annotations.values()
    ]
    return two


def _named(stem: str, text: str) -> str:
    """The good case's annotations ``text``, with its ids, and the rebuttals naming them, starting
    with ``stem`` (``a-hua-no-different``)."""
    return text.replace("id: ", f"id: {stem}-").replace("annotation: ", f"annotation: {stem}-")


_BRIEFING = (_cases("good")[0] / "annotations" / "briefing.yaml").read_text(encoding="utf-8")


def test_files_anchored_in_any_source_make_one_archive(tmp_path: Path) -> None:
    """Files naming another source, quotes not found or ambiguous, quotations left uncovered: the
    problems and the archive are the same however the files were read."""
    text = _BRIEFING
    loaded = _copies(
        tmp_path,
        {
            "a": "source: d\n" + _named("a", text),  # another file's source
            "b": _named(
                "b", text.replace("say they are internment", "say they were internment")
            ),  # not found
            "c": _named(  # one quote ambiguous, one quotation not all covered
                "c",
                text.replace("Rights groups say they are internment camps.", "camps").replace(
                    "We oppose double standards on counterterrorism.", "double standards"
                ),
            ),
            "d": "source: a\n" + _named("d", text.replace("vocational training", "training")),  # not found
            "zz": "source: b\n" + _named("zz", text),  # no source of its name
        },
    )
    found = {(p.path, p.code) for p in loaded.problems}
    assert {
        ("annotations/b.yaml", "quote-not-found"),
        ("annotations/c.yaml", "quote-ambiguous"),
        ("annotations/d.yaml", "quote-not-found"),
        ("sources/c.md", "uncovered-quotation"),
    } <= found
    assert len(loaded.archive.annotations) == 4 * 5 - 3


def test_files_are_checked_against_each_other(tmp_path: Path) -> None:
    """Ids, rebuttals and the registries' entries in use are checked across files: of two
    annotations with one id, the first valid one in the archive's order is kept."""
    text = _BRIEFING
    rebuttals = "    rebuttals:\n      - annotation: a-groups-internment\n      - annotation: c-nowhere\n"
    loaded = _copies(
        tmp_path,
        {
            # a-hua-no-different's quote is not found, so d's annotation of that id is kept.
            "a": _named("a", text.replace("are no different", "are not different")),
            "b": _named("b", text.replace("speaker: china", "speaker: chna")),
            "c": _named("c", text).replace(
                "    rebuttals:\n      - annotation: c-groups-internment\n", rebuttals
            ),
            "d": _named("d", text.replace("claim_type: euphemism", "claim_type: euphemisms")).replace(
                "id: d-hua-no-different", "id: a-hua-no-different"
            ),
        },
    )
    assert [f"{p.path}:{p.line} {p.code}" for p in loaded.problems if p.level is not Level.NOTICE] == [
        "annotations/a.yaml:3 quote-not-found",
        "annotations/b.yaml:20 unknown-speaker",
        "annotations/c.yaml:8 unknown-annotation",
        "annotations/d.yaml:2 duplicate-id",
        "annotations/d.yaml:21 unknown-claim-type",
        "sources/a.md:6 uncovered-quotation",
    ]
    duplicate = next(p for p in loaded.problems if p.code == "duplicate-id")
    assert "already used at annotations/a.yaml:2:9" in duplicate.message
    annotations = loaded.archive.annotations
    assert annotations["a-hua-no-different"].source == "d"
    assert "c-hua-no-different" not in annotations
    assert loaded.archive.backlinks["d-groups-internment"] == ("a-hua-no-different",)


def test_every_code_is_explained_in_the_contributing_guide_at_its_level() -> None:
    guide = (Path(__file__).parents[1] / "docs" / "contributing.md").read_text(encoding="utf-8")
    assert [code for code, about in CODES.items() if f"| `{code}` | {about.level} |" not in guide] == []


def test_a_rebuttals_relation_is_read_and_defaults_to_contradicts() -> None:
    case = CASES / "good" / "nested-and-repeated"
    annotations = load_archive(case / "sources", case / "annotations", root=case).archive.annotations
    relations = {aid: [r.relation for r in a.rebuttals] for aid, a in annotations.items() if a.rebuttals}
    assert relations == {
        "hua-no-different": ["contradicts"],
        "hua-sickness": ["context"],
        "hua-camps-help-2": ["disputes"],
    }


def test_the_models_choices_are_the_tables() -> None:
    assert get_args(Relation) == fields.RELATION.allowed
    assert get_args(Attribution) == fields.ANNOTATION.field("attribution").allowed
    assert get_args(SpeakerKind) == fields.SPEAKER.field("kind").allowed
