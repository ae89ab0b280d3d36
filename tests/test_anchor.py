"""Quote anchoring: folding invisible differences while keeping offsets into the original text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from build_tools.anchor import Folded, fold, quotations

VARIANTS = st.sampled_from(
    ["a", "b", "z", " ", "  ", "\n", "\u00a0", "\u2009", "\u00ad", "\u200b", '"', "\u201c", "\u201d",
     "'", "\u2019", "-", "\u2014", "\u2013", "\u4e2d", "\U0001f600"]
)  # fmt: skip


@given(st.lists(VARIANTS, max_size=60), st.integers(0, 59), st.integers(1, 20))
def test_every_found_span_folds_back_to_the_needle(parts: list[str], at: int, size: int) -> None:
    body = "".join(parts)
    folded = Folded.of(body)
    needle = fold(body[at : at + size])
    if not needle:
        return
    starts = folded.find_all(needle)
    assert starts, (body, needle)
    for start in starts:
        begin, end = folded.span(start, len(needle))
        assert fold(body[begin:end]) == needle
        assert body[begin:end] == body[begin:end].strip(" \n\u00a0\u2009\u00ad\u200b")


@given(st.lists(VARIANTS, max_size=60))
def test_folding_leaves_single_plain_spaces_only(parts: list[str]) -> None:
    body = "".join(parts)
    text = Folded.of(body).text
    assert not re.search("[^\\S ]|  |[\u00ad\u200b]", text), (body, text)
    assert len(text.split()) == len(body.replace("\u00ad", "").replace("\u200b", "").split())
    assert fold(body) == text.strip()


def test_folding_matches_typographic_variants_at_original_offsets() -> None:
    body = "He said \u201cthe\u00a0camps\n  are \u2014 vocational\u201d today."
    folded = Folded.of(body)
    needle = fold('"the camps are - vocational"')
    [start] = folded.find_all(needle)
    assert folded.span(start, len(needle)) == (8, 38)
    assert body[8:38] == "\u201cthe\u00a0camps\n  are \u2014 vocational\u201d"


def test_quotations_pair_within_paragraphs_and_need_four_words() -> None:
    body = (
        "\u201cOne two three four,\u201d she said. \u201cToo short\u201d.\n\n"
        '"Straight quotes open and close" here.\n\n'
        "\u201cAn unclosed quotation runs to the end of its paragraph\n \t\n"
        "\u201cA line break\ndoes not end a quotation\u201d.\n\n"
        "Next paragraph."
    )
    assert [body[s:e] for s, e in quotations(body)] == [
        "One two three four,",
        "Straight quotes open and close",
        "An unclosed quotation runs to the end of its paragraph",
        "A line break\ndoes not end a quotation",
    ]
