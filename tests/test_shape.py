"""Reading an annotation file's common shape (or a source's front matter) line by line gives what
composing it with PyYAML gives: the same drafts or source, positions and problems (compared by
``repr``, which shows the positions that equality leaves out), for every file of the tests and for
generated ones written to be read either way or to sit just outside the common shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.monkeypatch import MonkeyPatch
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from build_tools import parse
from build_tools.parse import AnnotationFile, _from_nodes, parse_annotation_file, parse_source
from build_tools.shape import read_shape
from build_tools.yamlnodes import decode

ROOT = Path(__file__).parent.parent
FILES = sorted(
    p
    for folder in (ROOT / "tests" / "cases", ROOT / "annotations")
    for p in folder.rglob("*.yaml")
    if p.name not in ("speakers.yaml", "claim_types.yaml")
)


def _composed(data: bytes) -> AnnotationFile:
    text, problems = decode(data, "a.yaml")
    return _from_nodes(text, problems, "a.yaml", "a")


def _same(data: bytes) -> None:
    assert repr(parse_annotation_file(data, "a.yaml", "a")) == repr(_composed(data))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_annotation_file_of_the_tests_reads_the_same_either_way(path: Path) -> None:
    _same(path.read_bytes())


VALUES = st.sampled_from(
    ["a0-s1", "speaker-1", "direct", "paraphrase", "factual-assertion", "He said no", '"He said no"',
     "It's fine", "“curly” — dash", "a: b", "a:b", "a #b", "a#b", "x:", '"a \\" b"', '"a\\nb"', "'single'",
     "null", "Null", "~", "", "   ", '""', '"  "', "12", "0x1", "yes", "-x", "- x", "[a, b]", "{a: 1}",
     "&anchor v", "*anchor", "|", ">", "!tag v", "%x", "@x", "`x", "?x", ",x", "a, b", "tab\there",
     "nbsp\u00a0here", "line\u2028sep", "nel\x85x", "Bad Id", "a0-s1 ", '"x" # note', "x # note",
     "café", "\U0001f600 emoji", "a\\b", "<<", "|+", ">-"]
)  # fmt: skip
KEYS = st.sampled_from(
    ["id", "quote", "speaker", "claim_type", "summary", "note", "attribution", "prefix", "suffix",
     "role", "via", "rebuttals", "rebuttals", "occurrence", "tags", "unknown", "Quote"]
)  # fmt: skip
PLAIN_KEYS = st.sampled_from(
    ["summary", "note", "attribution", "prefix", "suffix", "role", "via", "rebuttals"]
)
REQUIRED = ("id", "quote", "speaker", "claim_type")


@st.composite
def entries(draw: st.DrawFn, indent: int) -> list[str]:
    """An entry of the list: half of them written plainly (most of an archive), the others with
    the odd key, value or line that is not."""
    noisy = draw(st.booleans())
    pad = " " * indent
    dash = "-" + " " * draw(st.sampled_from([1, 1, 1, 3]))
    keys = [*REQUIRED, *draw(st.lists(KEYS if noisy else PLAIN_KEYS, max_size=3, unique=not noisy))]
    if draw(st.booleans()):
        keys = draw(st.permutations(keys))
    column = indent + len(dash)
    lines = []
    for number, key in enumerate(keys):
        start = pad + dash if number == 0 else " " * column
        if key == "rebuttals" and (not noisy or draw(st.booleans())):
            lines.append(f"{start}rebuttals:")
            deeper = " " * (column + draw(st.sampled_from([0, 2, 4] if noisy else [2, 4])))
            items = (
                ["annotation: a0-s2", "annotation: x", "title: T", "x"] if noisy else ["annotation: a0-s2"]
            )
            for _ in range(draw(st.integers(0 if noisy else 1, 3))):
                lines.append(f"{deeper}- {draw(st.sampled_from(items))}")
                if noisy and draw(st.integers(0, 5)) == 0:
                    lines.append(f"{deeper}  url: https://example.org/")
            continue
        value = draw(VALUES) if noisy and draw(st.integers(0, 3)) == 0 else f"{key}-v"
        value = {"id-v": f"a{number}-s{draw(st.integers(0, 3))}", "attribution-v": "paraphrase"}.get(
            value, value
        )
        gap = " " * draw(st.sampled_from([1, 1, 1, 2]))
        lines.append(
            f"{start}{key}:{gap}{value}".rstrip() if not value.strip() else f"{start}{key}:{gap}{value}"
        )
        odd = draw(st.integers(0, 12)) if noisy else -1
        if odd == 0:
            lines.append(" " * (column + 2) + "continued on the next line")
        elif odd == 1:
            lines.append(" " * draw(st.integers(0, column + 2)) + "# a comment")
        elif odd == 2:
            lines.append("")
        elif odd == 3:
            lines.append(" " * (column - 1) + "misaligned: value")
    return lines


@st.composite
def files(draw: st.DrawFn) -> bytes:
    indent = draw(st.sampled_from([0, 2, 2, 4]))
    lines = []
    if draw(st.booleans()):
        lines.append("# the annotations of an article")
    source = draw(
        st.sampled_from([None, None, "source: article-1", "source: Bad Id", 'source: "article-1"', "source:"])
    )
    if source and draw(st.booleans()):
        lines.append(source)
    lines.append(draw(st.sampled_from(["annotations:"] * 8 + ["annotations:  ", "annotations: []"])))
    for _ in range(draw(st.sampled_from([0, 1, 2, 2, 3, 3]))):
        lines += draw(entries(indent))
    if source and draw(st.integers(0, 3)) == 0:
        lines.append(source)
    if draw(st.integers(0, 10)) == 0:
        lines.append(draw(st.sampled_from(["---", "other: x", "  stray: x", "- id: x"])))
    return ("\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))).encode()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
@example(
    b"annotations:\n  - id: a\n    quote: q\n    speaker: s\n    claim_type: c\n"
    b"    rebuttals:\n      - annotation: ' '\n"
)
@example(  # a literal block keeps its last line's end when its entry is composed apart
    b"annotations:\n- id: a\n  quote: q\n  speaker: s\n  claim_type: |\n    c\nsource: article-1\n"
)
@example(  # the same anchor in two entries, composed apart, is still found twice
    b"annotations:\n- id: a\n  quote: &x q\n  speaker: s\n  claim_type: c\n  tags: t\n"
    b"- id: b\n  quote: q\n  speaker: s\n  claim_type: c\n- id: c\n  quote: &x q\n  speaker: s\n"
)
def test_generated_files_read_the_same_either_way(data: bytes) -> None:
    _same(data)


def test_the_common_shape_is_read_without_composing_it() -> None:
    """Most of the archive's files are read by the line reader (else this speed-up would be lost
    without any test failing); a file outside the shape is left to PyYAML."""
    plain = (
        b'source: article-1\nannotations:\n  - id: a0-s1\n    quote: "He said no"\n'
        b"    speaker: hua\n    claim_type: denial\n    rebuttals:\n      - annotation: a0-s2\n"
    )
    shape = read_shape(plain.decode())
    assert shape is not None
    assert [entry.rebuttals for entry in shape.entries] == [(("a0-s2", 8, 21),)]
    assert shape.entries[0].fields == {
        "id": (3, 9), "quote": (4, 12), "speaker": (5, 14), "claim_type": (6, 17), "rebuttals": (8, 7)
    }  # fmt: skip
    assert read_shape("annotations:\n\t- id: x\n") is None
    assert read_shape("%YAML 1.1\n---\nannotations:\n  - id: x\n") is None


SOURCES = sorted(p for folder in (ROOT / "tests" / "cases", ROOT / "sources") for p in folder.rglob("*.md"))


def _same_source(data: bytes) -> None:
    read = repr(parse_source(data, "sources/a.md", "a"))
    with MonkeyPatch.context() as patch:
        patch.setattr(parse, "read_mapping", lambda text, first: None)
        composed = repr(parse_source(data, "sources/a.md", "a"))
    assert read == composed


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_source_of_the_tests_reads_the_same_either_way(path: Path) -> None:
    _same_source(path.read_bytes())


SOURCE_KEYS = st.sampled_from(
    ["title", "outlet", "date", "url", "archived_url", "author", "dateline", "language", "unknown"]
)
SOURCE_VALUES = st.one_of(
    VALUES,
    st.sampled_from(["2016-02-02", "2016-13-45", "https://example.org/a", "ftp://x", "zh-Hant", "e n"]),
)


@st.composite
def front_matters(draw: st.DrawFn) -> bytes:
    keys = draw(st.lists(SOURCE_KEYS, max_size=6, unique=draw(st.booleans())))
    if draw(st.integers(0, 5)):
        keys = ["title", *keys]
    lines = ["---"]
    for key in keys:
        value = draw(SOURCE_VALUES) if draw(st.integers(0, 2)) == 0 else f"{key} v"
        indent, gap = (" " * draw(st.sampled_from(widths)) for widths in ([0, 0, 0, 0, 1], [1, 1, 2]))
        lines.append(f"{indent}{key}:{gap}{value}")
        if draw(st.integers(0, 8)) == 0:
            lines.append(draw(st.sampled_from(["", "# a comment", "  continued", "- x"])))
    lines += [draw(st.sampled_from(["---", "...", "--- "])), draw(st.sampled_from(["Text.", "", "  "]))]
    return "\n".join(lines).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matters())
def test_generated_front_matters_read_the_same_either_way(data: bytes) -> None:
    _same_source(data)
