"""What the validator tells a contributor: one message for one mistake, notices kept out of
GitHub's annotations, quote messages a person can act on."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from build_tools.load import load_archive
from tests.test_cli import CASES, run

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize("case", ["indent-three", "indent-six", "indent-tab", "colon-in-title"])
def test_one_mistake_gives_one_message(case: str) -> None:
    folder = CASES / "bad" / case
    problems = load_archive(folder / "sources", folder / "annotations", root=folder).problems
    assert len(problems) == 1, problems
    assert "did not find expected" not in problems[0].message


def test_the_six_space_indent_is_not_taken_for_an_unquoted_colon() -> None:
    folder = CASES / "bad" / "indent-six"
    (problem,) = load_archive(folder / "sources", folder / "annotations", root=folder).problems
    assert (problem.line, problem.col) == (14, 7)
    assert "must be quoted" not in problem.message
    assert "expected an indentation of 4 spaces" in problem.message
    assert "found 6" in problem.message


def test_github_format_leaves_notices_out_unless_asked(tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(CASES / "bad" / "ids", case)
    plain = run("validate", "--format", "github", cwd=case).stdout.splitlines()
    asked = run("validate", "--format", "github", "--notices", cwd=case).stdout.splitlines()
    assert not [line for line in plain if line.startswith("::notice")]
    notices = [line for line in asked if line.startswith("::notice")]
    assert len(notices) == 1
    assert "title=unused-claim-type" in notices[0]
    assert [line for line in asked if not line.startswith("::notice")][:-1] == plain[:-1]
    assert ": notice: " in run("validate", cwd=case).stdout


def _with(tmp_path: Path, body: str, entry: str) -> list[str]:
    """The problems (as printed) of the good case with the article text ``body`` and the one
    annotation ``entry``."""
    case = tmp_path / "case"
    shutil.copytree(CASES / "good" / "base", case)
    source = case / "sources" / "briefing.md"
    front = source.read_text(encoding="utf-8").split("---\n")[1]
    source.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    (case / "annotations" / "briefing.yaml").write_text(f"annotations:\n{entry}", encoding="utf-8")
    found = load_archive(case / "sources", case / "annotations", root=case).problems
    return [str(p) for p in found if p.code not in ("unused-speaker", "unused-claim-type")]


ENTRY = """\
  - id: the-quote
    quote: {quote}
    speaker: china
    claim_type: euphemism
"""


def test_the_closest_passage_is_whole_words_on_its_line_with_the_words_that_differ(
    tmp_path: Path,
) -> None:
    body = "Mr. Putin spoke first.\n\nThis used to be Russia's back yard, the official added.\n"
    found = _with(tmp_path, body, ENTRY.format(quote="this used to be Russia's backyard"))
    assert found == [
        "annotations/briefing.yaml:3:12: error: the quote is not in sources/briefing.md: the closest "
        "passage (line 8, 97% similar) is \u201cThis used to be Russia's back yard\u201d; where they differ: "
        "\u00abthis\u00bb \u2260 \u00abThis\u00bb, "
        "\u00abbackyard\u00bb \u2260 \u00abback yard\u00bb [quote-not-found]"
    ]


def test_context_not_found_names_the_file_and_the_words_around_each_occurrence(tmp_path: Path) -> None:
    body = "He said the camps help. Later the camps help \u201cpeople.\u201d\n"
    entry = ENTRY.format(quote="the camps help") + "    prefix: Beijing said\n"
    (found,) = _with(tmp_path, body, entry)
    assert found.endswith(
        "none of the 2 occurrences of the quote in sources/briefing.md has this `prefix`/`suffix` "
        'around it; copy the words around the one you mean: at 6:9 `prefix: "He said"` or '
        '`suffix: ". Later the camps help"`; at 6:31 `prefix: "said the camps help. Later"` or '
        '`suffix: "people."` [context-not-found]'
    )


def test_a_quote_across_a_paragraph_break_is_an_error(tmp_path: Path) -> None:
    body = "We built schools, he said.\n\nCritics say the schools are camps.\n"
    (found,) = _with(tmp_path, body, ENTRY.format(quote="We built schools, he said. Critics say"))
    assert found.startswith(
        "annotations/briefing.yaml:3:12: error: the quote runs across the paragraph break at line 7"
    )
    assert found.endswith("[quote-crosses-paragraphs]")


def test_reported_without_via_is_a_warning(tmp_path: Path) -> None:
    body = "China says the camps are schools.\n"
    entry = ENTRY.format(quote="China says the camps are schools.") + "    attribution: reported\n"
    assert [p.rsplit(" ", 1)[1] for p in _with(tmp_path, body, entry)] == ["[reported-without-via]"]
    assert _with(tmp_path / "b", body, entry + "    via: Xinhua\n") == []
