"""The MkDocs plugin: a thin adapter from MkDocs events to ``load_archive`` and ``render``.

- ``on_pre_build`` loads and validates the archive before MkDocs touches ``site_dir``: errors are
  logged with their positions and abort the build; warnings go through this plugin's logger, so
  ``mkdocs build --strict`` counts them.
- ``on_files`` adds every generated page (in memory), the claims data, the exports under
  ``exports/`` and the plugin's CSS/JS. A generated page is HTML already: MkDocs gets only its
  front matter to read as Markdown (sparing Python-Markdown re-parsing every tag, most of a large
  build's time otherwise), and the HTML is kept compressed until ``on_post_page`` puts it into the
  finished page (so the site's HTML is never all in memory at once).
- ``on_page_markdown`` adds the archive's figures to the home page; ``on_page_content`` marks
  hand-written pages for the search index; ``on_post_page`` puts JSON-LD in the page head.
- ``on_post_build`` runs Pagefind over the built site (the search index and its interface).
- ``on_serve`` watches the sources and annotations; parsed files are cached between rebuilds.
"""

from __future__ import annotations

import itertools
import logging
import posixpath
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from build_tools.exports import EXPORTS
from build_tools.exports.links import Site
from build_tools.load import LoadCache, load_archive
from build_tools.problems import Level
from build_tools.render import INDEX_PAGES, iter_site, render_home, with_home

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from build_tools.model import Archive

log = logging.getLogger("mkdocs.plugins.archive")

ASSETS = Path(__file__).parent / "assets"
ASSET_URIS = {
    "archive.css": "assets/archive/archive.css",
    "archive.js": "assets/archive/archive.js",
    "search.js": "assets/archive/search.js",
}


PAGEFIND_OPTIONS = ("--exclude-selectors", ".headerlink")
"""Heading permalink marks (the pilcrows) are not words to index."""


_IDS = re.compile(r'\sid="([^"]+)"')
_JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>\n?', re.S)
_INDEXED = "data-pagefind-body"
_BODY = "<!--archive:page-body-->"
"""What MkDocs holds as a generated page's content until ``on_post_page`` puts the HTML in."""


def _split_front_matter(page: str) -> tuple[str, str]:
    """``(front matter, HTML body)`` of a generated page (the renderer writes bodies as HTML)."""
    if not page.startswith("---\n"):
        return "", page
    end = page.index("\n---\n", 3) + len("\n---\n")
    return page[:end], page[end:]


# MkDocs' Config.__init_subclass__ has no annotations, which mypy --strict reports at the class line.
class ArchiveConfig(Config):  # type: ignore[no-untyped-call]
    """Options of the ``archive`` plugin in ``mkdocs.yml``; folders are relative to that file."""

    sources_dir = c.Type(str, default="sources")
    annotations_dir = c.Type(str, default="annotations")
    per_page = c.Type(int, default=100)
    search = c.Type(bool, default=True)
    """Index the built site with Pagefind (the search page needs it)."""


