"""The dev server's rebuilds: after an edit, redo only what the edit can change.

- Source pages, a speaker's or a claim type's pages and the claims data of a filter value are made
  again only when :func:`~build_tools.render.changes` says the edit can change them; the others
  keep the previous build's text (rendering is deterministic). The indexes, the claims table's pages
  and the search page are made again, each item from kept pieces (:class:`~build_tools.render.Fragments`).
- With ``dirty`` (``mkdocs serve --dirty``), a generated file whose content is byte for byte what
  the previous successful build wrote is marked :attr:`~build_tools.generated.File.unchanged`, so
  the engine neither renders nor writes it again. Pages of the navigation are always read again
  (unread, they would have no title in it).

Every file is made when the rebuild starts (a file's digest needs its content); a page's body is
held compressed until the engine asks for it.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2.bccache

from build_tools import anchor
from build_tools.generated import File
from build_tools.render import INDEX_PAGES, Fragments, changes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from build_tools.generated import Settings
    from build_tools.model import Archive
    from build_tools.problems import Problem
    from build_tools.render import Changes, Planned

    StartResponse = Callable[..., Callable[[bytes], object]]
    WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

SHOWN = 50
"""How many problems the overlay lists."""


def _digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=16).digest()


@dataclass(frozen=True, slots=True)
class _Made:
    """A generated file made by a rebuild: a page's front matter and compressed body, or another
    file's content (``front`` is ``None``), and the digest of the whole."""

    front: str | None
    data: bytes
    digest: bytes

    @classmethod
    def of(cls, planned: Planned) -> _Made:
        made = planned.make().encode()
        if planned.front is None:
            return cls(None, made, _digest(made))
        return cls(planned.front, zlib.compress(made, 1), _digest(planned.front.encode() + made))


class Rebuilds:
    """The generated files of the dev server's builds, each reusing what the last one made."""

    def __init__(self, *, dirty: bool) -> None:
        self.dirty = dirty
        self._fragments = Fragments()
        self._rendered: tuple[Archive, Settings] | None = None
        """The archive and settings of the files in ``_made``."""
        self._made: dict[str, _Made] = {}
        self._written: dict[str, bytes] = {}
        """Each file's digest as the last successful build wrote it."""
        self._pending: dict[str, bytes] = {}

    def files(self, archive: Archive, settings: Settings) -> list[File]:
        """Every generated file of ``archive``, those the edit cannot have changed as last made."""
        since = self._changes(archive, settings)
        kept = self._made if since is not None else {}
        written = self._written if self._rendered is not None and self._rendered[1] == settings else {}
        self._rendered, self._made = (archive, settings), {}
        files = []
        for planned in settings.plan(archive, self._fragments, since):
            old = kept.get(planned.uri) if planned.unchanged else None
            made = old if old is not None and old.front == planned.front else _Made.of(planned)
            self._made[planned.uri] = made
            same = written.get(planned.uri) == made.digest
            unchanged = self.dirty and planned.uri not in INDEX_PAGES and same
            content = b"" if made.front is not None else made.data
            files.append(File(planned.uri, made.front, content, unchanged=unchanged))
        self._pending = {uri: made.digest for uri, made in self._made.items()}
        return files

    def _changes(self, archive: Archive, settings: Settings) -> Changes | None:
        """What may have changed since the files last made (``None``: anything may have); forget
        the kept pieces that may be wrong."""
        rendered = self._rendered
        since = changes(rendered[0], archive) if rendered is not None and rendered[1] == settings else None
        if since is None or rendered is None:
            self._fragments.clear()
            return None
        for kept in (rendered[0], archive):
            self._fragments.forget(a.id for a in kept.annotations.values() if a.source in since.sources)
        return since

    def body(self, uri: str) -> str | None:
        """The body of the generated page ``uri`` (``None``: not one)."""
        made = self._made.get(uri)
        if made is None or made.front is None:
            return None
        return zlib.decompress(made.data).decode()

    def done(self, *, succeeded: bool) -> None:
        """The build ended: what it wrote is what the next one compares with (nothing, when it
        failed after writing some files)."""
        self._written = self._pending if succeeded else {}
        self._pending = {}


def remove_stale(before: set[str], now: set[str], site: Path) -> None:
    """Remove from the ``site`` folder the files at ``before`` that are not ``now`` (a deleted
    article's page, the last page of a listing grown shorter), and the folders that leaves empty:
    a dirty rebuild does not empty the site first."""
    for path in map(Path, sorted(before - now)):
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == site or not folder.is_relative_to(site):
                break
            if not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()


