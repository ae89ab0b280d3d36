"""Benchmark projects: the real plugin on a synthetic archive, and the plain-Material yardstick.

Both take the repository's own ``mkdocs.yml`` (theme, Markdown extensions, plugins, navigation,
validation) and the hand-written pages of ``docs/``; nothing is written inside the repository.

- :func:`plugin_project`: a project folder holding a synthetic ``sources/`` and ``annotations/``,
  the ``archive`` plugin pointed at them.
- :func:`yardstick_project`: everything the plugin generates for that archive (``render_site``'s
  pages, data, exports, assets, the home page's figures) written out as ordinary files, built by
  MkDocs + Material with no archive plugin; the detail pages are kept out of the navigation with
  ``not_in_nav``, as the plugin keeps them out.
- :func:`bodies_project`: the synthetic articles' bodies alone as ordinary Markdown pages (no
  annotations, no generated listings), with the same hand-written pages and theme, built by
  MkDocs + Material with Material's default ``search`` plugin: what a site of the same articles
  costs without the archive.
- :func:`run_measured` times a command and reads its peak memory (its largest process's, and its
  processes' together); :func:`site_stats` sizes a built site.
"""

from __future__ import annotations

import logging
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import yaml
import yaml_env_tag  # type: ignore[import-untyped]
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from benchmarks.synthetic import write_archive
from build_tools import exports
from build_tools.exports import EXPORTS
from build_tools.exports.links import Site
from build_tools.generated import export_uri
from build_tools.load import load_archive
from build_tools.plugin import ArchivePlugin
from build_tools.render import render_site

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mkdocs.config.defaults import MkDocsConfig

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = "archive"
SOURCE_PAGE_PREFIX = "sources/article-"


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML plus the ``!ENV`` tag ``mkdocs.yml`` uses (resolved now, as MkDocs would)."""


_ConfigLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)


def repo_config() -> dict[str, Any]:
    """The repository's ``mkdocs.yml`` as plain data."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as stream:
        data = yaml.load(stream, Loader=_ConfigLoader)  # a SafeLoader subclass
    if not isinstance(data, dict):
        raise SystemExit("mkdocs.yml is not a mapping")
    return data


def _plugin_entry(entry: object) -> tuple[str, dict[str, Any]]:
    if isinstance(entry, str):
        return entry, {}
    if isinstance(entry, dict) and len(entry) == 1:
        ((name, options),) = entry.items()
        return str(name), dict(options or {})
    raise SystemExit(f"mkdocs.yml: cannot read the plugin entry {entry!r}")


