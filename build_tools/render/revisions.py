"""A card's history: "Added 12 March 2027 · changed twice, last 4 April 2027", opening onto the
commits that added and changed the statement (and the corrections to its article's text and its
claim type's definition since it was added)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from build_tools.render.html import esc, outside_link, plural, show_date

if TYPE_CHECKING:
    from build_tools.exports.links import Site
    from build_tools.history import Event
    from build_tools.model import Annotation
    from build_tools.render.context import Context

TIMES = {1: "once", 2: "twice"}


def card_history(ctx: Context, annotation: Annotation) -> list[str]:
    """The card's history section (none when the build has no history of the statement)."""
    history = ctx.archive.history
    events = history.of(annotation.id) if history is not None else ()
    if history is None or not events:
        return []
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
    items = "".join(f"<li>{change_item(ctx.site, event)}</li>" for event in ordered)
    return [
        f'<details class="archive-card__history" data-pagefind-ignore><summary>{line}</summary>'
        f"<ol>{items}</ol></details>"
    ]


KIND_LABELS = {"statement": "", "source": "Article: ", "speaker": "Speaker: ", "claim_type": "Claim type: "}


def badge(event: Event) -> str:
    """What kind of change ``event`` is, marked: an addition, a correction or another update."""
    if event.action == "added":
        kind, word = "added", "Added"
    elif event.correction:
        kind, word = "correction", "Correction"
    else:
        kind, word = "update", "Update"
    return f'<span class="archive-change archive-change--{kind}">{KIND_LABELS[event.kind]}{word}</span>'


def change_item(site: Site, event: Event) -> str:
    """One event: its date, its kind, what changed, and the commit's subject (linked to the commit
    where the repository's address is known)."""
    what = "; ".join(esc(line) for line in event.describe())
    note = outside_link(site.commit(event.commit.sha), event.commit.subject, class_="archive-commit")
    return (
        f'<time datetime="{event.date}">{show_date(event.date)}</time> {badge(event)}'
        f"{f' {what}' if what else ''} — <q>{note}</q>"
    )
