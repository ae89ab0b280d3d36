"""Time `archive validate` on synthetic archives: a cold run, and a warm one that reuses the
parse cache as `mkdocs serve` does.

    python -m benchmarks.validate --articles 1000 --statements 7
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import write_archive
from build_tools.load import LoadCache, load_archive
from build_tools.problems import Level, counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument("--statements", type=int, default=7)
    args = parser.parse_args()
    print(f"{'articles':>8} {'annotations':>11} {'cold s':>7} {'warm s':>7} {'errors':>6} {'warnings':>8}")
    for n in args.articles:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            write_archive(root, n, args.statements)
            cache = LoadCache()
            start = time.perf_counter()
            loaded = load_archive(root / "sources", root / "annotations", root=root, cache=cache)
            cold = time.perf_counter() - start
            start = time.perf_counter()
            load_archive(root / "sources", root / "annotations", root=root, cache=cache)
            warm = time.perf_counter() - start
            tally = counts(loaded.problems)
            print(
                f"{n:>8} {len(loaded.archive.annotations):>11} {cold:>7.2f} {warm:>7.2f} "
                f"{tally[Level.ERROR]:>6} {tally[Level.WARNING]:>8}"
            )


if __name__ == "__main__":
    main()
