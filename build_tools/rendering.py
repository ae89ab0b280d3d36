"""Make a site's generated files beside the build that uses them.

MkDocs builds pages on one core, and needs of a generated page only its front matter until it
writes the page out, long after. MkDocs renders such a page into its theme around a placeholder
(:data:`PLACEHOLDER`); the page's body goes in its place. :func:`start` plans the site (which is
cheap; see :func:`~build_tools.render.plan_site`), keeps of the plan what MkDocs needs now (every
file's ``src_uri``, and each page's front matter), and forks a process that makes the pages in the
plan's order:

- for each page it sends the caller the page's :class:`Facts` (the ids of its elements, and
  whether search indexes it), and holds its body until MkDocs has written the page around the
  placeholder: it then puts the body into the written file. MkDocs thus never handles a generated
  page's body (a gigabyte of HTML at 10,000 articles). The bodies held are at most :data:`AHEAD`
  characters; past that, the process waits (unless the caller waits for a page further on).
- while it waits, and once the caller says the site's folder is ready, it writes the files that
  are not pages straight into the site, then whatever else the site needs (``jobs``: the
  exports), a piece at a time; what is left of them once every page is made, it writes then,
  and the caller takes its share of the jobs left once MkDocs has written every page.

Where forking is unavailable or unsafe (other threads running), the same is done in this process,
each page's body made and put in when MkDocs is about to write the page.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from build_tools.load import can_fork

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from multiprocessing.sharedctypes import Synchronized

    from build_tools.render import Planned

    Job = Callable[[Path], Iterable[object]]
    """What writes one more file into the site's folder, a piece at a time (an item a piece)."""

AHEAD = 192 * 1024 * 1024
"""How many characters of bodies, at most, are held before their pages are written: a lead of two
or three thousand article pages, made while MkDocs reads every page's front matter, for the
stretches where MkDocs writes pages faster than they are made."""

PIPE_SIZE = 1024 * 1024
"""The capacity asked for the pipes between the build and the process that makes the pages
(Linux's limit for a user): neither side waits for the other to read."""

BATCH = 64
"""How many pages' facts, or written pages, go in one message between the build and the process
(one message a page costs the build about 0.1 ms a page in all)."""

PLACEHOLDER = "<!--archive:page-body-->"
"""What MkDocs holds as a generated page's content, for its body to take the place of."""
_PLACEHOLDER = PLACEHOLDER.encode()
INDEXED = "data-pagefind-body"
"""The attribute of the element whose text search indexes (Pagefind reads only pages that have it)."""
_INDEXED = INDEXED.encode()
_ID = b' id="'
"""What starts an element's id in a generated page (the renderer puts a space before every
attribute, and double quotes around its value)."""
_JSON_LD = b'<script type="application/ld+json">'
_SCRIPT_END = b"</script>"
_HEAD_END = b"</head>"


class RenderError(Exception):
    """Making the site's files failed; the message says why (with the traceback)."""


class Facts(NamedTuple):
    """What the build needs to know of a generated page's body."""

    ids: tuple[str, ...]
    """The ids of its elements (MkDocs checks links to them)."""
    indexed: bool
    """Whether search indexes it."""


class Body(NamedTuple):
    """A generated page's body, ready to be put into the page."""

    html: bytes
    """Its HTML, but for its JSON-LD, as UTF-8 (held so until the page is written: a Python string
    with one curly quote takes two bytes a character)."""
    head: bytes
    """Its JSON-LD, for the page's head (Material would run a script in the content as JavaScript)."""
    facts: Facts


def prepare(body: str) -> Body:
    """Prepare a generated page's body for its page (done where the body is made).

    The body is searched as UTF-8, with string searches rather than regular expressions: the
    bodies are a gigabyte at 10,000 articles, and as text with one curly quote each character
    takes two bytes (0.13 ms a page against 0.21 ms)."""
    data = body.encode()
    html, head = _without_scripts(data)
    return Body(html, head, Facts(_ids(data), _INDEXED in data))


