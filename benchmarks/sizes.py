"""Where a built site's bytes are: by kind of file, and inside the HTML pages by kind of content.

    python -m benchmarks.sizes SITE [--scale 10]

Files are grouped by what they are (source pages, speaker pages, claim-type pages, claims pages,
claims data, exports, Pagefind's bundle, assets, other). Inside each kind of page, the bytes are
split into Material's frame (everything outside the page body), the JSON-LD, and in the body the
pieces a page repeats (tooltips, statement rows, inline SVG, white space). ``--scale``
multiplies every figure, for an estimate at that many times the archive.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

MB = 1_000_000
KINDS = (
    ("source pages", re.compile(r"^sources/[^/]+/index\.html$")),
    ("speaker pages", re.compile(r"^speakers/.+\.html$")),
    ("claim-type pages", re.compile(r"^claim-types/.+\.html$")),
    ("claims pages", re.compile(r"^claims/.+\.html$")),
    ("claims data", re.compile(r"^claims/data/")),
    ("exports", re.compile(r"^exports/")),
    ("Pagefind", re.compile(r"^pagefind/")),
    ("assets", re.compile(r"^assets/")),
)
BODY = re.compile(r'<article class="md-content__inner md-typeset">.*</article>', re.DOTALL)
PIECES = (
    ("JSON-LD", re.compile(r'<script type="application/ld\+json">.*?</script>', re.DOTALL)),
    ("title= tooltips", re.compile(r' title="[^"]*"')),
    ("statement rows", re.compile(r'<li class="hl-c\d+">.*?</li>|<tr><td><a href="[^"]*#.*?</tr>')),
    ("inline SVG", re.compile(r"<svg.*?</svg>", re.DOTALL)),
    ("white space runs", re.compile(r"\n\s+")),
)


@dataclass
class Breakdown:
    """Bytes by kind of file, and for HTML pages by piece (see :data:`PIECES`)."""

    files: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    pieces: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.files.values())


def kind_of(uri: str) -> str:
    """The kind of the site's file at ``uri``."""
    return next((name for name, pattern in KINDS if pattern.match(uri)), "other")


def breakdown(site: Path) -> Breakdown:
    """Walk ``site`` and sort its bytes."""
    found = Breakdown()
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        uri = path.relative_to(site).as_posix()
        kind = kind_of(uri)
        found.files[kind] += path.stat().st_size
        found.counts[kind] += 1
        if uri.endswith(".html"):
            _split_page(path.read_text(encoding="utf-8"), found.pieces.setdefault(kind, Counter()))
    return found


def _split_page(text: str, into: Counter[str]) -> None:
    body = BODY.search(text)
    inner = body[0] if body else ""
    into["frame"] += len(text.encode()) - len(inner.encode())
    into["body"] += len(inner.encode())
    for name, pattern in PIECES:
        into[name] += sum(len(m.encode()) for m in pattern.findall(text))


def report(found: Breakdown, scale: float = 1.0) -> str:
    """The breakdown as text, every figure in MB times ``scale``."""
    lines = [f"{'kind':18} {'files':>8} {'MB':>9}  share"]
    for kind, size in found.files.most_common():
        lines.append(
            f"{kind:18} {found.counts[kind] * scale:8.0f} {size * scale / MB:9.1f}  {size / found.total:5.1%}"
        )
    lines.append(f"{'total':18} {sum(found.counts.values()) * scale:8.0f} {found.total * scale / MB:9.1f}")
    for kind, pieces in sorted(found.pieces.items(), key=lambda kv: -found.files[kv[0]]):
        shown = ", ".join(f"{name} {size * scale / MB:.1f}" for name, size in pieces.items() if size)
        lines.append(f"  {kind} (MB): {shown}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every figure by this")
    args = parser.parse_args()
    print(report(breakdown(args.site), args.scale))


if __name__ == "__main__":
    main()
