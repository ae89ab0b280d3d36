"""The plugin inside real MkDocs builds (the repository's mkdocs.yml, --strict) and `mkdocs serve`."""

from __future__ import annotations

import filecmp
import gc
import gzip
import json
import logging
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import weakref
from typing import TYPE_CHECKING, Any

import pytest
from mkdocs.exceptions import Abort

from build_tools import plugin
from build_tools.load import load_archive
from build_tools.render import INDEX_PAGES, source
from tests.conftest import CASES, NAV_PAGES, Site, build_site, make_project
from tests.sitecheck import broken_links, html_pages, target

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

NESTED = CASES / "render-nested"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", NESTED)


def test_every_page_of_the_archive_is_built(nested_site: Site) -> None:
    for url in [
        "sources/",
        "sources/briefing/",
        "sources/response/",
        "speakers/",
        "speakers/hua-chunying/",
        "claim-types/",
        "claim-types/euphemism/",
        "claims/",
        "about/",
    ]:
        assert "archive-" in nested_site.page(url) or url == "about/"
    assert (nested_site.root / "claims/data/speaker-hua-chunying.json").is_file()
    assert (nested_site.root / "assets/archive/archive.css").is_file()
    assert (nested_site.root / "assets/archive/archive.js").is_file()
    assert 'src="../../assets/archive/archive.js"' in nested_site.page("sources/briefing/")


def test_every_local_link_and_anchor_resolves(nested_site: Site) -> None:
    pages = html_pages(nested_site.root)
    del pages["404.html"]  # MkDocs writes it with links from the site root, for any depth
    assert broken_links(nested_site.root, pages) == []


def test_claims_data_points_at_real_permalinks(nested_site: Site) -> None:
    pages = html_pages(nested_site.root)
    for data in (nested_site.root / "claims/data").glob("*-*.json"):
        found = json.loads(data.read_text(encoding="utf-8"))
        for source_id, anchor, *_ in found["rows"]:
            assert source_id in found["sources"]
            assert anchor in pages[f"sources/{source_id}/index.html"].ids


def test_navigation_holds_only_the_index_and_hand_written_pages(nested_site: Site) -> None:
    allowed = {"index.html", *(uri.replace(".md", ".html") for uri in INDEX_PAGES)}
    allowed |= {f"{name}/index.html" for name in NAV_PAGES if name != "index"}
    pages = html_pages(nested_site.root)
    for name in ("index.html", "sources/briefing/index.html", "claims/index.html"):
        linked = set()
        for element in pages[name].elements:
            classes = str(element.attrs.get("class") or "").split()
            if element.tag == "a" and {"md-nav__link", "md-tabs__link"} & set(classes):
                found = target(nested_site.root, name, str(element.attrs["href"]))
                assert found is not None
                linked.add(found[0])
        assert linked == allowed, name


def test_home_page_shows_the_figures(nested_site: Site) -> None:
    home = nested_site.page("")
    assert "<strong>2</strong> sources" in home
    assert "<strong>8</strong> statements" in home
    assert 'href="sources/briefing/"' in home


def test_annotation_text_is_never_read_as_markdown(nested_site: Site) -> None:
    page = nested_site.page("sources/briefing/")
    assert "adding that *" in page
    assert "critics* apply &lt;double standards&gt; &amp; ignore facts" in page
    assert "<title>Spokesperson defends the &lt;camps&gt; &amp; &quot;training&quot; - " in page