def _without_scripts(data: bytes) -> tuple[bytes, bytes]:
    """``data`` without its JSON-LD scripts (each with the line end after it, if any), and the
    scripts."""
    start = data.find(_JSON_LD)
    if start < 0:
        return data, b""
    rest: list[bytes] = []
    scripts: list[bytes] = []
    done = 0
    while start >= 0:
        end = data.find(_SCRIPT_END, start)
        if end < 0:
            break
        end += len(_SCRIPT_END)
        if data.startswith(b"\n", end):
            end += 1
        rest.append(data[done:start])
        scripts.append(data[start:end])
        done = end
        start = data.find(_JSON_LD, done)
    rest.append(data[done:])
    return b"".join(rest), b"".join(scripts)


def _ids(data: bytes) -> tuple[str, ...]:
    """The ids of the elements in ``data`` (the values of `` id="..."``, none empty)."""
    ids = []
    at = data.find(_ID)
    while at >= 0:
        start = at + len(_ID)
        end = data.find(b'"', start)
        if end < 0:
            break
        if end > start:
            ids.append(data[start:end].decode())
        at = data.find(_ID, end + 1)
    return tuple(ids)


def _spliced(page: bytes, body: Body, where: str) -> list[bytes | memoryview]:
    """The pieces of ``page`` with ``body`` put in: its HTML for the placeholder, its JSON-LD at
    the end of the head."""
    if body.head:
        page = page.replace(_HEAD_END, body.head + _HEAD_END, 1)
    at = page.find(_PLACEHOLDER)
    if at < 0:
        raise ValueError(
            f"{where} has no placeholder `{PLACEHOLDER}` for its body: has a plugin that runs after "
            "`archive` removed HTML comments from the page?"
        )
    view = memoryview(page)
    return [view[:at], body.html, view[at + len(_PLACEHOLDER) :]]


def put(page: str, body: Body, uri: str) -> str:
    """The page ``uri`` with ``body`` put in (see :func:`_spliced`)."""
    encoded = page.encode(errors="xmlcharrefreplace")  # as MkDocs writes a page
    return b"".join(_spliced(encoded, body, f"the page {uri}")).decode()


def put_into_file(path: Path, body: Body) -> None:
    """Put ``body`` into the page written at ``path`` (see :func:`_spliced`)."""
    pieces = _spliced(path.read_bytes(), body, f"the page written at {path}")
    with path.open("wb") as out:
        out.writelines(pieces)


def write(folder: Path, uri: str, content: str) -> None:
    """Write a generated file that is not a page into the site."""
    path = folder / uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode())


class Inline:
    """The files made in this process, each page when MkDocs is about to write it."""

    def __init__(self, plan: Callable[[], Iterable[Planned]], jobs: Sequence[Job], folder: Path) -> None:
        self._plan, self._jobs, self._folder = plan, jobs, folder
        self._planned: dict[str, Planned] = {}
        self.waited = 0.0
        """Seconds the caller spent waiting for (here: making) the files."""
        self.busy: float | None = None
        """Processor seconds other processes spent making them (``None``: none did)."""

    def planned(self) -> list[tuple[str, str | None]]:
        """Every file's ``src_uri`` and, for a page, its front matter."""
        with _making(self):
            self._planned = {p.uri: p for p in self._plan()}
        return [(p.uri, p.front) for p in self._planned.values()]

    def ready(self) -> None:
        """The site's folder is ready for files."""

    def keep_up(self) -> None:
        """Called for each page MkDocs reads (see :meth:`Forked.keep_up`)."""

    def place(self, uri: str, page: str, path: str) -> tuple[str, Facts]:
        """What MkDocs is to write at ``path`` for the page ``uri`` (rendered around the
        placeholder as ``page``), and the page's facts: here, the page with its body put in."""
        with _making(self):
            body = prepare(self._planned.pop(uri).make())
            return put(page, body, uri), body.facts

    def finish(self, meanwhile: Callable[[], None] = lambda: None) -> None:
        """Write every file that is not a page, then do the ``jobs``; then call ``meanwhile``."""
        with _making(self):
            for uri, planned in self._planned.items():
                if not planned.is_page:
                    write(self._folder, uri, planned.make())
            self._planned = {}
            for job in self._jobs:
                _do(job, self._folder)
        self._jobs = ()
        meanwhile()

    def stop(self) -> None:
        """Give up (the build failed)."""
        self._planned = {}


