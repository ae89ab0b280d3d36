"""What each generated page holds, on archives built in memory."""

from __future__ import annotations

import json
import re
from pathlib import Path

from build_tools.load import load_archive
from build_tools.model import Archive, Source
from build_tools.render import render_home, render_site, with_home
from build_tools.render.claims import outlet_keys
from build_tools.render.home import MARKER
from tests.factory import synthetic_archive


def _section(html: str, card_id: str, title: str) -> str:
    card = html[html.index(f'id="{card_id}"') :]
    card = card[: card.index("</article>")]
    return card[card.index(title) :] if title in card else ""


def test_every_annotation_has_exactly_one_card_and_a_place_in_the_text() -> None:
    archive = synthetic_archive(5)
    files = render_site(archive)
    everything = "".join(files.values())
    for aid, annotation in archive.annotations.items():
        page = files[f"sources/{annotation.source}.md"]
        cards = len(archive.annotations_by_source[annotation.source])
        assert page.count('<article class="archive-card hl-c') == cards
        assert everything.count(f'id="{aid}"') == 1
        assert f'id="_text-{aid}"' in page
        assert f'href="#{aid}"' in page


def test_every_rebuttal_has_its_backlink() -> None:
    archive = synthetic_archive(4)
    files = render_site(archive)
    for annotation in archive.annotations.values():
        for rebuttal in annotation.rebuttals:
            target = getattr(rebuttal, "annotation", None)
            if target is None:
                continue
            rebutter = archive.annotations[target]
            rebutted_by = _section(files[f"sources/{annotation.source}.md"], annotation.id, "Contradicted by")
            rebuts = _section(files[f"sources/{rebutter.source}.md"], rebutter.id, "Contradicts")
            assert f"#{rebutter.id}" in rebutted_by
            assert f"#{annotation.id}" in rebuts


def test_rebuttals_are_grouped_by_relation_on_both_cards() -> None:
    """groups-internment contradicts hua-no-different and disputes hua-camps-help-2; outside
    evidence gives context to hua-sickness."""
    case = Path(__file__).parent / "cases" / "validate" / "good" / "nested-and-repeated"
    files = render_site(load_archive(case / "sources", case / "annotations", root=case).archive)
    briefing, nested = files["sources/briefing.md"], files["sources/nested.md"]
    assert "#groups-internment" in _section(briefing, "hua-no-different", "Contradicted by")
    assert "Disputed by" not in _section(briefing, "hua-no-different", "</blockquote>")
    disputed = _section(nested, "hua-camps-help-2", "Disputed by")
    assert "#groups-internment" in disputed
    assert "Contradicted by" not in disputed
    assert "OHCHR" in _section(nested, "hua-sickness", '<p class="archive-card__label">Context</p>')
    rebutting = _section(briefing, "groups-internment", "Contradicts")
    assert "#hua-no-different" in rebutting.split("Disputes")[0]
    assert "#hua-camps-help-2" in rebutting.split("Disputes")[1]
    assert "Gives context to" not in rebutting


def test_long_listings_are_split_into_pages() -> None:
    files = render_site(synthetic_archive(7, per_source=1), per_page=3)
    assert [u for u in files if u.startswith("sources/") and "/page/" in u] == [
        "sources/page/2.md",
        "sources/page/3.md",
    ]
    assert 'title: "Sources (page 2 of 3)"' in files["sources/page/2.md"]
    assert 'href="../../" rel="prev"' in files["sources/page/2.md"]
    assert 'href="../3/" rel="next"' in files["sources/page/2.md"]
    listed = [
        re.findall(r'href="(?:\.\./\.\./)?([a-z0-9-]+)/">Article', files[u])
        for u in ("sources/index.md", "sources/page/2.md", "sources/page/3.md")
    ]
    assert [len(x) for x in listed] == [3, 3, 1]
    assert "claims/page/3.md" in files
    assert "speakers/speaker-0/page/2.md" not in files
    assert "speakers/page/2.md" not in files


