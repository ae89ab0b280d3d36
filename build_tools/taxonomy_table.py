"""The table of claim types on the taxonomy page, made from ``annotations/claim_types.yaml``.

The archive plugin puts the table between the ``<!-- claim-types -->`` and ``<!-- /claim-types -->``
lines of a hand-written page (the taxonomy page) when it builds the site, so the published page
cannot drift from the registry; ``archive schema --docs PAGE`` writes it into the page's file too,
for those who read the Markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from build_tools.model import ClaimType

START = "<!-- claim-types -->"
END = "<!-- /claim-types -->"


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def table(claim_types: Iterable[ClaimType]) -> str:
    """The claim types, in the registry's order, as a Markdown table linking each type's page."""
    rows = ["| claim type | category | definition | reference |", "| --- | --- | --- | --- |"]
    for c in claim_types:
        label = f"[{_cell(c.label)}](claim-types/{c.id}.md)"
        rows.append(f"| {label} | {_cell(c.category)} | {_cell(c.definition)} | {_cell(c.reference)} |")
    return "\n".join(rows)


def has_table(text: str) -> bool:
    """Whether ``text`` (a Markdown page) has a place for the table of claim types."""
    return START in text.split("\n")


def with_table(text: str, claim_types: Iterable[ClaimType]) -> str:
    """``text`` with the table made again between each ``START`` and ``END`` line."""
    made = table(claim_types)
    out: list[str] = []
    lines = iter(text.split("\n"))
    for line in lines:
        out.append(line)
        if line == START:
            for skipped in lines:
                if skipped == END:
                    break
            out += ["", made, "", END]
    return "\n".join(out)
