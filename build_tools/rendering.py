"""Make a site's generated files beside the build that uses them.

MkDocs builds pages on one core, and needs of a generated page only its front matter until it
writes the page out, long after. :func:`start` forks two processes that each plan the site (which
is cheap; see :func:`~build_tools.render.plan_site`):

- one sends the plan back (every file's ``src_uri``, and each page's front matter), then makes the
  pages in the plan's order and sends each body back, prepared for the caller. The bodies the
  caller has not asked for yet are held up to :data:`AHEAD` characters; past that, the process
  waits (but a caller asking for pages far from the plan's order has every body before them held).
- the other, once the caller says the site's folder is ready, writes every file that is not a page
  straight into the site, then whatever else the site needs (``finish``: the exports). It runs at
  the lowest priority, so it takes the processor time the other two leave: the pages' process
  waits for the caller most of the time, and the caller's work is what the build waits for.

Where forking is unavailable or unsafe (other threads running), the same is done in this process,
each file when it is needed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
import traceback
from multiprocessing.connection import wait
from typing import TYPE_CHECKING, Generic, TypeVar

from build_tools.load import can_fork

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from multiprocessing.synchronize import Event
    from pathlib import Path

    from build_tools.render import Planned

B = TypeVar("B")

AHEAD = 192 * 1024 * 1024
"""How many characters of bodies, at most, are held before they are asked for: a lead of two
or three thousand article pages, made while MkDocs reads every page's front matter, for the
stretches where MkDocs writes pages faster than they are made."""

PIPE_SIZE = 1024 * 1024
"""The capacity asked for the pipe that carries the pages' bodies (Linux's limit for a user)."""

LOWEST = 19
"""The niceness of the process that writes the files other than pages."""


class RenderError(Exception):
    """Making the site's files failed; the message says why (with the traceback)."""


def write(folder: Path, uri: str, content: str) -> None:
    """Write a generated file that is not a page into the site."""
    path = folder / uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode())


