"""``claims.csv``: one row per statement, for spreadsheet users.

Multi-valued fields (speakers, tags, rebuttals) are joined with `` | ``; the relation of each
rebuttal (contradicts, disputes, context) is in ``rebutted_by_relations`` and
``outside_evidence_relations``, in the order of ``rebutted_by`` and ``outside_evidence``. A cell
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is prefixed with an apostrophe, because the text comes from contributors (CSV
injection).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from build_tools.model import ExternalRebuttal, InternalRebuttal

if TYPE_CHECKING:
    from collections.abc import Iterator

    from build_tools.exports.links import Site
    from build_tools.model import Archive

SEPARATOR = " | "
ROWS = 1000
"""Rows in a piece of :func:`claims_csv`'s text."""
COLUMNS = (
    "id", "permalink", "source", "source_title", "outlet", "date", "quote", "speakers", "speaker_names",
    "roles", "claim_type", "claim_type_label", "category", "attribution", "via", "summary", "tags",
    "rebutted_by", "rebutted_by_relations", "rebuts", "outside_evidence", "outside_evidence_relations",
    "start", "end",
)  # fmt: skip
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str | None) -> str:
    text = value or ""
    return "'" + text if text.startswith(_FORMULA) else text


def claims_csv(archive: Archive, site: Site) -> Iterator[str]:
    """Every statement as CSV text (RFC 4180, CRLF line ends, a header row), in pieces of
    :data:`ROWS` rows.

    Ids, dates, addresses and numbers are written as they are (an id starts with a letter or a
    digit); every other text goes through the formula guard. A source's, a speaker's and a claim
    type's cells are made once, not on each of their rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    names = {s.id: s.name for s in archive.speakers.values()}
    types = {c.id: (_cell(c.label), _cell(c.category)) for c in archive.claim_types.values()}
    sources: dict[str, tuple[str, str, str, str]] = {}
    rebuts = archive.backlinks
    for number, ann in enumerate(archive.annotations.values(), 1):
        source = archive.sources[ann.source]
        cells = sources.get(source.id)
        if cells is None:
            cells = sources[source.id] = (
                source.id,
                _cell(source.title),
                _cell(source.outlet),
                source.date or "",
            )
        label, category = types[ann.claim_type]
        internal = [r for r in ann.rebuttals if isinstance(r, InternalRebuttal)]
        external = [r for r in ann.rebuttals if isinstance(r, ExternalRebuttal)]
        writer.writerow(
            (
                ann.id,
                site.annotation(source.id, ann.id),
                *cells,
                _cell(source.body[ann.start : ann.end]),
                SEPARATOR.join(ann.speakers),
                _cell(SEPARATOR.join(names[s] for s in ann.speakers)),
                _cell(SEPARATOR.join(archive.role_of(ann, s) or "" for s in ann.speakers)),
                ann.claim_type,
                label,
                category,
                ann.attribution,
                _cell(ann.via),
                _cell(ann.summary),
                _cell(SEPARATOR.join(ann.tags)),
                SEPARATOR.join(r.annotation for r in internal),
                SEPARATOR.join(r.relation for r in internal),
                SEPARATOR.join(rebuts.get(ann.id, ())),
                _cell(SEPARATOR.join(r.title for r in external)),
                SEPARATOR.join(r.relation for r in external),
                ann.start,
                ann.end,
            )
        )
        if number % ROWS == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