def test_errors_abort_the_build_with_positions_and_keep_the_previous_site(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = build_site(project)
    before = (site.root / "sources/briefing/index.html").read_bytes()
    annotations = project / "annotations/briefing.yaml"
    annotations.write_text(
        annotations.read_text(encoding="utf-8").replace("speaker: rights-groups", "speaker: right-groups"),
        encoding="utf-8",
    )
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
        build_site(project)
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(m.startswith("annotations/briefing.yaml:") and "[unknown-speaker]" in m for m in errors)
    assert any("1 error in the archive" in m for m in errors)
    assert (site.root / "sources/briefing/index.html").read_bytes() == before
    assert gc.get_freeze_count() == 0  # what the failed load froze is given back


def test_warnings_go_through_the_plugin_logger_and_fail_strict_builds(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (project / "annotations/speakers.yaml").open("a", encoding="utf-8") as registry:
        registry.write("nobody:\n  name: Nobody\n")
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
        build_site(project)
    warnings = [
        r for r in caplog.records if r.name == "mkdocs.plugins.archive" and r.levelno == logging.WARNING
    ]
    assert [r.getMessage() for r in warnings] == [
        "annotations/speakers.yaml:25:1: warning: speaker `nobody` is not the speaker of any annotation; "
        "remove it or annotate a statement [unused-speaker]"
    ]
    build_site(project, strict=False)


def test_generated_pages_may_not_shadow_hand_written_ones(project: Path) -> None:
    (project / "docs/sources").mkdir()
    (project / "docs/sources/index.md").write_text("# Mine\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(project)


def test_the_taxonomy_page_gets_the_registrys_table_of_claim_types(project: Path) -> None:
    taxonomy = project / "docs" / "taxonomy.md"
    taxonomy.write_text(
        "# Taxonomy\n\n<!-- claim-types -->\n| stale | table |\n<!-- /claim-types -->\n\nAfter.\n",
        encoding="utf-8",
    )
    page = build_site(project).page("taxonomy/")
    assert "stale" not in page
    assert 'href="../claim-types/euphemism/"' in page
    assert "After." in page
    assert "| stale | table |" in taxonomy.read_text(encoding="utf-8")  # docs/ is never written


def test_the_archive_is_kept_from_the_garbage_collector_during_a_build_only(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    render = source.render_source

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.get_freeze_count() > 0)
        return render(*args, **kwargs)

    monkeypatch.setattr(source, "render_source", watched)
    build_site(project)
    assert seen == [True, True]
    assert gc.get_freeze_count() == 0
    (project / "docs/sources").mkdir()
    (project / "docs/sources/index.md").write_text("# Mine\n", encoding="utf-8")  # fails in on_files
    with pytest.raises(Abort):
        build_site(project)
    assert gc.get_freeze_count() == 0


HOOKS = """
import json
from pathlib import Path

SEEN = Path(__file__).parent / "seen.jsonl"


def _note(event, page, text):
    with SEEN.open("a", encoding="utf-8") as out:
        out.write(json.dumps([event, page.file.src_uri, page.file.abs_src_path, text]) + "\\n")


def on_page_content(html, page, config, files):
    _note("content", page, html)
    return html


def on_post_page(output, page, config):
    _note("post_page", page, output)
    return output
"""


def _seen_by_hooks(project: Path) -> dict[tuple[str, str], tuple[str | None, str]]:
    """Build ``project`` with a hooks file that runs after the archive plugin, and what it saw:
    each page's source path and text, by event and ``src_uri``."""
    (project / "hooks.py").write_text(HOOKS, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - hooks.py\n")
    build_site(project)
    lines = (project / "seen.jsonl").read_text(encoding="utf-8").splitlines()
    return {(event, uri): (path, text) for event, uri, path, text in map(json.loads, lines)}


def test_other_plugins_see_a_generated_page_as_it_is_published(project: Path) -> None:
    seen = _seen_by_hooks(project)
    path, content = seen["content", "sources/briefing.md"]
    assert 'id="hua-efforts"' in content
    assert "efforts to save people." in content
    assert "application/ld+json" not in content
    assert path == str(project / "annotations/briefing.yaml")
    _, output = seen["post_page", "sources/briefing.md"]
    assert content in output
    for uri in ("speakers/hua-chunying.md", "claims/index.md", "claim-types/index.md"):
        path, content = seen["content", uri]
        assert path == str(project / "annotations")
        assert "archive-" in content
    written = (project / "site/sources/briefing/index.html").read_text(encoding="utf-8")
    head, _ = written.split("</head>", 1)
    assert '<script type="application/ld+json">' in head


def test_hand_written_pages_may_link_to_a_statement(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    about = project / "docs/about.md"
    about.write_text("# About\n\nSee [the claim](sources/briefing.md#hua-efforts).\n", encoding="utf-8")
    site = build_site(project)
    assert 'href="../sources/briefing/#hua-efforts"' in site.page("about/")
    about.write_text("# About\n\nSee [the claim](sources/briefing.md#no-such-claim).\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
        build_site(project)
    assert "does not contain an anchor '#no-such-claim'" in caplog.text


def test_a_build_lets_go_of_the_archive_and_its_pages_before_pagefind_runs(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archives: list[weakref.ref[object]] = []
    pages: dict[str, Any] = {}
    seen: list[tuple[bool, list[str]]] = []
    index = plugin.ArchivePlugin._pagefind
    content = plugin.ArchivePlugin.on_page_content

    def loading(*args: Any, **kwargs: Any) -> Any:
        loaded = load_archive(*args, **kwargs)
        archives.append(weakref.ref(loaded.archive))
        return loaded

    def noting(self: plugin.ArchivePlugin, html: str, /, *, page: Any, **kwargs: Any) -> str:
        pages[page.file.src_uri] = page
        return content(self, html, page=page, **kwargs)

    def indexing(self: plugin.ArchivePlugin, site_dir: str, bundle: Path) -> None:
        gc.collect()
        seen.append((archives[0]() is None, sorted(uri for uri, page in pages.items() if page.content)))
        index(self, site_dir, bundle)

    monkeypatch.setattr(plugin, "load_archive", loading)
    monkeypatch.setattr(plugin.ArchivePlugin, "on_page_content", noting)
    monkeypatch.setattr(plugin.ArchivePlugin, "_pagefind", indexing)
    site = build_site(project)
    # The hand-written pages keep their contents; every generated one, an article's too, is let go.
    assert seen == [(True, sorted(f"{p.stem}.md" for p in (project / "docs").glob("*.md")))]
    assert "sources/briefing.md" in pages
    assert "Search the text" in site.page("search/index.html")
    assert json.loads(gzip.decompress((site.root / "exports/archive.json.gz").read_bytes()))["annotations"]


def test_a_build_says_how_long_the_plugin_held_it_up(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build_site(project)
    said = [r.getMessage() for r in caplog.records if "its own work took" in r.getMessage()]
    assert len(said) == 1
    assert "(loading " in said[0]
    assert " s, rendering " in said[0]


def test_a_rebuild_shows_an_edited_annotation(project: Path) -> None:
    site = build_site(project)
    annotations = project / "annotations/briefing.yaml"
    text = annotations.read_text(encoding="utf-8")
    annotations.write_text(text.replace("efforts to save people.", "efforts to save people, he says."))
    build_site(project, site.root)
    assert "efforts to save people, he says." in site.page("sources/briefing/")


def _tree(root: Path, *, pagefind_index: bool) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and pagefind_index == _is_pagefind_index(p.relative_to(root).as_posix())
    )


def _is_pagefind_index(path: str) -> bool:
    """Pagefind's filter and metadata indexes, which Pagefind 1.5 does not write in a stable order
    (Pagefind issue #638: fragments are stable since 1.3, these are not yet)."""
    return path.startswith("pagefind/") and (path.endswith((".pf_filter", ".pf_meta", "pagefind-entry.json")))


def test_two_builds_are_byte_identical(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_site(project, tmp_path / "one").root
    second = build_site(project, tmp_path / "two").root
    files = _tree(first, pagefind_index=False)
    assert any(f.startswith("pagefind/fragment/") for f in files)
    assert files == _tree(second, pagefind_index=False)
    _, mismatch, errors = filecmp.cmpfiles(first, second, files, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert len(_tree(first, pagefind_index=True)) == len(_tree(second, pagefind_index=True))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(project: Path) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl-C: the server cleans up its temporary folders
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _fetch(url: str, deadline: float, wanted: str) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                page: str = response.read().decode("utf-8")
            if wanted in page:
                return page
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} never showed {wanted!r}")
        time.sleep(0.2)


def test_serve_rebuilds_when_an_annotation_or_source_changes(project: Path, served: str) -> None:
    page = served + "sources/briefing/"
    _fetch(page, time.monotonic() + 60, "efforts to save people.")
    annotations = project / "annotations/briefing.yaml"
    annotations.write_text(
        annotations.read_text(encoding="utf-8").replace("efforts to save people.", "efforts, he says.")
    )
    _fetch(page, time.monotonic() + 30, "efforts, he says.")
    # The search index made at the first build is put back into the emptied site.
    _fetch(served + "pagefind/pagefind.js", time.monotonic() + 30, "")
    source = project / "sources/response.md"
    source.write_text(source.read_text(encoding="utf-8").replace("on Monday", "on Tuesday"))
    _fetch(served + "sources/response/", time.monotonic() + 30, "on Tuesday")
