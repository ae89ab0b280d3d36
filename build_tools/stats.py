"""``archive stats``: counts by speaker, claim type, outlet and year, and each article's coverage."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from build_tools import anchor
from build_tools.model import InternalRebuttal

if TYPE_CHECKING:
    from build_tools.model import Archive, Source


@dataclass(frozen=True)
class Coverage:
    """How many of an article's quotations (four words or more, in double quotes) are annotated."""

    source: str
    quotations: int
    covered: int

    @property
    def share(self) -> float:
        return self.covered / self.quotations if self.quotations else 1.0


def coverage(archive: Archive, source: Source) -> Coverage:
    spans = anchor.merge([(a.start, a.end) for a in archive.annotations_by_source.get(source.id, ())])
    found = anchor.quotations(source.body)
    covered = sum(1 for s, e in found if not anchor.uncovered_words(source.body, s, e, spans))
    return Coverage(source.id, len(found), covered)


@dataclass(frozen=True)
class Figures:
    """Every figure of the archive; tables are sorted most first, then by name (years newest first)."""

    sources: int
    statements: int
    speakers: int
    claim_types: int
    rebuttal_links: int
    outside_evidence: int
    by_speaker: dict[str, int]
    by_claim_type: dict[str, int]
    by_outlet: dict[str, int]
    by_year: dict[str, int]
    coverage: list[Coverage]


def collect(archive: Archive) -> Figures:
    speakers: Counter[str] = Counter()
    types: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    years: Counter[str] = Counter()
    rebuttals = evidence = 0
    for ann in archive.annotations.values():
        speakers.update(ann.speakers)
        types[ann.claim_type] += 1
        source = archive.sources[ann.source]
        outlets[source.outlet or "unknown"] += 1
        years[(source.date or "unknown")[:4]] += 1
        rebuttals += sum(isinstance(r, InternalRebuttal) for r in ann.rebuttals)
        evidence += sum(not isinstance(r, InternalRebuttal) for r in ann.rebuttals)
    return Figures(
        sources=len(archive.sources),
        statements=len(archive.annotations),
        speakers=len(archive.speakers),
        claim_types=len(archive.claim_types),
        rebuttal_links=rebuttals,
        outside_evidence=evidence,
        by_speaker=_ranked(speakers),
        by_claim_type=_ranked(types),
        by_outlet=_ranked(outlets),
        by_year=dict(sorted(years.items(), reverse=True)),
        coverage=[coverage(archive, s) for s in archive.sources.values()],
    )


def _ranked(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def render(archive: Archive, *, as_json: bool = False) -> str:
    """The figures as aligned text tables, or as JSON."""
    figures = collect(archive)
    if as_json:
        return json.dumps(asdict(figures), ensure_ascii=False, indent=2)
    lines = [
        f"{figures.sources} sources, {figures.statements} statements, {figures.speakers} speakers, "
        f"{figures.claim_types} claim types, {figures.rebuttal_links} rebuttal links, "
        f"{figures.outside_evidence} pieces of outside evidence",
    ]
    for title, table in (
        ("statements by speaker", figures.by_speaker),
        ("statements by claim type", figures.by_claim_type),
        ("statements by outlet", figures.by_outlet),
        ("statements by year", figures.by_year),
    ):
        lines += ["", title, *(f"  {count:>6}  {name}" for name, count in table.items())]
    lines += ["", "coverage (annotated quotations / quotations)"]
    for c in figures.coverage:
        share = f"{100 * c.share:.0f}%" if c.quotations else "-"
        lines.append(f"  {c.covered:>4}/{c.quotations:<4} {share:>5}  {c.source}")
    return "\n".join(lines)
