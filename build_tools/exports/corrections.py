"""The history in the exports: each statement's events in ``archive.json`` (:func:`events`), its
first and last commit times in the Web Annotation export, and ``changes.atom``, an Atom feed
(RFC 4287) of the commits that changed published statements (:func:`atom`), newest first."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from build_tools.exports.links import Site
    from build_tools.history import Event
    from build_tools.model import Archive

FEED_ENTRIES = 50
"""Commits in the feed at most (the newest): a reader polls it for what is new."""

EVENT_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": "What each commit did to the statement, oldest first (from git)",
    "items": {
        "type": "object",
        "required": ["commit", "time", "action", "correction", "subject"],
        "additionalProperties": False,
        "properties": {
            "commit": {"type": "string"},
            "time": {"type": "string", "format": "date-time"},
            "action": {"enum": ["added", "changed", "removed"]},
            "correction": {"type": "boolean"},
            "subject": {"type": "string"},
            "id": {"type": "string", "description": "The statement's id after the commit, where it differs"},
            "changes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "description"],
                    "additionalProperties": False,
                    "properties": {
                        "field": {"type": "string"},
                        "from": {"type": "string"},
                        "to": {"type": "string"},
                        "description": {"type": "string"},
                    },
                },
            },
        },
    },
}
"""The JSON Schema of a statement's ``history`` in ``archive.json``."""


def _event(event: Event, key: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "commit": event.commit.sha,
        "time": event.timestamp,
        "action": event.action,
        "correction": event.correction,
        "subject": event.commit.subject,
    }
    if event.id != key:
        data["id"] = event.id
    if event.changes:
        data["changes"] = [
            {
                "field": change.name,
                **({"from": change.old} if change.old else {}),
                **({"to": change.new} if change.new else {}),
                "description": change.describe(),
            }
            for change in event.changes
        ]
    return data


def events(archive: Archive, annotation_id: str) -> list[dict[str, Any]]:
    """The history of one statement as ``archive.json`` gives it (empty: none known)."""
    history = archive.history
    if history is None:
        return []
    return [_event(event, annotation_id) for event in history.of(annotation_id)]


def created_modified(archive: Archive, annotation_id: str) -> dict[str, str]:
    """The Web Annotation ``created`` and ``modified`` times of one statement (from git)."""
    found = archive.history.of(annotation_id) if archive.history is not None else ()
    if not found:
        return {}
    times = {"created": found[0].timestamp}
    if len(found) > 1:
        times["modified"] = found[-1].timestamp
    return times


def atom(archive: Archive, site: Site) -> str:
    """``changes.atom``: one entry per commit that changed a published statement, newest first."""
    history = archive.history
    log = history.log(archive.annotations) if history is not None else []
    entries: list[str] = []
    for commit, group in groupby(log, key=lambda item: item[1].commit):
        if len(entries) == FEED_ENTRIES:
            break
        entries.append(_entry(site, commit.sha, list(group)))
    updated = log[0][1].timestamp if log else "1970-01-01T00:00:00Z"
    feed = site.export("changes.atom")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <id>{escape(feed)}</id>\n"
        f"  <title>{escape(site.name)}: changes and corrections</title>\n"
        f"  <updated>{updated}</updated>\n"
        f"  <author><name>{escape(site.name)}</name></author>\n"
        f'  <link rel="self" href={quoteattr(feed)}/>\n'
        f'  <link rel="alternate" href={quoteattr(site.changes())}/>\n'
        f"{''.join(entries)}</feed>\n"
    )


def _entry(site: Site, sha: str, items: list[tuple[str, Event]]) -> str:
    first = items[0][1]
    corrections = sum(event.correction for _, event in items)
    lines = [first.commit.body] if first.commit.body else []
    for key, event in items:
        kind = "Correction" if event.correction else event.action.capitalize()
        what = "; ".join(line for line in event.describe())
        lines.append(f"{kind}: {event.kind.replace('_', ' ')} {key}{f': {what}' if what else ''}")
    title = first.commit.subject + (f" ({corrections} corrections)" if corrections > 1 else "")
    return (
        "  <entry>\n"
        f"    <id>{escape(site.changes())}#{sha}</id>\n"
        f"    <title>{escape(title)}</title>\n"
        f"    <updated>{first.timestamp}</updated>\n"
        f'    <link rel="alternate" type="text/html" href={quoteattr(site.commit(sha) or site.changes())}/>\n'
        f'    <content type="text">{escape(chr(10).join(lines))}</content>\n'
        "  </entry>\n"
    )
