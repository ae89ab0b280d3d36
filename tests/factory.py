"""Archives built in memory for renderer and site tests (no files, no validation)."""

from __future__ import annotations

from build_tools.model import (
    Annotation,
    Archive,
    ClaimType,
    ExternalRebuttal,
    InternalRebuttal,
    Link,
    Role,
    Source,
    Speaker,
)

SENTENCE = "Officials said the centres were {n} schools, and critics said they were camps."


def synthetic_archive(sources: int, *, speakers: int = 3, per_source: int = 2) -> Archive:
    """``sources`` dated articles, each with ``per_source`` statements and a rebuttal chain."""
    speaker_map = {
        f"speaker-{i}": Speaker(f"speaker-{i}", f"Speaker {i}", roles=(Role("Spokesperson", "2000"),))
        for i in range(speakers)
    }
    types = {
        "euphemism": ClaimType("euphemism", "Euphemism", "A mild word for a harsh thing.", "Wording"),
        "denial": ClaimType("denial", "Denial", "Saying something did not happen.", "Function"),
    }
    source_map: dict[str, Source] = {}
    annotations: dict[str, Annotation] = {}
    previous: str | None = None
    for s in range(sources):
        sid = f"source-{s:03d}"
        body = "\n\n".join(SENTENCE.format(n=f"{s}-{k}") for k in range(per_source))
        source_map[sid] = Source(
            sid,
            f"Article {s}",
            body,
            f"sources/{sid}.md",
            outlet=("Wire A", "Wire B", None)[s % 3],
            date=f"{2000 + s % 7}-{s % 12 + 1:02d}-{s % 28 + 1:02d}",
        )
        offset = 0
        for k in range(per_source):
            sentence = SENTENCE.format(n=f"{s}-{k}")
            aid = f"a-{s:03d}-{k}"
            rebuttals: tuple[InternalRebuttal | ExternalRebuttal, ...] = ()
            if previous:
                rebuttals = (
                    InternalRebuttal(previous),
                    ExternalRebuttal("Report", url="https://example.org/r"),
                )
            annotations[aid] = Annotation(
                aid,
                sid,
                sentence,
                offset,
                offset + len(sentence),
                (f"speaker-{(s + k) % speakers}",),
                ("euphemism", "denial")[k % 2],
                rebuttals=rebuttals,
            )
            previous = aid
            offset += len(sentence) + 2
    return Archive(source_map, annotations, speaker_map, types)


XSS_PAYLOADS = (
    '<script>window.__xss="{f}"</script>',
    '"><img src=x onerror="window.__xss=\'{f}\'">',
    "'><svg onload=window.__xss='{f}'>",
    '</title><script>window.__xss="{f}"</script>',
    "</textarea></script><xss-probe onmouseover=alert('{f}')>",
    '" onfocus="window.__xss=\'{f}\'" autofocus data-x="',
    "<a href=\"javascript:window.__xss='{f}'\">link</a>",
    '[markdown](javascript:window.__xss="{f}")',
    "<iframe srcdoc=\"<script>parent.__xss='{f}'</script>\"></iframe>",
    "<details open ontoggle=\"window.__xss='{f}'\">",
    '&lt;script&gt;window.__xss="{f}"&lt;/script&gt;',
    '--><script>window.__xss="{f}"</script><!--',
    "{{{{ config }}}} *emphasis* `code` \x00\x08\u2028",
)
XSS_URLS = (
    "javascript:window.__xss='{f}'",
    " JaVaScRiPt:window.__xss='{f}'",
    "java\tscript:window.__xss='{f}'",
    "data:text/html,<script>window.__xss='{f}'</script>",
    "https://example.org/\"><script>window.__xss='{f}'</script>",
)


def payload(field: str) -> str:
    """Every XSS payload, each tagged with ``field`` so that a hit names the field that leaked."""
    return " ".join(p.format(f=field) for p in XSS_PAYLOADS)


def xss_url(field: str, index: int) -> str:
    """One of the dangerous URLs, tagged with ``field``."""
    return XSS_URLS[index % len(XSS_URLS)].format(f=field)


def xss_archive() -> Archive:
    """An archive with a payload in every field a contributor can write."""
    quotes = [payload(f"quote{i}") for i in range(3)]
    body = f"{payload('body')}\n\n{quotes[0]} and {quotes[1]}\n\n{quotes[2]}"
    spans = [(body.index(q), body.index(q) + len(q)) for q in quotes]
    spans.append((spans[0][0] + 10, spans[1][1]))
    source = Source(
        "xss",
        payload("title"),
        body,
        "sources/xss.md",
        outlet=payload("outlet"),
        date="2020-01-02",
        date_note=payload("date_note"),
        url=xss_url("url", 0),
        archived_url=xss_url("archived", 3),
        author=payload("author"),
        dateline=payload("dateline"),
        language="en\" onmouseover=\"window.__xss='lang'",
    )
    other = Source(
        "other", "Other", "Plain text.", "sources/other.md", outlet=payload("outlet2"), date="2021"
    )
    speaker = Speaker(
        "evil",
        payload("name"),
        "organization",
        native_name=payload("native"),
        affiliation=payload("affiliation"),
        roles=(Role(payload("role-title"), "2019", payload("role-end")),),
        description=payload("description"),
        links=tuple(Link(xss_url("link", i), payload(f"link-title{i}")) for i in range(len(XSS_URLS))),
    )
    claim_type = ClaimType(
        "evil-type",
        payload("label"),
        payload("definition"),
        payload("category"),
        reference=xss_url("reference", 1),
    )
    plain_type = ClaimType("plain", "Plain", "Plain.", reference=payload("reference-text"))
    rebuttals: tuple[InternalRebuttal | ExternalRebuttal, ...] = (
        InternalRebuttal("xss-2"),
        *(
            ExternalRebuttal(
                payload(f"rebuttal-title{i}"),
                url=xss_url("rebuttal-url", i),
                citation=payload("citation"),
                publisher=payload("publisher"),
                date=payload("rebuttal-date"),
            )
            for i in range(len(XSS_URLS))
        ),
    )
    annotations = {
        f"xss-{i}": Annotation(
            f"xss-{i}",
            "xss",
            body[start:end],
            start,
            end,
            ("evil",),
            "evil-type" if i % 2 == 0 else "plain",
            ("direct", "paraphrase", "reported")[i % 3],
            role=payload("role") if i == 0 else None,
            via=payload("via"),
            summary=payload("summary"),
            note=payload("note") + "\n\n" + "\n".join(f"[l{n}]({xss_url('note-link', n)})" for n in range(5)),
            rebuttals=rebuttals if i == 0 else (),
            tags=(payload("tag"), "plain-tag"),
        )
        for i, (start, end) in enumerate(spans)
    }
    return Archive(
        {"xss": source, "other": other},
        annotations,
        {"evil": speaker},
        {"evil-type": claim_type, "plain": plain_type},
    )
