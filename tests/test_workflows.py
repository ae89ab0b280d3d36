"""CI and contributor tooling: the GitHub workflows, the pre-commit hooks and the contributor pages.

The workflows are checked with actionlint (its binary comes with the `test` extra), and against the
README: CI sets up and builds with the same `make` commands a newcomer runs.
"""

from __future__ import annotations

import gzip
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import SEED, build_site, make_project

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS_DIR = REPO / ".github" / "workflows"
WORKFLOWS = sorted([*WORKFLOWS_DIR.glob("*.yml"), *WORKFLOWS_DIR.glob("*.yaml")])
PULL_REQUEST = WORKFLOWS_DIR / "pull-request.yml"
PUBLISH = WORKFLOWS_DIR / "publish.yml"
BIN = Path(sys.executable).parent
BAD_CASE = REPO / "tests" / "cases" / "validate" / "bad" / "references"

# Only actionlint's own checks: shellcheck and pyflakes are used when found on PATH, which would
# make the result depend on the machine.
ACTIONLINT_FLAGS = ["-no-color", "-oneline", "-shellcheck=", "-pyflakes="]

Step = dict[str, Any]
Job = dict[str, Any]


def actionlint() -> str:
    found = BIN / "actionlint"
    if found.exists():
        return str(found)
    on_path = shutil.which("actionlint")
    assert on_path, "actionlint is missing: install the test extra (`make test` does)"
    return on_path


def run_actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint(), *ACTIONLINT_FLAGS, *map(str, files)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a mapping"
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean true.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def jobs(path: Path) -> dict[str, Job]:
    found = load(path)["jobs"]
    assert isinstance(found, dict)
    return found


def steps(path: Path) -> list[Step]:
    return [step for job in jobs(path).values() for step in job["steps"]]


def commands(job: Job) -> list[str]:
    """Every shell line the job runs, one per element, in order."""
    lines: list[str] = []
    for step in job["steps"]:
        if "run" in step:
            lines.extend(line.strip() for line in str(step["run"]).splitlines() if line.strip())
    return lines


def all_commands(path: Path) -> list[str]:
    return [line for job in jobs(path).values() for line in commands(job)]


def uses(path: Path, action: str) -> list[Step]:
    return [step for step in steps(path) if str(step.get("uses", "")).startswith(action + "@")]


