"""Load the whole archive from disk: parse every file (cached), then resolve and validate."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
import traceback
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from build_tools.anchor import Folded
from build_tools.model import Archive, ClaimType, Pos, Source, Speaker
from build_tools.parse import (
    AnnotationFile,
    Registry,
    parse_annotation_file,
    parse_claim_types,
    parse_source,
    parse_speakers,
)
from build_tools.problems import Level, Problem
from build_tools.validate import Checked, Quotations, check_file, resolve

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from multiprocessing.connection import Connection

SPEAKERS = "speakers.yaml"
CLAIM_TYPES = "claim_types.yaml"
_NEAR_MISSES = {".markdown": ".md", ".txt": ".md", ".yml": ".yaml"}

_HERE_SHARE = 0.5
"""With ``parallel``, the share of the sources read in this process, with the annotation files
named as they are (those that sort before the first of the rest); the forked process reads the
rest, and sends what it read. Sending a file costs the forked process a third as much as reading
it, and taking it over (done between this process's own files) a fifth as much."""

T = TypeVar("T")
E = TypeVar("E", Speaker, ClaimType)


@dataclass
class LoadCache:
    """Parsed files kept between loads (``mkdocs serve`` rebuilds): a file whose size and
    modification time are unchanged is not read or parsed again."""

    parsed: dict[Path, tuple[tuple[int, int], object]] = field(default_factory=dict)
    folded: dict[str, tuple[Source, Folded]] = field(default_factory=dict)

    def get(self, path: Path, parse: Callable[[bytes], T]) -> T:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        hit = self.parsed.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]  # type: ignore[return-value]
        value = parse(path.read_bytes())
        self.parsed[path] = (stamp, value)
        return value


@dataclass(frozen=True)
class Loaded:
    """The archive of everything valid, every problem found (sorted), and how many files were read."""

    archive: Archive
    problems: list[Problem]
    files: int


def load_archive(
    sources_dir: Path,
    annotations_dir: Path,
    *,
    root: Path | None = None,
    cache: LoadCache | None = None,
    progress: Callable[[int, int], None] | None = None,
    parallel: bool = False,
    freeze: bool = False,
) -> Loaded:
    """Read, anchor and validate the archive; never raises for anything in the files.

    ``progress(done, total)`` is called as files are read, for a progress display. With
    ``parallel``, the files are read by two processes: this one and a forked one (whose files are
    not cached) each read and fold about half of the sources and read and check their annotation
    files (:func:`~build_tools.validate.check_file`: anchored, speakers and claim types looked up),
    the forked one sending what it read (see :data:`_HERE_SHARE`); the checks across files follow.
    It is for a single-threaded caller such as the command line or ``mkdocs build``, and falls back
    to reading everything here where forking is unavailable or unsafe (other threads running).

    The cyclic garbage collector is paused meanwhile: reading makes millions of objects and no
    reference cycles, and each collection would walk all of them for nothing (a third of the time
    at 10,000 articles). With ``freeze``, every object there is when it ends is left out of its
    walks (``gc.freeze``), for a caller that keeps the archive until it ends or unfreezes: else the
    first collection after it would walk them all once (half a second at 10,000 articles).
    """
    with _collector_paused(freeze=freeze):
        return _load(sources_dir, annotations_dir, root, cache, progress, parallel)


