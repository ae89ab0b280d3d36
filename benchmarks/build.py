"""The scale benchmark: the archive plugin's build against plain Material, at N articles.

For each N (default 1,000, 5,000 and 10,000 articles of 10 statements) in a temporary folder:

- validate: ``archive validate``, the command CI runs on every pull request, in a new process;
- load: ``load_archive`` alone (read, anchor, validate), cold, in this process, as the build runs it;
- generation: ``render_site`` alone (no MkDocs);
- build: ``python -m mkdocs build`` of the real plugin on the synthetic archive, post-build steps
  (Pagefind) included; its peak memory, the built site's size (and where its bytes are, see
  ``benchmarks.sizes``), its median and largest HTML page; the archive's own work in it, when the
  plugin logs it (loading and rendering);
- yardstick: the same generated pages as ordinary Markdown files, same hand-written pages, theme
  and extensions, built by MkDocs + Material with no archive plugin;
- bodies (at 1,000 articles): the same articles' bodies alone as plain Material pages, with
  Material's default search plugin (see ``benchmarks.project.bodies_project``);
- Pagefind: the bytes one query transfers, measured in headless Chromium (when there is an index);
- and a 100-article build, the reference for the size of a source page.

Then `mkdocs serve`'s rebuild after one edit, at 1,000 articles (see ``benchmarks.serve``).
Each target is printed next to its figure.

    python -m benchmarks.build --articles 1000 5000 --json results.json
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from benchmarks.pagefind import measure_query
from benchmarks.project import (
    bodies_project,
    mkdocs_build,
    plugin_project,
    run_measured,
    site_stats,
    yardstick_project,
)
from benchmarks.report import Row, machine, table
from benchmarks.serve import TARGET_SECONDS as SERVE_TARGET
from benchmarks.serve import measure_serve
from benchmarks.sizes import breakdown
from build_tools.load import load_archive
from build_tools.render import render_site

if TYPE_CHECKING:
    from benchmarks.project import SiteStats

BASELINE = 100
REFERENCE = 1000
PER_PAGE = 100
MB = 1024 * 1024
GB = 1_000_000_000
"""GitHub Pages' limit on a published site (1 GB), in bytes."""
LARGEST = 10_000
"""The size the absolute targets (validate, memory, site size) are set at."""


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _common_ids(stats: SiteStats) -> set[str]:
    return {f"article-{i:05d}" for i in range(BASELINE)} & set(stats.source_sizes)


PAGEFIND_LOGGED = re.compile(r"archive: Pagefind indexed the site in ([0-9.]+) s")
OWN_WORK_LOGGED = re.compile(
    r"archive: its own work took ([0-9.]+) s of the build \(loading ([0-9.]+) s, rendering ([0-9.]+) s\)"
)


def _pagefind_seconds(log: Path) -> float | None:
    """Pagefind's share of the build, as the plugin logged it."""
    found = PAGEFIND_LOGGED.search(log.read_text(encoding="utf-8", errors="replace"))
    return float(found[1]) if found else None


class OwnWork(TypedDict):
    """What the plugin logs about its own work in a build (see :func:`_own_work`)."""

    own_s: float | None
    own_loading_s: float | None
    own_rendering_s: float | None


def _own_work(log: Path) -> OwnWork:
    """How long the plugin's own work took in the build, as it logged it (all ``None`` when it
    did not): in all, loading the archive, and rendering the generated pages."""
    found = OWN_WORK_LOGGED.search(log.read_text(encoding="utf-8", errors="replace"))
    own, loading, rendering = (float(x) for x in found.groups()) if found else (None, None, None)
    return OwnWork(own_s=own, own_loading_s=loading, own_rendering_s=rendering)


