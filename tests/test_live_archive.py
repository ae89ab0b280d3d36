"""The repository's own archive, whatever it holds: it validates with ``--strict``, builds strictly,
and every page has the properties any content must give it.

These are the only tests that read the live ``sources/``, ``annotations/`` and ``docs/``. They name
no article, speaker or count: a pull request that adds content changes what they look at, never
what they expect. Every other test uses the fixture archives under ``tests/cases/``.
"""

from __future__ import annotations

import re
import shutil
from typing import TYPE_CHECKING

import jsonschema
import pytest
import yaml

from build_tools.load import Loaded, load_archive
from build_tools.problems import Level
from build_tools.schema import SCHEMAS
from tests.conftest import REPO, Site, build_site
from tests.sitecheck import broken_links, html_pages, parse, script_openings

if TYPE_CHECKING:
    from tests.sitecheck import ParsedPage


@pytest.fixture(scope="module")
def live() -> Loaded:
    return load_archive(REPO / "sources", REPO / "annotations", root=REPO)


@pytest.fixture(scope="module")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A copy of the repository's archive, docs and configuration, built strictly."""
    project = tmp_path_factory.mktemp("live")
    for folder in ("sources", "annotations", "docs"):
        shutil.copytree(REPO / folder, project / folder)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return build_site(project)


@pytest.fixture(scope="module")
def live_pages(live_site: Site) -> dict[str, ParsedPage]:
    return html_pages(live_site.root)


def test_the_archive_validates_strictly(live: Loaded) -> None:
    failing = [str(p) for p in live.problems if p.level in (Level.ERROR, Level.WARNING)]
    assert failing == [], "run: archive validate --strict"


def test_every_statement_has_a_card_a_highlight_and_a_permalink(
    live: Loaded, live_pages: dict[str, ParsedPage]
) -> None:
    assert live.archive.annotations, "the archive has no statements"
    for ann in live.archive.annotations.values():
        page = live_pages[f"sources/{ann.source}/index.html"]
        cards = [e for e in page.elements if e.tag == "article" and e.attrs.get("id") == ann.id]
        assert len(cards) == 1, ann.id
        links = [e.attrs for e in page.elements if e.tag == "a" and e.attrs.get("href") == f"#{ann.id}"]
        assert any("archive-card__permalink" in str(a.get("class")) for a in links), ann.id
        highlights = [
            e.attrs
            for e in page.elements
            if e.tag == "a"
            and "archive-hl" in str(e.attrs.get("class")).split()
            and (
                e.attrs.get("href") == f"#{ann.id}" or ann.id in str(e.attrs.get("data-annotations")).split()
            )
        ]
        assert highlights, ann.id


def test_no_page_can_run_script_it_was_not_built_with(live_pages: dict[str, ParsedPage]) -> None:
    assert len(live_pages) > 10
    assert script_openings(live_pages) == []


def test_every_local_link_resolves(live_site: Site, live_pages: dict[str, ParsedPage]) -> None:
    pages = {name: page for name, page in live_pages.items() if name != "404.html"}  # links from the root
    assert broken_links(live_site.root, pages) == []


def test_the_script_check_finds_each_opening() -> None:
    page = parse(
        '<a href=" javascript:x()">a</a><img src=x onerror=x()><iframe srcdoc="x"></iframe>'
        '<script src="https://example.org/x.js"></script><script src="../assets/archive/archive.js"></script>'
    )
    assert len(script_openings({"p.html": page})) == 4


class _Yaml12Loader(yaml.SafeLoader):
    """Reads scalars as editors' YAML language server does (YAML 1.2: no timestamps)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_the_archive_satisfies_its_schemas_and_names_them_for_editors() -> None:
    for path in sorted((REPO / "annotations").glob("*.yaml")):
        name = {"speakers.yaml": "speakers", "claim_types.yaml": "claim-types"}.get(path.name, "annotations")
        text = path.read_text(encoding="utf-8")
        line = f"# yaml-language-server: $schema=../schemas/{name}.schema.json"
        assert text.startswith(line + "\n"), f"make this the first line of {path.name}: {line}"
        jsonschema.validate(yaml.load(text, Loader=_Yaml12Loader), SCHEMAS[name])
    for path in sorted((REPO / "sources").glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        jsonschema.validate(yaml.load(front, Loader=_Yaml12Loader), SCHEMAS["source"])


def test_no_other_test_reads_the_live_archive() -> None:
    """Tests with expected values use the fixture archives: a contributor's content cannot break them."""
    allowed = {"test_live_archive.py", "test_contribution.py"}
    for path in sorted((REPO / "tests").glob("*.py")):
        if path.name not in allowed:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"""REPO\s*/\s*["'](sources|annotations)["']""", text), path.name
