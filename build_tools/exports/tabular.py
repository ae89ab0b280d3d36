"""``claims.csv``: one row per statement, for spreadsheet users.

Multi-valued fields (speakers, tags, rebuttals) are joined with `` | ``. A cell that a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
prefixed with an apostrophe, because the text comes from contributors (CSV injection).
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
    "rebutted_by", "rebuts", "outside_evidence", "start", "end",
)  # fmt: skip
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def claims_csv(archive: Archive, site: Site) -> Iterator[str]:
    """Every statement as CSV text (RFC 4180, CRLF line ends, a header row), in pieces of
    :data:`ROWS` rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for number, ann in enumerate(archive.annotations.values(), 1):
        source = archive.sources[ann.source]
        claim_type = archive.claim_types[ann.claim_type]
        row = (
            ann.id,
            site.annotation(source.id, ann.id),
            source.id,
            source.title,
            source.outlet,
            source.date,
            source.body[ann.start : ann.end],
            SEPARATOR.join(ann.speakers),
            SEPARATOR.join(archive.speakers[s].name for s in ann.speakers),
            SEPARATOR.join(archive.role_of(ann, s) or "" for s in ann.speakers),
            ann.claim_type,
            claim_type.label,
            claim_type.category,
            ann.attribution,
            ann.via,
            ann.summary,
            SEPARATOR.join(ann.tags),
            SEPARATOR.join(r.annotation for r in ann.rebuttals if isinstance(r, InternalRebuttal)),
            SEPARATOR.join(a.id for a in archive.rebuts(ann.id)),
            SEPARATOR.join(r.title for r in ann.rebuttals if isinstance(r, ExternalRebuttal)),
            ann.start,
            ann.end,
        )
        writer.writerow([_cell(value) for value in row])
        if number % ROWS == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