class CompiledTemplates(jinja2.BytecodeCache):
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


def problems_report(problems: Sequence[Problem], *, stale: bool, failure: str | None = None) -> str:
    """The JSON the dev server's overlay reads: a title, the errors and warnings as
    ``path:line:col: level: message [code]`` lines (the first :data:`SHOWN`), and how many more.
    ``stale`` says whether the site shows the archive as it was before the errors; ``failure`` is
    the message of a build that failed for another reason."""
    shown = [str(p) for p in problems if p.level.value != "notice"]
    if failure is not None:
        shown.insert(0, failure)
    errors = sum(p.level.value == "error" for p in problems) + (failure is not None)
    if not shown:
        title = ""
    elif errors:
        keeps = "the site shows the archive as it was before them" if stale else "the site leaves them out"
        title = f"{errors} error{'s' if errors != 1 else ''} in the archive: {keeps}."
    else:
        title = f"{len(shown)} warning{'s' if len(shown) != 1 else ''} in the archive."
    more = f"and {len(shown) - SHOWN} more: `archive validate` lists them all." if len(shown) > SHOWN else ""
    return json.dumps({"title": title, "problems": shown[:SHOWN], "more": more}, ensure_ascii=False)


class Overlay:
    """The dev server's overlay: a WSGI middleware in front of the server's own app that adds a
    script to every HTML page it serves, and answers that script's requests for the problems of
    the last build. The site's files are left as a build makes them; the published site never
    has it."""

    ASSETS = Path(__file__).parent / "assets"
    SCRIPTS = ("serve.js", "annotate.js")
    """The overlay's script, and "Copy as annotation" on article pages."""
    FOLDER = "_archive/"
    """Where under the server's mount path the overlay's script and report are served."""

    def __init__(self, app: WSGIApp, mount_path: str) -> None:
        self.app = app
        self.base = mount_path.rstrip("/") + "/" + self.FOLDER
        self.report = problems_report([], stale=False)
        """What the overlay shows now (:func:`problems_report`)."""
        self.article: Callable[[str], dict[str, object] | None] = lambda source_id: None
        """What "Copy as annotation" needs of an article (:func:`article_info`), by source id."""
        self._tag = "".join(f'<script src="{self.base}{name}"></script>' for name in self.SCRIPTS).encode()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == self.base + "problems.json":
            return _answer(start_response, "application/json", self.report.encode())
        if path.startswith(self.base):
            return self._own(path[len(self.base) :], start_response)
        held: list[Any] = []

        def hold(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            held[:] = [status, headers, exc_info]
            return lambda data: None

        body = self.app(environ, hold)
        status, headers, exc_info = held
        kind = next((value for name, value in headers if name.lower() == "content-type"), "")
        if not (status.startswith("200") and kind.startswith("text/html")):
            start_response(status, headers, exc_info)
            return body
        try:
            content = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        end = content.rfind(b"</body>")
        content = content[:end] + self._tag + content[end:] if end >= 0 else content + self._tag
        headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(content)))], exc_info)
        return [content]

    def _own(self, name: str, start_response: StartResponse) -> Iterable[bytes]:
        if name in self.SCRIPTS:
            return _answer(start_response, "application/javascript", (self.ASSETS / name).read_bytes())
        if name.startswith("article/") and name.endswith(".json"):
            info = self.article(name[len("article/") : -len(".json")])
            if info is not None:
                return _answer(
                    start_response, "application/json", json.dumps(info, ensure_ascii=False).encode()
                )
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found"]


def article_info(archive: Archive, source_id: str, annotations: str) -> dict[str, object] | None:
    """What "Copy as annotation" needs of the article ``source_id``: the annotation file to paste
    into (``annotations`` is the folder as the contributor sees it), the speakers of its
    statements and of the registry, and the folding rules of quotes (:func:`anchor.folding`)."""
    if source_id not in archive.sources:
        return None
    used = sorted({s for a in archive.annotations.values() if a.source == source_id for s in a.speakers})
    return {
        "source": source_id,
        "file": f"{annotations.rstrip('/')}/{source_id}.yaml",
        "speakers": used,
        "registry": sorted(archive.speakers),
        "folding": anchor.folding(),
    }


def _answer(start_response: StartResponse, kind: str, content: bytes) -> list[bytes]:
    start_response(
        "200 OK",
        [
            ("Content-Type", f"{kind}; charset=utf-8"),
            ("Content-Length", str(len(content))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [content]
