"""The MkDocs plugin: a thin adapter from MkDocs events to ``load_archive`` and ``render``.

- ``on_pre_build`` loads and validates the archive before MkDocs touches ``site_dir``: errors are
  logged with their positions and abort the build; warnings go through this plugin's logger, so
  ``mkdocs build --strict`` counts them. In ``mkdocs build`` the loaded archive is then kept out
  of the cyclic garbage collector's walks until ``on_post_build`` (``gc.freeze``).
- ``mkdocs build`` makes the generated files beside MkDocs (:mod:`build_tools.rendering`): at the
  end of ``on_pre_build`` the plugin plans the site, and a forked process makes the pages' bodies
  in order; MkDocs renders each generated page into its theme around a placeholder, long after it
  has read every page's front matter, and once it has written the page that process puts the body
  in. MkDocs never handles the bodies, and gets of each only what it needs (``on_post_page``): the
  ids of its elements, for checking links. While it would wait for MkDocs, and once the pages are
  made, the same process writes the claims data and the exports into the site; ``on_post_build``
  writes those of the exports it has not begun. A large export is made in parts (each a share of
  the statements), so the two processes share out what is left at the end in small pieces. MkDocs
  runs on one core, so the rendering costs the build little time. Where the process cannot fork,
  the same is done in it, each body put into its page in ``on_post_page``. So, in ``mkdocs build``, a plugin
  that runs after this one in ``on_post_page`` sees a generated page with the placeholder (an HTML
  comment) for its body.
- ``on_files`` adds every generated file and the plugin's CSS/JS. A generated page is HTML already:
  MkDocs gets only its front matter to read as Markdown (sparing Python-Markdown re-parsing every
  tag, most of a large build's time otherwise), and the HTML goes into the finished page (so the
  site's HTML is never all in memory at once). On the dev server every generated file is made in
  ``on_files``, the pages' bodies kept compressed until ``on_post_page`` puts them in.
- ``on_page_markdown`` adds the archive's figures to the home page; ``on_page_content`` marks
  hand-written pages for the search index; a generated page's JSON-LD goes at the end of its head.
- ``on_post_build`` waits for the last generated files and says how long the plugin's own work
  (loading, and waiting for files) held the build up; ``mkdocs build`` lets go of the pages and
  the archive meanwhile, once it has done its share of the exports left. It then runs Pagefind
  over the built site (the search index and its interface), after every other plugin's
  ``on_post_build``. A large archive is indexed in parts
  (``search_part_size`` articles each, newest first), one Pagefind run after another, which the
  search page merges.
- ``on_serve`` watches the sources and annotations; parsed files are cached between rebuilds.

On the dev server (``mkdocs serve``) a rebuild after an edit redoes only what the edit can change
(without ``--dirty``, MkDocs itself still empties the site and renders every page into its theme):

- Source pages, a speaker's or a claim type's pages and the claims data of a filter value are
  made again only when :func:`~build_tools.render.changes` says the edit can change them; the
  others keep the previous build's text (rendering is deterministic). The indexes, the claims
  table's pages and the search page are made again (each item from kept pieces).
- The open-data exports are made at the first build and kept, like the search index below: they
  take about as long as everything else a rebuild renders, and a preview is for reading pages.
  Restart the server for fresh ones; ``mkdocs build`` always makes them from the archive it built.
- With ``--dirty`` (``make serve``), a generated file whose content is byte for byte the previous
  build's, and whose output is still in the site, tells MkDocs it is unmodified, so MkDocs neither
  renders nor writes it again. Hand-written pages are always rebuilt (the home page shows the
  archive's figures, and the navigation needs every page's title). A change to ``mkdocs.yml``
  rebuilds every generated page; a hand-written page's new title shows in the navigation of
  unchanged generated pages only after a restart (as with MkDocs' own ``--dirty``). A generated
  file the previous build made and this one does not (a deleted article's page, the last page of
  a listing grown shorter) is removed from the site, and the folders that leaves empty.
- Pagefind indexes the site once, at the first build, into a folder of the plugin's that every
  rebuild links (or copies) into the site. Search on the dev server therefore finds the text as it was when
  the server started (restart it to index edits); ``mkdocs build`` always indexes the site it built.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import itertools
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import jinja2
import jinja2.bccache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from build_tools import exports, rendering
from build_tools.exports import EXPORTS
from build_tools.exports.links import Site
from build_tools.load import LoadCache, load_archive
from build_tools.problems import Level
from build_tools.render import (
    BUNDLE,
    INDEX_PAGES,
    Changes,
    Fragments,
    changes,
    newest_first,
    part_path,
    plan_site,
    render_home,
    source_uri,
    with_home,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page

    from build_tools.model import Archive
    from build_tools.render import Planned

log = logging.getLogger("mkdocs.plugins.archive")

ASSETS = Path(__file__).parent / "assets"
ASSET_URIS = {
    "archive.css": "assets/archive/archive.css",
    "archive.js": "assets/archive/archive.js",
    "search.js": "assets/archive/search.js",
}


PAGEFIND_EXCLUDED = (".headerlink",)
"""Heading permalink marks (the pilcrows) are not words to index."""


def _digest(content: str | bytes) -> bytes:
    return hashlib.blake2b(content.encode() if isinstance(content, str) else content, digest_size=16).digest()


@dataclass(frozen=True, slots=True)
class _Made:
    """A generated file made on the dev server, kept until the next rebuild (which reuses it if
    it is unchanged): a page's front matter and compressed HTML body, or another file's content
    as UTF-8 (``front`` is ``None``); the digest of the whole content, empty unless ``digest``.

    Other files (the claims data, the exports) are held as UTF-8: a Python string with one
    character beyond Latin-1 takes two bytes or more for every character."""

    front: str | None
    data: bytes
    digest: bytes

    @classmethod
    def of(cls, planned: Planned, *, digest: bool) -> _Made:
        """``planned``, made now."""
        made = planned.make()
        whole = made if planned.front is None else planned.front + made
        data = made.encode() if planned.front is None else zlib.compress(made.encode(), 1)
        return cls(planned.front, data, _digest(whole) if digest else b"")

    @classmethod
    def again(cls, planned: Planned, kept: dict[str, _Made], *, digest: bool) -> _Made:
        """``planned`` as the previous build made it (``kept``) if it is unchanged, else made now."""
        old = kept.get(planned.uri) if planned.unchanged else None
        return old if old is not None and old.front == planned.front else cls.of(planned, digest=digest)

    @classmethod
    def export(cls, content: bytes, *, digest: bool) -> _Made:
        """An export's ``content``."""
        return cls(None, content, _digest(content) if digest else b"")

    def content(self) -> str | bytes:
        """What MkDocs gets: a page's front matter (its body is put in later), or the content."""
        return self.data if self.front is None else self.front


