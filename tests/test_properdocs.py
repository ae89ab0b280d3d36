"""ProperDocs, the fork of MkDocs 1.x, builds the site with no MkDocs installed.

`make properdocs-install` makes `.venv-properdocs` (ProperDocs, Material and this package, not
MkDocs); the test builds the compatibility project with it. Only ``plugin.py`` may import MkDocs:
the rest of the package must serve another engine unchanged.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.compat import SOURCE, make_template
from tests.conftest import REPO

if TYPE_CHECKING:
    from pathlib import Path

VENV = REPO / ".venv-properdocs"
ENGINES = ("mkdocs", "properdocs")
ADAPTER = REPO / "build_tools" / "plugin.py"


def _clean_env() -> dict[str, str]:
    """The environment without the test run's PYTHONPATH or venv, so only the ProperDocs venv counts."""
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}


@pytest.fixture(scope="session")
def properdocs_venv() -> Path:
    """The venv ``make properdocs`` builds with, made by the Makefile as on a clean CI machine."""
    make = shutil.which("make")
    assert make, "make is missing"
    result = subprocess.run(
        [make, "properdocs-install"], cwd=REPO, env=_clean_env(), capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return VENV


def test_the_properdocs_venv_has_no_mkdocs(properdocs_venv: Path) -> None:
    python = properdocs_venv / "bin" / "python"
    found = subprocess.run(
        [str(python), "-c", "import importlib.util as u; print(u.find_spec('mkdocs') is None)"],
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "True"


def test_properdocs_builds_the_site_strictly(properdocs_venv: Path, tmp_path: Path) -> None:
    project = make_template(tmp_path / "project")
    result = subprocess.run(
        [str(properdocs_venv / "bin" / "properdocs"), "build", "--strict", "--config-file", "mkdocs.yml"],
        cwd=project,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "archive:" in result.stderr, "the archive plugin did not run"
    html = (project / "site" / SOURCE / "index.html").read_text(encoding="utf-8")
    assert 'id="hua-efforts"' in html
    assert (project / "site" / "pagefind").is_dir()


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module ``tree`` imports, statically or by a literal name, with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = ast.unparse(node.func)
            if name in ("importlib.import_module", "import_module", "__import__"):
                found.append((node.lineno, str(node.args[0].value)))
    return found


def test_only_the_plugin_imports_the_site_engine() -> None:
    imports = []
    for path in sorted((REPO / "build_tools").rglob("*.py")):
        if path == ADAPTER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in _imported_modules(tree):
            if module.split(".")[0] in ENGINES:
                imports.append(f"{path.relative_to(REPO)}:{line}: {module}")
    assert imports == [], "MkDocs is imported outside build_tools/plugin.py"


def test_the_import_check_sees_every_kind_of_import() -> None:
    source = (
        "import mkdocs\nfrom mkdocs.plugins import BasePlugin\n"
        "if TYPE_CHECKING:\n    from properdocs.config import x\n"
        "importlib.import_module('mkdocs.utils')\nfrom . import mkdocs_like\n"
    )
    modules = [module for _, module in _imported_modules(ast.parse(source))]
    engines = sorted(m for m in modules if re.match(r"(mkdocs|properdocs)\b", m))
    assert engines == ["mkdocs", "mkdocs.plugins", "mkdocs.utils", "properdocs.config"]
