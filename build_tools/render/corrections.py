"""``/changes/``: every change to a published statement, newest first, from git, in pages; each
commit's message is its correction note. Planned only when the archive carries a history (a site
engine's build; :func:`~build_tools.render.render_site` alone does not read git)."""

from __future__ import annotations

from functools import partial
from itertools import groupby
from typing import TYPE_CHECKING

from build_tools.render.context import page_uri
from build_tools.render.html import esc, link, outside_link, plural, quoted, shorten, show_date
from build_tools.render.listing import listing_pages, pager, paginate
from build_tools.render.planned import page_body
from build_tools.render.revisions import badge

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from build_tools.history import Event
    from build_tools.render.context import Context
    from build_tools.render.planned import Planned

INDEX = "changes/index.md"
FEED = "changes.atom"
"""The Atom feed of the changes, among the exports (:mod:`build_tools.exports.corrections`)."""
_QUOTE = 160

Item = tuple[str, "Event"]
Entry = list[Item]
"""One line of the log: a change, or the statements one commit added to one article."""


def _entries(items: Sequence[Item]) -> list[Entry]:
    """``items`` (newest commit first) as the log's lines: each commit's additions of statements
    are one line per article, so that importing a thousand articles does not bury the corrections
    under fifteen thousand lines; every other change is a line of its own."""
    entries: list[Entry] = []
    for _, group in groupby(items, key=lambda item: item[1].commit):
        added: dict[str | None, Entry] = {}
        for item in group:
            event = item[1]
            if event.kind != "statement" or event.action != "added":
                entries.append([item])
            elif event.source in added:
                added[event.source].append(item)
            else:
                added[event.source] = [item]
                entries.append(added[event.source])
    return entries


def plan_corrections(ctx: Context) -> Iterator[Planned]:
    """The pages of ``/changes/`` (none when the archive carries no history)."""
    history = ctx.archive.history
    if history is None:
        return
    chunks = paginate(_entries(history.log(ctx.archive.annotations)), ctx.per_page)
    description = "Every change to a published statement, newest first, with each correction's note."
    make = partial(_page, ctx, chunks, known=history.known)
    yield from listing_pages(INDEX, "Changes and corrections", description, len(chunks), make)


def _page(ctx: Context, chunks: Sequence[Sequence[Entry]], number: int, *, known: bool) -> str:
    here = page_uri(INDEX, number)
    feed = ctx.urls.rel(here, f"exports/{FEED}")
    intro = (
        "<p>Every change to a statement the archive publishes, newest first, as the archive's git "
        "repository records it: the commit's message is the note. Corrections (to a statement's "
        "speaker, claim type, quote, attribution or a rebuttal's relation, its removal, and changes "
        "to an article's text or a claim type's definition) are marked apart from additions. "
        f'<a href="{esc(feed)}" type="application/atom+xml">Atom feed</a>.</p>'
    )
    if not known:
        intro += (
            '<p class="archive-history-missing">This build of the site could not read the '
            "repository's history, so no change is listed.</p>"
        )
    entries = chunks[number - 1]
    commits = [
        _commit(ctx, here, list(group)) for _, group in groupby(entries, key=lambda entry: entry[0][1].commit)
    ]
    nav = pager(ctx, INDEX, number, len(chunks))
    return page_body([intro, nav, *commits, nav])


def _commit(ctx: Context, here: str, entries: list[Entry]) -> str:
    """One commit's changes on a page: its date, subject and note, then each change."""
    event = entries[0][0][1]
    commit = event.commit
    address = ctx.site.commit(commit.sha)
    heading = outside_link(address, commit.subject)
    body = "".join(f"<p>{esc(paragraph)}</p>" for paragraph in commit.body.split("\n\n") if paragraph.strip())
    changes = "\n".join(f"<li>{_entry(ctx, here, entry)}</li>" for entry in entries)
    return (
        '<section class="archive-changes">'
        f'<p class="archive-changes__commit"><time datetime="{event.date}">{show_date(event.date)}</time> '
        f"<strong>{heading}</strong> <code>{commit.sha[:10]}</code></p>{body}"
        f"<ul>\n{changes}\n</ul></section>"
    )


def _entry(ctx: Context, here: str, entry: Entry) -> str:
    """A line of the log: one change, or the statements a commit added to an article, listed in a
    disclosure."""
    if len(entry) == 1:
        return _change(ctx, here, *entry[0])
    event = entry[0][1]
    source = ctx.archive.sources.get(event.source or "")
    where = ctx.source_link(here, source) if source is not None else f"<code>{esc(event.source or '')}</code>"
    listed = "".join(f"<li>{_subject(ctx, here, key, added)}</li>" for key, added in entry)
    return (
        f"{badge(event)} {plural(len(entry), 'statement')} in {where}"
        f'<details class="archive-changes__added"><summary>The statements</summary>'
        f"<ul>{listed}</ul></details>"
    )


def _change(ctx: Context, here: str, key: str, event: Event) -> str:
    what = "; ".join(esc(line) for line in event.describe())
    return f"{badge(event)} {_subject(ctx, here, key, event)}{f': {what}' if what else ''}"


def _subject(ctx: Context, here: str, key: str, event: Event) -> str:
    """What changed, linked to its page where the site has it."""
    archive = ctx.archive
    if event.kind == "statement":
        annotation = archive.annotations.get(key)
        words = shorten(event.label, _QUOTE)
        if annotation is None:
            return f"{esc(quoted(words))} (<code>{esc(event.id)}</code>, since removed)"
        return link(ctx.permalink(here, annotation), quoted(words))
    if event.kind == "source" and key in archive.sources:
        return ctx.source_link(here, archive.sources[key])
    if event.kind == "claim_type" and key in archive.claim_types:
        count = sum(1 for a in archive.annotations.values() if a.claim_type == key)
        affected = f"changes how {plural(count, 'statement')} of this type read"
        return f"{ctx.claim_type_link(here, archive.claim_types[key])} ({affected})"
    if event.kind == "speaker" and key in archive.speakers:
        return ctx.speaker_links(here, [key])
    return f"<code>{esc(key)}</code>"