class Forked:
    """The files made by a forked process (see the module's docstring)."""

    def __init__(self, plan: Callable[[], Iterable[Planned]], jobs: Sequence[Job], folder: Path) -> None:
        context = multiprocessing.get_context("fork")
        self._jobs, self._folder = jobs, folder
        self._next_job: Synchronized[int] = context.Value("i", 0)
        self._pages, pages = context.Pipe(duplex=False)
        written, self._written = context.Pipe(duplex=False)
        with contextlib.suppress(OSError, AttributeError):  # Linux only; its default is 64 KiB
            import fcntl  # POSIX only, as is forking

            for connection in (self._pages, self._written):
                fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        planned = list(plan())
        self._planned = [(p.uri, p.front) for p in planned]
        held = [planned]
        del planned
        self._process: BaseProcess = context.Process(
            target=_make,
            args=(held, jobs, self._next_job, folder, pages, written),
            name="archive-files",
            daemon=True,
        )
        self._process.start()
        held.clear()  # this process needs only the addresses and front matters
        pages.close()
        written.close()
        self._facts: dict[str, Facts] = {}
        self._placed: list[tuple[str, str]] = []
        """The pages placed since the process was last told of them, with their paths."""
        self._done: float | None = None
        self._calls = 0
        self.waited = 0.0
        """Seconds the caller spent waiting for the files."""
        self.busy: float | None = None
        """Processor seconds the process spent making them (known once finished)."""

    def _receive(self) -> None:
        try:
            message = self._pages.recv()
        except (EOFError, OSError):
            self._process.join(5)
            raise RenderError(
                f"the process making the site's files ended unexpectedly (exit code {self._process.exitcode})"
            ) from None
        kind = message[0]
        if kind == "facts":
            self._facts.update(message[1])
        elif kind == "done":
            self._done = message[1]
        else:
            raise RenderError(message[1])

    def _tell(self, message: tuple[object, ...]) -> None:
        """Tell the process ``message`` (see :class:`_Bodies`)."""
        try:
            self._written.send(message)
        except OSError:
            self._wait(lambda: self._done is not None)  # raises, saying why it ended
            raise RenderError("the process making the site's files stopped before the build") from None

    def _wait(self, until: Callable[[], bool]) -> None:
        start = time.perf_counter()
        try:
            while not until():
                if self._done is not None:
                    raise RenderError("the process making the site's files stopped before the build")
                self._receive()
        finally:
            self.waited += time.perf_counter() - start

    def planned(self) -> list[tuple[str, str | None]]:
        """Every file's ``src_uri`` and, for a page, its front matter."""
        return self._planned

    def ready(self) -> None:
        """The site's folder is ready for files."""
        self._tell(("ready",))

    def keep_up(self) -> None:
        """Called for each page MkDocs reads: every :data:`BATCH` calls, take the facts sent so far,
        so that the process is not held up sending them (looking costs 20 µs)."""
        self._calls += 1
        if self._calls % BATCH == 0:
            self._collect()

    def _collect(self) -> None:
        """Take the facts of the pages made so far, without waiting."""
        while self._done is None and self._pages.poll():
            self._receive()

    def place(self, uri: str, page: str, path: str) -> tuple[str, Facts]:
        """What MkDocs is to write at ``path`` for the page ``uri`` (rendered around the
        placeholder as ``page``), and the page's facts: here, the page as it is; the process
        puts the body into the file once MkDocs has written it."""
        if uri not in self._facts or len(self._placed) >= BATCH:
            self._collect()  # first, so that the process is never held up sending them
            self._tell_written()
        if uri not in self._facts:
            self._tell(("want", uri))
            self._wait(lambda: uri in self._facts)
        self._placed.append((uri, path))
        return page, self._facts.pop(uri)

    def _tell_written(self) -> None:
        """Tell the process that the pages placed so far are written (MkDocs writes a page
        before it renders the next, and before its build ends)."""
        if self._placed:
            self._tell(("written", self._placed))
            self._placed = []

    def finish(self, meanwhile: Callable[[], None] = lambda: None) -> None:
        """Wait until every file is made (ending the process if it fails), having done a share of
        the jobs left and then called ``meanwhile``, while the process makes the rest; this
        process then holds no reference to the jobs."""
        try:
            self._tell_written()
            self._tell(("end",))
            self._do_jobs_left()
            self._jobs = ()
            meanwhile()
            self._wait(lambda: self._done is not None)
        except RenderError:
            self.stop()
            raise
        self.busy = self._done
        self._facts = {}
        self._end()

    def _do_jobs_left(self) -> None:
        """Do the jobs the process has not claimed (it may still be putting bodies in)."""
        with _making(self):
            while (number := _claim(self._next_job)) < len(self._jobs):
                _do(self._jobs[number], self._folder)

    def stop(self) -> None:
        """Give up (the build failed): end the process."""
        if self._process.is_alive():
            self._process.terminate()
        self._end()

    def _end(self) -> None:
        self._process.join()
        self._pages.close()
        self._written.close()


