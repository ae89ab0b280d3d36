"""The generated files of one build, for a site engine: planned at once, each page's body made
when the engine asks for it.

:func:`~build_tools.render.plan_site` plans every generated file (which is cheap: a page's title
needs no rendering). The engine gets every file's address and each page's front matter at once,
and a page's body when it renders the page (:meth:`Generated.body`), so bodies are made in the
order the engine wants them, in its process. A file that is not a page (the claims data) is made
with the plan. The dev server's variant, which reuses what an edit cannot have changed, is
:class:`build_tools.serving.Rebuilds`.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from build_tools import exports, forking, gitlog
from build_tools.exports.links import Site
from build_tools.render import INDEX_PAGES, Context, plan_site, source_uri
from build_tools.render.context import Urls
from build_tools.render.statements import render_statement, statement_path

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from build_tools.model import Archive
    from build_tools.render import Changes, Fragments, Planned


@dataclass(frozen=True, slots=True)
class Settings:
    """What the generated files depend on besides the archive."""

    per_page: int = 100
    directory_urls: bool = True
    site: Site = field(default_factory=Site)
    search_parts: int = 1
    config: bytes = b""
    """A digest of the engine's configuration file (a change to it may change any page)."""

    def plan(
        self, archive: Archive, fragments: Fragments | None = None, since: Changes | None = None
    ) -> Iterable[Planned]:
        """Every generated file of ``archive``, planned (see :func:`~build_tools.render.plan_site`)."""
        return plan_site(
            archive,
            per_page=self.per_page,
            directory_urls=self.directory_urls,
            site=self.site,
            fragments=fragments,
            since=since,
            search_parts=self.search_parts,
        )


@dataclass(frozen=True, slots=True)
class File:
    """A generated file as the engine gets it at first: a page's front matter (``front``; the body
    comes later), or another file's ``content``."""

    uri: str
    """Its source path in the site (``src_uri``)."""
    front: str | None
    content: bytes = b""
    unchanged: bool = False
    """Whether it is byte for byte what the previous build wrote (the dev server's rebuilds)."""

    @property
    def is_page(self) -> bool:
        """Whether it is a page (Markdown front matter, then HTML)."""
        return self.front is not None

    @property
    def in_nav(self) -> bool:
        """Whether the page belongs in the navigation: the indexes do; a page's HTML would otherwise
        grow with the archive."""
        return self.uri in INDEX_PAGES


class Generated:
    """The generated files of one ``mkdocs build``: each page's body is made when asked for, once."""

    def __init__(self) -> None:
        self._pages: dict[str, Planned] = {}

    def files(self, archive: Archive, settings: Settings) -> list[File]:
        """Every generated file of ``archive``."""
        files = []
        for item in settings.plan(archive):
            if item.front is None:
                files.append(File(item.uri, None, item.make().encode()))
            else:
                self._pages[item.uri] = item
                files.append(File(item.uri, item.front))
        return files

    def body(self, uri: str) -> str | None:
        """The body of the generated page ``uri`` (``None``: not one), made now."""
        planned = self._pages.pop(uri, None)
        return None if planned is None else planned.make()

    def done(self, *, succeeded: bool) -> None:
        """The build ended: let go of what is left."""
        self._pages.clear()


def export_uri(name: str) -> str:
    """Where the export ``name`` goes in the site."""
    return f"exports/{name}"


class Downloads:
    """The exports of one build (and the statements' pages, when asked for), written into
    ``folder`` for the engine to copy into the site. When ``apart`` (and the system can fork), a
    forked process writes them while the engine renders the pages on another core; else they are
    written at once. :meth:`wait` before the engine copies them."""

    def __init__(
        self,
        archive: Archive,
        site: Site,
        folder: Path,
        *,
        statements: bool,
        apart: bool,
        directory_urls: bool = True,
    ) -> None:
        self.paths = {export_uri(name): folder / name for name in exports.EXPORTS}
        """Where each file is, by its place in the site."""
        if statements:
            uris = (statement_path(annotation.id) for annotation in archive.annotations.values())
            self.paths.update({uri: folder / uri for uri in uris})
        job = _Job(archive, site, self.paths, statements, Urls(directory_urls))
        self._pool: forking.Forked | None = None
        if apart and forking.cores() > 1 and forking.can_fork():
            self._pool = forking.Forked(job, 1)
            self._writing = self._pool.submit(_write, None)
        else:
            _write(job, None)

    def wait(self) -> None:
        """Wait until every file is written; raise what writing raised."""
        if self._pool is None:
            return
        try:
            self._writing.result()
        finally:
            self.stop()

    def stop(self) -> None:
        """Let the writing process end (the build failed)."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None


@dataclass(frozen=True)
class _Job:
    """What :class:`Downloads` writes: the exports of ``archive``, and its statements' pages when
    ``statements`` (linking as ``urls`` say the site's pages are published), at ``paths``."""

    archive: Archive
    site: Site
    paths: dict[str, Path]
    statements: bool
    urls: Urls


def _write(job: _Job, _: None) -> None:
    for name, export in exports.EXPORTS.items():
        exports.write(export, job.archive, job.site, job.paths[export_uri(name)])
    if job.statements:
        ctx = Context(job.archive, job.urls, site=job.site)
        for annotation in job.archive.annotations.values():
            path = job.paths[statement_path(annotation.id)]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_statement(ctx, annotation), encoding="utf-8")


def stands_for(archive: Archive, sources: Path, annotations: Path) -> dict[str, str]:
    """The file in the repository each article's page stands for, by the page's ``src_uri``: of
    its article and its annotation file, the one committed last (where git tells; else the
    annotation file, if any). The archive's history, when read, tells when each file was
    committed; else git's log is read for it."""
    history = archive.history
    if history is not None and history.known:
        committed = history.committed
    else:
        committed = gitlog.last_commits([sources, annotations])
    paths = {}
    for source_id in archive.sources:
        article = (sources / f"{source_id}.md").resolve()
        notes = (annotations / f"{source_id}.yaml").resolve()
        later = not notes.is_file() or committed.get(article, -1) > committed.get(notes, -1)
        paths[source_uri(source_id)] = str(article if later else notes)
    return paths


def give_back_freed_memory() -> None:
    """Have the C library return the heap memory freed so far to the system (glibc's
    ``malloc_trim``: Python's freed strings otherwise stay in the process's heap)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)