def _plugins(config: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    raw = config.get("plugins", ["search"])
    entries = raw.items() if isinstance(raw, dict) else [_plugin_entry(e) for e in raw]
    return [(name, dict(options or {})) for name, options in entries]


def _base_config(config: dict[str, Any]) -> dict[str, Any]:
    """The repository's settings with folders made absolute or local to the benchmark project."""
    base = dict(config)
    base["docs_dir"] = "docs"
    base.pop("site_dir", None)
    theme = base.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        base["theme"] = {**theme, "custom_dir": str(ROOT / theme["custom_dir"])}
    if base.get("hooks"):
        base["hooks"] = [str(ROOT / hook) for hook in base["hooks"]]
    return base


def _write_config(folder: Path, config: dict[str, Any]) -> Path:
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def plugin_project(folder: Path, articles: int, statements: int, seed: int = 1) -> Path:
    """A project folder with a synthetic archive and the repository's config; returns the folder.

    Statement pages are left at the plugin's default (off), whatever the repository's config says:
    a page per statement is an option a large archive weighs against its host's size limit, and
    docs/performance.md gives what they add."""
    folder.mkdir(parents=True, exist_ok=True)
    write_archive(folder, articles, statements, seed=seed)
    shutil.rmtree(folder / "docs", ignore_errors=True)
    shutil.copytree(ROOT / "docs", folder / "docs")
    config = _base_config(repo_config())
    plugins: list[object] = []
    for name, options in _plugins(config):
        if name == PLUGIN:
            options = {**options, "sources_dir": "sources", "annotations_dir": "annotations"}
            options.pop("statement_pages", None)
        plugins.append({name: options} if options else name)
    config["plugins"] = plugins
    _write_config(folder, config)
    return folder


def _not_in_nav(detail: set[str], in_nav: set[str]) -> str:
    """Gitignore-style patterns that select the ``detail`` pages and none of ``in_nav``.

    One pattern per top-level folder (a pattern per page would cost MkDocs pages x patterns
    matches), with the folder's navigation pages negated.
    """
    folders = sorted({uri.split("/", 1)[0] for uri in detail if "/" in uri})
    lines = [f"/{uri}" for uri in sorted(detail) if "/" not in uri]
    for folder in folders:
        lines.append(f"/{folder}/**")
        lines.extend(f"!/{uri}" for uri in sorted(in_nav) if uri.startswith(f"{folder}/"))
    return "\n".join(lines) + "\n"


def _archive_plugin(config: MkDocsConfig) -> ArchivePlugin:
    plugin = config.plugins.get(PLUGIN)
    if not isinstance(plugin, ArchivePlugin):
        raise SystemExit(f"mkdocs.yml does not enable the {PLUGIN!r} plugin")
    return plugin


def yardstick_project(project: Path, folder: Path) -> Path:
    """The plugin's output for ``project`` as ordinary files in a plain Material project.

    The data files and assets are what the plugin's ``on_files`` adds, the exports what its
    ``on_post_build`` writes; every page is the
    full text ``render_site`` returns for it (the plugin may hand MkDocs less and put the rest back
    after the Markdown step; the yardstick has Python-Markdown convert all of it).
    """
    # The plugin reports the archive's warnings (unused speakers) here too; the build shows them.
    logging.getLogger("mkdocs").addHandler(logging.NullHandler())
    config = load_config(str(project / "mkdocs.yml"))
    plugin = _archive_plugin(config)
    before_css, before_js = len(config.extra_css), len(config.extra_javascript)
    plugin.on_config(config)
    added_css = [str(item) for item in config.extra_css[before_css:]]
    added_js = [str(item) for item in config.extra_javascript[before_js:]]
    plugin.on_pre_build(config=config)
    # File.generated records which plugin made a file, as MkDocs' own event loop would.
    config.plugins._current_plugin = PLUGIN
    generated = plugin.add_generated_files(Files([]), config=config)
    config.plugins._current_plugin = None
    # The exports are written in a process of their own: wait for them, as MkDocs would.
    plugin.on_env(jinja2.Environment(), config=config, files=generated)
    loaded = load_archive(project / "sources", project / "annotations", root=project)
    site = Site(config.site_url or Site.base, config.site_name)
    pages = render_site(
        loaded.archive, per_page=plugin.config.per_page, directory_urls=config.use_directory_urls, site=site
    )

    docs = folder / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(project / "docs", docs)
    detail: set[str] = set()
    in_nav: set[str] = set()
    for file in generated:
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.src_uri in pages:
            target.write_text(pages[file.src_uri], encoding="utf-8")
        else:
            target.write_bytes(file.content_bytes)
        if file.is_documentation_page():
            (detail if file.inclusion is InclusionLevel.NOT_IN_NAV else in_nav).add(file.src_uri)
    # The exports, which the plugin writes beside MkDocs (on_files only names them).
    for name, export in EXPORTS.items():
        exports.write(export, loaded.archive, site, docs / export_uri(name))
    # What the plugin changes in hand-written pages' Markdown (the home page's figures).
    for path in sorted(docs.rglob("*.md")):
        uri = path.relative_to(docs).as_posix()
        if uri in detail or uri in in_nav:
            continue
        page = Page(None, File(uri, config.docs_dir, config.site_dir, config.use_directory_urls), config)
        markdown = path.read_text(encoding="utf-8")
        changed = plugin.on_page_markdown(markdown, page=page, config=config, files=generated)
        if changed != markdown:
            path.write_text(changed, encoding="utf-8")
    plugin.on_shutdown()  # removes the scratch folder the exports were written in

    plain = _base_config(repo_config())
    plain["plugins"] = [
        {name: options} if options else name for name, options in _plugins(plain) if name != PLUGIN
    ]
    plain["extra_css"] = [*plain.get("extra_css", []), *added_css]
    plain["extra_javascript"] = [*plain.get("extra_javascript", []), *added_js]
    plain["not_in_nav"] = _not_in_nav(detail, in_nav)
    _write_config(folder, plain)
    return folder


def bodies_project(project: Path, folder: Path) -> Path:
    """The article bodies of ``project`` as plain Material pages (``sources/<id>.md``, the title
    from the front matter), with its hand-written pages and Material's default search plugin."""
    docs = folder / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(project / "docs", docs)
    (docs / "sources").mkdir(exist_ok=True)
    for path in sorted((project / "sources").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        title = yaml.safe_load(front)["title"]
        (docs / "sources" / path.name).write_text(f"# {title}\n\n{body}", encoding="utf-8")
    plain = _base_config(repo_config())
    plain["plugins"] = ["search"]
    # The navigation without the archive's generated listings, which this project has not got.
    plain["nav"] = [entry for entry in plain.get("nav", []) if _kept_in_nav(entry, docs)]
    plain["not_in_nav"] = "/sources/**\n"
    _write_config(folder, plain)
    return folder


def _kept_in_nav(entry: object, docs: Path) -> bool:
    """Whether a navigation entry's page (or, for a section, its first page) is in ``docs``."""
    target = next(iter(entry.values())) if isinstance(entry, dict) else entry
    if isinstance(target, list):
        return bool(target) and _kept_in_nav(target[0], docs)
    return isinstance(target, str) and (docs / target).is_file()


@dataclass(frozen=True)
class Measured:
    """One command: wall-clock seconds, peak memory (bytes) and exit status."""

    seconds: float
    peak_rss: int
    """The largest resident size any one of its processes reached (each one's high-water mark)."""
    peak_total: int
    """The most its processes held at one time (proportional set sizes added up, sampled every
    half second): what the machine must have, with MkDocs alive while Pagefind runs."""
    returncode: int


def run_measured(command: Sequence[str], cwd: Path, log: Path) -> Measured:
    """Run ``command`` with output to ``log``, watching the memory of its processes.

    Each process's high-water mark is read from ``/proc`` while it runs: ``wait4``'s ``ru_maxrss``
    would count this benchmark's own memory, which the command's process holds for a moment
    between the fork that starts it and its ``exec``.
    """
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()
        peaks = _Peaks()
        sampler = threading.Thread(target=_sample_tree, args=(process.pid, done, peaks), daemon=True)
        sampler.start()
        try:
            process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        finally:
            done.set()
            sampler.join()
        seconds = time.perf_counter() - start
    return Measured(seconds, peaks.largest, peaks.total, process.returncode)


@dataclass
class _Peaks:
    total: int = 0
    largest: int = 0


SAMPLED = 0.5
"""Seconds between two samples of the memory of a command's processes. Reading a process's
proportional set size makes the kernel walk its page tables (7 ms of processor time for a 1 GB
process): ten samples a second took a tenth of a core from the build it measured (builds of
10,000 articles 3-8 s slower), and found the same peaks as two a second."""
_PSS = re.compile(r"^Pss:\s+(\d+) kB", re.MULTILINE)
_HWM = re.compile(r"^VmHWM:\s+(\d+) kB", re.MULTILINE)


def _sample_tree(pid: int, done: threading.Event, peaks: _Peaks) -> None:
    """Keep in ``peaks`` the largest sum of the proportional set sizes of ``pid`` and its
    descendants (pages shared after a fork counted once) and the largest high-water mark of any
    one of them, until ``done`` is set."""
    while not done.wait(SAMPLED):
        total = 0
        pending = [pid]
        while pending:
            current = pending.pop()
            try:
                rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
                status = Path(f"/proc/{current}/status").read_text()
                tasks = list(Path(f"/proc/{current}/task").iterdir())
                children = [int(c) for t in tasks for c in (t / "children").read_text().split()]
            except OSError:  # the process ended meanwhile
                continue
            pss, hwm = _PSS.search(rollup), _HWM.search(status)
            total += int(pss[1]) if pss else 0
            peaks.largest = max(peaks.largest, int(hwm[1]) * 1024 if hwm else 0)
            pending.extend(children)
        peaks.total = max(peaks.total, total * 1024)


def mkdocs_build(project: Path, site: Path, log: Path) -> Measured:
    """``python -m mkdocs build`` of ``project`` into ``site``, its log (warnings and the plugin's
    figures) in ``log``; fails loudly when it fails."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", str(site)]
    measured = run_measured(command, project, log)
    if measured.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise SystemExit(f"mkdocs build failed in {project} (exit {measured.returncode}):\n{tail}")
    return measured


@dataclass(frozen=True)
class SiteStats:
    """The size of a built site and of its HTML pages."""

    total_bytes: int
    files: int
    html_pages: int
    html_median: float
    html_largest: int
    largest_page: str
    source_sizes: dict[str, int]
    """HTML bytes of each source page, by source id."""

    def source_median(self, ids: set[str] | None = None) -> float:
        """Median HTML size of the source pages (of ``ids`` only, when given)."""
        sizes = [size for sid, size in self.source_sizes.items() if ids is None or sid in ids]
        return float(statistics.median(sizes)) if sizes else 0.0


def site_stats(site: Path) -> SiteStats:
    """Walk a built site."""
    total = files = 0
    html: dict[str, int] = {}
    sources: dict[str, int] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        files += 1
        if path.suffix == ".html":
            uri = path.relative_to(site).as_posix()
            html[uri] = size
            if uri.startswith(SOURCE_PAGE_PREFIX) and uri.endswith("/index.html") and uri.count("/") == 2:
                sources[uri.split("/")[1]] = size
    largest = max(html, key=lambda uri: (html[uri], uri)) if html else ""
    return SiteStats(
        total_bytes=total,
        files=files,
        html_pages=len(html),
        html_median=float(statistics.median(html.values())) if html else 0.0,
        html_largest=html.get(largest, 0),
        largest_page=largest,
        source_sizes=dict(sorted(sources.items())),
    )
