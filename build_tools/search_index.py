"""The search index: Pagefind run over the pages of a built site that carry ``data-pagefind-body``.

A large archive is indexed in parts (at most ``part_size`` articles each, newest first), one
Pagefind run after another, which the search page merges: Pagefind's memory grows with the
articles of one part (about 0.45 MB each), and each further part adds to a query its own small
metadata file and an index chunk per word. Hand-written pages go in the first part.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.render import newest_first, part_path, source_uri

if TYPE_CHECKING:
    from build_tools.model import Archive

EXCLUDED = (".headerlink", "pre")
"""Heading permalink marks (the pilcrows) are not words to index, nor code blocks (the examples of
YAML in the contributing guide): a result's excerpt would show them as a run of raw keys."""


class PagefindError(Exception):
    """Pagefind failed; the message has its output."""


class SearchIndex:
    """The pages to index, noted as they are written, and the Pagefind runs that index them."""

    def __init__(self, archive: Archive, part_size: int) -> None:
        # Newest first: the search page lists a filter's matches by date, and Pagefind merges the
        # parts' results (each part's in date order, all of the same score) part after part.
        newest = newest_first(archive.sources.values())
        self._part_of = {source_uri(source.id): number // part_size for number, source in enumerate(newest)}
        self.parts: list[set[str]] = [set() for _ in range(max(self._part_of.values(), default=0) + 1)]
        """The pages of each part, as paths in the site."""

    def note(self, src_uri: str, dest_uri: str) -> None:
        """Note the page written at ``dest_uri`` (its source file ``src_uri``) for indexing."""
        self.parts[self._part_of.get(src_uri, 0)].add(dest_uri)

    def build(self, site_dir: str, bundle: Path) -> None:
        """Index the noted pages of ``site_dir`` into ``bundle``, part after part."""
        for number, pages in enumerate(self.parts, 1):
            _index(site_dir, sorted(pages), bundle / part_path(number))


def _index(site_dir: str, pages: list[str], output: Path) -> None:
    """Run Pagefind over ``pages`` (paths in the site), writing its bundle into ``output``.

    The options go in a configuration file of the run's own (in a scratch folder it runs in, so a
    ``pagefind.yml`` of the project's is not read): a glob naming thousands of pages is longer than
    a command-line argument may be.
    """
    with tempfile.TemporaryDirectory(prefix="archive-pagefind-run-") as scratch:
        settings = {
            "site": str(Path(site_dir).resolve()),
            "output_path": str(output.resolve()),
            "glob": "{" + ",".join(pages) + "}",
            "exclude_selectors": list(EXCLUDED),
        }
        (Path(scratch) / "pagefind.json").write_text(json.dumps(settings), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--quiet"],
            cwd=scratch,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise PagefindError(f"Pagefind failed to index the site:\n{result.stdout}{result.stderr}")