@contextlib.contextmanager
def _collector_paused(*, freeze: bool) -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def _load(
    sources_dir: Path,
    annotations_dir: Path,
    root: Path | None,
    cache: LoadCache | None,
    progress: Callable[[int, int], None] | None,
    parallel: bool,
) -> Loaded:
    root = (root or Path.cwd()).resolve()
    cache = cache if cache is not None else LoadCache()
    problems: list[Problem] = []

    prefixes = {folder: _prefix(folder, root) for folder in (sources_dir, annotations_dir)}
    plain: set[Path] = set()

    def show(path: Path) -> str:
        """``path`` as problems show it: relative to the root where it resolves within it."""
        prefix = prefixes.get(path.parent)
        if prefix is not None and path in plain:
            # A listed file that is not a link resolves within its resolved folder.
            return prefix + path.name
        resolved = path.resolve()
        return (resolved.relative_to(root) if resolved.is_relative_to(root) else path).as_posix()

    source_paths = _listing(sources_dir, ".md", show, problems, plain)
    annotation_paths = [
        p
        for p in _listing(annotations_dir, ".yaml", show, problems, plain)
        if p.name not in (SPEAKERS, CLAIM_TYPES)
    ]
    total = len(source_paths) + len(annotation_paths)
    step = max(1, total // 100)
    sources: dict[str, Source] = {}
    folded: dict[str, Folded] = {}
    files: list[AnnotationFile | Checked] = []
    quotations: dict[str, Quotations] = {}
    speakers = _registry(annotations_dir / SPEAKERS, parse_speakers, cache, show, problems)
    claim_types = _registry(annotations_dir / CLAIM_TYPES, parse_claim_types, cache, show, problems)
    if parallel and can_fork():
        split = int(len(source_paths) * _HERE_SHARE)
        first = source_paths[split].stem if split < len(source_paths) else None
        here = [p for p in annotation_paths if first is None or p.stem < first]
        there = [p for p in annotation_paths if first is not None and p.stem >= first]
        reader = _Reader(
            [(p, show(p)) for p in source_paths[split:]], [(p, show(p)) for p in there], speakers, claim_types
        )
        for done, path in enumerate(source_paths[:split], 1):
            if progress and done % step == 0:
                progress(done, total)
            source, found = parse_source(path.read_bytes(), show(path), path.stem)
            problems.extend(found)
            if source is not None:
                sources[source.id] = source
                folded[source.id] = Folded.of(source.body)
            reader.take()

        def check_here(parsed: AnnotationFile) -> AnnotationFile | Checked:
            reader.take()
            return check_file(parsed, sources, speakers, claim_types, folded) or parsed

        _read_annotations(here, split + 1, total, step, cache, show, progress, problems, files, check_here)
        read_sources, read_files = reader.rest()
        for source, found, quoted in read_sources:
            problems.extend(found)
            if source is not None and quoted is not None:
                sources[source.id] = source
                quotations[source.id] = quoted
        for read, entry in read_files:
            problems.extend(read)
            files.append(entry)
        if progress and total:
            progress(total, total)
    else:
        for done, path in enumerate(source_paths, 1):
            if progress and done % step == 0:
                progress(done, total)
            source, found = cache.get(path, partial(parse_source, path=show(path), stem=path.stem))
            problems.extend(found)
            if source is not None:
                sources[source.id] = source
        _read_annotations(
            annotation_paths, len(source_paths) + 1, total, step, cache, show, progress, problems, files
        )
        folded = {sid: f for sid, (src, f) in cache.folded.items() if sources.get(sid) is src}
    archive, found = resolve(sources, files, speakers, claim_types, folded, quotations=quotations)
    cache.folded = {sid: (sources[sid], f) for sid, f in folded.items()}
    problems.extend(found)
    count = len(source_paths) + len(annotation_paths) + (speakers is not None) + (claim_types is not None)
    return Loaded(archive, sorted(problems), count)


def can_fork() -> bool:
    """Whether this process may fork (a forked copy of a process running other threads may hang)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


_Read = tuple[Source | None, list[Problem], Quotations | None]
_ReadFile = tuple[tuple[Problem, ...], AnnotationFile | Checked]
"""A file the forked reader read: the problems reading it found, and the file, checked where its
source is one of the reader's."""


class _Reader:
    """A forked process that reads and folds some sources and reads and checks some annotation
    files (:func:`~build_tools.validate.check_file`), and sends them in batches as it goes, for
    this process to take between its own files: each side's turning them into bytes and back
    overlaps the other side's reading. It sends a source's quotations, not its folded text: its
    files are anchored already."""

    def __init__(
        self,
        sources: list[tuple[Path, str]],
        annotations: list[tuple[Path, str]],
        speakers: Mapping[str, Speaker] | None,
        claim_types: Mapping[str, ClaimType] | None,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_read_in_fork, args=(sources, annotations, speakers, claim_types, theirs), daemon=True
        )
        self._process.start()
        theirs.close()
        self._sources: list[_Read] = []
        self._files: list[_ReadFile] = []
        self._done = False

    def take(self) -> None:
        """Take the batches sent so far, without waiting."""
        while not self._done and self._connection.poll():
            self._receive()

    def rest(self) -> tuple[list[_Read], list[_ReadFile]]:
        """Everything it read, once it has sent the last batch."""
        while not self._done:
            self._receive()
        self._process.join()
        self._connection.close()
        return self._sources, self._files

    def _receive(self) -> None:
        try:
            kind, batch = self._connection.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"the forked reader ended unexpectedly (exit code {self._process.exitcode})"
            ) from None
        if kind == "sources":
            self._sources += batch
        elif kind == "files":
            self._files += batch
        elif kind == "done":
            self._done = True
        else:
            raise RuntimeError(f"the forked reader failed:\n{batch}")


