"""Load the whole archive from disk: parse every file (cached), then check and resolve it."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from build_tools import forking
from build_tools.model import Archive, ClaimType, Pos, Source, Speaker
from build_tools.parse import (
    AnnotationFile,
    Registry,
    parse_annotation_file,
    parse_claim_types,
    parse_source,
    parse_speakers,
)
from build_tools.problems import Problem
from build_tools.validate import Checked, Unread, check_file, resolve, unreadable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from build_tools.anchor import Folded

SPEAKERS = "speakers.yaml"
CLAIM_TYPES = "claim_types.yaml"
_NEAR_MISSES = {".markdown": ".md", ".txt": ".md", ".yml": ".yaml"}

T = TypeVar("T")
E = TypeVar("E", Speaker, ClaimType)
R = TypeVar("R")


@dataclass
class LoadCache:
    """Parsed files kept between loads (``mkdocs serve`` rebuilds): a file whose size and
    modification time are unchanged is not read or parsed again, a source whose text is
    unchanged is not folded again, and an annotation file is not checked again while it, its
    source and the registries are the same objects as when it was."""

    parsed: dict[Path, tuple[tuple[int, int], object]] = field(default_factory=dict)
    folded: dict[str, tuple[Source, Folded]] = field(default_factory=dict)
    checked: dict[str, tuple[tuple[object, ...], Checked]] = field(default_factory=dict)

    def get(self, path: Path, parse: Callable[[bytes], T]) -> T:
        stamp = _stamp(path)
        hit = self.parsed.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]  # type: ignore[return-value]
        value = parse(path.read_bytes())
        self.parsed[path] = (stamp, value)
        return value


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


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
    statements: bool = True,
) -> Loaded:
    """Read, anchor and validate the archive; never raises for anything in the files.

    ``progress(done, total)`` is called as files are read, for a progress display. With
    ``parallel``, the files not in ``cache`` are read by pools of processes: the sources
    (:func:`parse_files`), then the annotation files, each checked against its source in the
    process that read it (:func:`check_files`); the rest happens in this process. A ``cache``
    keeps what was read for the next load; without one, a pool's processes send back only what
    checking found.

    The cyclic garbage collector is paused meanwhile: reading makes millions of objects and no
    reference cycles, and each collection would walk all of them for nothing. With ``freeze``,
    every object there is when it ends is left out of its walks (``gc.freeze``), for a caller that
    keeps the archive until it ends or unfreezes.

    Without ``statements`` (and without a ``cache``), only the problems are wanted (``archive
    validate``): the archive has the sources and the registries but no annotations, which a pool's
    processes then need not send.
    """
    with _collector_paused(freeze=freeze):
        kept = cache is not None
        checker = _Checker({}, None, None, {}, keep=kept, statements=statements or kept)
        return _load(sources_dir, annotations_dir, root, cache or LoadCache(), progress, parallel, checker)


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
    cache: LoadCache,
    progress: Callable[[int, int], None] | None,
    parallel: bool,
    checker: _Checker,
) -> Loaded:
    problems: list[Problem] = []
    show = _Shown((root or Path.cwd()).resolve(), (sources_dir, annotations_dir))
    source_paths = _listing(sources_dir, ".md", show, problems)
    annotation_paths = [
        p for p in _listing(annotations_dir, ".yaml", show, problems) if p.name not in (SPEAKERS, CLAIM_TYPES)
    ]
    speakers = _registry(annotations_dir / SPEAKERS, parse_speakers, cache, show, problems)
    claim_types = _registry(annotations_dir / CLAIM_TYPES, parse_claim_types, cache, show, problems)
    ticks = _Ticks(progress, len(source_paths) + len(annotation_paths))
    sources: dict[str, Source] = {}
    unread = Unread()
    read_sources = parse_files([(p, show(p)) for p in source_paths], cache, ticks, parallel=parallel)
    for path, (source, reading) in zip(source_paths, read_sources, strict=True):
        problems.extend(reading)
        if source is not None:
            sources[source.id] = source
        elif unreadable(reading):
            unread.sources.add(path.stem)
    folded = {sid: f for sid, (src, f) in cache.folded.items() if sources.get(sid) is src}
    checker = replace(checker, sources=sources, speakers=speakers, claim_types=claim_types, folded=folded)
    files = [(p, show(p)) for p in annotation_paths]
    checked = []
    for path, (done, read) in zip(
        annotation_paths, check_files(files, checker, cache, ticks, parallel=parallel), strict=True
    ):
        problems.extend(read)
        checked.append(done)
        if not done.entries and unreadable(read):
            unread.add_annotation_file(path.read_text(encoding="utf-8", errors="replace"), path.stem)
    archive, found = resolve(sources, checked, speakers, claim_types, folded, unread)
    cache.folded = {sid: (sources[sid], f) for sid, f in folded.items()}
    problems.extend(found)
    count = len(source_paths) + len(annotation_paths) + (speakers is not None) + (claim_types is not None)
    return Loaded(archive, sorted(problems), count)


class _Ticks:
    """Progress over both kinds of files: ``progress(done, total)`` about a hundred times in all."""

    def __init__(self, progress: Callable[[int, int], None] | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        self.step = max(1, total // 100)

    def __call__(self) -> None:
        self.done += 1
        if self.progress and (self.done % self.step == 0 or self.done == self.total):
            self.progress(self.done, self.total)


@dataclass
class _Checker:
    """What checking an annotation file needs besides the file: the sources, the registries, and
    the sources folded so far (:func:`~build_tools.validate.check_file` adds to them)."""

    sources: Mapping[str, Source]
    speakers: Mapping[str, Speaker] | None
    claim_types: Mapping[str, ClaimType] | None
    folded: dict[str, Folded]
    keep: bool = True
    """Whether a pool's processes send back each file read (for a cache kept after the load)."""
    statements: bool = True
    """Whether the annotations made are wanted, or only the problems."""


