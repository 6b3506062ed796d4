"""Regenerate visuals/: the maps of the bundled dataset (whole, and one per domain), a PNG screenshot of each at its
first frame, screenshots of highlighted decision paths, and of the matrix tab (职责分工表): on screen with a cell's
side panel open, and as printed on A3 landscape.

    .venv/bin/python scripts/visuals.py [DATASET_DIR]

DATASET_DIR (default: the bundled dataset) lets you shoot a clean copy of the committed data, e.g. from
``git archive HEAD data/liaocheng-2018-39``, while the working tree holds edits in progress.

Needs Debian's chromium (scripts/test-services.sh installs it) and the playwright package (dev extras). The test
suite fails when visuals/ is stale: when a map no longer matches what dutygraph generates, or a screenshot was
taken of an older map (visuals/manifest.json records which). visuals/README.md lists, for each map, what was
measured at its first frame (smallest label, overlapping labels, labels on screen; see tests/map_measure.py).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dutygraph.datasets import open_dataset  # noqa: E402
from dutygraph.maps import gallery_specs, write_gallery  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.map_measure import first_frame  # noqa: E402

VISUALS = ROOT / "visuals"
VIEWPORT = {"width": 1600, "height": 1000}
# Decision paths to show: (map file, activity, missing licences or None for the CLI's default, what it shows).
PATHS = [
    ("map-all.html", "fw-road-transport", ["fw-road-transport-permit", "dg-road-permit"], "first licensor, with cooperating bureaus"),
    ("map-hazchem.html", "hc-catalogue-production", None, "undetermined: the candidates"),
    ("map-all.html", "hc-toxic-purchase", None, "a county organ leads, guided by the city bureau"),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def open_page(browser: Any, html: Path) -> Any:
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(html.as_uri())
    page.wait_for_function("document.body.dataset.ready === 'true'", timeout=120_000)
    return page


def choose_path(page: Any, activity: str, missing: list[str] | None) -> None:
    page.select_option("#path-activity", activity)
    if missing is not None:
        entry = page.evaluate("(a) => dutygraph.data.paths[a].licences", activity)
        for index, (licence, _) in enumerate(entry):
            box = page.locator(f"#path-missing input[value='{index}']")
            if box.is_checked() != (licence in missing):
                box.click()
    page.wait_for_timeout(700)  # the view's move to the path is animated (300 ms)


# Matrix tabs to show: (map file, PNG, what it shows, the cell to click as (activity, bureau) or None).
MATRIX = [
    ("map-all.html", "matrix-all.png", "the whole dataset's matrix, a cell's panel open", ("hc-toxic-purchase", "psb")),
    ("map-fireworks.html", "matrix-fireworks.png", "one domain's matrix", None),
]
A3_PRINTABLE = {"width": round(404 / 25.4 * 96), "height": round(281 / 25.4 * 96)}
"""A3 landscape less 8 mm margins (the print stylesheet's @page), in CSS pixels."""


def shoot_matrix(page: Any, cell: tuple[str, str] | None, png: Path) -> str:
    page.click("#tab-matrix")
    if cell is not None:
        activity, bureau = cell
        page.click(f"#matrix-table tr[data-activity='{activity}'] td[data-bureau='{bureau}'] button")
    page.screenshot(path=str(png))
    rows, columns = page.evaluate(
        "() => ['#matrix-table tr[data-activity]', '#matrix-table th[data-bureau]'].map(s => document.querySelectorAll(s).length)"
    )
    return f"{rows} activities x {columns} bureaus"


def shoot_print(page: Any, png: Path) -> str:
    """The first A3 page of the printed matrix (print media at the page's printable width)."""
    page.set_viewport_size(A3_PRINTABLE)
    page.emulate_media(media="print")
    page.wait_for_function("() => document.querySelectorAll('#matrix-table tr[data-activity]').length > 0")
    width, font = page.evaluate(
        """() => [document.getElementById('matrix-table').getBoundingClientRect().width,
                  getComputedStyle(document.querySelector('#matrix-table td')).fontSize]"""
    )
    page.screenshot(path=str(png), clip={"x": 0, "y": 0, **A3_PRINTABLE})
    return f"{width:.0f} of {A3_PRINTABLE['width']} px wide, cells in {font}"


def main() -> None:
    from playwright.sync_api import sync_playwright

    dataset = open_dataset(sys.argv[1] if len(sys.argv) > 1 else None)
    files = write_gallery(dataset, VISUALS)
    manifest: dict[str, Any] = {}
    figures: dict[str, str] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for html in files:
            page = open_page(browser, html)
            figures[html.name] = first_frame(page).line()
            png = html.with_suffix(".png")
            page.screenshot(path=str(png))
            page.close()
            manifest[html.name] = {"png": png.name, "screenshot_of": sha256(html), "paths": []}
            print(f"wrote {html.relative_to(ROOT)} and {png.relative_to(ROOT)}: {figures[html.name]}")
        for name, activity, missing, _ in PATHS:
            html = VISUALS / name
            page = open_page(browser, html)
            choose_path(page, activity, missing)
            png = VISUALS / f"path-{activity}.png"
            page.screenshot(path=str(png))
            page.close()
            manifest[name]["paths"].append({"png": png.name, "activity": activity, "missing": missing})
            print(f"wrote {png.relative_to(ROOT)}")
        matrix_figures: dict[str, str] = {}
        for name, png_name, _, cell in MATRIX:
            page = open_page(browser, VISUALS / name)
            matrix_figures[png_name] = shoot_matrix(page, cell, VISUALS / png_name)
            page.close()
            manifest[name].setdefault("matrix", []).append({"png": png_name, "cell": list(cell) if cell else None})
            print(f"wrote visuals/{png_name}: {matrix_figures[png_name]}")
        page = open_page(browser, VISUALS / "map-all.html")
        matrix_figures["matrix-all-print.png"] = shoot_print(page, VISUALS / "matrix-all-print.png")
        page.close()
        manifest["map-all.html"]["matrix"].append({"png": "matrix-all-print.png", "print": True})
        print(f"wrote visuals/matrix-all-print.png: {matrix_figures['matrix-all-print.png']}")
        browser.close()
    (VISUALS / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    names = {name: spec for name, spec in gallery_specs(dataset)}
    lines = [
        "# visuals",
        "",
        f"Responsibility maps of the bundled dataset ({dataset.info.title}), generated by `python scripts/visuals.py`.",
        "Open an HTML file by double-click: it works offline. The PNG beside each is a screenshot of its first frame in a",
        "1600x1000 window; under it, what was measured at that frame (tests/map_measure.py).",
        "",
    ]
    for name, spec in names.items():
        what = "the whole dataset" if spec.focus_id is None else dataset.domains[spec.focus_id].name
        lines += [f"## {what}", "", f"[{name}]({name}) — first frame: {figures[name]}", ""]
        lines += [f"![{what}]({Path(name).with_suffix('.png').name})", ""]
    lines += ["## Decision paths", ""]
    for name, activity, missing, shows in PATHS:
        without = "its own licences (the default)" if missing is None else "、".join(dataset.licences[m].name for m in missing)
        lines += [f"`{name}`, {dataset.activities[activity].name} without {without} — {shows}:", ""]
        lines += [f"![decision path of {activity}](path-{activity}.png)", ""]
    lines += ["## The responsibility matrix (职责分工表)", ""]
    lines += [
        "Every map has a second tab, the matrix: rows are activities by domain, columns bureaus by system, each cell the",
        "bureau's role marks (the same as `dutygraph matrix`); a click on a cell opens the side panel.",
        "",
    ]
    for name, png_name, shows, cell in MATRIX:
        where = "" if cell is None else f", the cell {dataset.activities[cell[0]].name} × {dataset.bureaus[cell[1]].name} open"
        lines += [f"`{name}`, {shows}{where} ({matrix_figures[png_name]}):", "", f"![{shows}]({png_name})", ""]
    lines += [
        f"`map-all.html` printed (A3 landscape; the first page; {matrix_figures['matrix-all-print.png']}):",
        "",
        "![the matrix as printed](matrix-all-print.png)",
        "",
    ]
    (VISUALS / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