@contextlib.contextmanager
def _making(renderer: Inline | Forked) -> Iterator[None]:
    """Count the block's time as the caller's waiting for (here: making) the files; report its
    failure as a :class:`RenderError`."""
    start = time.perf_counter()
    try:
        yield
    except Exception:
        raise RenderError(_failed()) from None
    finally:
        renderer.waited += time.perf_counter() - start


def start(plan: Callable[[], Iterable[Planned]], jobs: Sequence[Job], folder: Path) -> Forked | Inline:
    """Make the files ``plan()`` plans, for ``folder`` (the site): in a forked process, where
    forking is safe, else here; then do the ``jobs`` (each ``job(folder)`` writes one more file).
    """
    if can_fork():
        return Forked(plan, jobs, folder)
    return Inline(plan, jobs, folder)


def _do(job: Job, folder: Path) -> None:
    """Do ``job`` at once."""
    for _ in job(folder):
        pass


def _claim(next_job: Synchronized[int]) -> int:
    """The number of the next job to do, which no other process will do."""
    with next_job.get_lock():
        number = next_job.value
        next_job.value = number + 1
    return number


@contextlib.contextmanager
def _reporting(connection: Connection) -> Iterator[None]:
    """Send the caller ``("done", processor seconds)`` at the end of the block, or ``("error", why)``."""
    start = time.process_time()
    try:
        yield
        connection.send(("done", time.process_time() - start))
    except BrokenPipeError:  # the build ended (it failed): nothing is waiting for the files
        return
    except BaseException:  # every failure is reported to the build, which stops
        with contextlib.suppress(OSError):
            connection.send(("error", _failed()))
    finally:
        connection.close()


