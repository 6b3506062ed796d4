"""visuals/ holds the current maps of the bundled dataset and screenshots of exactly those maps.

Regenerate with `python scripts/visuals.py` when this fails.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dutygraph.maps import gallery_specs, write_gallery
from dutygraph.model import Dataset

VISUALS = Path(__file__).resolve().parent.parent / "visuals"
STALE = "visuals/ is stale: run `python scripts/visuals.py`"


def test_visuals_hold_every_map_of_the_gallery(liaocheng: Dataset) -> None:
    names = {name for name, _ in gallery_specs(liaocheng)}
    assert names == {p.name for p in VISUALS.glob("*.html")}, STALE
    assert len(names) == 1 + len(liaocheng.domains)


def test_the_maps_are_what_dutygraph_generates_now(liaocheng: Dataset, tmp_path: Path) -> None:
    for fresh in write_gallery(liaocheng, tmp_path):
        assert fresh.read_bytes() == (VISUALS / fresh.name).read_bytes(), f"{fresh.name}: {STALE}"


def test_each_screenshot_was_taken_of_the_current_map() -> None:
    manifest = json.loads((VISUALS / "manifest.json").read_text(encoding="utf-8"))
    for html in VISUALS.glob("*.html"):
        entry = manifest.get(html.name)
        assert entry, f"{html.name} has no screenshot: {STALE}"
        png = VISUALS / entry["png"]
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert entry["screenshot_of"] == hashlib.sha256(html.read_bytes()).hexdigest(), f"{png.name}: {STALE}"
        for path in entry.get("paths", ()):  # decision paths shot on this map
            assert (VISUALS / path["png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_decision_path_is_among_the_screenshots() -> None:
    manifest = json.loads((VISUALS / "manifest.json").read_text(encoding="utf-8"))
    assert any(entry.get("paths") for entry in manifest.values()), STALE