class Inline(Generic[B]):
    """The files made in this process, each page when its body is asked for."""

    def __init__(
        self,
        plan: Callable[[], Iterable[Planned]],
        prepare: Callable[[str], B],
        finish: Callable[[Path], None],
        folder: Path,
    ) -> None:
        self._plan, self._prepare, self._finish, self._folder = plan, prepare, finish, folder
        self._planned: dict[str, Planned] = {}
        self.waited = 0.0
        """Seconds the caller spent waiting for (here: making) the files."""
        self.busy: float | None = None
        """Seconds other processes spent making them (``None``: none did)."""

    @contextlib.contextmanager
    def _making(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        except Exception:
            raise RenderError(_failed()) from None
        finally:
            self.waited += time.perf_counter() - start

    def planned(self) -> list[tuple[str, str | None]]:
        """Every file's ``src_uri`` and, for a page, its front matter."""
        with self._making():
            self._planned = {p.uri: p for p in self._plan()}
        return [(p.uri, p.front) for p in self._planned.values()]

    def ready(self) -> None:
        """The site's folder is ready for files."""

    def collect(self) -> None:
        """Take the bodies made so far, without waiting."""

    def body(self, uri: str) -> B:
        """The prepared body of the page ``uri``."""
        with self._making():
            return self._prepare(self._planned.pop(uri).make())

    def finish(self) -> None:
        """Write every file that is not a page, then the rest (``finish``)."""
        with self._making():
            for uri, planned in self._planned.items():
                if not planned.is_page:
                    write(self._folder, uri, planned.make())
            self._planned = {}
            self._finish(self._folder)

    def stop(self) -> None:
        """Give up (the build failed)."""
        self._planned = {}


class Forked(Generic[B]):
    """The files made by two forked processes (see the module's docstring)."""

    def __init__(
        self,
        plan: Callable[[], Iterable[Planned]],
        prepare: Callable[[str], B],
        finish: Callable[[Path], None],
        folder: Path,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self._ready = context.Event()
        self._pages, pages = context.Pipe(duplex=False)
        with contextlib.suppress(OSError, AttributeError):  # Linux only; its default is 64 KiB
            # A page's body in one write and one read, rather than many: half the time per page.
            import fcntl  # POSIX only, as is forking

            fcntl.fcntl(self._pages.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        self._files, files = context.Pipe(duplex=False)
        self._processes: list[BaseProcess] = [
            context.Process(
                target=_make_pages, args=(plan, prepare, pages), name="archive-pages", daemon=True
            ),
            context.Process(
                target=_make_files,
                args=(plan, finish, folder, self._ready, files),
                name="archive-files",
                daemon=True,
            ),
        ]
        for process, theirs in zip(self._processes, (pages, files), strict=True):
            process.start()
            theirs.close()
        self._planned: list[tuple[str, str | None]] | None = None
        self._bodies: dict[str, tuple[B, int]] = {}
        self._held = 0
        self._done: dict[Connection, float] = {}
        self.waited = 0.0
        """Seconds the caller spent waiting for the files."""
        self.busy: float | None = None
        """Seconds the pages' process spent planning and making them (known once finished)."""

    def _receive(self, connection: Connection) -> None:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            process = self._processes[1 if connection is self._files else 0]
            process.join(5)
            raise RenderError(
                f"the process making the site's files ended unexpectedly (exit code {process.exitcode})"
            ) from None
        kind = message[0]
        if kind == "page":
            _, uri, body, size = message
            self._bodies[uri] = (body, size)
            self._held += size
        elif kind == "plan":
            self._planned = message[1]
        elif kind == "done":
            self._done[connection] = message[1]
        else:
            raise RenderError(message[1])

    def _wait(self, until: Callable[[], bool], connections: list[Connection]) -> None:
        start = time.perf_counter()
        try:
            while not until():
                for connection in wait([c for c in connections if c not in self._done]):
                    self._receive(connection)  # type: ignore[arg-type]
        finally:
            self.waited += time.perf_counter() - start

    def planned(self) -> list[tuple[str, str | None]]:
        """Every file's ``src_uri`` and, for a page, its front matter."""
        self._wait(lambda: self._planned is not None, [self._pages])
        assert self._planned is not None
        return self._planned

    def ready(self) -> None:
        """The site's folder is ready for files."""
        self._ready.set()

    def collect(self) -> None:
        """Take the bodies made so far, without waiting, up to :data:`AHEAD` characters."""
        while self._held < AHEAD and self._pages not in self._done and self._pages.poll():
            self._receive(self._pages)

    def body(self, uri: str) -> B:
        """The prepared body of the page ``uri``."""
        self._wait(lambda: uri in self._bodies, [self._pages])
        body, size = self._bodies.pop(uri)
        self._held -= size
        return body

    def finish(self) -> None:
        """Wait until every file is made (ending the other processes if one fails)."""
        connections = [self._pages, self._files]
        try:
            self._wait(lambda: len(self._done) == len(connections), connections)
        except RenderError:
            self.stop()
            raise
        self.busy = self._done[self._pages]
        self._bodies, self._held = {}, 0
        self._end()

    def stop(self) -> None:
        """Give up (the build failed): end the other processes."""
        for process in self._processes:
            if process.is_alive():
                process.terminate()
        self._end()

    def _end(self) -> None:
        for process in self._processes:
            process.join()
        self._pages.close()
        self._files.close()


def start(
    plan: Callable[[], Iterable[Planned]],
    prepare: Callable[[str], B],
    finish: Callable[[Path], None],
    folder: Path,
) -> Forked[B] | Inline[B]:
    """Make the files ``plan()`` plans, for ``folder`` (the site): in forked processes, where
    forking is safe, else here. ``prepare`` turns a page's body into what the caller gets;
    ``finish(folder)`` runs once every planned file but the pages is written."""
    if can_fork():
        return Forked(plan, prepare, finish, folder)
    return Inline(plan, prepare, finish, folder)


@contextlib.contextmanager
def _reporting(connection: Connection) -> Iterator[None]:
    """Send the caller ``("done", seconds)`` at the end of the block, or ``("error", why)``."""
    start = time.perf_counter()
    try:
        yield
        connection.send(("done", time.perf_counter() - start))
    except BrokenPipeError:  # the build ended (it failed): nothing is waiting for the files
        return
    except BaseException:  # every failure is reported to the build, which stops
        with contextlib.suppress(OSError):
            connection.send(("error", _failed()))
    finally:
        connection.close()


def _make_pages(
    plan: Callable[[], Iterable[Planned]], prepare: Callable[[str], B], connection: Connection
) -> None:
    """The pages' process: plan, send the plan, make every page in order."""
    with _reporting(connection):
        planned: list[Planned | None] = list(plan())
        connection.send(("plan", [(p.uri, p.front) for p in planned if p is not None]))
        for number, item in enumerate(planned):
            planned[number] = None  # what only this file needed is let go of once it is made
            if item is not None and item.is_page:
                content = item.make()
                connection.send(("page", item.uri, prepare(content), len(content)))


def _make_files(
    plan: Callable[[], Iterable[Planned]],
    finish: Callable[[Path], None],
    folder: Path,
    ready: Event,
    connection: Connection,
) -> None:
    """The other files' process: plan, then write every file that is not a page, then finish."""
    with _reporting(connection):
        os.nice(LOWEST)
        planned: list[Planned | None] = [p for p in plan() if not p.is_page]
        ready.wait()
        for number, item in enumerate(planned):
            planned[number] = None
            if item is not None:
                write(folder, item.uri, item.make())
        finish(folder)


def _failed() -> str:
    """What to say about the exception being handled."""
    return f"making the site's files failed:\n{traceback.format_exc().rstrip()}"
