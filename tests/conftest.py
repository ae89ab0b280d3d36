"""Fixtures that build real MkDocs sites (the repository's own mkdocs.yml and plugin) into tmp dirs."""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from build_tools.exports import EXPORTS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
SEED = CASES / "seed"
"""A frozen copy of the first two articles and their annotations: tests that need real articles
use it, so that the live archive (which contributors change) never changes what a test expects."""
NAV_PAGES = tuple(sorted(p.stem for p in (REPO / "docs").glob("*.md")))
"""The hand-written pages the repository's mkdocs.yml lists; test projects get a stub of each."""
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
"""Programs tried, in order, when the ``CHROMIUM`` environment variable names none."""
CHROMIUM_APPS = (
    Path("/Applications/Chromium.app/Contents/MacOS/Chromium"),
    Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Site:
    """A built site: the project it came from and the folder MkDocs wrote."""

    project: Path
    root: Path

    def page(self, url: str) -> str:
        """The HTML of the page published at site-relative ``url`` (``sources/x/``)."""
        path = self.root / url
        return (path / "index.html" if url.endswith("/") or not url else path).read_text(encoding="utf-8")


def make_project(dest: Path, case: Path) -> Path:
    """A project folder: the case's sources/ and annotations/, the repo's mkdocs.yml, stub docs."""
    dest.mkdir(parents=True, exist_ok=True)
    for folder in ("sources", "annotations"):
        shutil.copytree(case / folder, dest / folder)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    stub_docs(dest / "docs")
    return dest


def set_option(project: Path, name: str, value: str | None) -> None:
    """Set the archive plugin's option ``name`` in ``project``'s ``mkdocs.yml`` (the repository's,
    copied), replacing what the repository sets; ``None`` leaves it at the plugin's default."""
    path = project / "mkdocs.yml"
    settings = re.sub(rf"^ *{name}: .*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    if value is not None:
        anchor = "      per_page: 100\n"
        settings = settings.replace(anchor, f"{anchor}      {name}: {value}\n", 1)
    path.write_text(settings, encoding="utf-8")


def stub_docs(docs: Path) -> None:
    """A stub of each hand-written page; the open-data stub links every export, as the real one does."""
    docs.mkdir(parents=True, exist_ok=True)
    for name in NAV_PAGES:
        (docs / f"{name}.md").write_text(f"# {name.title()}\n\nA page of the test site.\n", encoding="utf-8")
    links = "".join(f"- [{name}](exports/{name})\n" for name in EXPORTS)
    (docs / "open-data.md").write_text(f"# Open data\n\n{links}", encoding="utf-8")


def build_site(project: Path, site_dir: Path | None = None, *, strict: bool = True) -> Site:
    """Build ``project`` (by default ``--strict``: a warning fails the build) and return the result."""
    root = site_dir or project / "site"
    config = load_config(str(project / "mkdocs.yml"), strict=strict, site_dir=str(root))
    build(config)
    return Site(project, root)


@pytest.fixture(scope="session")
def nested_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The ``render-nested`` case built as a whole site."""
    project = make_project(tmp_path_factory.mktemp("nested"), CASES / "render-nested")
    return build_site(project)


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The frozen seed articles (``cases/seed``) with the repository's configuration, built strictly."""
    return build_site(make_project(tmp_path_factory.mktemp("seed"), SEED))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last: Playwright leaves threads running for the rest of the session."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


def find_chromium() -> str | None:
    """The Chromium (or Chrome) to drive: ``$CHROMIUM``, else the first on the path or in macOS's
    Applications; ``None`` lets Playwright use its own (``python -m playwright install chromium``)."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    found = (shutil.which(name) for name in CHROMIUM_NAMES)
    return next((p for p in found if p), None) or next((str(a) for a in CHROMIUM_APPS if a.exists()), None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium driven by Playwright. Without one the browser tests are skipped, saying
    how to get one; with ``ARCHIVE_BROWSER_TESTS=required`` (as CI sets) they fail instead."""
    from playwright.sync_api import Error, sync_playwright

    executable = find_chromium()
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as error:
            reason = str(error).strip().splitlines()[0]
            message = (
                f"no Chromium could be started ({reason}): the browser tests need one. Install it "
                "(Debian or Ubuntu: `make browser`; elsewhere: `python -m playwright install chromium`) "
                "or set CHROMIUM to its path"
            )
            if os.environ.get("ARCHIVE_BROWSER_TESTS") == "required":
                pytest.fail(message)
            pytest.skip(message)
        try:
            yield chromium
        finally:
            chromium.close()
