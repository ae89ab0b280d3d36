"""``archive import``: turn a raw article text into ``sources/<id>.md`` with front matter.

It reads what the text states (a leading ``date YYYY-MM-DD Outlet, DATELINE`` line, a headline
line) and leaves the rest for the contributor; it never invents a value and never overwrites.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from build_tools.values import ID_MAX, date_error, id_error, slug

if TYPE_CHECKING:
    from pathlib import Path

_METADATA = re.compile(
    r"\s*date\s+(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)\s+(?P<outlet>[^,\n]+?)"
    r"(?:\s*,\s*(?P<dateline>[^\n,]+?))?\s*"
)
_TITLE_MAX = 160


class ArticleError(Exception):
    """A reason the article cannot be imported, worded for the contributor."""


@dataclass(frozen=True)
class Imported:
    """What the importer found; ``text`` is the article body, verbatim."""

    text: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    dateline: str | None = None

    def front_matter(self) -> str:
        """The ``---`` block: what was found, and commented hints for what was not."""
        lines = ["---"]
        if self.title:
            lines.append(f"title: {json.dumps(self.title, ensure_ascii=False)}")
        else:
            lines.append('title: ""  # required: the headline, or [a description in square brackets]')
        for key, value, hint in (
            ("outlet", self.outlet, "the publisher, e.g. Reuters"),
            ("date", self.date, "YYYY, YYYY-MM or YYYY-MM-DD: only the precision the text supports"),
            ("dateline", self.dateline, "the place line, e.g. BEIJING"),
        ):
            lines.append(
                f"{key}: {json.dumps(value, ensure_ascii=False)}" if value else f"# {key}:  # {hint}"
            )
        lines += [
            "# url:  # the original address, if known (never guess one)",
            "# archived_url:  # an archived copy",
            "# author:",
            "language: en",
            "---",
        ]
        return "\n".join(lines) + "\n"


def read_article(data: bytes) -> Imported:
    """Split a raw article into metadata it states and its verbatim text."""
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it "
            "first, e.g. `iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`"
        ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found: dict[str, str | None] = {}
    first, _, rest = text.partition("\n")
    match = _METADATA.fullmatch(first)
    if match and not date_error(match["date"]):
        found = {"date": match["date"], "outlet": match["outlet"], "dateline": match["dateline"]}
        text = rest.lstrip("\n")
    head, _, rest = text.partition("\n\n")
    if "\n" not in head.strip() and 0 < len(head.strip()) <= _TITLE_MAX and not _sentence_end(head) and rest:
        found["title"] = head.strip()
        text = rest.lstrip("\n")
    if not text.strip():
        raise ArticleError("the file has no article text")
    return Imported(text, **found)


def _sentence_end(line: str) -> bool:
    return line.rstrip().endswith((".", "!", "?", '"', "\u201d", ":", ","))


def source_id(imported: Imported, stem: str) -> str:
    """An id from the date, outlet and headline, or from the file name when they are unknown."""
    parts = [imported.date or "", imported.outlet or "", imported.title or ""]
    candidate = slug(" ".join(p for p in parts if p)) if imported.title else slug(stem)
    return candidate[:ID_MAX].rstrip("-") or "article"


def import_article(path: Path, sources_dir: Path, new_id: str | None = None) -> tuple[Path, Imported]:
    """Write ``sources/<id>.md`` from the raw text at ``path``; refuses to overwrite."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read {path}: {exc.strerror}") from exc
    imported = read_article(data)
    chosen = new_id or source_id(imported, path.stem)
    error = id_error(chosen)
    if error:
        raise ArticleError(f"{error}; pass a valid one with --id")
    target = sources_dir / f"{chosen}.md"
    if target.exists():
        raise ArticleError(f"{target} already exists; nothing was written (choose another --id)")
    sources_dir.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as out:
        out.write(imported.front_matter() + imported.text)
    return target, imported
