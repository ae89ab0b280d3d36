"""Each statement's history from git, on a repository made in the test: commits that add, change,
rename, move and remove statements and change a source's text, then the site, its feed, the exports
and ``archive history`` built from it; and a shallow clone of it, which builds with one warning."""

from __future__ import annotations

import gzip
import html
import json
import logging
import os
import re
import subprocess
from typing import TYPE_CHECKING

import pytest

from build_tools.cli import main
from build_tools.gitlog import last_commits
from build_tools.history import read_history
from tests.conftest import CASES, Site, build_site, make_project, set_option

if TYPE_CHECKING:
    from pathlib import Path

DAY = 86_400
START = 1_804_464_000  # 2027-03-08 (UTC)
REPO_URL = "https://github.com/example/archive"


def _git(repo: Path, *args: str, when: int = START) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"@{when} +0000",
        "GIT_COMMITTER_DATE": f"@{when} +0000",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)


def _commit(repo: Path, day: int, message: str) -> None:
    _git(repo, "add", "-A", when=START + day * DAY)
    _git(repo, "commit", "-q", "-m", message, when=START + day * DAY)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``render-nested`` archive, committed in six steps over six days (built with a page per
    statement and the repository's address)."""
    project = make_project(tmp_path_factory.mktemp("history") / "repo", CASES / "render-nested")
    set_option(project, "statement_pages", "true")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"repo_url: {REPO_URL}\n", encoding="utf-8")
    (project / ".gitignore").write_text(".cache/\nsite/\n", encoding="utf-8")
    _git(project, "init", "-q")
    _commit(project, 0, "Add the briefing and the response")
    notes, briefing = project / "annotations" / "briefing.yaml", project / "sources" / "briefing.md"
    _edit(
        notes,
        "  - id: ministry-schools\n    quote: The ministry later said the centres were schools.\n"
        "    speaker: foreign-ministry\n    claim_type: euphemism",
        "  - id: ministry-schools\n    quote: The ministry later said the centres were schools.\n"
        "    speaker: foreign-ministry\n    claim_type: accusation",
    )
    _commit(
        project, 1, "Correct the claim type of ministry-schools\n\nThe ministry accuses; it does not soften."
    )
    _edit(notes, "id: groups-internment", "id: rights-groups-camps")
    _edit(notes, "annotation: groups-internment", "annotation: rights-groups-camps")
    _commit(project, 2, "Rename groups-internment")
    _edit(notes, "  - id: hua-double-standards\n", "  - id: hua-double-standards-x\n")
    text = notes.read_text(encoding="utf-8")
    start = text.index("  - id: hua-double-standards-x\n")
    end = text.index("  - id: rights-groups-camps")
    notes.write_text(text[:start] + text[end:], encoding="utf-8")
    _commit(project, 3, "Remove hua-double-standards: the quote is not Hua's")
    _edit(briefing, "adding that", "adding firmly that")
    _commit(project, 4, "Correct the briefing's text from the wire copy")
    response = project / "annotations" / "response.yaml"
    response.rename(project / "annotations" / "response-notes.yaml")
    _edit(project / "annotations" / "response-notes.yaml", "annotations:", "source: response\nannotations:")
    _commit(project, 5, "Rename the response's annotation file")
    return project


