"""A statement's history on its card and its page: "Added 12 March 2027 · changed twice, last 4
April 2027", then the commits that added and changed the statement (and the corrections to its
article's text and its claim type's definition since it was added)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from build_tools.render.html import esc, outside_link, plural, show_date

if TYPE_CHECKING:
    from build_tools.exports.links import Site
    from build_tools.history import Event, History
    from build_tools.model import Annotation
    from build_tools.render.context import Context

TIMES = {1: "once", 2: "twice"}


def card_history(ctx: Context, annotation: Annotation) -> list[str]:
    """The card's history section (none when the build has no history of the statement)."""
    shown = statement_history(ctx.site, ctx.archive.history, annotation)
    if shown is None:
        return []
    line, items = shown
    return [
        f'<details class="archive-card__history" data-pagefind-ignore><summary>{line}</summary>'
        f"<ol>{items}</ol></details>"
    ]


def statement_history(site: Site, history: History | None, annotation: Annotation) -> tuple[str, str] | None:
    """A statement's history as its card and its page show it: the line that sums it up, and the
    list's items, newest first (the statement's events, and the corrections to its article's text
    and its claim type's definition since it was added); ``None`` when the build has none."""
    events = history.of(annotation.id) if history is not None else ()
    if history is None or not events:
        return None
    first, later = events[0], events[1:]
    line = f"{'Added' if first.action == 'added' else 'Changed'} {show_date(first.date)}"
    if later:
        line += f" · changed {TIMES.get(len(later), f'{len(later)} times')}, last {show_date(later[-1].date)}"
        corrections = sum(event.correction for event in later)
        if corrections:
            line += f" ({plural(corrections, 'correction')})"
    since = first.commit.number
    related = [
        event
        for event in (
            *history.sources.get(annotation.source, ()),
            *history.claim_types.get(annotation.claim_type, ()),
        )
        if event.commit.number > since and event.correction
    ]
    ordered = sorted((*events, *related), key=lambda event: -event.commit.number)
    return line, "".join(f"<li>{change_item(site, event)}</li>" for event in ordered)


KIND_LABELS = {"statement": "", "source": "Article: ", "speaker": "Speaker: ", "claim_type": "Claim type: "}


def badge(event: Event) -> str:
    """What kind of change ``event`` is, marked: an addition, a correction or another update."""
    if event.action == "added":
        kind, word = "added", "Added"
    elif event.correction:
        kind, word = "correction", "Correction"
    else:
        kind, word = "update", "Update"
    tag = "strong" if kind == "correction" else "span"  # stands out on a page without the site's style
    return f'<{tag} class="archive-change archive-change--{kind}">{KIND_LABELS[event.kind]}{word}</{tag}>'


def change_item(site: Site, event: Event) -> str:
    """One event: its date, its kind, what changed, and the commit's subject (linked to the commit
    where the repository's address is known)."""
    what = "; ".join(esc(line) for line in event.describe())
    note = outside_link(site.commit(event.commit.sha), event.commit.subject)
    return (
        f'<time datetime="{event.date}">{show_date(event.date)}</time> {badge(event)}'
        f"{f' {what}' if what else ''} — <q>{note}</q>"
    )
