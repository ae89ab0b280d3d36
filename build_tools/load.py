"""Load the whole archive from disk: parse every file (cached), then resolve and validate."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
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
from build_tools.problems import Level, Problem
from build_tools.validate import resolve

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from build_tools.anchor import Folded

SPEAKERS = "speakers.yaml"
CLAIM_TYPES = "claim_types.yaml"
_NEAR_MISSES = {".markdown": ".md", ".txt": ".md", ".yml": ".yaml"}

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
) -> Loaded:
    """Read, anchor and validate the archive; never raises for anything in the files.

    ``progress(done, total)`` is called as files are read, for a progress display.
    """
    root = (root or Path.cwd()).resolve()
    cache = cache if cache is not None else LoadCache()
    problems: list[Problem] = []

    def show(path: Path) -> str:
        resolved = path.resolve()
        return (resolved.relative_to(root) if resolved.is_relative_to(root) else path).as_posix()

    source_paths = _listing(sources_dir, ".md", show, problems)
    annotation_paths = [
        p for p in _listing(annotations_dir, ".yaml", show, problems) if p.name not in (SPEAKERS, CLAIM_TYPES)
    ]
    total = len(source_paths) + len(annotation_paths)
    step = max(1, total // 100)
    sources: dict[str, Source] = {}
    for done, path in enumerate(source_paths, 1):
        if progress and done % step == 0:
            progress(done, total)
        source, found = cache.get(path, partial(parse_source, path=show(path), stem=path.stem))
        problems.extend(found)
        if source is not None:
            sources[source.id] = source
    files: list[AnnotationFile] = []
    for done, path in enumerate(annotation_paths, len(source_paths) + 1):
        if progress and (done % step == 0 or done == total):
            progress(done, total)
        parsed = cache.get(path, partial(parse_annotation_file, path=show(path), stem=path.stem))
        problems.extend(parsed.problems)
        files.append(parsed)
    speakers = _registry(annotations_dir / SPEAKERS, parse_speakers, cache, show, problems)
    claim_types = _registry(annotations_dir / CLAIM_TYPES, parse_claim_types, cache, show, problems)
    folded = {sid: f for sid, (src, f) in cache.folded.items() if sources.get(sid) is src}
    archive, found = resolve(sources, files, speakers, claim_types, folded)
    cache.folded = {sid: (sources[sid], f) for sid, f in folded.items()}
    problems.extend(found)
    count = len(source_paths) + len(annotation_paths) + (speakers is not None) + (claim_types is not None)
    return Loaded(archive, sorted(problems), count)


def _listing(folder: Path, suffix: str, show: Callable[[Path], str], problems: list[Problem]) -> list[Path]:
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
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix == suffix:
            found.append(path)
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