def readme_commands() -> list[str]:
    """The commands in the README's shell blocks, comments dropped."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found: list[str] = []
    for block in re.findall(r"```(?:sh|bash|console)\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if command:
                found.append(command)
    return found


# actionlint


def test_both_workflows_exist() -> None:
    assert PULL_REQUEST in WORKFLOWS
    assert PUBLISH in WORKFLOWS


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actionlint_passes(workflow: Path) -> None:
    result = run_actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


BROKEN = {
    "unknown-key": (
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz:\n      - run: make test\n",
        'unexpected key "stepz"',
    ),
    "bad-expression": (
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo ${{ github.evnt.number }}\n",
        'property "evnt" is not defined',
    ),
    "missing-job": (
        "on: push\njobs:\n  a:\n    needs: build\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: make site\n",
        'needs job "build" which does not exist',
    ),
    "bad-trigger": (
        "on: pull-request\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: make test\n",
        'unknown Webhook event "pull-request"',
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_actionlint_fails_on_a_broken_workflow(tmp_path: Path, name: str) -> None:
    text, message = BROKEN[name]
    broken = tmp_path / f"{name}.yml"
    broken.write_text(text, encoding="utf-8")
    result = run_actionlint(broken)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stdout
    assert re.search(rf"{re.escape(broken.name)}:\d+:\d+: ", result.stdout)


# The workflows use the README's commands


def test_readme_lists_the_two_make_commands() -> None:
    assert readme_commands() == ["make site", "make test"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflows_install_only_through_make(workflow: Path) -> None:
    for line in all_commands(workflow):
        assert not re.search(r"\bpip3?\b|-m venv|\bvirtualenv\b|\buv\b|\bpoetry\b", line), (
            f"{workflow.name} installs by hand (`{line}`): use the README's make commands"
        )


def test_pull_request_runs_the_readme_commands() -> None:
    lines = all_commands(PULL_REQUEST)
    for command in readme_commands():
        assert command in lines, f"pull-request.yml does not run `{command}`"


def test_publish_builds_with_make_site() -> None:
    assert "make site" in all_commands(PUBLISH)


def test_pull_request_validates_with_github_annotations_before_the_build() -> None:
    (job,) = [job for job in jobs(PULL_REQUEST).values() if "make site" in commands(job)]
    lines = commands(job)
    validate = [i for i, line in enumerate(lines) if "archive validate --strict --format github" in line]
    assert validate, "pull-request.yml does not run `archive validate --strict --format github`"
    (first,) = validate
    assert first < lines.index("make site")
    # It runs the archive command that make installed, after the Makefile's install step.
    assert shlex.split(lines[first])[0] == ".venv/bin/archive"
    assert any(line.startswith("make ") for line in lines[:first])
    # A failing validation must fail the job.
    for step in job["steps"]:
        if "archive validate" in str(step.get("run", "")):
            assert not step.get("continue-on-error", False)


def test_the_validate_step_turns_a_broken_annotation_into_positioned_github_errors() -> None:
    (line,) = [line for line in all_commands(PULL_REQUEST) if "archive validate" in line]
    argv = shlex.split(line)
    argv[0] = str(BIN / "archive")
    result = subprocess.run(argv, cwd=BAD_CASE, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert re.search(
        r"^::error file=annotations/briefing\.yaml,line=\d+,col=\d+", result.stdout, flags=re.MULTILINE
    ), result.stdout


def test_pull_request_builds_with_properdocs_in_a_job_of_its_own() -> None:
    (job,) = [job for job in jobs(PULL_REQUEST).values() if "make properdocs" in commands(job)]
    # Its own job: no .venv with MkDocs in it from `make site` or `make test`.
    assert commands(job) == ["make properdocs"]
    assert not job["steps"][-1].get("continue-on-error", False)


def test_pull_request_uploads_the_site() -> None:
    assert triggers(load(PULL_REQUEST)).keys() == {"pull_request"}
    (upload,) = uses(PULL_REQUEST, "actions/upload-artifact")
    assert str(upload["with"]["path"]).rstrip("/") == "site"
    assert upload["with"].get("if-no-files-found") == "error"


def test_the_preview_points_at_the_address_it_is_served_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built as the pull-request workflow builds it, no file (exports decompressed) names the
    development server, and the address the summary's command serves it at is used."""
    (build,) = [step for step in steps(PULL_REQUEST) if step.get("run") == "make site"]
    url = build["env"]["SITE_URL"]
    (summary,) = [step for step in steps(PULL_REQUEST) if "GITHUB_STEP_SUMMARY" in str(step.get("run"))]
    port = urlsplit(url).port
    assert f"python -m http.server {port} --directory" in summary["run"]
    assert f"<{url}>" in summary["run"]
    monkeypatch.setenv("SITE_URL", url)
    site = build_site(make_project(tmp_path / "project", SEED))
    used = []
    # Material's source map quotes its own code, which mentions the address: not a link.
    for path in sorted(p for p in site.root.rglob("*") if p.is_file() and p.suffix != ".map"):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        assert b"127.0.0.1" not in data, path
        if url.encode() in data:
            used.append(path.relative_to(site.root).as_posix())
    assert {"exports/index.json", "sources/index.html"} <= set(used)


def test_publish_deploys_to_pages_with_the_official_actions() -> None:
    workflow = load(PUBLISH)
    on = triggers(workflow)
    assert on.keys() == {"push", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert len(uses(PUBLISH, action)) == 1, action
    (upload,) = uses(PUBLISH, "actions/upload-pages-artifact")
    assert str(upload["with"]["path"]).rstrip("/") == "site"
    (deploy,) = [job for job in jobs(PUBLISH).values() if uses_in(job, "actions/deploy-pages")]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"


def uses_in(job: Job, action: str) -> bool:
    return any(str(step.get("uses", "")).startswith(action + "@") for step in job["steps"])


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_setup_python_caches_pip_on_the_pinned_requirements(workflow: Path) -> None:
    setups = uses(workflow, "actions/setup-python")
    assert setups
    for step in setups:
        options = step["with"]
        # A string: an unquoted 3.10 would be read as 3.1.
        assert options["python-version"] == "3.11"
        assert options["cache"] == "pip"
        assert set(options["cache-dependency-path"].split()) == {"constraints.txt", "pyproject.toml"}


def test_actions_are_pinned_the_same_way() -> None:
    refs = [str(step["uses"]) for workflow in WORKFLOWS for step in steps(workflow) if "uses" in step]
    assert refs
    major = [ref for ref in refs if re.fullmatch(r"actions/[\w.-]+@v\d+", ref)]
    sha = [ref for ref in refs if re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref)]
    assert sorted(major) == sorted(refs) or sorted(sha) == sorted(refs), refs
    versions: dict[str, set[str]] = {}
    for ref in refs:
        name, version = ref.split("@")
        versions.setdefault(name, set()).add(version)
    assert all(len(found) == 1 for found in versions.values()), versions


