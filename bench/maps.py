"""HTML maps: what a reader sees at the first frame, and how fast it comes, from the bundled maps to 6,000 nodes.

    python bench/maps.py

Each map is opened in headless Debian Chromium at 1600x1000. For each: the size of the page, the time to generate it
in Python, the time from navigation start to the first stable frame (the first full drawing with the final,
precomputed layout, from the page's own performance clock), the mean time of a full redraw afterwards (what panning
and zooming cost), and at that first frame: the smallest node label in CSS pixels, the number of overlapping label
pairs, and how many labels are on screen (a map larger than the window opens at a readable scale; the user pans).
Label boxes are measured as the browser tests measure them (tests/map_measure.py). Then the matrix tab: the time
to draw it on the first click, and its size (activities x bureaus), or "filter" where it is larger than the page
draws at once (it asks for a domain or a bureau).

The bundled maps are the whole dataset and one per domain; the synthetic ones are copies of the bundled city
(bench/synth.py; 96 map nodes per city).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import generate  # noqa: E402
from dutygraph.datasets import open_dataset  # noqa: E402
from dutygraph.maps import MapSpec, build_map  # noqa: E402
from dutygraph.model import Dataset  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.map_measure import first_frame  # noqa: E402

SYNTHETIC = (2, 13, 64)  # synthetic cities: about 200, 1,250 and 6,000 map nodes


def maps() -> list[tuple[str, Dataset, MapSpec]]:
    bundled = open_dataset()
    found = [("bundled: whole", bundled, MapSpec())]
    found += [(f"bundled: {d}", bundled, MapSpec("domain", d)) for d in bundled.domains]
    found += [(f"synthetic, {cities} cities", generate(cities, bundled), MapSpec()) for cities in SYNTHETIC]
    return found


def main() -> None:
    from playwright.sync_api import sync_playwright

    header = f"{'map':<26} {'nodes':>6} {'edges':>6} {'page':>8} {'generate':>9} {'stable frame':>13} {'redraw':>7}"
    print(header + f" {'smallest label':>15} {'overlaps':>9} {'on screen':>10} {'matrix tab':>18}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for number, (name, dataset, spec) in enumerate(maps()):
            started = time.perf_counter()
            html = build_map(dataset, spec)
            generate_s = time.perf_counter() - started
            path = Path(tmp) / f"map-{number}.html"
            path.write_text(html, encoding="utf-8")
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(path.as_uri())
            page.wait_for_function("document.body.dataset.ready === 'true'", timeout=300_000)
            stable_ms = page.evaluate("() => window.__dutygraphStableAt")
            counts = page.evaluate("() => [dutygraph.nodes.length, dutygraph.edges.length]")
            frame = first_frame(page)
            redraw_ms = page.evaluate(
                """() => { const n = dutygraph.network; const t0 = performance.now();
                   for (let i = 0; i < 5; i++) { n.moveTo({scale: 0.2 + i * 0.1}); n.redraw(); }
                   return (performance.now() - t0) / 5; }"""
            )
            matrix_ms, rows, columns = page.evaluate(
                """() => { const t0 = performance.now(); dutygraph.showTab('matrix');
                   const count = (s) => document.querySelectorAll(s).length;
                   return [performance.now() - t0, count('#matrix-table tr[data-activity]'), count('#matrix-table th[data-bureau]')]; }"""
            )
            matrix = f"{matrix_ms:.0f}ms {rows}x{columns}" if rows else f"{matrix_ms:.0f}ms filter"
            page.close()
            size = f"{len(html.encode()) / 1e6:.1f} MB"
            print(
                f"{name:<26} {counts[0]:>6} {counts[1]:>6} {size:>8} {generate_s:>8.2f}s {stable_ms / 1000:>12.2f}s {redraw_ms:>5.0f}ms"
                f" {frame.smallest_px:>12.1f} px {len(frame.overlaps):>9} {frame.on_screen:>4}/{frame.labels:<5} {matrix:>18}",
                flush=True,
            )
        browser.close()


if __name__ == "__main__":
    main()
