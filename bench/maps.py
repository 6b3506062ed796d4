"""HTML map scale: generation time and in-browser time to the first stable frame for 100, 1,000 and 5,000 nodes.

    python bench/maps.py

Maps of synthetic datasets (bench/synth.py; 79 map nodes per city) are opened in headless Debian Chromium. "first
stable frame" is the time from navigation start to the first full drawing with the final (precomputed) layout;
"redraw" is the mean time of a full redraw afterwards (what panning and zooming cost); both from the page's own
performance clock. The size of the page is reported too.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import generate  # noqa: E402
from dutygraph.maps import build_map  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SIZES = {100: 1, 1_000: 13, 5_000: 64}  # target nodes: synthetic cities (79 map nodes each)


def main() -> None:
    from playwright.sync_api import sync_playwright

    print(f"{'target':>7} {'nodes':>6} {'edges':>6} {'page':>8} {'generate':>9} {'first stable frame':>19} {'redraw':>8}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for target, cities in SIZES.items():
            dataset = generate(cities)
            started = time.perf_counter()
            html = build_map(dataset)
            generate_s = time.perf_counter() - started
            path = Path(tmp) / f"map-{target}.html"
            path.write_text(html, encoding="utf-8")
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(path.as_uri())
            page.wait_for_function("document.body.dataset.ready === 'true'", timeout=300_000)
            stable_ms = page.evaluate("() => window.__dutygraphStableAt")
            counts = page.evaluate("() => [dutygraph.nodes.length, dutygraph.edges.length]")
            redraw_ms = page.evaluate(
                """() => { const n = dutygraph.network; const t0 = performance.now();
                   for (let i = 0; i < 5; i++) { n.moveTo({scale: 0.2 + i * 0.1}); n.redraw(); }
                   return (performance.now() - t0) / 5; }"""
            )
            page.close()
            size = f"{len(html.encode()) / 1e6:.1f} MB"
            print(f"{target:>7} {counts[0]:>6} {counts[1]:>6} {size:>8} {generate_s:>8.2f}s {stable_ms / 1000:>18.2f}s {redraw_ms:>6.0f}ms")
        browser.close()


if __name__ == "__main__":
    main()