# pre-commit


def test_published_hook_runs_the_strict_validator() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (hook,) = hooks
    assert hook["id"] == "archive-validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["entry"] == "archive validate --strict"
    assert re.match(hook["files"], "sources/x.md")
    assert re.match(hook["files"], "annotations/x.yaml")
    assert not re.match(hook["files"], "docs/index.md")
    # `language: python` installs this package, so the entry must be one of its scripts.
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert shlex.split(hook["entry"])[0] in scripts


def local_hooks() -> dict[str, dict[str, Any]]:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert isinstance(config, dict)
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    return {hook["id"]: hook for hook in repo["hooks"]}


def _pins() -> dict[str, str]:
    lines = (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
    return {name.lower().replace("_", "-"): pin for name, _, pin in (line.partition("==") for line in lines)}


IMPORT_NAMES = {"pyyaml": "yaml"}
"""Packages whose import name is not their distribution's."""


def test_local_hooks_install_only_pinned_packages_and_need_no_venv() -> None:
    hooks = local_hooks()
    assert set(hooks) >= {"archive-validate", "ruff-check", "ruff-format"}
    pins = _pins()
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert ".venv" not in hook["entry"], hook["entry"]
        for requirement in hook["additional_dependencies"]:
            name, _, version = requirement.partition("==")
            assert pins[name.lower()] == version, requirement


def test_local_validate_hook_needs_only_its_listed_packages(tmp_path: Path) -> None:
    """The validator, run as the hook runs it, with every module outside the standard library,
    the package and the hook's packages made unimportable: it still checks an archive."""
    hook = local_hooks()["archive-validate"]
    argv = shlex.split(hook["entry"])
    assert argv[:3] == ["python", "-m", "build_tools"]
    assert argv[3:] == ["validate", "--strict"]
    assert hook["pass_filenames"] is False
    assert hook["files"] == "^(sources|annotations)/"
    allowed = {"build_tools"} | {
        IMPORT_NAMES.get(r.split("==")[0].lower(), r.split("==")[0].lower())
        for r in hook["additional_dependencies"]
    }
    script = tmp_path / "hook.py"
    script.write_text(
        "import importlib.abc, runpy, sys\n"
        f"allowed = set(sys.stdlib_module_names) | set({sorted(allowed)!r})\n"
        "class Only(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        top = name.split('.')[0]\n"
        "        if top not in allowed and top.lstrip('_') not in allowed:  # _yaml is PyYAML's\n"
        "            raise ImportError(f'the hook does not install {name}')\n"
        "sys.meta_path.insert(0, Only())\n"
        f"sys.argv = ['build_tools', *{argv[3:]!r}]\n"
        "runpy.run_module('build_tools', run_name='__main__', alter_sys=True)\n",
        encoding="utf-8",
    )
    case = REPO / "tests" / "cases" / "validate" / "good" / "base"
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=case,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout.startswith("0 errors")
    broken = subprocess.run(
        [sys.executable, str(script)],
        cwd=BAD_CASE,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert broken.returncode == 1, broken.stderr


# Contributor pages


def test_contributing_points_to_the_guide_and_the_make_commands() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)[^)]*\)", text)
    local = [link for link in links if not re.match(r"[a-z]+:", link)]
    assert "docs/contributing.md" in local
    for link in local:
        assert (REPO / link).exists(), f"CONTRIBUTING.md links to missing {link}"
    for command in readme_commands():
        assert command in text
    assert "archive validate --strict" in text


def test_pull_request_template_asks_for_sources_and_the_validator() -> None:
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8").lower()
    for phrase in ("source of each quote", "archive validate --strict", "claim type"):
        assert phrase in text, phrase