def test_sources_are_listed_newest_first_grouped_by_year() -> None:
    page = render_site(synthetic_archive(7, per_source=1))["sources/index.md"]
    years = re.findall(r'<h2 class="archive-section" id="year-(\d{4})">', page)
    assert years == sorted(years, reverse=True)
    dates = re.findall(r'<time datetime="([0-9-]+)">', page)
    assert dates == sorted(dates, reverse=True)


def test_claims_filter_data_covers_every_statement_once_per_facet() -> None:
    archive = synthetic_archive(6)
    files = render_site(archive)
    for facet in ("speaker", "type", "outlet"):
        rows = [
            row
            for uri, content in files.items()
            if uri.startswith(f"claims/data/{facet}-")
            for row in json.loads(content)["rows"]
        ]
        assert sorted((r[0], r[1]) for r in rows) == sorted(
            (a.source, a.id) for a in archive.annotations.values()
        )
    filters = json.loads(files["claims/data/filters.json"])
    assert ["unknown", "Outlet not known", 4] in filters["outlet"]
    assert sum(count for _, _, count in filters["speaker"]) >= len(archive.annotations)


def test_outlet_keys_are_unique_and_url_safe() -> None:
    sources = [
        Source(f"s{i}", "t", "b", "p", outlet=o)
        for i, o in enumerate(["Reuters", "reuters", "新华社", "Unknown", None])
    ]
    keys = outlet_keys(sources)
    assert len(set(keys.values())) == len(keys)
    assert keys["Reuters"] == "reuters"
    assert keys[None] == "unknown"
    assert all(re.fullmatch(r"[a-z0-9-]+", k) for k in keys.values())


def test_pages_follow_the_url_style() -> None:
    files = render_site(synthetic_archive(2), directory_urls=False)
    assert 'href="../speakers/speaker-0.html"' in files["sources/source-000.md"]


def test_output_does_not_depend_on_insertion_order() -> None:
    archive = synthetic_archive(6)
    reversed_archive = Archive(
        dict(reversed(list(archive.sources.items()))),
        dict(reversed(list(archive.annotations.items()))),
        dict(reversed(list(archive.speakers.items()))),
        dict(reversed(list(archive.claim_types.items()))),
    )
    assert render_site(archive) == render_site(reversed_archive)


def test_home_figures_go_at_the_marker_or_at_the_end() -> None:
    figures = render_home(synthetic_archive(3))
    assert "<strong>3</strong> sources" in figures
    assert "<strong>6</strong> statements" in figures
    assert "<strong>10</strong> rebuttal links" in figures
    assert with_home(f"# Home\n\n{MARKER}\n\nMore.\n", "F\n") == "# Home\n\nF\n\nMore.\n"
    assert with_home("# Home\n", "F\n") == "# Home\n\nF\n"


def test_a_source_without_statements_still_has_its_text() -> None:
    archive = Archive({"s": Source("s", "T", "One *two* <three>.\n\nFour.", "p")}, {}, {}, {})
    page = render_site(archive)["sources/s.md"]
    assert "<p>One *two* &lt;three&gt;.</p>\n<p>Four.</p>" in page
    assert "No statement in this article has been annotated yet." in page


def test_a_date_note_is_shown_beside_the_date_as_text() -> None:
    note = "Inferred: it quotes <b>remarks</b> of 24 October 2018."
    archive = Archive({"s": Source("s", "T", "Text.", "p", date="2018", date_note=note)}, {}, {}, {})
    page = render_site(archive)["sources/s.md"]
    byline = page[page.index('<p class="archive-byline">') :]
    byline = byline[: byline.index("</p>")]
    assert '<time datetime="2018">2018</time>' in byline
    assert "About the date: Inferred: it quotes &lt;b&gt;remarks&lt;/b&gt; of 24 October 2018." in byline
    assert (
        "About the date"
        not in render_site(Archive({"s": Source("s", "T", "Text.", "p")}, {}, {}, {}))["sources/s.md"]
    )