def check_files(
    files: list[tuple[Path, str]],
    checker: _Checker,
    cache: LoadCache,
    ticks: Callable[[], None] = lambda: None,
    *,
    parallel: bool = False,
) -> list[tuple[Checked, tuple[Problem, ...]]]:
    """Each annotation file read and checked (named as shown), in order, with what reading it
    found. A file whose size and modification time are those ``cache`` holds is not read again,
    and not checked again while it, its source and the registries are the same objects as when
    it was. With ``parallel``, the other files are read and checked by a pool of processes, one
    per core, forked with the ``checker``: each sends back what reading and checking found and,
    when ``checker.keep`` says so, the file read (the sources it folded stay there)."""
    found: dict[Path, tuple[Checked, tuple[Problem, ...]]] = {}
    stale = []
    for file in files:
        path = file[0]
        stamp = _stamp(path)
        hit = cache.parsed.get(path)
        if hit is not None and hit[0] == stamp:
            parsed: AnnotationFile = hit[1]  # type: ignore[assignment]
            found[path] = (_checked(cache, parsed, checker), parsed.problems)
            ticks()
        else:
            stale.append((file, stamp))
    with _mapper(parallel=parallel and len(stale) > 1, context=checker) as mapped:
        results = mapped(_read_and_check, [file for file, _ in stale])
        for (file, stamp), (read, problems, checked) in zip(stale, results, strict=True):
            if read is not None:
                cache.parsed[file[0]] = (stamp, read)
                cache.checked[read.path] = (_key(read, checker), checked)
            found[file[0]] = (checked, problems)
            ticks()
    kept = cache.checked
    cache.checked = {c.path: kept[c.path] for c, _ in found.values() if c.path in kept}
    return [found[path] for path, _ in files]


def _key(file: AnnotationFile, checker: _Checker) -> tuple[object, ...]:
    """What checking ``file`` depends on, compared by identity: the file, its source, the registries."""
    source = checker.sources.get(file.source) if file.source else None
    return (file, source, checker.speakers, checker.claim_types)


def _checked(cache: LoadCache, file: AnnotationFile, checker: _Checker) -> Checked:
    """``file`` checked, or as it was when the same file, source and registries were checked
    before. A file whose source is missing is checked again each time: its message names the
    sources there are."""
    key = _key(file, checker)
    hit = cache.checked.get(file.path)
    if key[1] is not None and hit is not None and all(a is b for a, b in zip(hit[0], key, strict=True)):
        return hit[1]
    checked = check_file(file, checker.sources, checker.speakers, checker.claim_types, checker.folded)
    cache.checked[file.path] = (key, checked)
    return checked


