"""``archive suggest``: YAML stubs for the quotations in an article that no annotation covers yet.

The speaker is guessed only when the text makes it obvious ("..., Hua said", "Zakir told ...")
and the name matches exactly one speaker of the registry; otherwise the stub says what the text
names and leaves the choice to the contributor.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from build_tools import anchor
from build_tools.values import slug

if TYPE_CHECKING:
    from build_tools.model import Archive, Source

SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/annotations.schema.json"
_NAME = r"(?:[A-Z][\w.\u2019'-]*\s+){0,3}[A-Z][\w\u2019'-]+"
_APPOSITION = r"(?:,[^,\u201c\u201d\"]{0,80},)?"
_VERB = r"(?:said|says|told|tells|wrote|writes|added|stated|declared)"
_AFTER = re.compile(
    rf"[\s,]*(?:(?P<pronoun>he|she|they)\s+{_VERB}|{_VERB}\s+(?P<inverted>{_NAME})|(?P<name>{_NAME}){_APPOSITION}\s+{_VERB})"
)
_BEFORE = re.compile(rf"(?P<name>{_NAME}){_APPOSITION}\s+{_VERB}[^.:\u201c\"]{{0,40}}[:,]\s*$")
_NAMES = re.compile(_NAME)
_PRONOUNS = ("he", "she", "they")
_TITLES = {"sen", "rep", "ambassador", "mr", "ms", "mrs", "dr", "president", "minister", "spokeswoman"}


def _tokens(name: str) -> set[str]:
    return {t for t in re.findall(r"[a-z]+", name.lower()) if t not in _TITLES}


def guess_speaker(archive: Archive, name: str) -> str | None:
    """The one registry speaker whose name contains every word of ``name``, if exactly one does."""
    wanted = _tokens(name)
    if not wanted:
        return None
    found = [s.id for s in archive.speakers.values() if wanted <= _tokens(s.name)]
    return found[0] if len(found) == 1 else None


def _paragraph_speaker(archive: Archive, source: Source, start: int) -> str | None:
    """The last registry speaker named in the paragraph before ``start`` (for "she said")."""
    begin = source.body.rfind("\n\n", 0, start) + 1
    found = [guess_speaker(archive, m.group()) for m in _NAMES.finditer(source.body, begin, start)]
    return next((s for s in reversed(found) if s), None)


def _named(source: Source, start: int, end: int) -> str | None:
    """The name (or pronoun) the text gives for the quotation ``body[start:end]``, or ``None``."""
    after = _AFTER.match(source.body, end + 1, min(len(source.body), end + 200))
    if after:
        return after["pronoun"] or after["inverted"] or after["name"]
    line_start = source.body.rfind("\n", 0, start) + 1
    before = _BEFORE.search(source.body, max(line_start, start - 200), max(line_start, start - 1))
    return before["name"] if before else None


def stubs(archive: Archive, source: Source) -> list[str]:
    """A YAML list entry for each quotation of ``source`` that no annotation covers."""
    spans = anchor.merge([(a.start, a.end) for a in archive.annotations_by_source.get(source.id, ())])
    taken = set(archive.annotations)
    entries = []
    for start, end in anchor.quotations(source.body):
        if not anchor.uncovered_words(source.body, start, end, spans):
            continue
        quote = source.body[start:end].strip().rstrip(",")
        name = _named(source, start, end)
        if name in _PRONOUNS:
            speaker = _paragraph_speaker(archive, source, start)
        else:
            speaker = guess_speaker(archive, name) if name else None
        base = slug(f"{speaker or 'statement'} {' '.join(quote.split()[:4])}")
        ann_id, n = base, 2
        while ann_id in taken:
            ann_id, n = f"{base}-{n}", n + 1
        taken.add(ann_id)
        if speaker:
            who = f"{speaker}  # guessed from the text: check it"
        elif name:
            who = f"  # the text names {json.dumps(name, ensure_ascii=False)}: give its id from speakers.yaml"
        else:
            who = "  # who said it? an id from annotations/speakers.yaml"
        entries.append(
            f"  - id: {ann_id}\n"
            f"    quote: {json.dumps(' '.join(quote.split()), ensure_ascii=False)}\n"
            f"    speaker: {who}\n"
            "    claim_type:  # an id from annotations/claim_types.yaml (see the taxonomy page)\n"
            "    attribution: direct\n"
            "    summary:  # one line: what the statement claims\n"
        )
    return entries


def render(archive: Archive, source: Source, *, with_header: bool) -> str:
    """The stubs as text; a whole file (schema line, ``source``, ``annotations:``) when asked."""
    entries = stubs(archive, source)
    if not entries:
        return ""
    header = (
        f"{SCHEMA_LINE}\nsource: {source.id}\n"
        "# Quotations are suggested; paraphrased and reported claims must be added by hand.\n"
        "annotations:\n"
        if with_header
        else ""
    )
    return header + "\n".join(entries)
