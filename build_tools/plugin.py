"""The MkDocs plugin: a thin adapter from MkDocs events to the archive's plain classes.

- ``on_pre_build`` loads and validates the archive (:func:`~build_tools.load.load_archive`) before
  MkDocs touches ``site_dir``: errors are logged with their positions and abort the build; warnings
  go through this plugin's logger, so ``mkdocs build --strict`` counts them.
- ``on_files`` adds the generated files (:mod:`build_tools.generated`; on the dev server
  :mod:`build_tools.serving`), the exports and the plugin's CSS and JavaScript. A generated page
  is an ordinary MkDocs page whose file holds only its front matter: its HTML body is made when
  MkDocs renders it and becomes its content in ``on_page_content``, so the theme and every other
  plugin see the real page from then on. Its element ids are the page's anchors for MkDocs' link
  validation, and an article's page names its annotation file (or its article) as its source
  path, for plugins that date a page by its file. Both events run before other plugins' (event
  priority 100), so the order of the plugins in ``mkdocs.yml`` does not matter.
- ``on_page_markdown`` adds the archive's figures to the home page and the table of claim types
  to the taxonomy page; ``on_page_content`` marks
  hand-written pages for the search index; ``on_post_page`` puts a generated page's JSON-LD at the
  end of its head.
- ``on_post_build`` runs Pagefind over the built site (:mod:`build_tools.search_index`), after every
  other plugin's ``on_post_build``; on the dev server, at its first build only, and the index is
  copied into every rebuild's site (restart the server to index edits).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from build_tools import generated, serving, taxonomy_table
from build_tools.exports.links import Site
from build_tools.history import History, read_history
from build_tools.load import LoadCache, load_archive
from build_tools.pages import INDEXED, compact, prepare, with_head
from build_tools.problems import Level
from build_tools.render import BUNDLE, render_home, with_home
from build_tools.search_index import PagefindError, SearchIndex

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

    from build_tools.model import Archive
    from build_tools.problems import Problem

log = logging.getLogger("mkdocs.plugins.archive")

ASSETS = Path(__file__).parent / "assets"
TEMPLATES = Path(__file__).parent / "templates"
ASSET_URIS = {
    "archive.css": "assets/archive/archive.css",
    "archive.js": "assets/archive/archive.js",
    "search.js": "assets/archive/search.js",
    "claims.js": "assets/archive/claims.js",
}


class _Generated(File):
    """A generated file, which a dirty rebuild skips when it is what the previous build wrote."""

    unchanged = False

    def is_modified(self) -> bool:
        """Whether MkDocs must render and write it again (consulted by ``--dirty`` builds only)."""
        return not (self.unchanged and Path(self.abs_dest_path).is_file())


class _GeneratedPage(Page):
    """A generated page: its file holds only front matter and its body comes in
    ``on_page_content``, so there is no Markdown to convert (MkDocs would make a Markdown converter
    for each page, with every extension, to convert nothing)."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


class _HandWritten(File):
    """A hand-written page, which a dirty rebuild never skips: the home page shows the archive's
    figures, and a page MkDocs does not read has no title in the navigation."""

    def is_modified(self) -> bool:
        """Always."""
        return True


# MkDocs' Config.__init_subclass__ has no annotations, which mypy --strict reports at the class line.
class ArchiveConfig(Config):  # type: ignore[no-untyped-call]
    """Options of the ``archive`` plugin in ``mkdocs.yml``; folders are relative to that file."""

    sources_dir = c.Type(str, default="sources")
    annotations_dir = c.Type(str, default="annotations")
    per_page = c.Type(int, default=100)
    search = c.Type(bool, default=True)
    """Index the built site with Pagefind (the search page needs it)."""
    search_part_size = c.Type(int, default=2500)
    """At most this many articles in one part of the search index (see :mod:`build_tools.search_index`)."""
    statement_pages = c.Type(bool, default=False)
    """Write a small shareable page per statement (see :mod:`build_tools.render.statements`)."""
    history = c.Type(bool, default=True)
    """Show each statement's history and the corrections log, read from git (:mod:`build_tools.history`)."""


