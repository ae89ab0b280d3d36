"""Splitting a text with nested and overlapping spans into segments."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from build_tools.model import Annotation
from build_tools.render.segments import innermost_first, split


def _ann(aid: str, start: int, end: int) -> Annotation:
    return Annotation(aid, "s", "q", start, end, ("x",), "t")


def test_nested_and_overlapping_spans_become_segments_with_every_covering_annotation() -> None:
    outer, inner, cross = _ann("outer", 0, 10), _ann("inner", 3, 5), _ann("cross", 8, 14)
    [segments] = split([(0, 20)], [outer, inner, cross])
    assert [(s.start, s.end, [a.id for a in s.annotations]) for s in segments] == [
        (0, 3, ["outer"]),
        (3, 5, ["inner", "outer"]),
        (5, 8, ["outer"]),
        (8, 10, ["cross", "outer"]),
        (10, 14, ["cross"]),
        (14, 20, []),
    ]


def test_identical_spans_share_segments_in_a_stable_order() -> None:
    [segments] = split([(0, 4)], [_ann("b", 0, 4), _ann("a", 0, 4)])
    assert [[a.id for a in s.annotations] for s in segments] == [["a", "b"]]


def test_a_span_across_paragraphs_is_cut_at_the_paragraph_boundary() -> None:
    first, second = split([(0, 5), (7, 12)], [_ann("long", 2, 10)])
    assert [(s.start, s.end, len(s.annotations)) for s in first] == [(0, 2, 0), (2, 5, 1)]
    assert [(s.start, s.end, len(s.annotations)) for s in second] == [(7, 10, 1), (10, 12, 0)]


spans = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)), max_size=12)


@given(spans)
def test_segments_tile_each_paragraph_and_carry_exactly_the_covering_spans(
    raw: list[tuple[int, int]],
) -> None:
    paragraphs = [(0, 15), (17, 30), (32, 52)]
    annotations = [_ann(f"a{i}", start, start + length) for i, (start, length) in enumerate(raw)]
    result = split(paragraphs, annotations)
    for (start, end), segments in zip(paragraphs, result, strict=True):
        assert segments[0].start == start
        assert segments[-1].end == end
        assert all(a.end == b.start for a, b in pairwise(segments))
        for segment in segments:
            covering = sorted(
                (a for a in annotations if a.start <= segment.start and segment.end <= a.end),
                key=innermost_first,
            )
            assert list(segment.annotations) == covering
            partly = [a for a in annotations if a.start < segment.end and segment.start < a.end]
            assert sorted(a.id for a in partly) == sorted(a.id for a in covering)