def parse_files(
    files: list[tuple[Path, str]],
    cache: LoadCache,
    ticks: Callable[[], None] = lambda: None,
    *,
    parallel: bool = False,
) -> list[tuple[Source | None, list[Problem]]]:
    """Each source file parsed, named as shown, in order: taken from ``cache`` where it is current,
    else read and kept there. With ``parallel``, the files are parsed by a pool of processes, one
    per core."""
    stamps = {path: _stamp(path) for path, _ in files}
    stale = [
        file for file in files if (hit := cache.parsed.get(file[0])) is None or hit[0] != stamps[file[0]]
    ]
    for _ in range(len(files) - len(stale)):
        ticks()
    with _mapper(parallel=parallel and len(stale) > 1) as mapped:
        for file, value in zip(stale, mapped(_parse_source, stale), strict=True):
            cache.parsed[file[0]] = (stamps[file[0]], value)
            ticks()
    return [cache.parsed[path][1] for path, _ in files]  # type: ignore[misc]


@contextlib.contextmanager
def _mapper(
    *, parallel: bool, context: object = None
) -> Iterator[Callable[[Callable[[Any, T], R], list[T]], Iterator[R]]]:
    """``map`` of ``function(context, item)``, or with ``parallel`` that of a pool of forked
    processes, one per core (:class:`~build_tools.forking.Forked`); a process running other
    threads (a dev server) works here instead, as a forked copy of it may hang."""
    if not parallel or forking.cores() < 2 or not forking.can_fork():
        yield lambda function, items: map(functools.partial(function, context), items)
        return
    pool = forking.Forked(context, forking.cores())
    try:
        yield pool.map
    finally:
        pool.close()


def _parse_source(_: object, file: tuple[Path, str]) -> tuple[Source | None, list[Problem]]:
    path, shown = file
    return parse_source(path.read_bytes(), shown, path.stem)


def _read_and_check(
    checker: _Checker, file: tuple[Path, str]
) -> tuple[AnnotationFile | None, tuple[Problem, ...], Checked]:
    """The annotation file read (unless ``checker.keep`` is false), what reading it found, and
    what checking it found."""
    path, shown = file
    read = parse_annotation_file(path.read_bytes(), shown, path.stem)
    checked = check_file(read, checker.sources, checker.speakers, checker.claim_types, checker.folded)
    if not checker.statements:
        checked = checked.without_annotations()
    return read if checker.keep else None, read.problems, checked


class _Shown:
    """A path as problems show it: relative to the root where it resolves within it. A listed
    file that is not a link resolves within its resolved folder, which saves resolving each."""

    def __init__(self, root: Path, folders: tuple[Path, ...]) -> None:
        self.root = root
        self.prefixes = {folder: _prefix(folder, root) for folder in folders}
        self.plain: set[Path] = set()

    def __call__(self, path: Path) -> str:
        prefix = self.prefixes.get(path.parent)
        if prefix is not None and path in self.plain:
            return prefix + path.name
        resolved = path.resolve()
        return (resolved.relative_to(self.root) if resolved.is_relative_to(self.root) else path).as_posix()


def _prefix(folder: Path, root: Path) -> str | None:
    """What :func:`show` puts before the name of a file in ``folder`` that is not a link, or
    ``None`` when the folder resolves outside ``root``."""
    resolved = folder.resolve()
    if not resolved.is_relative_to(root):
        return None
    relative = resolved.relative_to(root).as_posix()
    return "" if relative == "." else relative + "/"


def _listing(folder: Path, suffix: str, show: _Shown, problems: list[Problem]) -> list[Path]:
    """The ``suffix`` files of ``folder``, sorted, with a warning for each near miss; those that are
    not symbolic links are added to ``show.plain``. The directory entries say which files are links, so
    listing 10,000 files takes no system call per file."""
    if not folder.is_dir():
        problems.append(
            Problem.at(
                Pos(show(folder), 1, 1),
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
                show.plain.add(path)
        elif _NEAR_MISSES.get(path.suffix.lower()) == suffix or path.suffix.lower() == suffix:
            problems.append(
                Problem.at(
                    Pos(show(path), 1, 1),
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
                "missing-registry",
                f"the registry {show(path)} is missing; create it (see the contributing guide)",
            )
        )
        return None
    registry = cache.get(path, lambda data: parse(data, show(path)))
    problems.extend(registry.problems)
    # A registry that could not be read turns off the checks against it, as a missing one does.
    return None if not registry.entries and unreadable(registry.problems) else registry.entries
