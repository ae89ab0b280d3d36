"""Write a synthetic archive: N articles of realistic length, M statements each (some nested inside
others), a few hundred speakers, the project's full taxonomy and rebuttals across sources.

Deterministic from ``--seed``: the same arguments write the same bytes.

    python -m benchmarks.synthetic OUT --articles 1000 --statements 10
"""

from __future__ import annotations

import argparse
import itertools
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Text follows Zipf's law over a vocabulary of news-sized breadth: English function words are the
# most frequent, then the archive's subject words, then made-up words standing for the long tail
# (names, places, rare words). A search index's size depends on how many pages each word is on,
# so a handful of words repeated everywhere would make every query fetch the whole index.
FUNCTION_WORDS = (
    "the of to and a in that is for on was with he it as said by at from his be have has are an "
    "not this they were had who which but their been would or will its more we also after about "
    "one over than new two other into all there out up when some could them what so year can "
    "last if only most her she people first being while many before against under three between"
).split()
SUBJECT_WORDS = (
    "government officials policy region camps training security report international "
    "rights groups statement ministry foreign diplomats council evidence detention education "
    "vocational program authorities public accusations spokesperson press conference minority "
    "religious ethnic province development stability counterterrorism extremism law order visit "
    "delegation leaked documents testimony witnesses families satellite images facilities "
    "investigation journalists sanctions lawmakers letter hearing committee observations assessment"
).split()
VOCABULARY_SIZE = 30_000
SYLLABLES = (
    "ka lo mer ti san vel or du pra ne qui bal tor em ris ha zon al pe mun gre si fa ul dor ben "
    "li cha wu ter ot ma ren is gu fel ya ron bi ad tes xi ko lan ve dri ar"
).split()
OUTLETS = ("Reuters", "Associated Press", "Example Wire", "Daily Record", "Global Monitor")


def _vocabulary(size: int) -> list[str]:
    """The function and subject words, then made-up words of two to four syllables: ``size`` in all."""
    rng = random.Random(0)
    words, seen = [*FUNCTION_WORDS, *SUBJECT_WORDS], {*FUNCTION_WORDS, *SUBJECT_WORDS}
    while len(words) < size:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


WORDS = _vocabulary(VOCABULARY_SIZE)
# Zipf's law with exponent 1: the word of rank r is drawn with weight 1/r.
CUMULATIVE = list(itertools.accumulate(1 / rank for rank in range(1, VOCABULARY_SIZE + 1)))


def _words(rng: random.Random, count: int) -> list[str]:
    return rng.choices(WORDS, cum_weights=CUMULATIVE, k=count)


def _sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    return " ".join(_words(rng, rng.randint(low, high))).capitalize() + "."


def write_archive(out: Path, articles: int, statements: int, speakers: int = 300, seed: int = 1) -> None:
    """Write ``sources/`` and ``annotations/`` (with registries) under ``out``."""
    rng = random.Random(seed)
    sources, annotations = out / "sources", out / "annotations"
    for folder in (sources, annotations):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    shutil.copy(ROOT / "annotations" / "claim_types.yaml", annotations / "claim_types.yaml")
    claim_types = [
        line.split(":")[0]
        for line in (annotations / "claim_types.yaml").read_text(encoding="utf-8").splitlines()
        if line and line[0].isalnum()
    ]
    names = [f"speaker-{i:03d}" for i in range(speakers)]
    (annotations / "speakers.yaml").write_text(
        "".join(
            f"{sid}:\n  name: Speaker {i}\n  kind: person\n  roles:\n    - title: Official {i % 17}\n"
            f"      from: 2010\n"
            for i, sid in enumerate(names)
        ),
        encoding="utf-8",
    )
    earlier: list[str] = []
    for a in range(articles):
        sid = f"article-{a:05d}"
        year, month, day = 2015 + a % 10, 1 + a % 12, 1 + a % 28
        paragraphs, entries = [], []
        for s in range(statements):
            speaker = names[rng.randrange(speakers)]
            first, second, third = _words(rng, 3)
            inner = f"{first} {a}x{s} {second} {third}"
            quote = f"{_sentence(rng, 4, 8)[:-1]} {inner} {_sentence(rng, 4, 10)[:-1].lower()}"
            paragraphs.append(f"{_sentence(rng)} {_sentence(rng)}")
            paragraphs.append(f"\u201c{quote},\u201d Speaker {speaker[-3:]} said. {_sentence(rng)}")
            ann_id = f"a{a}-s{s}"
            entry = (
                f'  - id: {ann_id}\n    quote: "{quote}"\n    speaker: {speaker}\n'
                f"    claim_type: {rng.choice(claim_types)}\n    summary: Statement {s} of article {a}.\n"
            )
            if earlier and rng.random() < 0.2:
                entry += f"    rebuttals:\n      - annotation: {rng.choice(earlier)}\n"
            entries.append(entry)
            if s % 2 == 0:
                entries.append(
                    f'  - id: {ann_id}-inner\n    quote: "{inner}"\n    speaker: {speaker}\n'
                    f"    claim_type: {rng.choice(claim_types)}\n    attribution: paraphrase\n"
                )
            earlier.append(ann_id)
        (sources / f"{sid}.md").write_text(
            f"---\ntitle: Synthetic article {a}\noutlet: {OUTLETS[a % len(OUTLETS)]}\n"
            f"date: {year}-{month:02d}-{day:02d}\n---\n" + "\n\n".join(paragraphs) + "\n",
            encoding="utf-8",
        )
        (annotations / f"{sid}.yaml").write_text("annotations:\n" + "".join(entries), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=10, help="quoted statements per article")
    parser.add_argument("--speakers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_archive(args.out, args.articles, args.statements, args.speakers, args.seed)


if __name__ == "__main__":
    main()
