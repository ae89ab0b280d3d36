"""The claim-type categories are not told by colour alone, and their colours stay apart for readers
with the commonest colour-vision deficiencies.

The colours are read from the stylesheet. Deuteranopia and protanopia are simulated at full
severity with the matrices of Machado, Oliveira and Fernandes (2009), as ColorAide applies them;
the distance between two colours is CIEDE2000.
"""

from __future__ import annotations

import itertools
import re

import pytest
from coloraide import Color

from build_tools.load import load_archive
from build_tools.plugin import ASSETS
from build_tools.render.context import PALETTE_SIZE, Context
from tests.conftest import SEED

CSS = (ASSETS / "archive.css").read_text(encoding="utf-8")
SLATE_BACKGROUND = Color("#1e2129")
"""Material's dark (slate) page background, ``hsla(225deg, 15%, 14%)``: the dark scheme's
highlights are translucent and are seen over it."""
MIN_DELTA_E = 5.0
"""The least CIEDE2000 distance between two categories' highlights, under each simulation. One unit
is about the smallest difference seen between two patches side by side; highlights are seen apart,
across lines of text, so they must differ by several of those: at 5 two colours read as different
colours rather than as shades of one. (Before the palette was chosen with this test, a deuteranope
saw blue and purple highlights 0.8 apart, and in the dark scheme green and red 1.0 apart.)"""
MIN_TEXT_CONTRAST = 7.0
"""The text on a highlight keeps WCAG's enhanced contrast (axe-core asks for 4.5:1)."""
VISIONS = {"typical": None, "deuteranopia": "deutan", "protanopia": "protan"}


def _highlights(scheme: str) -> dict[str, Color]:
    """The highlight background of each category class (``hl-c0`` ... ), as seen on the page."""
    prefix = r'\[data-md-color-scheme="slate"\] ' if scheme == "dark" else ""
    found = re.findall(rf"^{prefix}\.(hl-c\d+) \{{ --archive-hl: ([^;]+);", CSS, flags=re.MULTILINE)
    colours = {name: Color(value) for name, value in found}
    if scheme == "dark":
        colours = {name: Color.layer([colour, SLATE_BACKGROUND]) for name, colour in colours.items()}
    return colours


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_category_class_has_its_colours(scheme: str) -> None:
    assert sorted(_highlights(scheme)) == sorted(f"hl-c{n}" for n in range(PALETTE_SIZE + 1))


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_categories_colours_stay_apart(scheme: str, vision: str) -> None:
    deficiency = VISIONS[vision]
    seen = {
        name: colour if deficiency is None else colour.clone().filter(deficiency, method="machado")
        for name, colour in _highlights(scheme).items()
    }
    close = [
        (a, b, round(seen[a].delta_e(seen[b], method="2000"), 1))
        for a, b in itertools.combinations(sorted(seen), 2)
        if seen[a].delta_e(seen[b], method="2000") < MIN_DELTA_E
    ]
    assert close == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_highlighted_text_keeps_its_contrast(scheme: str) -> None:
    text = Color("white" if scheme == "dark" else "black")
    low = {name: round(c.contrast(text), 2) for name, c in _highlights(scheme).items()}
    assert {name: ratio for name, ratio in low.items() if ratio < MIN_TEXT_CONTRAST} == {}


def test_every_category_has_a_mark_of_its_own() -> None:
    archive = load_archive(SEED / "sources", SEED / "annotations", root=SEED).archive
    ctx = Context(archive)
    categories = {t.category for t in archive.claim_types.values() if t.category}
    marks = [ctx.category_mark[c] for c in sorted(categories)]
    assert all(marks)
    assert len(set(marks)) == len(marks) == len(categories)
    assert ctx.category_mark[None] not in marks
