"""Small, safe HTML building blocks: every piece of contributor text goes through :func:`esc`."""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache
from urllib.parse import urlsplit

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What a browser's URL parser removes before reading the scheme (WHATWG URL standard).
_URL_STRIP = re.compile("[\t\n\r]")
_YAML_ESCAPED = re.compile('["\\\\\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]')
"""What :func:`_yaml_quoted` escapes."""
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
OUTSIDE_REL = "nofollow noopener"
_QUOTE_MARKS = "\"'“”\u2018\u2019„«»「」『』"


def esc(text: str) -> str:
    """Escape ``text`` for HTML text and double-quoted attribute values, as ``html.escape`` does.

    Control characters, which have no place in HTML, become U+FFFD.
    """
    # This runs about a million times per thousand articles, mostly on short text with nothing
    # to escape: two quick scans (no control character is printable) let that text through as is.
    if not text.isprintable():
        text = _CONTROL.sub("\ufffd", text)
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text, quote=True)
    return text


def attrs(**values: str | None) -> str:
    """Render attributes (``class_`` for ``class``, ``data_x`` for ``data-x``), skipping ``None``."""
    return "".join(f' {_attribute(key)}="{esc(value)}"' for key, value in values.items() if value is not None)


@cache
def _attribute(name: str) -> str:
    """The attribute an :func:`attrs` keyword names (a handful of names, converted once each)."""
    return name.rstrip("_").replace("_", "-")


def tooltip(text: str) -> str:
    """The value for a ``title`` attribute (pass it to :func:`attrs`, which escapes it once more).

    Material's tooltips (``content.tooltips``) insert the title into the page as HTML, so the text
    is escaped here first: the tooltip then shows it literally and nothing in it can become markup.
    """
    return html.escape(" ".join(text.split()), quote=False)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) address, else ``None``: nothing else may become a link."""
    if not url:
        return None
    cleaned = _URL_STRIP.sub("", url).strip(_C0_AND_SPACE)
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or "\\" in cleaned:
        return None
    return cleaned


def outside_link(url: str | None, text: str, *, class_: str | None = None) -> str:
    """A link to another site (``rel="nofollow noopener"``), or the escaped text when ``url`` is unsafe."""
    href = safe_url(url)
    if href is None:
        return esc(text)
    return f"<a{attrs(href=href, rel=OUTSIDE_REL, class_=class_)}>{esc(text)}</a>"


def link(href: str, text: str, **extra: str | None) -> str:
    """An internal link; ``href`` is computed by the renderer, ``text`` is escaped."""
    if extra:
        return f"<a{attrs(href=href, **extra)}>{esc(text)}</a>"
    return f'<a href="{esc(href)}">{esc(text)}</a>'


# The dates of an archive are few and each is shown on many pages: both functions below keep
# what they made (a bounded number, for the dev server's long life).
@lru_cache(maxsize=4096)
def show_date(date: str | None) -> str:
    """A partial date (YYYY, YYYY-MM or YYYY-MM-DD) in words, never more precise than given."""
    if not date:
        return "undated"
    parts = date.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return date
    return date


@lru_cache(maxsize=4096)
def time_tag(date: str | None) -> str:
    """A ``<time>`` element for a partial date, or the word "undated"."""
    if not date:
        return '<span class="archive-undated">undated</span>'
    return f"<time{attrs(datetime=date)}>{esc(show_date(date))}</time>"


def shorten(text: str, limit: int) -> str:
    """``text`` with white space collapsed, cut at a word boundary to at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def quoted(text: str) -> str:
    """``text`` in quotation marks, unless it already starts or ends with one."""
    if text[:1] in _QUOTE_MARKS or text[-1:] in _QUOTE_MARKS:
        return text
    return f"“{text}”"


def front_matter(title: str, *, description: str | None = None, hide: tuple[str, ...] = ()) -> str:
    """The YAML front matter of a generated page.

    MkDocs and Material insert ``title`` and ``description`` into templates without escaping, so
    they are stored HTML-escaped, as YAML double-quoted strings.
    """
    lines = ["---", f"title: {_yaml_quoted(esc(' '.join(title.split())))}"]
    if description:
        lines.append(f"description: {_yaml_quoted(esc(' '.join(description.split())))}")
    if hide:
        lines.append(f"hide: [{', '.join(hide)}]")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar; characters YAML does not allow in a document are escaped."""
    if not _YAML_ESCAPED.search(text):
        return f'"{text}"'
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000:
            out.append(char)
        else:
            out.append("\\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}")
    return '"' + "".join(out) + '"'


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 statement"``, ``"2 statements"``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