class ArchivePlugin(BasePlugin[ArchiveConfig]):  # type: ignore[no-untyped-call]
    """Builds the archive's pages into the MkDocs site."""

    def __init__(self) -> None:
        super().__init__()
        self._cache = LoadCache()
        self._archive: Archive | None = None
        self._bodies: dict[str, bytes] = {}
        self._indexed: set[str] = set()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Having this event makes MkDocs keep one instance (and its cache) across serve rebuilds."""

    def _folders(self, config: MkDocsConfig) -> tuple[Path, Path, Path]:
        root = Path(config.config_file_path or ".").resolve().parent
        return root, root / self.config.sources_dir, root / self.config.annotations_dir

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Ship the plugin's stylesheet and script with every page."""
        if self.config.per_page < 1:
            raise PluginError(f"archive: per_page must be at least 1, not {self.config.per_page}")
        config.extra_css.append(ASSET_URIS["archive.css"])
        config.extra_javascript.append(ASSET_URIS["archive.js"])
        config.extra_javascript.append(ASSET_URIS["search.js"])
        return config

    def _site(self, config: MkDocsConfig) -> Site:
        return Site(config.site_url or Site.base, config.site_name)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Load and validate the archive; report every problem; stop on errors."""
        root, sources, annotations = self._folders(config)
        loaded = load_archive(sources, annotations, root=root, cache=self._cache)
        errors = notices = 0
        for problem in loaded.problems:
            if problem.level is Level.ERROR:
                errors += 1
                log.error(str(problem))
            elif problem.level is Level.WARNING:
                log.warning(str(problem))
            else:
                notices += 1
                log.debug(str(problem))
        if notices:
            log.info(
                f"archive: {notices} notice{'s' if notices != 1 else ''} (`archive validate` lists them)"
            )
        if errors:
            self._archive = None
            raise PluginError(
                f"archive: {errors} error{'s' if errors != 1 else ''} in the archive (listed above); "
                "the site was not built"
            )
        self._archive = loaded.archive
        log.info(
            f"archive: {len(loaded.archive.sources)} sources, {len(loaded.archive.annotations)} "
            f"statements from {loaded.files} files"
        )

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages, the claims data and the assets."""
        archive = self._loaded()
        site = self._site(config)
        existing = set(files.src_uris)
        taken: list[str] = []
        self._bodies = {}
        self._indexed = set()
        pages = iter_site(
            archive, per_page=self.config.per_page, directory_urls=config.use_directory_urls, site=site
        )
        exports = ((f"exports/{name}", export(archive, site)) for name, export in EXPORTS.items())
        for uri, content in itertools.chain(pages, exports):
            if uri in existing:
                taken.append(uri)
                continue
            inclusion = InclusionLevel.UNDEFINED if uri in INDEX_PAGES else InclusionLevel.NOT_IN_NAV
            if uri.endswith(".md"):
                content, body = _split_front_matter(content)
                self._bodies[uri] = zlib.compress(body.encode(), 1)
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))
        taken += [uri for uri in ASSET_URIS.values() if uri in existing]
        if taken:
            raise PluginError(
                f"archive: {', '.join(sorted(taken))} would be generated but already exist in "
                f"{config.docs_dir}; remove them from there"
            )
        for name, uri in ASSET_URIS.items():
            files.append(File.generated(config, uri, abs_src_path=str(ASSETS / name)))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Add the archive's figures and latest sources to the home page."""
        if page.file.src_uri != "index.md" or page.file.generated_by:
            return markdown
        return with_home(markdown, render_home(self._loaded(), directory_urls=config.use_directory_urls))

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put back a generated page's HTML; let the search index hand-written pages too."""
        packed = self._bodies.get(page.file.src_uri)
        if packed is not None:
            page.present_anchor_ids = set(_IDS.findall(zlib.decompress(packed).decode()))
            return _BODY
        if page.file.generated_by:
            return html
        return f"<div {_INDEXED}>{html}</div>"

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Put a generated page's HTML in, and its JSON-LD in the head (Material would run a
        script found in the content as JavaScript)."""
        packed = self._bodies.get(page.file.src_uri)
        if packed is None:
            self._index(page, output)
            return output
        body = zlib.decompress(packed).decode()
        self._index(page, body)
        head = "".join(_JSON_LD.findall(body))
        output = output.replace(_BODY, _JSON_LD.sub("", body), 1)
        return output.replace("</head>", f"{head}</head>", 1) if head else output

    def _index(self, page: Page, html: str) -> None:
        """Note the path of a page that Pagefind should read, as a glob: one pattern stands for every
        generated page in the same place (the source pages), so the glob stays short."""
        if _INDEXED not in html:
            return
        dest = page.file.dest_uri
        if page.file.generated_by:
            stem = posixpath.splitext(posixpath.basename(page.file.src_uri))[0]
            wildcards = {stem: "*", f"{stem}.html": "*.html"}
            dest = "/".join(wildcards.get(part, part) for part in dest.split("/"))
        self._indexed.add(dest)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index the built site with Pagefind (its extended build, which also segments CJK text).

        Pagefind reads only the pages that carry ``data-pagefind-body``: it would otherwise parse
        every listing page and hold all their words until it exits, though it then leaves them out.
        """
        if not self.config.search:
            return
        self._bodies = {}
        glob = "{" + ",".join(sorted(self._indexed)) + "}"
        command = [sys.executable, "-m", "pagefind", "--site", config.site_dir, "--quiet", "--glob", glob]
        result = subprocess.run(
            [*command, *PAGEFIND_OPTIONS],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise PluginError(f"archive: Pagefind failed to index the site:\n{result.stdout}{result.stderr}")

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        """Rebuild when anything under the sources or annotations folders changes."""
        _, sources, annotations = self._folders(config)
        for folder in (sources, annotations):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def _loaded(self) -> Archive:
        if self._archive is None:
            raise PluginError("archive: the archive was not loaded (on_pre_build did not run)")
        return self._archive
