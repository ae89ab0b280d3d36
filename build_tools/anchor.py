"""Finding quotes in a source's verbatim text.

Matching is exact after folding what readers cannot see or type reliably: curly and straight
quotes and apostrophes, dash variants, runs of white space (line breaks, no-break spaces), and
invisible characters such as soft hyphens. Offsets are code points into the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import islice

from rapidfuzz import fuzz

_FOLDED = {
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02", '"'),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2039\u203a\uff07`\u00b4", "'"),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
}
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Runs of white space or invisible characters, except a lone plain space (the common case, which
# folding leaves alone). Written to begin with a character class, which lets the regex engine skip
# to the next candidate character instead of trying the pattern at every position (twice as fast).
_GAPS = re.compile(rf"[\s{_INVISIBLE}](?:(?<! )[\s{_INVISIBLE}]*|[\s{_INVISIBLE}]+)")
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
_NO_WORD = re.compile(r"[^\w'\u2019-]*")
_OPENING = '"\u201c\u201e\u00ab'
_CLOSING = '"\u201d\u00bb'
# A quote mark, or a blank line (the end of a paragraph); beginning with a character class, as _GAPS.
_MARKS = re.compile(rf"[{_OPENING}{_CLOSING}\n](?:(?<!\n)|[ \t]*\n)")
_LOOSE = " \"'"
QUOTATION_MIN_WORDS = 4
_FOURTH = QUOTATION_MIN_WORDS - 1
"""The index of the word that makes a passage long enough to be a quotation."""


def folding() -> dict[str, object]:
    """The folding rules as data, for the dev server's "Copy as annotation" (which anchors a
    selection as :func:`fold` and :meth:`Folded.narrow` will): the variants and what each becomes,
    the invisible characters, and what may separate a prefix or suffix from the quote."""
    return {"variants": _FOLDED, "invisible": _INVISIBLE, "loose": _LOOSE}


def fold(text: str) -> str:
    """``text`` with the invisible differences folded away (used for quotes, prefixes, suffixes)."""
    return _GAPS.sub(_gap, _translate(text)).strip()


def _translate(text: str) -> str:
    """``text`` with quote and dash variants replaced one for one (lengths are kept)."""
    # A scan of the text for each of the 28 variants, in C, is five times as fast as a regular
    # expression that calls back into Python at every one of them (an article has dozens).
    for variant, folded in _FOLDED.items():
        if variant in text:
            text = text.replace(variant, folded)
    return text


def _gap(match: re.Match[str]) -> str:
    # A gap is white space and invisible characters: a space if it holds any white space.
    return " " if match.group().strip(_INVISIBLE) else ""


@dataclass(frozen=True)
class Folded:
    """A source body folded for matching, with the way back to original offsets, and the body's
    quotations (see :func:`quotations`), which coverage checks against the anchored spans."""

    text: str
    _marks: tuple[int, ...]
    _shifts: tuple[int, ...]
    quotations: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, body: str) -> Folded:
        translated = _translate(body)
        parts: list[str] = []
        marks: list[int] = []
        shifts: list[int] = []
        last = shift = 0
        for match in _GAPS.finditer(translated):
            parts.append(translated[last : match.start()])
            gap = _gap(match)
            parts.append(gap)
            folded_end = match.start() - shift + len(gap)
            shift += len(match.group()) - len(gap)
            # From ``folded_end`` on, folded offsets lag the original ones by ``shift``.
            marks.append(folded_end)
            shifts.append(shift)
            last = match.end()
        parts.append(translated[last:])
        return cls("".join(parts), tuple(marks), tuple(shifts), tuple(quotations(body)))

    def original(self, index: int) -> int:
        """The original offset of folded offset ``index``."""
        k = bisect_right(self._marks, index) - 1
        return index + (self._shifts[k] if k >= 0 else 0)

    def span(self, start: int, length: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the folded match ``[start, start + length)``."""
        return self.original(start), self.original(start + length - 1) + 1

    def find_all(self, needle: str) -> list[int]:
        """Folded start offsets of every occurrence of ``needle`` (already folded)."""
        found = []
        index = self.text.find(needle)
        while index >= 0:
            found.append(index)
            index = self.text.find(needle, index + 1)
        return found

    def narrow(self, starts: list[int], length: int, prefix: str | None, suffix: str | None) -> list[int]:
        """The occurrences preceded by ``prefix`` and followed by ``suffix`` (both folded).

        Quote marks and spaces between the context and the quote are optional, so a contributor
        can copy the words around a quoted word without its quote marks.
        """
        prefix = prefix.rstrip(_LOOSE) if prefix else None
        suffix = suffix.lstrip(_LOOSE) if suffix else None
        kept = []
        for start in starts:
            if prefix and not self.text[max(0, start - len(prefix) - 8) : start].rstrip(_LOOSE).endswith(
                prefix
            ):
                continue
            after = self.text[start + length : start + length + len(suffix) + 8] if suffix else ""
            if suffix and not after.lstrip(_LOOSE).startswith(suffix):
                continue
            kept.append(start)
        return kept

    def closest(self, needle: str) -> tuple[int, int, float]:
        """The folded ``(start, end, similarity in %)`` of the passage most like ``needle``, widened
        to whole words: it starts at a word's first character and ends after a word's last."""
        alignment = fuzz.partial_ratio_alignment(needle, self.text)
        if alignment is None:
            return 0, 0, 0.0
        return *whole_words(self.text, alignment.dest_start, alignment.dest_end), alignment.score


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` widened to whole words where it cuts one, without white space at either end."""
    while 0 < start < len(text) and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while 0 < end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]):
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def differences(expected: str, found: str, limit: int = 3) -> list[str]:
    """The words of ``expected`` (a quote) that differ from ``found`` (the closest passage), as
    ``«ours» ≠ «theirs»`` (words changed), ``«ours» is not in the article`` or ``«theirs» is
    missing``; at most ``limit``."""
    ours, theirs = expected.split(), found.split()
    shown = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
        mine, text = " ".join(ours[i1:i2]), " ".join(theirs[j1:j2])
        if tag == "replace":
            shown.append(f"\u00ab{mine}\u00bb \u2260 \u00ab{text}\u00bb")
        elif tag == "delete":
            shown.append(f"\u00ab{mine}\u00bb is not in the article")
        elif tag == "insert":
            shown.append(f"\u00ab{text}\u00bb is missing")
    return shown[:limit]


def quotations(body: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each passage in double quotes with at least four words, quote marks excluded.

    Quotes pair within a paragraph; an unclosed opening quote runs to the paragraph's end, as news
    style does for a quotation continued in the next paragraph.
    """
    found = []
    opened: int | None = None
    for match in _MARKS.finditer(body):
        char = match.group()
        if char[0] == "\n":
            if opened is not None:
                found.append((opened, match.start()))
            opened = None
        elif opened is None and char in _OPENING:
            opened = match.end()
        elif opened is not None and char in _CLOSING:
            found.append((opened, match.start()))
            opened = None
    if opened is not None:
        found.append((opened, len(body.rstrip())))
    return [(s, e) for s, e in found if next(islice(_WORD.finditer(body, s, e), _FOURTH, None), None)]


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of ``spans`` as sorted, disjoint ``(start, end)`` intervals."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def uncovered_words(body: str, start: int, end: int, merged: list[tuple[int, int]]) -> int:
    """How many words of ``body[start:end]`` lie outside the ``merged`` intervals."""
    starts = [s for s, _ in merged]
    if _no_word_uncovered(body, start, end, merged[max(0, bisect_right(starts, start) - 1) :]):
        return 0
    missing = 0
    for word in _WORD.finditer(body, start, end):
        k = bisect_right(starts, word.start()) - 1
        if k < 0 or merged[k][1] < word.end():
            missing += 1
    return missing


def _no_word_uncovered(body: str, start: int, end: int, merged: list[tuple[int, int]]) -> bool:
    """Whether no character of ``body[start:end]`` outside ``merged`` can be part of a word, so that
    every word lies within one interval (the intervals neither overlap nor touch)."""
    covered = start
    for low, high in merged:
        if low >= end:
            break
        if low > covered and not _NO_WORD.fullmatch(body, covered, low):
            return False
        covered = max(covered, high)
    return covered >= end or _NO_WORD.fullmatch(body, covered, end) is not None


def words(text: str) -> int:
    return len(_WORD.findall(text))
