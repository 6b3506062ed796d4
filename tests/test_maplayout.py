"""The map layout without a browser: wrapped labels, boxes that never overlap, bands, blocks for large maps."""

from __future__ import annotations

import pytest

from bench.synth import generate
from dutygraph.maplayout import Layout, LayoutInput, layout, text_em, wrap
from dutygraph.maps import MapSpec, map_payload
from dutygraph.model import Dataset

LABELS = [
    "生产列入工业产品生产许可证目录的危险化学品",
    "农村村民自建房屋（限额以下建设工程）",
    "烟花爆竹经营(零售)许可证",
    "道路运输经营许可证（普通货运）",
    "Liaocheng Administration for Industry and Commerce",
    "hazardous-chemicals trading licence",
    "“引号”、顿号，逗号。句号；分号：冒号",
    "x" * 80,
    "<script>window.__pwned=1</script>",
]


@pytest.mark.parametrize("text", LABELS)
@pytest.mark.parametrize("max_em", [6.0, 12.0, 15.0])
def test_wrapped_lines_fit_and_keep_the_text(text: str, max_em: float) -> None:
    lines = wrap(text, max_em)
    assert 1 <= len(lines) <= 3
    assert all(text_em(line) <= max_em for line in lines), lines
    assert all(line and line[0] not in "）)」”、，。；：" and line[-1] not in "（(「“" for line in lines), lines
    joined = "".join(lines).replace("…", "")
    compact = text.replace(" ", "")
    if not any(line.endswith("…") for line in lines):
        assert joined.replace(" ", "") == compact  # nothing lost when nothing was cut
    else:
        assert compact.startswith(joined.replace(" ", "")[: len(joined) // 2])


def test_even_lines() -> None:
    assert wrap("生产列入工业产品生产许可证目录的危险化学品", 15) == ["生产列入工业产品生产许", "可证目录的危险化学品"]
    assert wrap("焰火晚会燃放", 15) == ["焰火晚会燃放"]


def boxes(placed: Layout) -> list[tuple[str, float, float, float, float]]:
    return [
        (i, x - placed.widths[i] / 2, y - placed.heights[i] / 2, x + placed.widths[i] / 2, y + placed.heights[i] / 2)
        for i, (x, y) in placed.positions.items()
    ]


def overlaps(placed: Layout) -> list[tuple[str, str]]:
    found = []
    items = sorted(boxes(placed), key=lambda b: b[1])
    for n, (a, _, ay0, ax1, ay1) in enumerate(items):
        for b, bx0, by0, _, by1 in items[n + 1 :]:
            if bx0 >= ax1:
                break
            if ay0 < by1 and by0 < ay1:
                found.append((a, b))
    return found


def layout_of(dataset: Dataset, spec: MapSpec | None = None) -> Layout:
    from dutygraph import maps

    captured: list[Layout] = []
    original = maps.layout

    def spy(given: LayoutInput) -> Layout:
        captured.append(original(given))
        return captured[-1]

    maps.layout = spy  # type: ignore[assignment]
    try:
        map_payload(dataset, spec or MapSpec())
    finally:
        maps.layout = original
    return captured[0]


def test_no_two_boxes_overlap_on_any_bundled_map(liaocheng: Dataset) -> None:
    specs = [MapSpec(), MapSpec(lang="en"), *(MapSpec("domain", d) for d in liaocheng.domains), MapSpec("bureau", "psb")]
    for spec in specs:
        assert overlaps(layout_of(liaocheng, spec)) == [], spec


def test_a_large_map_is_cut_into_blocks_of_about_the_shape_of_a_screen(liaocheng: Dataset) -> None:
    placed = layout_of(generate(13, liaocheng))  # about 1,000 nodes
    x0, y0, x1, y1 = placed.extent
    assert 0.4 < (x1 - x0) / (y1 - y0) < 4
    assert overlaps(placed) == []


def test_an_empty_map_has_an_empty_layout() -> None:
    empty = LayoutInput(kinds={}, labels={}, domain_of={}, licences_of={}, links=[], acts_through={}, lead_of={}, headers={})
    assert layout(empty).positions == {}
