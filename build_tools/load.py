"""Load the whole archive from disk: parse every file (cached), then check and resolve it."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

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
_Parsed = tuple[Source | None, list[Problem]] | AnnotationFile
"""What parsing a source or an annotation file gives."""


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
) -> Loaded:
    """Read, anchor and validate the archive; never raises for anything in the files.

    ``progress(done, total)`` is called as files are read, for a progress display. With
    ``parallel``, the files not in ``cache`` are parsed by a pool of processes
    (:func:`parse_files`); everything else happens in this process.

    The cyclic garbage collector is paused meanwhile: reading makes millions of objects and no
    reference cycles, and each collection would walk all of them for nothing. With ``freeze``,
    every object there is when it ends is left out of its walks (``gc.freeze``), for a caller that
    keeps the archive until it ends or unfreezes.
    """
    with _collector_paused(freeze=freeze):
        return _load(sources_dir, annotations_dir, root, cache or LoadCache(), progress, parallel)


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
) -> Loaded:
    problems: list[Problem] = []
    show = _Shown((root or Path.cwd()).resolve(), (sources_dir, annotations_dir))
    source_paths = _listing(sources_dir, ".md", show, problems)
    annotation_paths = [
        p for p in _listing(annotations_dir, ".yaml", show, problems) if p.name not in (SPEAKERS, CLAIM_TYPES)
    ]
    speakers = _registry(annotations_dir / SPEAKERS, parse_speakers, cache, show, problems)
    claim_types = _registry(annotations_dir / CLAIM_TYPES, parse_claim_types, cache, show, problems)
    paths = source_paths + annotation_paths
    parsed = parse_files([(p, show(p)) for p in paths], cache, progress, parallel=parallel)
    sources: dict[str, Source] = {}
    files: list[AnnotationFile] = []
    unread = Unread()
    for path, read in zip(paths, parsed, strict=True):
        if isinstance(read, AnnotationFile):
            problems.extend(read.problems)
            files.append(read)
            if not read.drafts and unreadable(read.problems):
                unread.add_annotation_file(path.read_text(encoding="utf-8", errors="replace"), path.stem)
        else:
            problems.extend(read[1])
            if read[0] is not None:
                sources[read[0].id] = read[0]
            elif unreadable(read[1]):
                unread.sources.add(path.stem)
    folded = {sid: f for sid, (src, f) in cache.folded.items() if sources.get(sid) is src}
    checked = [_check(cache, file, sources, speakers, claim_types, folded) for file in files]
    cache.checked = {file.path: cache.checked[file.path] for file in files if file.path in cache.checked}
    archive, found = resolve(sources, checked, speakers, claim_types, folded, unread)
    cache.folded = {sid: (sources[sid], f) for sid, f in folded.items()}
    problems.extend(found)
    count = len(paths) + (speakers is not None) + (claim_types is not None)
    return Loaded(archive, sorted(problems), count)


def _check(
    cache: LoadCache,
    file: AnnotationFile,
    sources: Mapping[str, Source],
    speakers: Mapping[str, Speaker] | None,
    claim_types: Mapping[str, ClaimType] | None,
    folded: dict[str, Folded],
) -> Checked:
    """``file`` checked (:func:`~build_tools.validate.check_file`), or as it was when the same
    file, source and registries were checked before. A file whose source is missing is checked
    again each time: its message names the sources there are."""
    source = sources.get(file.source) if file.source else None
    key = (file, source, speakers, claim_types)
    hit = cache.checked.get(file.path)
    if source is not None and hit is not None and all(a is b for a, b in zip(hit[0], key, strict=True)):
        return hit[1]
    checked = check_file(file, sources, speakers, claim_types, folded)
    cache.checked[file.path] = (key, checked)
    return checked


def parse_files(
    files: list[tuple[Path, str]],
    cache: LoadCache,
    progress: Callable[[int, int], None] | None = None,
    *,
    parallel: bool = False,
) -> list[_Parsed]:
    """Each file parsed (a source for ``.md``, an annotation file otherwise), named as shown, in
    order: taken from ``cache`` where it is current, else read and kept there. With ``parallel``,
    the files are parsed by a pool of processes, one per core."""
    stamps = {path: _stamp(path) for path, _ in files}
    stale = [
        file for file in files if (hit := cache.parsed.get(file[0])) is None or hit[0] != stamps[file[0]]
    ]
    step = max(1, len(stale) // 100)
    with _mapper(parallel=parallel and len(stale) > 1) as mapped:
        for done, (file, value) in enumerate(zip(stale, mapped(_parse, stale), strict=True), 1):
            cache.parsed[file[0]] = (stamps[file[0]], value)
            if progress and (done % step == 0 or done == len(stale)):
                progress(done, len(stale))
    return [cache.parsed[path][1] for path, _ in files]  # type: ignore[misc]


@contextlib.contextmanager
def _mapper(*, parallel: bool) -> Iterator[Callable[[Callable[[T], _Parsed], list[T]], Iterator[_Parsed]]]:
    """``map``, or with ``parallel`` a process pool's (one forked process per core), in chunks that
    keep each process busy while their results are sent back. The pool's processes are forked, so
    they start at once with everything imported; a process running other threads (a dev server)
    parses here instead, as a forked copy of it may hang."""
    workers = os.cpu_count() or 1
    if not parallel or workers < 2 or not can_fork():
        yield map
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield lambda function, items: pool.map(function, items, chunksize=max(1, len(items) // (8 * workers)))


def _parse(file: tuple[Path, str]) -> _Parsed:
    path, shown = file
    data = path.read_bytes()
    if path.suffix == ".md":
        return parse_source(data, shown, path.stem)
    return parse_annotation_file(data, shown, path.stem)


def can_fork() -> bool:
    """Whether this process may fork (a forked copy of a process running other threads may hang):
    whether :func:`parse_files` may use a pool of processes."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


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