def _export_jobs(archive: Archive, site: Site) -> list[rendering.Job]:
    """A job for each export (see :func:`_write_export`)."""
    return [partial(_write_export, archive, site, name) for name in EXPORTS]


def _write_export(archive: Archive, site: Site, name: str, folder: Path) -> Iterator[None]:
    """Write the export ``name`` into the site ``folder``."""
    exports.write(EXPORTS[name], archive, site, folder / export_uri(name))
    yield


def _export_bytes(export: exports.Export, archive: Archive, site: Site) -> bytes:
    """The bytes of the file ``export`` is published as."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export"
        exports.write(export, archive, site, path)
        return path.read_bytes()


def export_uri(name: str) -> str:
    """Where the export ``name`` goes in the site."""
    return f"exports/{name}"


def _remove(paths: Iterable[str], site: Path) -> None:
    """Remove the files at ``paths`` from the ``site`` folder, and the folders that leaves empty."""
    for path in map(Path, paths):
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == site or not folder.is_relative_to(site):
                break
            if not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()


def _give_back_freed_memory() -> None:
    """Have the C library return the heap memory freed so far to the system (glibc's
    ``malloc_trim``: Python's freed strings otherwise stay in the process's heap)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


def _index_part(site_dir: str, pages: list[str], output: Path) -> None:
    """Run Pagefind over ``pages`` (paths in the site), writing its bundle into ``output``.

    The options go in a configuration file of the run's own (in a scratch folder it runs in, so a
    ``pagefind.yml`` of the project's is not read): a glob naming thousands of pages is longer than
    a command-line argument may be.
    """
    with tempfile.TemporaryDirectory(prefix="archive-pagefind-run-") as scratch:
        settings = {
            "site": str(Path(site_dir).resolve()),
            "output_path": str(output.resolve()),
            "glob": "{" + ",".join(pages) + "}",
            "exclude_selectors": list(PAGEFIND_EXCLUDED),
        }
        (Path(scratch) / "pagefind.json").write_text(json.dumps(settings), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--quiet"],
            cwd=scratch,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise PluginError(f"archive: Pagefind failed to index the site:\n{result.stdout}{result.stderr}")


def _link_or_copy(source: str, destination: str) -> None:
    """A hard link where the file system allows one (nothing writes to these files), else a copy."""
    try:
        Path(destination).hardlink_to(source)
    except OSError:
        shutil.copy2(source, destination)


class _Generated(File):
    """A generated file that a dirty rebuild skips when its content is the previous build's."""

    unchanged = False
    """Its content is the one the previous (successful) build wrote."""

    def is_modified(self) -> bool:
        """Whether MkDocs must render and write it again (consulted by ``--dirty`` builds only)."""
        return not (self.unchanged and Path(self.abs_dest_path).is_file())


class _Deferred(File):
    """A generated file that ``mkdocs build`` writes beside MkDocs (claims data, an export):
    MkDocs knows it, so pages may link to it, but does not write it."""

    def copy_file(self, dirty: bool = False) -> None:
        """Nothing: the process making the generated files writes it."""


class _HandWritten(File):
    """A hand-written page, never skipped by a dirty rebuild: the home page shows the archive's
    figures, and a page MkDocs does not read has no title in the navigation of the pages it
    renders. They are few."""

    @classmethod
    def like(cls, page: File) -> _HandWritten:
        """The hand-written page ``page``, as one."""
        return cls(
            page.src_uri,
            page.src_dir,
            page.dest_dir,
            page.use_directory_urls,
            dest_uri=page.dest_uri,
            inclusion=page.inclusion,
        )

    def is_modified(self) -> bool:
        """Always."""
        return True


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates as compiled by an earlier rebuild of the dev server (MkDocs makes a
    new Jinja environment for every build); Jinja checks each against its template's source."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` with the code compiled earlier, if any."""
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code just compiled."""
        self._code[bucket.key] = bucket.bytecode_to_string()


# MkDocs' Config.__init_subclass__ has no annotations, which mypy --strict reports at the class line.
class ArchiveConfig(Config):  # type: ignore[no-untyped-call]
    """Options of the ``archive`` plugin in ``mkdocs.yml``; folders are relative to that file."""

    sources_dir = c.Type(str, default="sources")
    annotations_dir = c.Type(str, default="annotations")
    per_page = c.Type(int, default=100)
    search = c.Type(bool, default=True)
    """Index the built site with Pagefind (the search page needs it)."""
    search_part_size = c.Type(int, default=2500)
    """At most this many articles in one part of the search index. Pagefind indexes the parts one
    after another and the search page merges them (Pagefind's ``mergeIndex``): its indexer's
    memory grows with the articles of one part (about 0.45 MB each), and each further part adds
    to a query its own small metadata file and an index chunk per word."""


class ArchivePlugin(BasePlugin[ArchiveConfig]):  # type: ignore[no-untyped-call]
    """Builds the archive's pages into the MkDocs site."""

    def __init__(self) -> None:
        super().__init__()
        self._cache = LoadCache()
        self._archive: Archive | None = None
        self._renderer: rendering.Forked | rendering.Inline | None = None
        """What makes the generated files in ``mkdocs build`` (see the module docstring)."""
        self._beside: set[str] = set()
        """The generated pages whose bodies ``_renderer`` makes, by ``src_uri``."""
        self._made: dict[str, _Made] = {}
        """On the dev server, the generated files of the last build, by ``src_uri``."""
        self._paths: set[str] = set()
        """On the dev server, where in the site the last build put its generated files."""
        self._rendered: tuple[Archive, tuple[object, ...]] | None = None
        """The archive the kept pages were rendered from, and the settings they were rendered with."""
        self._fragments = Fragments()
        self._templates = _CompiledTemplates()
        self._digests: dict[str, bytes] = {}
        """Each generated file's content digest, as the last successful build wrote it."""
        self._pending: dict[str, bytes] | None = None
        self._serving = self._dirty = False
        self._index: Path | None = None
        """The Pagefind bundle made at the dev server's first build (see the module docstring)."""
        self._exports: list[tuple[str, _Made]] | None = None
        """The exports made at the dev server's first build (see the module docstring)."""
        self._part_of: dict[str, int] = {}
        """The part of the search index that each source page goes in, by ``src_uri``."""
        self._indexed: list[set[str]] = []
        """The pages of each part of the search index, as paths in the site."""
        self._files: Files | None = None
        """What ``mkdocs build`` is building, for ``on_post_build`` to let go of (see there)."""
        self._frozen = False
        """Whether ``on_pre_build`` froze the garbage collector's objects (see there)."""
        self._own = self._loading = 0.0
        """Seconds of this build spent in this plugin's own work (Pagefind's aside), and loading."""

    @contextlib.contextmanager
    def _own_work(self) -> Iterator[None]:
        """Count the time spent in the block as the plugin's own work; report a failure of the
        process making the files as a build error."""
        start = time.perf_counter()
        try:
            yield
        except rendering.RenderError as error:
            raise PluginError(f"archive: {error}") from None
        finally:
            self._own += time.perf_counter() - start

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Having this event makes MkDocs keep one instance (and its cache) across serve rebuilds;
        nothing rendered before (by an earlier command in the same process) is reused."""
        self._serving = command == "serve"
        self._dirty = self._serving and dirty
        self._rendered, self._digests = None, {}
        self._made, self._paths = {}, set()

    def on_shutdown(self) -> None:
        """Remove the dev server's Pagefind bundle."""
        if self._index is not None:
            shutil.rmtree(self._index.parent, ignore_errors=True)
            self._index = None

    def _folders(self, config: MkDocsConfig) -> tuple[Path, Path, Path]:
        root = Path(config.config_file_path or ".").resolve().parent
        return root, root / self.config.sources_dir, root / self.config.annotations_dir

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Ship the plugin's stylesheet and script with every page."""
        for name in ("per_page", "search_part_size"):
            if self.config[name] < 1:
                raise PluginError(f"archive: {name} must be at least 1, not {self.config[name]}")
        config.extra_css.append(ASSET_URIS["archive.css"])
        config.extra_javascript.append(ASSET_URIS["archive.js"])
        config.extra_javascript.append(ASSET_URIS["search.js"])
        return config

    def _site(self, config: MkDocsConfig) -> Site:
        return Site(config.site_url or Site.base, config.site_name)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Load and validate the archive; report every problem; stop on errors. ``mkdocs build``
        then starts making the generated files (see the module docstring)."""
        self._own = 0.0
        with self._own_work():
            start = time.perf_counter()
            self._load(config)
            self._loading = time.perf_counter() - start
            if not self._serving:
                self._start_rendering(config)

    def _load(self, config: MkDocsConfig) -> None:
        self._pending = None
        root, sources, annotations = self._folders(config)
        # Only the dev server keeps parsed files, for its next rebuild; it reads in this process,
        # as a forked process's files would not be in its cache.
        cache = self._cache if self._serving else None
        # Everything loaded lives until the build ends and holds no reference cycles: kept out of
        # the cyclic garbage collector's walks until then (on_post_build), which would otherwise
        # pass over the archive's millions of objects again and again while the pages are made (a
        # sixth of the rendering at 10,000 articles). The dev server keeps collecting: it replaces
        # the archive at every rebuild.
        freeze = not self._serving and not gc.get_freeze_count()
        loaded = load_archive(
            sources, annotations, root=root, cache=cache, parallel=not self._serving, freeze=freeze
        )
        self._frozen = freeze
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
        # Newest first: the search page lists a filter's matches by date, and Pagefind merges the
        # parts' results (each part's in date order, all of the same score) part after part.
        newest = newest_first(loaded.archive.sources.values())
        size = self.config.search_part_size
        self._part_of = {source_uri(source.id): number // size for number, source in enumerate(newest)}
        self._indexed = [set() for _ in range(max(self._part_of.values(), default=0) + 1)]
        log.info(
            f"archive: {len(loaded.archive.sources)} sources, {len(loaded.archive.annotations)} "
            f"statements from {loaded.files} files"
        )

    def _start_rendering(self, config: MkDocsConfig) -> None:
        """Have the generated files made beside MkDocs (see the module docstring)."""
        archive, site = self._loaded(), self._site(config)
        plan = partial(
            plan_site,
            archive,
            per_page=self.config.per_page,
            directory_urls=config.use_directory_urls,
            site=site,
            search_parts=len(self._indexed),
        )
        self._renderer = rendering.start(plan, _export_jobs(archive, site), Path(config.site_dir))

    def _changes(self, archive: Archive, settings: tuple[object, ...]) -> Changes | None:
        """What may have changed since the files of the previous build (``None``: anything may
        have, or there was none); forget the kept fragments that may be wrong."""
        since = None
        if self._serving and self._rendered is not None and self._rendered[1] == settings:
            since = changes(self._rendered[0], archive)
        if since is None or self._rendered is None:
            self._fragments.clear()
            return None
        for kept in (self._rendered[0], archive):
            self._fragments.forget(a.id for a in kept.annotations.values() if a.source in since.sources)
        return since

    def _config_digest(self, config: MkDocsConfig) -> bytes:
        path = config.config_file_path
        return _digest(Path(path).read_bytes()) if path and Path(path).is_file() else b""

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages, the claims data, the exports and the assets."""
        with self._own_work():
            generated = self._made_beside(config) if self._renderer else self._made_here(config)
            existing = set(files.src_uris)
            taken = [f.src_uri for f in generated if f.src_uri in existing]
            taken += [uri for uri in ASSET_URIS.values() if uri in existing]
            if taken:
                raise PluginError(
                    f"archive: {', '.join(sorted(taken))} would be generated but already exist in "
                    f"{config.docs_dir}; remove them from there"
                )
            for file in generated:
                files.append(file)
            for name, uri in ASSET_URIS.items():
                files.append(File.generated(config, uri, abs_src_path=str(ASSETS / name)))
            if self._dirty:
                files = Files(
                    [
                        _HandWritten.like(f) if f.is_documentation_page() and f.generated_by is None else f
                        for f in files
                    ]
                )
            self._files = None if self._serving else files
            if self._renderer:
                self._renderer.ready()
            return files

    def _made_beside(self, config: MkDocsConfig) -> list[File]:
        """The files ``_renderer`` makes: MkDocs gets a page's front matter now and its body in
        ``on_post_page``; the other files are written into the site by the renderer."""
        assert self._renderer is not None
        made: list[File] = []
        self._beside = set()
        for uri, front in self._renderer.planned():
            if front is None:
                made.append(_Deferred.generated(config, uri, content=b""))
            else:
                self._beside.add(uri)
                inclusion = InclusionLevel.UNDEFINED if uri in INDEX_PAGES else InclusionLevel.NOT_IN_NAV
                made.append(File.generated(config, uri, content=front, inclusion=inclusion))
        made += [_Deferred.generated(config, export_uri(name), content=b"") for name in EXPORTS]
        return made

    def _made_here(self, config: MkDocsConfig) -> list[File]:
        """The generated files, made now (the dev server): those an edit cannot have changed are
        kept from the previous build (see the module docstring)."""
        archive = self._loaded()
        site = self._site(config)
        settings = (self.config.per_page, config.use_directory_urls, site, self._config_digest(config))
        since = self._changes(archive, settings)
        same_settings = self._rendered is not None and self._rendered[1] == settings
        previous = self._digests if same_settings else {}
        kept = self._made if since is not None else {}
        self._rendered = (archive, settings)
        self._made, self._pending = {}, {}
        planned = plan_site(
            archive,
            per_page=self.config.per_page,
            directory_urls=config.use_directory_urls,
            site=site,
            fragments=self._fragments,
            since=since,
            search_parts=len(self._indexed),
        )
        if not same_settings or self._exports is None:
            self._exports = [
                (export_uri(name), _Made.export(_export_bytes(export, archive, site), digest=self._dirty))
                for name, export in EXPORTS.items()
            ]
        entries = ((item.uri, _Made.again(item, kept, digest=self._dirty)) for item in planned)
        made: list[File] = []
        for uri, entry in itertools.chain(entries, self._exports):
            self._made[uri] = entry
            inclusion = InclusionLevel.UNDEFINED if uri in INDEX_PAGES else InclusionLevel.NOT_IN_NAV
            file = _Generated.generated(config, uri, content=entry.content(), inclusion=inclusion)
            assert isinstance(file, _Generated)
            # A page of the navigation is read again: unread, it would have no title there.
            file.unchanged = (
                self._dirty
                and uri not in INDEX_PAGES
                and bool(entry.digest)
                and previous.get(uri) == entry.digest
            )
            if entry.digest:
                self._pending[uri] = entry.digest
            made.append(file)
        paths = {file.abs_dest_path for file in made}
        if self._dirty:  # else MkDocs empties the site first
            _remove(self._paths - paths, Path(config.site_dir))
        self._paths = paths
        return made

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """On the dev server, reuse the theme's templates compiled by earlier rebuilds."""
        if self._serving:
            env.bytecode_cache = self._templates
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Add the archive's figures and latest sources to the home page."""
        if page.file.src_uri != "index.md" or page.file.generated_by:
            return markdown
        with self._own_work():
            return with_home(markdown, render_home(self._loaded(), directory_urls=config.use_directory_urls))

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Hold a generated page's place for its body; let the search index hand-written pages too."""
        uri = page.file.src_uri
        if uri in self._beside:
            with self._own_work():
                assert self._renderer is not None
                self._renderer.keep_up()
                return rendering.PLACEHOLDER
        if uri in self._made:
            return rendering.PLACEHOLDER
        if page.file.generated_by:
            return html
        return f"<div {rendering.INDEXED}>{html}</div>"

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Have a generated page's body put in place of its placeholder, and its JSON-LD at the end
        of its head: now, or (``mkdocs build`` where it forks) by the process that made it, once
        MkDocs has written the page."""
        uri = page.file.src_uri
        if uri not in self._beside and uri not in self._made:
            if rendering.INDEXED in output:
                self._note_indexed(page)
            return output
        with self._own_work():
            if self._renderer is not None and uri in self._beside:
                output, facts = self._renderer.place(uri, output, page.file.abs_dest_path)
            else:
                body = rendering.prepare(zlib.decompress(self._made[uri].data).decode())
                output, facts = rendering.put(output, body, uri), body.facts
            page.present_anchor_ids = set(facts.ids)
            if facts.indexed:
                self._note_indexed(page)
            return output

    def on_build_error(self, *, error: Exception) -> None:
        """Stop making files; forget what the site holds when the build failed after ``on_files``
        (some files may be missing or old): the next dirty rebuild writes every file again."""
        if self._renderer is not None:
            self._renderer.stop()
            self._renderer = None
        self._beside = set()
        if self._pending is not None:
            self._digests = {}
        self._thaw()

    def _thaw(self) -> None:
        """Give the garbage collector back what ``on_pre_build`` froze."""
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def _note_indexed(self, page: Page) -> None:
        """Note a page that Pagefind should read, in its part of the index (a hand-written page goes
        in the first)."""
        self._indexed[self._part_of.get(page.file.src_uri, 0)].add(page.file.dest_uri)

    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index the built site with Pagefind (its extended build, which also segments CJK text);
        on the dev server, copy in the index made at its first build. Runs after every other
        plugin's ``on_post_build``, so the index sees every file they write.

        Pagefind reads only the pages that carry ``data-pagefind-body``: it would otherwise parse
        every listing page and hold all their words until it exits, though it then leaves them out.
        """
        with self._own_work():
            self._digests, self._pending = self._pending or {}, None
            self._thaw()
            # mkdocs build lets go of the pages and the archive while the process making files ends.
            rendered = self._finish_rendering(self._release) if self._renderer is not None else None
        if rendered is not None:
            self._log_work(*rendered)
        if not self.config.search:
            return
        target = Path(config.site_dir) / BUNDLE
        if not self._serving:
            self._pagefind(config.site_dir, target)
            return
        if target.is_dir():
            return
        if self._index is None:
            index = Path(tempfile.mkdtemp(prefix="archive-pagefind-")) / BUNDLE
            try:
                self._pagefind(config.site_dir, index)
            except PluginError:
                shutil.rmtree(index.parent, ignore_errors=True)
                raise
            self._index = index
        shutil.copytree(self._index, target, copy_function=_link_or_copy)

    def _finish_rendering(self, meanwhile: Callable[[], None]) -> tuple[float, float | None]:
        """Wait for the last generated files, calling ``meanwhile`` while the process that makes
        them finishes; how long this build waited for (or spent making) them, and the processor
        time a second process spent making them, if one did."""
        renderer, self._renderer = self._renderer, None
        assert renderer is not None
        renderer.finish(meanwhile)
        return renderer.waited, renderer.busy

    def _log_work(self, waited: float, busy: float | None) -> None:
        """Say how long the plugin's own work held the build up, and how long the rendering took."""
        own = f"archive: its own work took {self._own:.1f} s of the build (loading {self._loading:.1f} s, "
        if busy is None:
            log.info(f"{own}making the generated files {waited:.1f} s)")
        else:
            log.info(
                f"{own}waiting for the generated files {waited:.1f} s); a second process spent "
                f"{busy:.1f} s of processor time making them meanwhile"
            )

    def _release(self) -> None:
        """Let go of the generated pages and the archive, and give the memory back to the system:
        ``mkdocs build`` no longer needs them, and its process stays alive beside Pagefind's
        indexer, which needs a gigabyte of its own for a part of 2,500 articles. Nothing reads them
        after this ``on_post_build``, the last one."""
        files, self._files = self._files, None
        self._beside = set()
        for file in files or ():
            if file.generated_by is not None and file.page is not None:
                file.content_string = ""
                file.page.markdown = file.page.content = None
        self._archive = self._rendered = None  # freed at once: it holds no reference cycles
        _give_back_freed_memory()

    def _pagefind(self, site_dir: str, bundle: Path) -> None:
        """Index the pages noted by ``_note_indexed`` into ``bundle``, each part of the index by a
        Pagefind run of its own (see ``search_part_size``)."""
        start = time.perf_counter()
        for number, pages in enumerate(self._indexed, 1):
            _index_part(site_dir, sorted(pages), bundle / part_path(number))
        parts = f" ({len(self._indexed)} parts, one after another)" if len(self._indexed) > 1 else ""
        log.info(f"archive: Pagefind indexed the site in {time.perf_counter() - start:.1f} s{parts}")

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