@pytest.fixture(scope="module")
def site(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build_site(repo, tmp_path_factory.mktemp("history-site"))


def test_the_history_follows_changes_renames_and_removals(repo: Path) -> None:
    history, problem = read_history(repo / "sources", repo / "annotations", repo / ".cache" / "history")
    assert problem is None
    schools = history.of("ministry-schools")
    assert [(e.date, e.action, e.correction) for e in schools] == [
        ("2027-03-08", "added", False),
        ("2027-03-09", "changed", True),
    ]
    assert schools[1].describe() == ["claim type: euphemism → accusation"]
    renamed = history.of("rights-groups-camps")
    assert [e.describe() for e in renamed] == [[], ["id: groups-internment → rights-groups-camps"]]
    assert not renamed[1].correction
    removed = history.of("hua-double-standards")
    assert [(e.action, e.correction) for e in removed] == [("added", False), ("removed", True)]
    text = history.sources["briefing"]
    assert text[-1].describe() == [
        "text: Hua Chunying said, adding that *critics* apply <double"
        " → Hua Chunying said, adding firmly that *critics* apply <double"
    ]
    assert text[-1].correction
    # The moved annotation file changed nothing about its statements.
    assert [e.date for e in history.of("official-no-sickness")] == ["2027-03-08"]
    assert (repo / ".cache" / "history" / "commits.json").is_file()
    assert any((repo / ".cache" / "history" / "blobs").iterdir())
    # The same log dates each file, as git's log of the files alone would.
    assert history.committed == last_commits([repo / "sources", repo / "annotations"])
    assert history.committed[(repo / "sources" / "briefing.md").resolve()] == START + 4 * DAY


def test_a_second_read_uses_the_cache_and_gives_the_same(repo: Path) -> None:
    cache = repo / ".cache" / "history"
    first, _ = read_history(repo / "sources", repo / "annotations", cache)
    kept = (cache / "commits.json").stat().st_mtime_ns
    second, _ = read_history(repo / "sources", repo / "annotations", cache)
    assert second == first
    assert (cache / "commits.json").stat().st_mtime_ns == kept
    # A cache kept without the files' dates has them read from git's log again, and keeps them.
    kept_data = json.loads((cache / "commits.json").read_text(encoding="utf-8"))
    del kept_data["files"]
    (cache / "commits.json").write_text(json.dumps(kept_data), encoding="utf-8")
    assert read_history(repo / "sources", repo / "annotations", cache)[0] == first
    assert "files" in json.loads((cache / "commits.json").read_text(encoding="utf-8"))
    # Without the kept commits, the kept versions of files give the same history again.
    (cache / "commits.json").unlink()
    third, _ = read_history(repo / "sources", repo / "annotations", cache)
    assert third == first


def test_cards_show_when_each_statement_was_added_and_corrected(site: Site) -> None:
    page = site.page("sources/briefing/")
    card = page[page.index('id="ministry-schools"') :]
    card = card[: card.index("</article>")]
    assert "<summary>Added 8 March 2027 · changed once, last 9 March 2027 (1 correction)</summary>" in card
    assert "claim type: euphemism → accusation" in card
    assert f'href="{REPO_URL}/commit/' in card
    assert "Article: Correction" in card  # the text changed after the statement was added
    assert "hua-double-standards" not in page
    assert 'id="rights-groups-camps"' in page


def test_a_statement_page_lists_its_changes_newest_first(site: Site) -> None:
    page = site.page("statements/ministry-schools/")
    history = page[page.index("<h2>History</h2>") :]
    assert "Added 8 March 2027 · changed once, last 9 March 2027 (1 correction)." in history
    items = re.findall(r"<li>(.*?)</li>", history)
    assert [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in items] == [
        "12 March 2027 Article: Correction text: Hua Chunying said, adding that *critics* apply <double"
        " → Hua Chunying said, adding firmly that *critics* apply <double"
        " — Correct the briefing's text from the wire copy",
        "9 March 2027 Correction claim type: euphemism → accusation"
        " — Correct the claim type of ministry-schools",
        "8 March 2027 Added — Add the briefing and the response",
    ]
    assert '<strong class="archive-change archive-change--correction">Correction</strong>' in items[1]
    assert f'href="{REPO_URL}/commit/' in items[1]


def test_a_renamed_statements_page_keeps_its_history_from_before(site: Site) -> None:
    page = site.page("statements/rights-groups-camps/")
    assert "Added 8 March 2027 · changed once, last 10 March 2027." in page
    assert "id: groups-internment → rights-groups-camps — <q>" in page
    assert not (site.root / "statements" / "groups-internment").exists()


def test_a_removed_statement_has_no_page_but_its_removal_is_listed(site: Site) -> None:
    assert not (site.root / "statements" / "hua-double-standards").exists()
    assert (site.root / "statements" / "hua-sickness" / "index.html").is_file()
    assert "(<code>hua-double-standards</code>, since removed)" in site.page("changes/")


def test_the_changes_page_lists_corrections_apart_from_additions(site: Site) -> None:
    page = site.page("changes/")
    subjects = [
        "Correct the briefing&#x27;s text from the wire copy",
        "Remove hua-double-standards: the quote is not Hua&#x27;s",
        "Rename groups-internment",
        "Correct the claim type of ministry-schools",
        "Add the briefing and the response",
    ]
    at = [page.index(subject) for subject in subjects]
    assert at == sorted(at)  # newest first
    assert "Rename the response" not in page  # it changed no statement
    assert "The ministry accuses; it does not soften." in page
    assert "(<code>hua-double-standards</code>, since removed)" in page
    assert page.count("archive-change--correction") == 3
    # A commit's additions are one line per article, the statements listed in a disclosure.
    assert page.count("archive-change--added") == 2
    assert "7 statements in" in page and page.count("<summary>The statements</summary>") == 1
    for added in ("hua-cure-overlap", "hua-efforts", "rights-groups-camps", "official-no-sickness"):
        assert f'#{added}">' in page
    assert 'href="../exports/changes.atom"' in page


def test_the_feed_has_one_entry_per_commit(site: Site) -> None:
    feed = (site.root / "exports" / "changes.atom").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 5
    assert "<title>Correct the claim type of ministry-schools</title>" in feed
    assert "Correction: statement ministry-schools: claim type: euphemism → accusation" in feed
    assert f'href="{REPO_URL}/commit/' in feed


def test_the_exports_carry_each_statements_history(site: Site) -> None:
    with gzip.open(site.root / "exports" / "archive.json.gz") as raw:
        data = json.load(raw)
    schools = next(a for a in data["annotations"] if a["id"] == "ministry-schools")
    assert [(e["action"], e["correction"], e["time"]) for e in schools["history"]] == [
        ("added", False, "2027-03-08T00:00:00Z"),
        ("changed", True, "2027-03-09T00:00:00Z"),
    ]
    assert schools["history"][1]["changes"] == [
        {
            "field": "claim_type",
            "from": "euphemism",
            "to": "accusation",
            "description": "claim type: euphemism → accusation",
        }
    ]
    renamed = next(a for a in data["annotations"] if a["id"] == "rights-groups-camps")
    assert renamed["history"][0]["id"] == "groups-internment"
    with gzip.open(site.root / "exports" / "annotations.jsonld.gz") as raw:
        collection = json.load(raw)
    items = {item["id"].rpartition("#")[2]: item for item in collection["first"]["items"]}
    assert items["ministry-schools"]["created"] == "2027-03-08T00:00:00Z"
    assert items["ministry-schools"]["modified"] == "2027-03-09T00:00:00Z"
    assert "modified" not in items["hua-efforts"]
    assert collection["generator"]["type"] == "Software"


def test_the_command_prints_the_same_history(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.chdir(repo)
    assert main(["history", "groups-internment"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("`groups-internment` is now `rights-groups-camps`\n")
    assert "2027-03-10  changed" in out
    assert "id: groups-internment → rights-groups-camps" in out
    assert main(["history", "ministry-schools"]) == 0
    out = capsys.readouterr().out
    assert "2027-03-09  correction" in out
    assert "claim type: euphemism → accusation" in out
    assert "source briefing: Correct the briefing's text from the wire copy" in out
    assert main(["history", "no-such-statement"]) == 1


def test_a_shallow_clone_builds_with_one_warning_and_no_history(
    repo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        built = build_site(clone, tmp_path / "site", strict=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "shallow clone" in warnings[0]
    assert "archive-card__history" not in built.page("sources/briefing/")
    assert "could not read the repository" in built.page("changes/")


def test_builds_in_one_process_read_the_history_once(
    repo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # MkDocs keeps one instance of the plugin in a process, as the dev server does across rebuilds.
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build_site(repo, tmp_path / "one")
        build_site(repo, tmp_path / "two")
    reads = [r for r in caplog.records if "read the history of" in r.getMessage()]
    assert len(reads) <= 1
    assert "archive-card__history" in (tmp_path / "two" / "sources/briefing/index.html").read_text("utf-8")


def test_a_commit_after_a_cached_read_is_read_and_the_rest_kept(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo", CASES / "render-nested")
    _git(project, "init", "-q")
    _commit(project, 0, "Add the archive")
    cache = tmp_path / "cache"
    read_history(project / "sources", project / "annotations", cache)
    _edit(project / "annotations" / "briefing.yaml", "role: Spokeswoman", "role: Spokesperson")
    _commit(project, 1, "Name Hua's role as the ministry does")
    cached, _ = read_history(project / "sources", project / "annotations", cache)
    fresh, _ = read_history(project / "sources", project / "annotations", None)
    assert cached == fresh
    assert [e.describe() for e in cached.of("hua-sickness")] == [[], ["role: Spokeswoman → Spokesperson"]]
    assert not cached.of("hua-sickness")[1].correction
