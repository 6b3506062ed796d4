"""The HTML maps in a real headless Chromium: offline, complete, explorable, and safe against hostile data.

Screenshots are kept in .artifacts/screenshots/ (or $DUTYGRAPH_ARTIFACTS/screenshots/).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dutygraph.maps import MapSpec, build_map, map_payload
from dutygraph.model import Dataset
from tests.conftest import ARTIFACTS
from tests.payloads import PAYLOADS, hostile

pytestmark = pytest.mark.browser


class Loaded:
    def __init__(self, page: Any, console: list[str], requests: list[str], dialogs: list[str]) -> None:
        self.page, self.console, self.requests, self.dialogs = page, console, requests, dialogs

    def panel(self) -> str:
        return str(self.page.inner_text("#panel"))

    def click_node(self, ident: str) -> None:
        point = self.page.evaluate(
            "(id) => { const n = dutygraph.network; n.focus(id, {scale: 1.2}); return n.canvasToDOM(n.getPositions([id])[id]); }", ident
        )
        box = self.page.locator("#network canvas").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def shot(self, name: str) -> Path:
        target = ARTIFACTS / "screenshots" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(target))
        return target


@pytest.fixture
def open_map(browser: Any, tmp_path: Path) -> Iterator[Any]:
    pages = []

    def load(html: str, name: str = "map") -> Loaded:
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        pages.append(page)
        console: list[str] = []
        requests: list[str] = []
        dialogs: list[str] = []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_function("document.body.dataset.ready === 'true'", timeout=120_000)
        return Loaded(page, console, requests, dialogs)

    yield load
    for page in pages:
        page.close()


def test_the_map_loads_offline_with_no_errors_and_no_requests(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng), "liaocheng")
    assert loaded.console == []
    assert [url for url in loaded.requests if not url.startswith("file://")] == []
    assert len(loaded.requests) == 1  # the page itself
    loaded.shot("liaocheng-whole")


def test_the_network_holds_the_expected_nodes_and_edges(open_map: Any, liaocheng: Dataset) -> None:
    payload = map_payload(liaocheng)
    loaded = open_map(build_map(liaocheng))
    counts = loaded.page.evaluate("() => [dutygraph.nodes.length, dutygraph.edges.length]")
    expected_nodes = sum(map(len, (liaocheng.bureaus, liaocheng.domains, liaocheng.activities, liaocheng.licences)))
    assert counts == [expected_nodes, len(payload["edges"])]
    assert loaded.page.inner_text("#counts").startswith(f"{expected_nodes} 个节点 · {len(payload['edges'])} 条连线")


def test_search_finds_the_public_security_bureau(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng))
    for query in ("市公安局", "Public Security", "公安机关"):
        loaded.page.fill("#search", query)
        results = loaded.page.locator("#results button")
        assert results.count() >= 1
        assert "市公安局" in " ".join(results.all_inner_texts()) or query == "公安机关"
    loaded.page.fill("#search", "市公安局")
    loaded.page.locator("#results button", has_text="市公安局").first.click()
    assert "聊城市公安局" in loaded.panel()
    assert loaded.page.evaluate("() => dutygraph.network.getSelectedNodes()") == ["psb"]
    loaded.shot("search-psb")


def test_clicking_an_activity_shows_its_lead_the_rule_and_a_quote(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng))
    loaded.click_node("fw-display")
    panel = loaded.panel()
    assert "焰火晚会燃放" in panel
    assert "市公安局" in panel and "法定查处部门 law-designated" in panel
    assert "由公安部门责令停止燃放" in panel  # 烟花爆竹安全管理条例 第四十二条
    assert "另有规定 explicit assignment: " in panel  # the why-not of the higher rule
    loaded.shot("click-fireworks-display")


def test_an_undetermined_activity_says_so_with_candidates(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng, MapSpec("domain", "hazchem")), "hazchem")
    loaded.click_node("hc-catalogue-production")
    panel = loaded.panel()
    assert "无法确定" in panel and "省级安全生产监督管理部门" in panel and "市质监局" in panel
    loaded.shot("hazchem-undetermined")


def test_filters_hide_what_is_outside_them(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng))
    hidden = "() => dutygraph.nodes.get({filter: n => n.hidden}).length"
    loaded.page.select_option("#filter-domain", "fireworks")
    visible_fireworks = loaded.page.evaluate("() => dutygraph.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert {"fireworks", "fw-display", "fw-display-permit", "psb"} <= set(visible_fireworks)
    assert "hazchem" not in visible_fireworks
    loaded.page.select_option("#filter-domain", "")
    loaded.page.uncheck("#filter-kinds input[value=Licence]")
    assert loaded.page.evaluate(hidden) == len(liaocheng.licences)
    loaded.page.click("#reset")
    assert loaded.page.evaluate(hidden) == 0


def test_hostile_text_in_every_field_executes_nothing(open_map: Any, mini: Dataset) -> None:
    loaded = open_map(build_map(hostile(mini)), "hostile")
    loaded.page.fill("#search", "script")
    loaded.page.locator("#results button").first.click()
    loaded.click_node("a-designated")
    loaded.click_node("alpha")
    for select in ("#filter-domain", "#filter-bureau"):
        options = loaded.page.locator(f"{select} option").all_inner_texts()
        assert any(o in PAYLOADS for o in options)
    panel = loaded.panel()
    assert any(payload in panel for payload in PAYLOADS)  # shown as text, verbatim
    assert loaded.page.evaluate("() => window.__pwned") is None
    assert loaded.dialogs == []
    assert loaded.page.locator("#panel img, #panel svg, #panel script, #results img").count() == 0
    assert [url for url in loaded.requests if not url.startswith("file://")] == []
    loaded.shot("hostile")


def test_bureau_and_english_maps(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng, MapSpec("bureau", "psb", "en")), "psb-en")
    assert loaded.page.evaluate("() => dutygraph.nodes.get('psb').label") == "Liaocheng Pub…"
    loaded.click_node("psb")
    assert "Liaocheng Public Security Bureau" in loaded.panel()
    loaded.shot("psb-en")