_BATCH = 100
"""Files in a batch the forked reader sends."""


def _read_in_fork(
    sources: list[tuple[Path, str]],
    annotations: list[tuple[Path, str]],
    speakers: Mapping[str, Speaker] | None,
    claim_types: Mapping[str, ClaimType] | None,
    connection: Connection,
) -> None:
    """Send the sources, parsed, with their quotations, then the annotation files, parsed and
    checked where their source is one of these, in batches (in a forked process)."""
    try:
        read: dict[str, Source] = {}
        folded: dict[str, Folded] = {}
        batch: list[object] = []
        for number, (path, shown) in enumerate(sources, 1):
            source, found = parse_source(path.read_bytes(), shown, path.stem)
            quoted = None
            if source is not None:
                read[source.id] = source
                folded[source.id] = Folded.of(source.body)
                quoted = folded[source.id].quotations
            batch.append((source, found, quoted))
            if number % _BATCH == 0 or number == len(sources):
                connection.send(("sources", batch))
                batch = []
        for number, (path, shown) in enumerate(annotations, 1):
            parsed = parse_annotation_file(path.read_bytes(), shown, path.stem)
            checked = check_file(parsed, read, speakers, claim_types, folded)
            batch.append((parsed.problems, checked or parsed))
            if number % _BATCH == 0 or number == len(annotations):
                connection.send(("files", batch))
                batch = []
        connection.send(("done", None))
    except BaseException:  # the reading process reports it (files never raise: this is a bug)
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


def _read_annotations(
    paths: list[Path],
    first: int,
    total: int,
    step: int,
    cache: LoadCache,
    show: Callable[[Path], str],
    progress: Callable[[int, int], None] | None,
    problems: list[Problem],
    files: list[AnnotationFile | Checked],
    check: Callable[[AnnotationFile], AnnotationFile | Checked] = lambda parsed: parsed,
) -> None:
    for done, path in enumerate(paths, first):
        if progress and (done % step == 0 or done == total):
            progress(done, total)
        parsed = cache.get(path, partial(parse_annotation_file, path=show(path), stem=path.stem))
        problems.extend(parsed.problems)
        files.append(check(parsed))


def _prefix(folder: Path, root: Path) -> str | None:
    """What :func:`show` puts before the name of a file in ``folder`` that is not a link, or
    ``None`` when the folder resolves outside ``root``."""
    resolved = folder.resolve()
    if not resolved.is_relative_to(root):
        return None
    relative = resolved.relative_to(root).as_posix()
    return "" if relative == "." else relative + "/"


def _listing(
    folder: Path, suffix: str, show: Callable[[Path], str], problems: list[Problem], plain: set[Path]
) -> list[Path]:
    """The ``suffix`` files of ``folder``, sorted, with a warning for each near miss; those that are
    not symbolic links are added to ``plain``. The directory entries say which files are links, so
    listing 10,000 files takes no system call per file."""
    if not folder.is_dir():
        problems.append(
            Problem(
                show(folder),
                1,
                1,
                Level.ERROR,
                "missing-folder",
                f"the folder {show(folder)}/ does not exist",
            )
        )
        return []
    found = []
    with os.scandir(folder) as entries:
        listed = sorted(entries, key=lambda entry: entry.name)
    for entry in listed:
        if entry.name.startswith(".") or not entry.is_file():
            continue
        path = folder / entry.name
        if path.suffix == suffix:
            found.append(path)
            if not entry.is_symlink():
                plain.add(path)
        elif _NEAR_MISSES.get(path.suffix.lower()) == suffix or path.suffix.lower() == suffix:
            problems.append(
                Problem(
                    show(path),
                    1,
                    1,
                    Level.WARNING,
                    "ignored-file",
                    f"this file is ignored: only `*{suffix}` files are read here; rename it to "
                    f"{path.stem}{suffix}",
                )
            )
    return found


def _registry(
    path: Path,
    parse: Callable[[bytes, str], Registry[E]],
    cache: LoadCache,
    show: Callable[[Path], str],
    problems: list[Problem],
) -> Mapping[str, E] | None:
    if not path.parent.is_dir():
        return None
    if not path.is_file():
        problems.append(
            Problem.at(
                Pos(show(path)),
                Level.ERROR,
                "missing-registry",
                f"the registry {show(path)} is missing; create it (see the contributing guide)",
            )
        )
        return None
    registry = cache.get(path, lambda data: parse(data, show(path)))
    problems.extend(registry.problems)
    return registry.entries
