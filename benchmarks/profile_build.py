"""Where a build's time goes: ``mkdocs build`` of a synthetic project under cProfile, by stage.

The build runs in this process (the same ``build()`` ``mkdocs build`` calls); the stages are the
cumulative times of the functions that do each job. cProfile slows Python code that makes many
small calls (Markdown parsing) more than the rest, so read the shares as an upper bound for it;
a sampling profiler gives a second opinion::

    python -m benchmarks.profile_build --articles 1000
    .venv/bin/pip install pyinstrument   # not a dependency of the project
    cd <project> && python -m pyinstrument -m mkdocs build -q -d /tmp/site
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from benchmarks.project import plugin_project

# (label, indented under the previous top-level stage, file suffix, function name)
STAGES: tuple[tuple[str, bool, str, str], ...] = (
    ("archive: load, anchor, validate (on_pre_build)", False, "build_tools/plugin.py", "on_pre_build"),
    ("archive: pages, data, exports (on_files)", False, "build_tools/plugin.py", "add_generated_files"),
    ("render_site", True, "build_tools/render/__init__.py", "render_site"),
    ("files: docs folder and theme", False, "mkdocs/structure/files.py", "get_files"),
    ("files: docs folder and theme", False, "mkdocs/structure/files.py", "add_files_from_theme"),
    ("navigation", False, "mkdocs/structure/nav.py", "get_navigation"),
    ("Markdown: read and convert pages", False, "mkdocs/commands/build.py", "_populate_page"),
    ("Python-Markdown convert", True, "markdown/core.py", "convert"),
    ("static files: copy", False, "mkdocs/structure/files.py", "copy_static_files"),
    ("theme templates (404, sitemap)", False, "mkdocs/commands/build.py", "_build_theme_template"),
    ("pages: template, plugins, write", False, "mkdocs/commands/build.py", "_build_page"),
    ("Jinja/Material templates", True, "jinja2/environment.py", "render"),
    ("on_page_context (search plugins)", True, "mkdocs/plugins.py", "on_page_context"),
    ("on_post_page", True, "mkdocs/plugins.py", "on_post_page"),
    ("write HTML files", True, "mkdocs/utils/__init__.py", "write_file"),
    ("anchor validation", False, "mkdocs/structure/pages.py", "validate_anchor_links"),
    ("post-build (Pagefind, search index)", False, "mkdocs/plugins.py", "on_post_build"),
)


def _cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    table: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    return sum(
        ct for (path, _, func), (_, _, _, ct, _) in table.items() if func == name and path.endswith(suffix)
    )


def _line(label: str, seconds: float, total: float, nested: bool = False) -> str:
    name = f"    {label:<48}" if nested else f"{label:<52}"
    return f"{name} {seconds:7.2f} s {100 * seconds / total:5.1f} %"


def breakdown(stats: pstats.Stats, total: float) -> str:
    """One line per stage: seconds and share of the build; the rest is what no stage covers."""
    merged: dict[tuple[str, bool], float] = {}
    for label, nested, suffix, name in STAGES:
        merged[label, nested] = merged.get((label, nested), 0.0) + _cumulative(stats, suffix, name)
    lines = [_line(label, seconds, total, nested) for (label, nested), seconds in merged.items()]
    covered = sum(seconds for (_, nested), seconds in merged.items() if not nested)
    lines.append(_line("other (config, imports, cleaning)", total - covered, total))
    lines.append(f"{'total (under cProfile)':<52} {total:7.2f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=10)
    parser.add_argument("--top", type=int, default=25, help="also print the top functions by own time")
    parser.add_argument("--dump", type=Path, help="write the raw profile here (for snakeviz, pstats)")
    args = parser.parse_args()
    logging.getLogger("mkdocs").addHandler(logging.NullHandler())
    with tempfile.TemporaryDirectory(prefix="archive-profile-") as tmp:
        project = plugin_project(Path(tmp) / "project", args.articles, args.statements)
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(Path(tmp) / "site"))
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.runcall(build, config)
        total = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    if args.dump:
        stats.dump_stats(args.dump)
    print(f"mkdocs build of {args.articles:,} articles x {args.statements} statements, by stage:")
    print(breakdown(stats, total))
    if args.top:
        print(f"\ntop {args.top} functions by own time:")
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