def measure(workdir: Path, articles: int, statements: int, query: str) -> dict[str, Any]:
    """Every figure for one N."""
    folder = workdir / f"n{articles}"
    _log(f"N={articles:,}: writing the synthetic archive")
    project = plugin_project(folder / "project", articles, statements)

    _log(f"N={articles:,}: archive validate")
    command = [str(Path(sys.executable).with_name("archive")), "validate"]
    validate = run_measured(command, project, folder / "validate.log")
    _log(f"N={articles:,}: load_archive and render_site in this process")
    start = time.perf_counter()
    loaded = load_archive(
        project / "sources", project / "annotations", root=project, parallel=True, freeze=True
    )  # as the plugin loads it
    load = time.perf_counter() - start
    start = time.perf_counter()
    pages = render_site(loaded.archive, per_page=PER_PAGE)
    generation = time.perf_counter() - start
    figures: dict[str, Any] = {
        "articles": articles,
        "load_average": os.getloadavg()[0],
        "statements": len(loaded.archive.annotations),
        "errors": sum(p.level.name == "ERROR" for p in loaded.problems),
        "generated_files": len(pages),
        "validate_s": validate.seconds,
        "validate_exit": validate.returncode,
        "load_s": load,
        "generation_s": generation,
    }
    del loaded, pages
    gc.unfreeze()

    _log(f"N={articles:,}: mkdocs build with the archive plugin")
    build = mkdocs_build(project, folder / "site", folder / "build.log")
    stats = site_stats(folder / "site")
    pagefind_s = _pagefind_seconds(folder / "build.log")
    own = _own_work(folder / "build.log")

    _log(f"N={articles:,}: the yardstick (plain Material, no archive plugin)")
    yard = yardstick_project(project, folder / "yardstick")
    plain = mkdocs_build(yard, folder / "yardstick-site", folder / "yardstick.log")
    plain_stats = site_stats(folder / "yardstick-site")
    _log(f"N={articles:,}: yardstick {plain.seconds:.1f} s; a Pagefind query")
    try:
        query_bytes = measure_query(folder / "site", query)
        query_error = ""
    except Exception as error:  # keep the other figures when the browser part fails
        query_bytes, query_error = None, f"{type(error).__name__}: {error}".splitlines()[0]
        _log(f"N={articles:,}: the Pagefind query failed: {query_error}")

    bodies_s = None
    if articles == REFERENCE:
        _log(f"N={articles:,}: the article bodies alone (plain Material, its search plugin)")
        bodies = bodies_project(project, folder / "bodies")
        bodies_s = mkdocs_build(bodies, folder / "bodies-site", folder / "bodies.log").seconds

    figures.update(
        build_s=build.seconds,
        bodies_s=bodies_s,
        pagefind_s=pagefind_s,
        peak_rss_bytes=build.peak_rss,
        peak_total_bytes=build.peak_total,
        yardstick_s=plain.seconds,
        yardstick_peak_rss_bytes=plain.peak_rss,
        yardstick_peak_total_bytes=plain.peak_total,
        ratio=build.seconds / plain.seconds,
        **own,
        site_bytes_by_kind=dict(breakdown(folder / "site").files.most_common()),
        per_article_ms=1000 * build.seconds / articles,
        site_bytes=stats.total_bytes,
        site_files=stats.files,
        html_pages=stats.html_pages,
        html_median_bytes=stats.html_median,
        html_largest_bytes=stats.html_largest,
        html_largest_page=stats.largest_page,
        source_median_bytes=stats.source_median(),
        source_median_first100_bytes=stats.source_median(_common_ids(stats)),
        yardstick_site_bytes=plain_stats.total_bytes,
        yardstick_site_files=plain_stats.files,
        yardstick_html_median_bytes=plain_stats.html_median,
        yardstick_source_median_bytes=plain_stats.source_median(),
        pagefind_query=None if query_bytes is None else {**asdict(query_bytes), "total": query_bytes.total},
        pagefind_query_error=query_error,
    )
    return figures


def baseline(workdir: Path, statements: int) -> dict[str, Any]:
    """The plugin's build at 100 articles: the reference size of a source page."""
    folder = workdir / f"n{BASELINE}"
    _log(f"N={BASELINE}: the reference build")
    project = plugin_project(folder / "project", BASELINE, statements)
    build = mkdocs_build(project, folder / "site", folder / "build.log")
    stats = site_stats(folder / "site")
    return {
        "articles": BASELINE,
        "build_s": build.seconds,
        "source_median_bytes": stats.source_median(),
        "html_median_bytes": stats.html_median,
    }


def _s(value: float) -> str:
    return f"{value:.2f} s"


def _size_note(r: dict[str, Any]) -> str:
    """Where the site's bytes are (kinds of at least 1 %), and the size in proportion at LARGEST."""
    total, kinds = r["site_bytes"], r["site_bytes_by_kind"]
    parts = ", ".join(f"{kind} {size / 1e6:.0f}" for kind, size in kinds.items() if size >= 0.01 * total)
    if r["articles"] == LARGEST:
        return f"MB: {parts}"
    return f"MB: {parts}; {total * LARGEST / r['articles'] / GB:.2f} GB in proportion at {LARGEST:,}"


