"""The user guides' screenshots are the browser journeys' own (issue 8): every picture a
guide shows exists in docs/screenshots/, is taken by a journey under that name (so `make
guides` renews it), and no picture lies there unused."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SCREENSHOTS = DOCS / "screenshots"
GUIDES = sorted(DOCS.glob("user-guide-*.md"))


def shown_in_guides() -> dict[str, list[str]]:
    shown = {}
    for guide in GUIDES:
        for name in re.findall(r"\]\(screenshots/([\w-]+)\.png\)", guide.read_text("utf-8")):
            shown.setdefault(name, []).append(guide.name)
    return shown


def taken_by_journeys() -> set[str]:
    names = set()
    for journey in (ROOT / "tests" / "e2e").glob("*.py"):
        names |= set(re.findall(r"shot\(\s*\w+,\s*\"([\w-]+)\"", journey.read_text("utf-8")))
    return names


def test_every_role_guide_shows_its_screens():
    shown = shown_in_guides()
    for guide in GUIDES:
        assert any(guide.name in guides for guides in shown.values()), f"{guide.name}: no picture"


def test_every_picture_exists_and_is_taken_by_a_journey():
    taken = taken_by_journeys()
    for name, guides in shown_in_guides().items():
        assert (SCREENSHOTS / f"{name}.png").is_file(), f"{name}.png missing ({guides})"
        assert name in taken, f"{name}: no browser journey takes this screenshot ({guides})"


def test_no_unused_picture():
    unused = {p.stem for p in SCREENSHOTS.glob("*.png")} - set(shown_in_guides())
    assert not unused, f"pictures no guide shows: {sorted(unused)}"
