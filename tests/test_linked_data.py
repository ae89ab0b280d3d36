"""What machines read in the built seed site (cases/seed): schema.org JSON-LD, citations, the exports."""

from __future__ import annotations

import gzip
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import jsonschema

from build_tools.exports import EXPORTS
from build_tools.exports.data import SCHEMA

if TYPE_CHECKING:
    from tests.conftest import Site

SOURCE = "sources/2019-02-25-reuters-xinjiang-envoys-briefing/"


def _json_ld(html: str) -> list[Any]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(text) for text in found]


def test_source_page_describes_the_article_and_each_claim(seed_site: Site) -> None:
    [data] = _json_ld(seed_site.page(SOURCE))
    schema, local = data["@context"]
    assert schema == "https://schema.org"
    base = local["@base"]
    assert base.endswith(SOURCE)
    article, *nodes = data["@graph"]
    assert article["@type"] == "NewsArticle"
    assert urljoin(base, article["@id"]) == base + "#article"
    assert article["headline"].startswith("[China tells foreign envoys")
    assert article["datePublished"] == "2019-02-25"
    assert article["publisher"] == {"@type": "Organization", "name": "Reuters"}
    claims = [n for n in nodes if n["@type"] == "Claim"]
    speakers = {urljoin(base, n["@id"]): n for n in nodes if n["@type"] != "Claim"}
    assert len(claims) == 12
    assert {n["@type"] for n in speakers.values()} <= {"Person", "Organization"}
    ids = set(re.findall(r'<article class="archive-card [^"]*" id="([^"]+)"', seed_site.page(SOURCE)))
    for claim in claims:
        assert claim["appearance"] == {"@id": article["@id"]}
        assert urljoin(base, claim["@id"]) == base + "#" + claim["@id"].removeprefix("#")
        assert claim["@id"].removeprefix("#") in ids
        authors = claim["author"] if isinstance(claim["author"], list) else [claim["author"]]
        assert all(urljoin(base, a["@id"]) in speakers for a in authors)
    zhang = next(c for c in claims if c["@id"] == "#zhang-efforts-should-be-applauded")
    zhang_page = urljoin(base, zhang["author"]["@id"])
    assert zhang_page == base.split("/sources/")[0] + "/speakers/zhang-hanhui/"
    assert speakers[zhang_page]["name"] == "Zhang Hanhui"


def test_speaker_pages_describe_the_person_or_organization(seed_site: Site) -> None:
    [hua] = _json_ld(seed_site.page("speakers/hua-chunying/"))
    assert (hua["@type"], hua["name"], hua["alternateName"]) == ("Person", "Hua Chunying", "华春莹")
    [group] = _json_ld(seed_site.page("speakers/rights-groups/"))
    assert group["@type"] == "Organization"


def test_the_cards_carry_what_a_citation_needs(seed_site: Site) -> None:
    html = seed_site.page(SOURCE)
    [box] = re.findall(r'<div class="archive-cards"([^>]*)>', html)
    assert re.search(f'data-url="[^"]+/{SOURCE}"', box)
    assert 'data-date="25 February 2019" data-year="2019"' in box
    assert 'data-outlet="Reuters"' in box


def test_exports_are_published_and_linked_from_the_open_data_page(seed_site: Site) -> None:
    exports = seed_site.root / "exports"
    data = json.loads(gzip.decompress((exports / "archive.json.gz").read_bytes()))
    jsonschema.validate(data, SCHEMA)
    assert len(data["annotations"]) == 38
    collection = json.loads(gzip.decompress((exports / "annotations.jsonld.gz").read_bytes()))
    assert collection["total"] == 38
    assert collection["id"].endswith("/exports/annotations.jsonld.gz")
    page = seed_site.page("open-data/")
    for name in EXPORTS:
        assert (exports / name).is_file()
        assert f'href="../exports/{name}"' in page
