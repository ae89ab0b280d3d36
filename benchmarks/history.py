"""What reading each statement's history from git adds to a build.

A synthetic archive (``benchmarks.synthetic``, 1,000 articles by default) is committed in a git
repository over 200 commits: the first holds 80 % of the articles, then each commit either adds an
article or corrects one (a claim type, a summary, a sentence added to an article's text). The
project is then built with ``python -m mkdocs build``: with the plugin's ``history: false``, with
the history and no cache (every version of every file parsed), then ``--pairs`` times each with the
cache that build left in ``.cache/history/`` (what every later build does) and without history,
taking turns: successive builds of one project drift (their system time grows as the site folder
is emptied and written again), and taking turns gives both the same drift. Each build's wall-clock
time and processor time (its processes' user and system time, which other work on the machine
disturbs less) are printed; the figures compared are the median processor times.

    python -m benchmarks.history --articles 1000 --commits 200
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import yaml

from benchmarks.project import PLUGIN, mkdocs_build, plugin_project

_READ = re.compile(r"read the history of (\d+) statements from git in ([\d.]+) s")


def _git(repo: Path, *args: str, when: int = 0) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"@{1_800_000_000 + when * 3600} +0000",
        "GIT_COMMITTER_DATE": f"@{1_800_000_000 + when * 3600} +0000",
        "GIT_AUTHOR_NAME": "Benchmark",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "Benchmark",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)


def _commit(repo: Path, number: int, message: str) -> None:
    _git(repo, "add", "-A", when=number)
    _git(repo, "commit", "-q", "-m", message, when=number)


def make_history(project: Path, commits: int, seed: int = 1) -> None:
    """Commit the archive in ``project`` over ``commits`` commits (see the module's docstring)."""
    rng = random.Random(seed)
    held = project.parent / "held"
    held.mkdir()
    articles = sorted((project / "sources").glob("*.md"))
    later = articles[int(len(articles) * 0.8) :]
    for source in later:
        for path in (source, project / "annotations" / f"{source.stem}.yaml"):
            path.rename(held / path.name)
    (project / ".gitignore").write_text(".cache/\nsite/\n", encoding="utf-8")
    _git(project, "init", "-q")
    _commit(project, 0, "Add the first articles")
    claim_types = [k for k in yaml.safe_load((project / "annotations/claim_types.yaml").read_text("utf-8"))]
    for number in range(1, commits):
        if number % 2 and later:
            stem = later.pop(0).stem
            for name in (f"{stem}.md", f"{stem}.yaml"):
                folder = "sources" if name.endswith(".md") else "annotations"
                (held / name).rename(project / folder / name)
            _commit(project, number, f"Add {stem}")
            continue
        stem = rng.choice(articles[: len(articles) - len(later)]).stem
        notes = project / "annotations" / f"{stem}.yaml"
        text = notes.read_text(encoding="utf-8")
        old = rng.choice(re.findall(r"claim_type: (\S+)", text))
        text = text.replace(f"claim_type: {old}", f"claim_type: {rng.choice(claim_types)}", 1)
        notes.write_text(
            text.replace("summary: Statement", "summary: Corrected statement", 1), encoding="utf-8"
        )
        if number % 4 == 0:
            source = project / "sources" / f"{stem}.md"
            source.write_text(
                source.read_text(encoding="utf-8") + "\nA sentence the wire added later.\n", encoding="utf-8"
            )
        _commit(project, number, f"Correct {stem}")
    shutil.rmtree(held)


def _with_history(project: Path, *, on: bool) -> None:
    config_path = project / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    plugins = []
    for entry in config["plugins"]:
        if isinstance(entry, dict) and PLUGIN in entry:
            entry = {PLUGIN: {**(entry[PLUGIN] or {}), "history": on}}
        plugins.append(entry)
    config["plugins"] = plugins
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--statements", type=int, default=10)
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--pairs", type=int, default=3, help="builds with the cache and without, in turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="history-bench-") as temp:
        work = Path(temp)
        project = plugin_project(work / "project", args.articles, args.statements)
        make_history(project, args.commits)
        timings: dict[str, list[float]] = {}
        runs = [("without history", False), ("history, no cache", True)]
        runs += [("history, cached", True), ("without history", False)] * args.pairs
        for n, (label, on) in enumerate(runs):
            _with_history(project, on=on)
            log = work / f"{n}.log"
            before = _cpu()
            measured = mkdocs_build(project, work / "site", log)
            cpu = _cpu() - before
            read = _READ.search(log.read_text(encoding="utf-8", errors="replace"))
            timings.setdefault(label, []).append(cpu)
            extra = f"; history of {read[1]} statements read in {read[2]} s" if read else ""
            print(f"{label}: {measured.seconds:.1f} s wall, {cpu:.1f} s processor{extra}", flush=True)
        base = statistics.median(timings["without history"])
        for label in ("history, no cache", "history, cached"):
            added = 100 * (statistics.median(timings[label]) - base) / base
            print(f"{label}: {added:+.1f} % processor time (target: at most +10 % cached)")


def _cpu() -> float:
    """The processor time of this process's ended children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