def rows(results: list[dict[str, Any]], base: dict[str, Any], serve: dict[str, Any] | None) -> list[Row]:
    """The table: every figure, and its target where there is one."""
    out: list[Row] = []
    for r in results:
        n = f"{r['articles']:,}"
        largest = r["articles"] == LARGEST
        size_ratio = r["source_median_first100_bytes"] / base["source_median_bytes"]
        query = r["pagefind_query"]
        own = (
            "n/a: not logged"
            if r["own_s"] is None
            else f"loading {_s(r['own_loading_s'])}, rendering {_s(r['own_rendering_s'])}"
        )
        out += [
            Row(n, "statements", f"{r['statements']:,}"),
            Row(
                n,
                "validate (archive validate)",
                _s(r["validate_s"]),
                "<= 20 s" if largest else "",
                r["validate_s"] <= 20 if largest else None,
                f"exit status {r['validate_exit']}",
            ),
            Row(n, "load (load_archive, as in the build)", _s(r["load_s"])),
            Row(n, "generation (render_site, no MkDocs)", _s(r["generation_s"])),
            Row(n, "mkdocs build, archive plugin", _s(r["build_s"])),
            Row(n, "  of which Pagefind", "n/a" if r["pagefind_s"] is None else _s(r["pagefind_s"])),
            Row(
                n,
                "  of which the archive's own work",
                "n/a" if r["own_s"] is None else _s(r["own_s"]),
                note=own,
            ),
            Row(n, "yardstick: plain Material, same pages", _s(r["yardstick_s"])),
            Row(n, "build / yardstick", f"{r['ratio']:.2f}x", "<= 0.6x", r["ratio"] <= 0.6),
        ]
        if r.get("bodies_s"):
            bodies_ratio = r["build_s"] / r["bodies_s"]
            out += [
                Row(n, "bodies alone: plain Material + search", _s(r["bodies_s"])),
                Row(n, "build / bodies alone", f"{bodies_ratio:.2f}x", "<= 2.0x", bodies_ratio <= 2.0),
            ]
        out += [
            Row(n, "time per article", f"{r['per_article_ms']:.2f} ms"),
            Row(
                n,
                "peak memory (build)",
                f"{r['peak_total_bytes'] / MB:.0f} MB",
                "< 2048 MB" if largest else "",
                r["peak_total_bytes"] < 2048 * MB if largest else None,
                f"all its processes at once; largest process {r['peak_rss_bytes'] / MB:.0f} MB",
            ),
            Row(
                n,
                "peak memory (yardstick)",
                f"{r['yardstick_peak_total_bytes'] / MB:.0f} MB",
                note=f"largest process {r['yardstick_peak_rss_bytes'] / MB:.0f} MB",
            ),
            Row(
                n,
                "site size",
                f"{r['site_bytes'] / 1e6:.1f} MB, {r['site_files']:,} files",
                "<= 1 GB" if largest else "",
                r["site_bytes"] <= GB if largest else None,
                _size_note(r),
            ),
            Row(
                n,
                "yardstick site size",
                f"{r['yardstick_site_bytes'] / 1e6:.1f} MB, {r['yardstick_site_files']:,} files",
            ),
            Row(
                n,
                "HTML page median",
                f"{r['html_median_bytes'] / 1024:.1f} KB",
                note=f"yardstick {r['yardstick_html_median_bytes'] / 1024:.1f} KB; source pages "
                f"{r['source_median_bytes'] / 1024:.1f} KB, "
                f"yardstick {r['yardstick_source_median_bytes'] / 1024:.1f} KB",
            ),
            Row(
                n,
                "HTML page largest",
                f"{r['html_largest_bytes'] / 1024:.1f} KB",
                note=r["html_largest_page"],
            ),
            Row(
                n,
                f"source page median (first {BASELINE})",
                f"{r['source_median_first100_bytes'] / 1024:.1f} KB",
                f"within 10 % of N={BASELINE}",
                abs(size_ratio - 1) <= 0.10,
                f"{size_ratio:.3f}x of {base['source_median_bytes'] / 1024:.1f} KB",
            ),
            Row(
                n,
                "Pagefind bytes on the wire, one query",
                f"error: {r['pagefind_query_error']}"
                if r["pagefind_query_error"]
                else "n/a: no pagefind index"
                if query is None
                else f"{query['total'] / 1024:.1f} KB",
                "< 300 KB",
                None if query is None else query["total"] < 300 * 1024,
                ""
                if query is None
                else f"{query['requests']} requests, load {query['on_load'] / 1024:.0f} KB + "
                f"query {query['on_query'] / 1024:.0f} KB ({query['decoded'] / 1024:.0f} KB decoded); "
                + ", ".join(f"{kind} {size / 1024:.0f}" for kind, size in query["by_kind"].items()),
            ),
        ]
    if serve is not None:
        out.append(
            Row(
                f"{serve['articles']:,}",
                "mkdocs serve --dirty: edit -> served",
                _s(serve["worst"]),
                f"<= {SERVE_TARGET:.0f} s",
                serve["worst"] <= SERVE_TARGET,
                "worst of " + ", ".join(f"{s:.2f}" for s in serve["edits"]),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 5000, 10000], metavar="N")
    parser.add_argument("--statements", type=int, default=10, help="quoted statements per article")
    parser.add_argument("--query", default="counterterrorism sanctions", help="the Pagefind query")
    parser.add_argument("--serve-articles", type=int, default=1000, help="0 skips the serve benchmark")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--workdir", type=Path, help="keep the projects and sites here (default: a temp dir)")
    args = parser.parse_args()
    logging.getLogger("mkdocs").addHandler(logging.NullHandler())

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        info = machine()
        print("\n".join(f"{key:<10} {value}" for key, value in info.items()), flush=True)
        base = baseline(workdir, args.statements)
        results = [measure(workdir, n, args.statements, args.query) for n in sorted(set(args.articles))]
        serve = None
        if args.serve_articles:
            _log(f"mkdocs serve at N={args.serve_articles:,}")
            serve = measure_serve(workdir, args.serve_articles, args.statements).as_dict()
        print(
            f"\nload average at the end: {os.getloadavg()[0]:.2f} (other work on the machine skews the times)"
        )
        print(table(rows(results, base, serve)), flush=True)
        if args.json:
            report = {"machine": info, "baseline": base, "results": results, "serve": serve}
            args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