class _Bodies:
    """The bodies the process has made and not yet put into their pages, which it puts in as the
    caller says each page is written; the facts of those pages, which it sends the caller in
    batches; and the writing of the ``others`` files, a piece at a time, done instead of waiting
    for the caller once it says the site's folder is ready (see :func:`_make`)."""

    def __init__(self, connection: Connection, told: Connection, others: Iterator[None]) -> None:
        self._connection, self._told, self._others = connection, told, others
        self._ready = False
        self._held: dict[str, tuple[Body, int]] = {}
        self._size = 0
        self._facts: list[tuple[str, Facts]] = []
        """The facts not sent yet."""
        self._wanted: str | None = None
        """A page the caller waits for: bodies are made past :data:`AHEAD` until it is."""
        self.ended = False
        """Whether the caller said the last page is written (or is gone): no more bodies are needed."""

    def hold(self, uri: str, body: Body, size: int) -> None:
        """Hold the body of ``uri`` (``size`` characters) until its page is written."""
        self._held[uri] = (body, size)
        self._size += size
        self._facts.append((uri, body.facts))
        if self._wanted == uri or len(self._facts) >= BATCH:
            self._wanted = None
            self.send_facts()

    def room(self) -> bool:
        """Once every message so far is taken, and there is room for another body (waiting for it):
        whether another body is needed."""
        self.take()
        if self._size >= AHEAD and self._wanted is None:
            self.send_facts()
        while self._size >= AHEAD and self._wanted is None and not self.ended:
            self.take(wait=not self._other())
        return not self.ended

    def _other(self) -> bool:
        """Write a piece of the other files, if the folder is ready and any is left; whether it did."""
        return self._ready and next(self._others, _END) is not _END

    def rest(self) -> None:
        """Once every page is made: write the rest of the other files, and put in the rest of the
        bodies as the caller says each page is written, until it says the last is."""
        self.send_facts()
        while not self._ready and not self.ended:
            self.take(wait=True)
        while self._other():
            self.take()
        while not self.ended:
            self.take(wait=True)

    def send_facts(self) -> None:
        """Send the facts not sent yet."""
        if self._facts:
            self._connection.send(("facts", self._facts))
            self._facts = []

    def take(self, *, wait: bool = False) -> None:
        """Take every message the caller has sent (waiting for one, with ``wait``)."""
        while not self.ended and (wait or self._told.poll()):
            wait = False
            try:
                kind, *rest = self._told.recv()
            except EOFError:  # the caller is gone
                kind = "end"
            if kind == "end":
                self.ended = True
            elif kind == "ready":
                self._ready = True
            elif kind == "want":
                if rest[0] in self._held:
                    self.send_facts()
                else:
                    self._wanted = rest[0]
            else:
                for uri, path in rest[0]:
                    body, size = self._held.pop(uri)
                    put_into_file(Path(path), body)
                    self._size -= size


def _others(
    planned: list[Planned], jobs: Sequence[Job], next_job: Synchronized[int], folder: Path
) -> Iterator[None]:
    """Write the files that are not pages, then do the jobs no other process claims, pausing
    after each piece."""
    for item in planned:
        write(folder, item.uri, item.make())
        yield
    while (number := _claim(next_job)) < len(jobs):
        for _ in jobs[number](folder):
            yield


_END = object()
"""What ``next`` gives for a finished iterator."""


def _make(
    held: list[list[Planned]],
    jobs: Sequence[Job],
    next_job: Synchronized[int],
    folder: Path,
    connection: Connection,
    told: Connection,
) -> None:
    """The process: make every page of the plan (``held``) in order and send its facts, and put each
    body into its page once the caller (``told``) says MkDocs has written it; write the other files
    while it would wait, once the caller says the site's folder is ready, and the rest of them once
    every page is made. It takes what the caller says between pages and pieces, so the caller
    (which takes the facts before it says anything) is not held up saying it."""
    with _reporting(connection):
        planned: list[Planned | None] = list(held.pop())
        others = _others([p for p in planned if p is not None and not p.is_page], jobs, next_job, folder)
        bodies = _Bodies(connection, told, others)
        for number, item in enumerate(planned):
            planned[number] = None  # what only this file needed is let go of once it is made
            if item is not None and item.is_page:
                if not bodies.room():
                    break
                content = item.make()
                bodies.hold(item.uri, prepare(content), len(content))
        bodies.rest()


def _failed() -> str:
    """What to say about the exception being handled."""
    return f"making the site's files failed:\n{traceback.format_exc().rstrip()}"
