"""A content-only pull request passes what CI runs on content.

A copy of the repository gets what a volunteer's pull request brings: a new article (started with
``archive new`` from a raw text), annotations with new speakers, a new claim type and rebuttals of
both kinds (another statement, outside evidence). In the copy, ``archive validate --strict``
passes, and so do the tests that read the live archive, beside tests whose expected values come
from the fixture archives (which must not notice the new article).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

from build_tools.suggest import SCHEMA_LINE
from tests.conftest import REPO
from tests.test_cli import run

if TYPE_CHECKING:
    from pathlib import Path

RAW = """\
date 2021-06-01 Example Gazette, GENEVA

Claims over the centres

\u201cThe centres have closed and every trainee has graduated,\u201d said Zhao Examplename, a spokesman.

\u201cThe detention sites are still operating at full capacity,\u201d said Mira Samplewoman.

Zhao added that foreign critics were spreading rumours about the region.
"""
SOURCE_ID = "2021-06-01-example-gazette-claims-over-the-centres"
ANNOTATIONS = f"""\
{SCHEMA_LINE}
source: {SOURCE_ID}
annotations:
  - id: generated-zhao-centres-closed
    quote: The centres have closed and every trainee has graduated,
    speaker: generated-zhao-examplename
    claim_type: generated-closure-claim
    summary: The spokesman says the centres have closed.
    rebuttals:
      - annotation: generated-samplewoman-still-operating
      - title: A report on the sites still in use
        url: https://example.org/report
        publisher: Example Institute
        date: "2021-05"
  - id: generated-samplewoman-still-operating
    quote: The detention sites are still operating at full capacity,
    speaker: generated-mira-samplewoman
    claim_type: generated-closure-claim
    rebuttals:
      - annotation: generated-zhao-rumours
        relation: disputes
  - id: generated-zhao-rumours
    quote: foreign critics were spreading rumours about the region
    speaker: [generated-zhao-examplename]
    claim_type: generated-closure-claim
    attribution: paraphrase
"""
SPEAKERS = """
generated-zhao-examplename:
  name: Zhao Examplename
  kind: person
  roles:
    - title: Regional spokesman
      from: "2021"

generated-mira-samplewoman:
  name: Mira Samplewoman
  kind: person
  description: A researcher.
"""
CLAIM_TYPES = """
generated-closure-claim:
  label: Claim about closure
  definition: States whether the centres are still in use.
"""
CONTENT_TESTS = ("tests/test_live_archive.py", "tests/test_linked_data.py", "tests/test_exports.py")
"""What CI runs that reads the live archive, and tests built on the fixture archives beside them."""


def _copy(dest: Path) -> Path:
    for folder in ("sources", "annotations", "docs", "schemas"):
        shutil.copytree(REPO / folder, dest / folder)
    shutil.copytree(REPO / "tests", dest / "tests", ignore=shutil.ignore_patterns("__pycache__", "artifacts"))
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy(REPO / name, dest / name)
    return dest


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="\n") as out:
        out.write(text)


def test_a_new_annotated_article_passes_what_ci_runs_on_content(tmp_path: Path) -> None:
    copy = _copy(tmp_path / "repository")
    raw = tmp_path / "received.txt"
    raw.write_text(RAW, encoding="utf-8")
    started = run("new", str(raw), cwd=copy)
    assert started.returncode == 0, started.stderr
    assert (copy / "sources" / f"{SOURCE_ID}.md").is_file()
    (copy / "annotations" / f"{SOURCE_ID}.yaml").write_text(ANNOTATIONS, encoding="utf-8")
    _append(copy / "annotations" / "speakers.yaml", SPEAKERS)
    _append(copy / "annotations" / "claim_types.yaml", CLAIM_TYPES)

    validated = run("validate", "--strict", cwd=copy)
    assert validated.returncode == 0, validated.stdout

    # The copy's tests, with the package under test; pytest's own cache stays out of the copy.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(copy), str(REPO)])}
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *CONTENT_TESTS],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tested.returncode == 0, tested.stdout[-4000:] + tested.stderr[-2000:]
    assert " passed" in tested.stdout and " failed" not in tested.stdout
