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
_HEADLINE_WITH_STOP = 100
"""A first line ending in a full stop is a headline only up to this length: longer, it is a lede."""
_ID_WORDS = 8


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
    if _headline(head) and rest.strip():
        found["title"] = head.strip()
        text = rest.lstrip("\n")
    if not text.strip():
        raise ArticleError("the file has no article text")
    return Imported(text, **found)


def _headline(paragraph: str) -> bool:
    """Whether the first paragraph reads as a headline: one short line, not a sentence of the text.
    A headline may end in one full stop; a short first line with one sentence in it is taken for one."""
    line = paragraph.strip()
    if "\n" in line or not 0 < len(line) <= _TITLE_MAX:
        return False
    if line.endswith(".") and not line.endswith(".."):
        return len(line) <= _HEADLINE_WITH_STOP and ". " not in line
    return not line.endswith(("!", "?", '"', "\u201d", ":", ",", "."))


def source_id(imported: Imported) -> str:
    """An id from the date, outlet and headline (whole words, within the length allowed); without a
    headline, from the text's first words."""
    lead = imported.title or " ".join(imported.text.split()[:_ID_WORDS])
    words = " ".join(p for p in (imported.date, imported.outlet, lead) if p).split()
    kept: list[str] = []
    for word in words:  # whole words, as many as fit
        if len(slug(" ".join([*kept, word]))) >= ID_MAX:
            break
        kept.append(word)
    return slug(" ".join(kept)) or slug(" ".join(words)) or "article"


def import_article(
    path: Path, sources_dir: Path, new_id: str | None = None, *, keep_clear: tuple[Path, ...] = ()
) -> tuple[Path, Imported]:
    """Write ``sources/<id>.md`` from the raw text at ``path``. Refuses to overwrite it, or to write
    at all when ``<folder>/<id>.yaml`` exists for a folder of ``keep_clear``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read {path}: {exc.strerror}") from exc
    imported = read_article(data)
    chosen = new_id or source_id(imported)
    error = id_error(chosen)
    if error:
        raise ArticleError(f"{error}; pass a valid one with --id")
    target = sources_dir / f"{chosen}.md"
    for taken in (target, *(folder / f"{chosen}.yaml" for folder in keep_clear)):
        if taken.exists():
            raise ArticleError(f"{taken} already exists; nothing was written (choose another --id)")
    sources_dir.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as out:
        out.write(imported.front_matter() + imported.text)
    return target, imported
