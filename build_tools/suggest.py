"""``archive suggest``: YAML stubs for the quotations in an article that no annotation covers yet.

The speaker is guessed only when the text makes it obvious ("..., Hua said", "Zakir told ...")
and the name matches exactly one speaker of the registry; otherwise the stub says what the text
names and leaves the choice to the contributor.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from build_tools import anchor
from build_tools.values import slug

if TYPE_CHECKING:
    from pathlib import Path

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


def stubs(archive: Archive, source: Source, written: Written | None = None) -> list[str]:
    """A YAML list entry for each quotation of ``source`` that no annotation covers, leaving out the
    quotations and ids already ``written`` in its file (entries not yet valid are not in ``archive``)."""
    spans = anchor.merge([(a.start, a.end) for a in archive.annotations_by_source.get(source.id, ())])
    taken = set(archive.annotations) | (written.ids if written else set())
    entries = []
    for start, end in anchor.quotations(source.body):
        if not anchor.uncovered_words(source.body, start, end, spans):
            continue
        quote = source.body[start:end].strip().rstrip(",")
        if written and " ".join(quote.split()) in written.quotes:
            continue
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
        elif name in _PRONOUNS:
            who = f"  # the text says {name!r} said it: who? an id from annotations/speakers.yaml"
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


def header(source: Source) -> str:
    """The top of an annotation file, up to the ``annotations:`` key."""
    return (
        f"{SCHEMA_LINE}\nsource: {source.id}\n"
        "# Quotations are suggested; paraphrased and reported claims must be added by hand.\n"
    )


def render(archive: Archive, source: Source, path: Path) -> str:
    """The stubs to add to the annotation file at ``path``, as text: a whole file (schema line,
    ``source``, ``annotations:``) when the file is missing or empty, otherwise entries to append."""
    if lacks_header(path):
        entries = stubs(archive, source)
        return header(source) + "annotations:\n" + "\n".join(entries) if entries else ""
    return "\n".join(stubs(archive, source, _written(path.read_text(encoding="utf-8"))))


def lacks_header(path: Path) -> bool:
    """Whether the annotation file at ``path`` has yet to be started: it does not exist, or holds
    nothing but white space (as ``>>`` leaves it: the shell creates the file before the command runs)."""
    return not path.exists() or not path.read_text(encoding="utf-8").strip()


class MergeError(Exception):
    """Why the stubs could not be added to an existing file, worded for the contributor."""


_EMPTY_LIST = re.compile(r"^annotations:[ \t]*\[\][ \t]*(?:#.*)?$", re.MULTILINE)


def merged(existing: str, source: Source, entries: list[str]) -> str:
    """``existing`` (the text of an annotation file) with ``entries`` added to its list.

    An empty or missing file becomes a whole file; ``annotations: []`` is opened into a list;
    otherwise the entries go at the end, where the ``annotations`` list of every file ends. The
    result is read back, and refused unless it holds the old entries and the new ones.
    """
    if not existing.strip():
        return header(source) + ("annotations:\n" + "\n".join(entries) if entries else "annotations: []\n")
    before = _entries(existing)
    if _EMPTY_LIST.search(existing):
        opened = "annotations:\n" + "\n".join(entries).rstrip("\n")
        text = _EMPTY_LIST.sub(lambda _: opened, existing, count=1)
    else:
        text = existing + ("" if existing.endswith("\n") else "\n") + "\n".join(entries)
    if before is None or _entries(text) != before + len(entries):
        raise MergeError(
            "cannot add the stubs: the file does not end with its `annotations:` list "
            "(or does not parse: `archive validate` says where); print them with `archive suggest` instead"
        )
    return text


@dataclass(frozen=True)
class Written:
    """The ids and quotes (white space folded) of the entries an annotation file already has."""

    ids: set[str]
    quotes: set[str]
    count: int


def _written(text: str) -> Written | None:
    """What the file's ``annotations`` list holds; ``None`` when it does not read as one."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("annotations") or [], list):
        return None
    entries = [e for e in data.get("annotations") or [] if isinstance(e, dict)]
    return Written(
        {str(e["id"]) for e in entries if e.get("id")},
        {" ".join(str(e["quote"]).split()) for e in entries if e.get("quote")},
        len(data.get("annotations") or []),
    )


def _entries(text: str) -> int | None:
    written = _written(text)
    return written.count if written else None


def write(archive: Archive, source: Source, path: Path) -> int:
    """Add the stubs for ``source`` to the annotation file at ``path``, creating it if need be;
    returns how many were added. Quotations the file already has an entry for (even one not
    filled in yet) get none. An existing file is left alone when there is nothing to add."""
    existing = "" if lacks_header(path) else path.read_text(encoding="utf-8")
    entries = stubs(archive, source, _written(existing) if existing else None)
    if existing and not entries:
        return 0
    text = merged(existing, source, entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    return len(entries)
