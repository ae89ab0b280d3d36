"""Rules for single values: ids, partial dates, URLs, and "did you mean" suggestions."""

from __future__ import annotations

import calendar
import difflib
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterable

ID_MAX = 80
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MONTHS = tuple(calendar.month_name)


def slug(text: str) -> str:
    """A valid id made from ``text``: lower case, runs of anything else turned into one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:ID_MAX].rstrip("-")


def id_error(value: str, noun: str = "id") -> str | None:
    """Why ``value`` is not a valid id (or tag), with the fix; ``None`` when it is valid."""
    if len(value) <= ID_MAX and _ID.fullmatch(value):
        return None
    if not value:
        return f"an {noun} cannot be empty"
    rule = f"{noun}s use lower-case letters a-z, digits and hyphens, and start with a letter or digit"
    suggestion = slug(value)
    hint = f"; try `{suggestion}`" if suggestion and suggestion != value else ""
    if "/" in value or "\\" in value:
        return f"{noun} `{value}` contains a path separator: {rule}{hint}"
    if ".." in value:
        return f"{noun} `{value}` contains `..`: {rule}{hint}"
    if len(value) > ID_MAX:
        return f"{noun} `{value[:40]}...` is {len(value)} characters long; the limit is {ID_MAX}"
    if any(c.isspace() for c in value):
        return f"{noun} `{value}` contains white space: {rule}{hint}"
    if value != value.lower():
        return f"{noun} `{value}` has upper-case letters: {rule}{hint}"
    return f"{noun} `{value}` is not valid: {rule}{hint}"


def date_error(value: str) -> str | None:
    """Why ``value`` is not a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date that exists."""
    match = _DATE.fullmatch(value)
    if not match:
        return (
            f"date `{value}` is not YYYY, YYYY-MM or YYYY-MM-DD; give only the precision you know, "
            "e.g. `2019`, `2019-02` or `2019-02-25`"
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        return f"date `{value}` has no month {month:02d}: months run from 01 to 12"
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"date `{value}` does not exist: {_MONTHS[month]} {year} has {last} days"
    return None


def url_error(value: str) -> str | None:
    """Why ``value`` is not an absolute http(s) URL."""
    if any(c.isspace() or ord(c) < 32 for c in value):
        return f"URL `{value}` contains white space or control characters; encode spaces as %20"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"URL `{value}` cannot be parsed"
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f"`{parts.scheme}:`" if parts.scheme else "no scheme"
        return f"URL `{value}` has {scheme}; only http:// and https:// addresses are allowed"
    if not parts.netloc:
        return f"URL `{value}` has no host; write the full address, e.g. https://example.org/page"
    return None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean `x`?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""
