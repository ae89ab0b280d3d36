"""``/speakers/`` (everyone, with counts) and ``/speakers/<id>/`` (one speaker's statements)."""

from __future__ import annotations

from collections import Counter
from functools import cache, partial
from typing import TYPE_CHECKING

from build_tools.render.context import claim_type_uri, date_key, page_uri, speaker_uri
from build_tools.render.html import esc, link, outside_link, plural, show_date
from build_tools.render.linked_data import script, speaker_data
from build_tools.render.listing import (
    counts_table,
    listing_pages,
    page_count,
    pager,
    paginate,
    statement_item,
    statement_list,
)
from build_tools.render.planned import Planned, page_body
from build_tools.render.search import indexed

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from build_tools.model import Annotation, Role, Speaker
    from build_tools.render.context import Context

INDEX = "speakers/index.md"
KINDS = {"person": "Person", "organization": "Organization", "group": "Group", "unnamed": "Unnamed source"}


def statements_by_speaker(ctx: Context) -> dict[str, list[Annotation]]:
    """Every speaker's statements in date order (speakers without any included)."""
    found: dict[str, list[Annotation]] = {sid: [] for sid in ctx.archive.speakers}
    for annotation in sorted(ctx.archive.annotations.values(), key=lambda a: date_key(ctx, a)):
        for speaker_id in annotation.speakers:
            found.setdefault(speaker_id, []).append(annotation)
    return found


def plan_speakers(ctx: Context) -> Iterator[Planned]:
    """The paginated index and every speaker's (paginated) page.

    Each speaker's statements are gathered and sorted once, when the first of their pages is
    made: planning needs only how many there are.
    """
    speakers = sorted(ctx.archive.speakers.values(), key=lambda s: (s.name.casefold(), s.id))
    counts = Counter(sid for a in ctx.archive.annotations.values() for sid in a.speakers)
    chunks = paginate(speakers, ctx.per_page)
    description = "Everyone whose statements the archive annotates, with how many statements each."
    make_index = partial(_index_page, ctx, chunks, counts)
    yield from listing_pages(INDEX, "Speakers", description, len(chunks), make_index)

    @cache
    def by_speaker() -> dict[str, list[Annotation]]:
        return statements_by_speaker(ctx)

    for speaker in speakers:
        total = page_count(counts[speaker.id], ctx.per_page)
        make = partial(_speaker_page, ctx, speaker, by_speaker)
        unchanged = ctx.since is not None and speaker.id not in ctx.since.speakers
        description = f"Every statement by {speaker.name} in the archive, with what rebuts it."
        base = speaker_uri(speaker.id)
        yield from listing_pages(base, speaker.name, description, total, make, unchanged=unchanged)


def _index_page(ctx: Context, chunks: list[Sequence[Speaker]], counts: Counter[str], number: int) -> str:
    here = page_uri(INDEX, number)
    rows = [
        f"<tr><td>{link(ctx.urls.rel(here, speaker_uri(s.id)), s.name)}"
        f"{_native(s)}</td><td>{esc(KINDS[s.kind])}</td><td>{esc(s.affiliation or '')}</td>"
        f"<td>{counts[s.id]}</td></tr>"
        for s in chunks[number - 1]
    ]
    table = (
        "<table>\n<caption>Speakers, with how many statements of each the archive annotates</caption>\n"
        '<thead><tr><th scope="col">Speaker</th><th scope="col">Kind</th><th scope="col">Affiliation</th>'
        '<th scope="col">Statements</th></tr></thead>\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>"
    )
    speakers = len(ctx.archive.speakers)
    intro = f'<p class="archive-lead">{plural(speakers, "speaker")} in the archive.</p>'
    top, end = pager(ctx, INDEX, number, len(chunks)), pager(ctx, INDEX, number, len(chunks), end=True)
    listing = f'<div class="archive-table archive-table--counted">\n{table}\n</div>'
    return page_body([intro, top, listing, end])


def _speaker_page(
    ctx: Context, speaker: Speaker, by_speaker: Callable[[], dict[str, list[Annotation]]], number: int
) -> str:
    base = speaker_uri(speaker.id)
    statements = by_speaker().get(speaker.id, [])
    chunks = paginate(statements, ctx.per_page)
    here = page_uri(base, number)
    body = (
        [script(speaker_data(ctx, speaker)), *_profile(ctx, speaker, statements)]
        if number == 1
        else [_back(ctx, here, speaker)]
    )
    body.append(f'<h2 class="archive-section">{plural(len(statements), "statement")}</h2>')
    top, end = pager(ctx, base, number, len(chunks)), pager(ctx, base, number, len(chunks), end=True)
    items = [
        statement_item(ctx, here, a, speakers=len(a.speakers) > 1, role_of=speaker.id)
        for a in chunks[number - 1]
    ]
    body += [top, statement_list(items) if items else "", end]
    return page_body(body)


def _profile(ctx: Context, speaker: Speaker, statements: list[Annotation]) -> list[str]:
    """Who the speaker is (indexed for search, see :func:`indexed`), then their claim types."""
    here = speaker_uri(speaker.id)
    facts = [esc(KINDS[speaker.kind])]
    if speaker.native_name:
        facts.append(f'<span class="archive-native">{esc(speaker.native_name)}</span>')
    if speaker.affiliation:
        facts.append(esc(speaker.affiliation))
    about = [f'<p class="archive-byline">{" · ".join(facts)}</p>']
    if speaker.description:
        about.append(f'<p class="archive-description">{esc(speaker.description)}</p>')
    if speaker.roles:
        roles = "".join(f"<li>{_role(r)}</li>" for r in speaker.roles)
        about.append(f'<p class="archive-card__label">Roles</p>\n<ul class="archive-roles">{roles}</ul>')
    if speaker.links:
        links = "".join(f"<li>{outside_link(x.url, x.title)}</li>" for x in speaker.links)
        about.append(f'<p class="archive-card__label">Links</p>\n<ul class="archive-links">{links}</ul>')
    parts = [indexed("Speaker", speaker.name, "\n".join(about))]
    if statements:
        tally: dict[str, int] = {}
        for annotation in statements:
            tally[annotation.claim_type] = tally.get(annotation.claim_type, 0) + 1
        types = sorted(tally, key=lambda t: (-tally[t], ctx.archive.claim_types[t].label.casefold(), t))
        rows = [
            (link(ctx.urls.rel(here, claim_type_uri(t)), ctx.archive.claim_types[t].label), tally[t])
            for t in types
        ]
        caption = f"{speaker.name}'s statements by claim type"
        parts.append(f'<div class="archive-table">\n{counts_table(rows, "Claim type", caption)}\n</div>')
        parts.append(ctx.filter_link(here, "speaker", speaker.id))
    return parts


def _role(role: Role) -> str:
    if role.start and role.end:
        span = f"{show_date(role.start)} to {show_date(role.end)}"
    elif role.start:
        span = f"from {show_date(role.start)}"
    elif role.end:
        span = f"until {show_date(role.end)}"
    else:
        return esc(role.title)
    return f"{esc(role.title)} <span class='archive-when'>({esc(span)})</span>"


def _native(speaker: Speaker) -> str:
    return f' <span class="archive-native">{esc(speaker.native_name)}</span>' if speaker.native_name else ""


def _back(ctx: Context, here: str, speaker: Speaker) -> str:
    return f"<p>{link(ctx.urls.rel(here, speaker_uri(speaker.id)), 'About ' + speaker.name)}</p>"
