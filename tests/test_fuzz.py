"""Property-based: whatever bytes contributors send, the validator answers with positioned problems
and never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from build_tools.codes import CODES
from build_tools.load import load_archive

BASE = Path(__file__).parent / "cases" / "validate" / "good" / "base"
FILES = sorted(p.relative_to(BASE).as_posix() for p in BASE.rglob("*") if p.is_file())
YAML_BITS = st.sampled_from(
    [":", "- ", "  ", "\t", "\n", "&a ", "*a", "[", "]", "{", "}", '"', "'", "#", "---", "\ufeff", "\r\n",
     "id: x", "quote: ", "speaker: [", "<<: *a", "!!python/object:os.system", "\x00", "\u00a0", "ü"]
)  # fmt: skip


def _check(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel in FILES:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files.get(rel, (BASE / rel).read_bytes()))
        loaded = load_archive(root / "sources", root / "annotations", root=root)
    for problem in loaded.problems:
        assert problem.path
        assert problem.line >= 1
        assert problem.col >= 1
        assert problem.code in CODES
        assert "\n" not in problem.message


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, bytes]:
    rel = draw(st.sampled_from(FILES))
    data = bytearray((BASE / rel).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "bytes"]))
        if action == "insert":
            data[at:at] = draw(YAML_BITS).encode()
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            data[at:at] = draw(st.binary(max_size=8))
    return {rel: bytes(data)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_give_positioned_problems(files: dict[str, bytes]) -> None:
    _check(files)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(FILES), st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
@example("annotations/briefing.yaml", b".\r\xc2\x85!")  # a text of two lines where a mapping belongs
def test_random_files_give_positioned_problems(rel: str, data: bytes) -> None:
    _check({rel: data})