class ArchivePlugin(BasePlugin[ArchiveConfig]):  # type: ignore[no-untyped-call]
    """Builds the archive's pages into the MkDocs site."""

    def __init__(self) -> None:
        super().__init__()
        self._cache = LoadCache()
        self._archive: Archive | None = None
        self._history: tuple[tuple[Path, Path], History] | None = None
        """The history read from git at the first build of these folders (MkDocs keeps one
        instance of the plugin for every build in a process; the dev server reads it once)."""
        self._made: generated.Generated | serving.Rebuilds = generated.Generated()
        self._rebuilds: serving.Rebuilds | None = None
        """On the dev server, the generated files kept from one rebuild to the next."""
        self._heads: dict[str, str] = {}
        """The JSON-LD of each generated page rendered and not yet written, by ``src_uri``."""
        self._search: SearchIndex | None = None
        self._scratch: Path | None = None
        """Where this build's exports are written (on the dev server, its first build's)."""
        self._downloads: generated.Downloads | None = None
        """The exports in ``_scratch``."""
        self._index: Path | None = None
        """The Pagefind bundle made at the dev server's first build."""
        self._paths: set[str] = set()
        """On the dev server, where in the site the last build put its generated files."""
        self._pages: set[str] = set()
        """The ``src_uri`` of every generated page of this build."""
        self._added: set[str] = set()
        """The ``src_uri`` of every file this build added."""
        self._aside: list[File] = []
        self._templates = serving.CompiledTemplates()
        self._files: Files | None = None
        """What ``mkdocs build`` is building, for ``on_post_build`` to let go of."""
        self._frozen = False
        self._own = self._loading = self._rendering = 0.0
        self._good: Archive | None = None
        """On the dev server, the archive of its last build without errors."""
        self._report = ""
        """On the dev server, what its overlay shows once this build is done."""
        self._overlay: serving.Overlay | None = None

    @contextlib.contextmanager
    def _own_work(self, kind: Literal["loading", "rendering", "other"] = "other") -> Iterator[None]:
        """Count the time spent in the block as the plugin's own work (Pagefind's aside)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            took = time.perf_counter() - start
            self._own += took
            if kind == "loading":
                self._loading += took
            elif kind == "rendering":
                self._rendering += took

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Having this event makes MkDocs keep one instance (and its caches) across serve rebuilds."""
        self._rebuilds = serving.Rebuilds(dirty=dirty) if command == "serve" else None
        self._paths = set()

    def on_shutdown(self) -> None:
        """Remove the dev server's Pagefind bundle and exports."""
        for folder in (self._index, self._scratch):
            if folder is not None:
                shutil.rmtree(folder.parent if folder == self._index else folder, ignore_errors=True)
        self._index = self._scratch = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Ship the plugin's stylesheet and scripts with every page, and its 404 page."""
        for name in ("per_page", "search_part_size"):
            if self.config[name] < 1:
                raise PluginError(f"archive: {name} must be at least 1, not {self.config[name]}")
        # The plugin's templates (the 404 page) before the theme's, after a site's own custom_dir.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(TEMPLATES))
        config.extra_css.append(ASSET_URIS["archive.css"])
        config.extra_javascript.append(ASSET_URIS["archive.js"])
        config.extra_javascript.append(ASSET_URIS["search.js"])
        config.extra_javascript.append(ASSET_URIS["claims.js"])
        return config

    def _folders(self, config: MkDocsConfig) -> tuple[Path, Path, Path]:
        root = Path(config.config_file_path or ".").resolve().parent
        return root, root / self.config.sources_dir, root / self.config.annotations_dir

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Load and validate the archive; report every problem; stop on errors."""
        self._own = self._loading = self._rendering = 0.0
        with self._own_work("loading"):
            root, sources, annotations = self._folders(config)
            # The dev server keeps parsed files for its next rebuild, and reads in its process (it
            # runs threads); a build parses on every core.
            dev_server = self._rebuilds is not None
            cache = self._cache if dev_server else None
            loaded = load_archive(sources, annotations, root=root, cache=cache, parallel=not dev_server)
            errors = _report(loaded.problems, fatal=not dev_server)
            archive = loaded.archive.with_history(self._read_history(root, sources, annotations))
            if not errors:
                self._good = archive if dev_server else None
            # With errors, the dev server serves the last good archive (or, without one, every
            # valid part) and lists the problems on every page (:class:`serving.Overlay`).
            self._archive = self._good if errors and self._good is not None else archive
            self._report = serving.problems_report(loaded.problems, stale=self._good is not None)
            self._search = SearchIndex(self._archive, self.config.search_part_size)
            log.info(
                f"archive: {len(loaded.archive.sources)} sources, {len(loaded.archive.annotations)} "
                f"statements from {loaded.files} files"
            )
            if not self._rebuilds:
                # The archive lives until the build ends and holds no reference cycles: kept out
                # of the cyclic garbage collector's walks meanwhile, which would pass over its
                # millions of objects again and again while the pages are made.
                gc.freeze()
                self._frozen = True

    def _read_history(self, root: Path, sources: Path, annotations: Path) -> History:
        """The statements' history from git, read at the first build only: what the dev server
        shows is committed history, which an edit does not change (restart it after a commit)."""
        if self._history is not None and self._history[0] == (sources, annotations):
            return self._history[1]
        history = History()
        if self.config.history:
            start = time.perf_counter()
            history, problem = read_history(sources, annotations, root / ".cache" / "history")
            if problem:
                log.warning(f"archive: no statement's history is shown: {problem}")
            elif not history.known:
                log.info("archive: the archive is not in a git repository: no statement's history is shown")
            else:
                log.info(
                    f"archive: read the history of {len(history.statements)} statements from git "
                    f"in {time.perf_counter() - start:.1f} s"
                )
        self._history = ((sources, annotations), history)
        return history

    def _settings(self, config: MkDocsConfig) -> generated.Settings:
        path = config.config_file_path
        digest = hashlib.blake2b(Path(path).read_bytes()).digest() if path and Path(path).is_file() else b""
        assert self._search is not None
        return generated.Settings(
            per_page=self.config.per_page,
            directory_urls=config.use_directory_urls,
            site=Site(
                config.site_url or Site.base, config.site_name, config.repo_url, self.config.statement_pages
            ),
            search_parts=len(self._search.parts),
            config=digest,
        )

    @event_priority(100)
    def add_generated_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages, the claims data, the exports and the assets, before any other
        plugin's ``on_files``, so that every plugin sees them."""
        with self._own_work("rendering"):
            archive, settings = self._loaded(), self._settings(config)
            self._made = self._rebuilds or generated.Generated()
            generated_files = self._made.files(archive, settings)
            self._pages = {file.uri for file in generated_files if file.is_page}
            _, sources, annotations = self._folders(config)
            stands_for = generated.stands_for(archive, sources, annotations)
            made = [_file(config, file, stands_for, str(annotations)) for file in generated_files]
            made += self._exports(config, archive, settings.site)
            made += [File.generated(config, u, abs_src_path=str(ASSETS / n)) for n, u in ASSET_URIS.items()]
            taken = sorted(f.src_uri for f in made if f.src_uri in files.src_uris)
            if taken:
                raise PluginError(
                    f"archive: {', '.join(taken)} would be generated but already exist in "
                    f"{config.docs_dir}; remove them from there"
                )
            if self._rebuilds and self._rebuilds.dirty:
                files = Files([_hand_written(f) if f.is_documentation_page() else f for f in files])
                paths = {f.abs_dest_path for f in made}
                serving.remove_stale(self._paths, paths, Path(config.site_dir))
                self._paths = paths
            named = _named_in(config.nav)
            for file in made:
                files.append(file)
                # A page the nav names is made by the nav, with the nav's title.
                if file.src_uri in self._pages and file.src_uri not in named:
                    _GeneratedPage(None, file, config)
            self._added = {file.src_uri for file in made}
            self._files = None if self._rebuilds else files
            return files

    @event_priority(-99)
    def _set_aside_for_i18n(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Keep the generated files from ``mkdocs-static-i18n``'s ``on_files`` (at priority -100),
        which remakes every page from a file under ``docs_dir`` and drops the others: they are
        the site's default language, put back at once after it (:meth:`_put_back`)."""
        if "i18n" not in config.plugins:
            return files
        self._aside = [f for f in files if f.src_uri in self._added]
        return Files([f for f in files if f.src_uri not in self._added])

    @event_priority(-101)
    def _put_back(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        for file in self._aside:
            files.append(file)
        self._aside = []
        return files

    on_files = CombinedEvent(add_generated_files, _set_aside_for_i18n, _put_back)

    def _exports(self, config: MkDocsConfig, archive: Archive, site: Site) -> list[File]:
        """The exports (and the statements' pages, when asked for), written into a scratch folder
        that MkDocs copies them from (on the dev server, at its first build only). A build writes
        them in a process of their own while MkDocs renders the pages (:meth:`on_env` waits)."""
        if self._scratch is None or not self._rebuilds:
            self._scratch = Path(tempfile.mkdtemp(prefix="archive-exports-"))
            self._downloads = generated.Downloads(
                archive,
                site,
                self._scratch,
                statements=self.config.statement_pages,
                apart=not self._rebuilds,
                directory_urls=config.use_directory_urls,
            )
        assert self._downloads is not None
        paths = self._downloads.paths
        return [File.generated(config, uri, abs_src_path=str(path)) for uri, path in paths.items()]

    @event_priority(100)
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """Wait for the exports, which MkDocs copies next; on the dev server, reuse the theme's
        templates compiled by earlier rebuilds."""
        if self._downloads is not None:
            with self._own_work():
                self._downloads.wait()
        if self._rebuilds:
            env.bytecode_cache = self._templates
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Add the archive's figures and latest sources to the home page, and the table of claim
        types to a page that has its place (the taxonomy page)."""
        if page.file.generated_by:
            return markdown
        if taxonomy_table.has_table(markdown):
            markdown = taxonomy_table.with_table(markdown, self._loaded().claim_types.values())
        if page.file.src_uri != "index.md":
            return markdown
        with self._own_work("rendering"):
            return with_home(markdown, render_home(self._loaded(), directory_urls=config.use_directory_urls))

    @event_priority(100)
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A generated page's body, with its anchors; a hand-written page, marked for the search
        index. First of every plugin's ``on_page_content``, so that the order of the plugins in
        ``mkdocs.yml`` does not matter: every other plugin sees the page's real body."""
        if page.file.src_uri not in self._pages:
            return html if page.file.generated_by else f"<div {INDEXED}>{html}</div>"
        with self._own_work("rendering"):
            made = self._made.body(page.file.src_uri)
            if made is None:
                return html
            body = prepare(made)
        page.present_anchor_ids = set(body.ids)
        if body.head:
            self._heads[page.file.src_uri] = body.head
        return body.html

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Put a generated page's JSON-LD at the end of its head, and drop the indentation of the
        theme's frame around its body (thousands of pages repeat it); note the pages to index."""
        if INDEXED in (page.content or "") and self._search is not None:
            self._search.note(page.file.src_uri, page.file.dest_uri)
        if page.file.src_uri not in self._pages:
            return output
        return compact(with_head(output, self._heads.pop(page.file.src_uri, "")), page.content or "")

    def on_build_error(self, *, error: Exception) -> None:
        """Forget what the site holds (some files may be missing or old): the next dirty rebuild
        writes every file again."""
        self._made.done(succeeded=False)
        self._heads.clear()
        self._end()

    def _end(self) -> None:
        if self._downloads is not None:
            self._downloads.stop()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        if self._scratch is not None and not self._rebuilds:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index the built site with Pagefind (its extended build, which also segments CJK text);
        on the dev server, copy in the index made at its first build. Runs after every other
        plugin's ``on_post_build``, so the index sees every file they write."""
        self._made.done(succeeded=True)
        self._end()
        if not self._rebuilds:
            self._release()
        elif self._overlay is not None:
            self._overlay.report = self._report
        log.info(
            f"archive: its own work took {self._own:.1f} s of the build (loading {self._loading:.1f} s, "
            f"rendering {self._rendering:.1f} s)"
        )
        if not self.config.search:
            return
        target = Path(config.site_dir) / BUNDLE
        if not self._rebuilds:
            self._pagefind(config.site_dir, target)
            return
        if self._index is None:
            self._index = Path(tempfile.mkdtemp(prefix="archive-pagefind-")) / BUNDLE
            self._pagefind(config.site_dir, self._index)
        if not target.is_dir():
            shutil.copytree(self._index, target, copy_function=_link_or_copy)

    def _release(self) -> None:
        """Let go of the generated pages' contents and the archive, and give the memory back to the
        system: the build keeps its pages until it ends, beside Pagefind's indexer, which needs a
        gigabyte of its own for a part of 2,500 articles. Nothing reads them after this
        ``on_post_build``, the last one."""
        files, self._files = self._files, None
        for file in files or ():
            # An article's page has no ``generated_by`` (it stands for a file of the repository).
            if file.src_uri in self._pages and file.page is not None:
                file.page.content = None
        self._archive = None
        generated.give_back_freed_memory()

    def _pagefind(self, site_dir: str, bundle: Path) -> None:
        assert self._search is not None
        start = time.perf_counter()
        try:
            self._search.build(site_dir, bundle)
        except PagefindError as error:
            raise PluginError(f"archive: {error}") from None
        parts = len(self._search.parts)
        how = f" ({parts} parts, one after another)" if parts > 1 else ""
        log.info(f"archive: Pagefind indexed the site in {time.perf_counter() - start:.1f} s{how}")

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        """Rebuild when anything under the sources or annotations folders changes, and list the
        problems of the last build on every page served (:class:`serving.Overlay`). A rebuild
        that fails is listed there too, and the server goes on serving the site as it was (MkDocs'
        own server would hold every request until a rebuild succeeds)."""
        _, sources, annotations = self._folders(config)
        for folder in (sources, annotations):
            if folder.is_dir():
                server.watch(str(folder))
        app = server.get_app()
        assert app is not None, "the dev server has no WSGI app"
        self._overlay = serving.Overlay(app, urlsplit(config.site_url or "/").path)
        self._overlay.report = self._report
        self._overlay.article = self._article
        server.set_app(self._overlay)
        server.builder = _never_failing(server.builder, self._overlay)
        return server

    def _article(self, source_id: str) -> dict[str, object] | None:
        """What the dev server's "Copy as annotation" needs of an article of the archive served."""
        if self._archive is None:
            return None
        return serving.article_info(self._archive, source_id, self.config.annotations_dir)

    def _loaded(self) -> Archive:
        if self._archive is None:
            raise PluginError("archive: the archive was not loaded (on_pre_build did not run)")
        return self._archive


def _never_failing(builder: Callable[[], None], overlay: serving.Overlay) -> Callable[[], None]:
    """``builder``, which logs its failure and lists it in the overlay instead of raising."""

    def build() -> None:
        try:
            builder()
        except (Exception, SystemExit) as error:  # any failure: listed, and the server goes on
            message = str(error) or type(error).__name__
            log.error(f"archive: the rebuild failed, the site is as it was before: {message}")
            overlay.report = serving.problems_report([], stale=True, failure=message)

    return build


def _report(problems: list[Problem], *, fatal: bool = True) -> int:
    """Log every problem at its level; stop the build on errors when ``fatal``. Returns how many
    errors there are."""
    errors = notices = 0
    for problem in problems:
        if problem.level is Level.ERROR:
            errors += 1
            log.error(str(problem))
        elif problem.level is Level.WARNING:
            log.warning(str(problem))
        else:
            notices += 1
            log.debug(str(problem))
    if notices:
        log.info(f"archive: {notices} notice{'s' if notices != 1 else ''} (`archive validate` lists them)")
    if errors and fatal:
        raise PluginError(
            f"archive: {errors} error{'s' if errors != 1 else ''} in the archive (listed above); "
            "the site was not built"
        )
    if errors:
        log.error(
            f"archive: {errors} error{'s' if errors != 1 else ''} in the archive (listed above); the "
            "site shows the archive as it was before them, and each page lists them"
        )
    return errors


def _file(config: MkDocsConfig, made: generated.File, stands_for: dict[str, str], listings: str) -> File:
    """The MkDocs file of a generated file; ``stands_for`` gives the repository file of each
    article's page, ``listings`` that of the other pages."""
    inclusion = InclusionLevel.UNDEFINED if made.in_nav else InclusionLevel.NOT_IN_NAV
    content = made.front if made.front is not None else made.content
    file = _Generated.generated(config, made.uri, content=content, inclusion=inclusion)
    assert isinstance(file, _Generated)
    file.unchanged = made.unchanged
    if made.uri in stands_for:
        # An article's page stands for a file in the repository: plugins that date, track or
        # list pages by their files treat it as that file's page.
        file.abs_src_path = stands_for[made.uri]
        file.generated_by = None
        file.edit_uri = None
    elif made.is_page:
        # A listing stands for the annotations as a whole (git dates the folder by its last
        # change; no plugin reads a generated page's file).
        file.abs_src_path = listings
    return file


def _named_in(nav: object) -> set[str]:
    """The paths of the pages ``nav`` (``mkdocs.yml``'s ``nav``, nested lists and mappings) names."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        nav = list(nav.values())
    if isinstance(nav, list):
        return set().union(*map(_named_in, nav))
    return set()


def _hand_written(file: File) -> File:
    """``file``, a page, as one a dirty rebuild never skips (generated files as they are)."""
    if file.generated_by is not None:
        return file
    return _HandWritten(
        file.src_uri,
        file.src_dir,
        file.dest_dir,
        file.use_directory_urls,
        dest_uri=file.dest_uri,
        inclusion=file.inclusion,
    )


def _link_or_copy(source: str, destination: str) -> None:
    """A hard link where the file system allows one (nothing writes to these files), else a copy."""
    try:
        Path(destination).hardlink_to(source)
    except OSError:
        shutil.copy2(source, destination)
