"""The compatibility project: the site built with other MkDocs plugins beside ``archive``.

The project is the ``render-nested`` archive with the repository's ``mkdocs.yml``, a stub of each
hand-written page and ``cases/compat/docs/taxonomy.md`` (tagged, and linking this archive's
statements), in a git repository whose commits have fixed dates, so
git-based plugins date pages from history and never from the clock.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from tests.conftest import CASES, REPO, Site, stub_docs

ARCHIVE = CASES / "render-nested"
OVERLAY = CASES / "compat"
SOURCE = "sources/briefing/"
"""The generated article page the tests look at (``sources/briefing.md``)."""
OTHER_SOURCE = "sources/response/"

HISTORY: tuple[tuple[str, str, str, str], ...] = (
    ("2020-01-15T12:00:00+00:00", "Add the archive", "", ""),
    (
        "2021-03-04T12:00:00+00:00",
        "Review the briefing's annotations",
        "annotations/briefing.yaml",
        "# reviewed\n",
    ),
    ("2022-05-06T12:00:00+00:00", "Correct the response's text", "sources/response.md", "\n"),
    ("2023-07-08T12:00:00+00:00", "Reword the about page", "docs/about.md", "\nReworded.\n"),
)
"""The project's commits: (date, subject, file appended to, text appended). The briefing's last
change is to its annotations, the response's to its article, and the last commit touches neither."""
LAST_CHANGE = {SOURCE: "March 4, 2021", OTHER_SOURCE: "May 6, 2022"}
FIRST_COMMIT = "Wed, 15 Jan 2020"


def _git(project: Path, *args: str, date: str = "") -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Archive tests",
        "GIT_AUTHOR_EMAIL": "tests@example.org",
        "GIT_COMMITTER_NAME": "Archive tests",
        "GIT_COMMITTER_EMAIL": "tests@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def make_template(dest: Path) -> Path:
    """The project every compatibility build copies, with its git history."""
    for folder in ("sources", "annotations"):
        shutil.copytree(ARCHIVE / folder, dest / folder)
    stub_docs(dest / "docs")
    shutil.copytree(OVERLAY / "docs", dest / "docs", dirs_exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    _git(dest, "init", "-q")
    for date, subject, path, text in HISTORY:
        if path:
            with (dest / path).open("a", encoding="utf-8") as file:
                file.write(text)
        _git(dest, "add", "-A")
        _git(dest, "commit", "-q", "-m", subject, date=date)
    return dest


def with_plugins(config: str, before: list[Any], after: list[Any]) -> str:
    """``config`` (the text of mkdocs.yml) with ``before`` and ``after`` listed around ``archive``."""
    match = re.search(r"^plugins:\n((?:  .*\n)+)", config, flags=re.MULTILINE)
    assert match, "mkdocs.yml has no plugins list"

    def listed(plugins: list[Any]) -> str:
        if not plugins:
            return ""
        text = yaml.safe_dump(plugins, default_flow_style=False, sort_keys=False)
        return "".join(f"  {line}\n" for line in text.splitlines())

    block = f"plugins:\n{listed(before)}{match.group(1)}{listed(after)}"
    return config[: match.start()] + block + config[match.end() :]


@dataclass(frozen=True)
class Setup:
    """One build: plugins listed before and after ``archive``, and files written over the project's."""

    before: list[Any] = field(default_factory=list)
    after: list[Any] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Built:
    """What a build left: the site, the error that stopped it (None when it passed) and its log."""

    site: Site
    error: str | None
    log: str

    def passed(self) -> Site:
        """The site, after asserting the strict build passed (the log says why it did not)."""
        assert self.error is None, f"{self.error}\n{self.log}"
        return self.site


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


def build_with(template: Path, dest: Path, setup: Setup) -> Built:
    """Copy ``template`` to ``dest``, apply ``setup`` and build it with ``--strict``."""
    shutil.copytree(template, dest)
    config = dest / "mkdocs.yml"
    config.write_text(
        with_plugins(config.read_text(encoding="utf-8"), setup.before, setup.after), encoding="utf-8"
    )
    for path, text in setup.files.items():
        (dest / path).write_text(text, encoding="utf-8")
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    error: str | None = None
    cwd = Path.cwd()
    # Plugins that keep a cache (privacy, rss) put it under the working directory.
    os.chdir(dest)
    try:
        loaded = load_config(str(config), strict=True, site_dir=str(dest / "site"))
        # As `mkdocs build` does: some plugins set themselves up in on_startup.
        loaded.plugins.on_startup(command="build", dirty=False)
        try:
            build(loaded)
        finally:
            loaded.plugins.on_shutdown()
    except (Abort, MkDocsException) as caught:
        error = f"{type(caught).__name__}: {caught}"
    except Exception:
        # A plugin that crashes on a generated page: the traceback says which and where.
        error = traceback.format_exc()
    finally:
        os.chdir(cwd)
        logger.removeHandler(collect)
    return Built(Site(dest, dest / "site"), error, "\n".join(collect.lines))
