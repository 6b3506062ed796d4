"""The HTML maps in a real headless Chromium: offline, complete, explorable, and safe against hostile data.

Screenshots are kept in .artifacts/screenshots/ (or $DUTYGRAPH_ARTIFACTS/screenshots/).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.synth import generate
from dutygraph.engine import decide, licences_in_scope
from dutygraph.jsonview import decision_view
from dutygraph.maps import MapSpec, build_map, decision_bureaus, map_payload, render_map
from dutygraph.model import Dataset
from tests.conftest import ARTIFACTS
from tests.map_measure import first_frame
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
    assert loaded.page.evaluate("() => dutygraph.nodes.get('psb').label") == "Liaocheng Public\nSecurity Bureau"
    loaded.click_node("psb")
    assert "Liaocheng Public Security Bureau" in loaded.panel()
    loaded.shot("psb-en")


# ---- what a reader sees at the first frame ---------------------------------------------------------------------


def gallery(liaocheng: Dataset) -> list[tuple[str, MapSpec]]:
    return [("whole", MapSpec()), *((domain, MapSpec("domain", domain)) for domain in liaocheng.domains)]


def test_every_label_is_readable_and_none_overlaps_at_the_first_frame(open_map: Any, liaocheng: Dataset) -> None:
    """Measured: each node label's on-screen box from the node's position, the view's scale and the label's font."""
    for name, spec in gallery(liaocheng):
        loaded = open_map(build_map(liaocheng, spec), f"first-frame-{name}")
        frame = first_frame(loaded.page)
        assert frame.labels == len(map_payload(liaocheng, spec)["nodes"]), name
        assert frame.smallest_px >= 12, (name, frame.line())
        assert frame.overlaps == [], (name, frame.overlaps)
        loaded.page.close()


def test_a_map_of_more_than_150_nodes_is_readable_at_the_first_frame(open_map: Any, liaocheng: Dataset) -> None:
    payload = map_payload(generate(2, liaocheng))  # two synthetic cities
    assert len(payload["nodes"]) > 150
    loaded = open_map(render_map(payload), "synthetic-2-cities")
    frame = first_frame(loaded.page)
    assert frame.labels == len(payload["nodes"]) and frame.smallest_px >= 12 and frame.overlaps == [], frame.line()


def test_only_lead_edges_are_drawn_until_a_relationship_is_ticked(open_map: Any, liaocheng: Dataset) -> None:
    payload = map_payload(liaocheng)
    loaded = open_map(build_map(liaocheng))
    shown = "() => dutygraph.edges.get({filter: e => !e.hidden}).map(e => e.kind)"
    assert set(loaded.page.evaluate(shown)) == {"LEAD"}
    loaded.page.check("#filter-edges input[value=ISSUES]")
    issues = sum(1 for e in payload["edges"] if e["kind"] == "ISSUES")
    assert sorted(loaded.page.evaluate(shown)).count("ISSUES") == issues > 0
    loaded.page.uncheck("#filter-edges input[value=LEAD]")
    assert set(loaded.page.evaluate(shown)) == {"ISSUES"}
    loaded.page.click("#reset")
    assert set(loaded.page.evaluate(shown)) == {"LEAD"}


# ---- the decision path ------------------------------------------------------------------------------------------

PATHS = [
    ("fw-display", None),  # the CLI's default: every licence of its own missing
    ("hc-catalogue-production", None),  # undetermined: candidates
    ("hc-trading", ["business-licence"]),  # only the business licence: Decree 684 Art 6
    ("fw-road-transport", ["fw-road-transport-permit", "dg-road-permit"]),  # first licensor, with cooperating bureaus
    ("fw-road-transport", ["dg-road-permit"]),
    ("hc-catalogue-production", ["industrial-product-permit"]),
    ("fw-mailing", None),  # explicit assignment, no licence involved
    ("hc-toxic-purchase", None),  # a county organ leads, guided by the city bureau
    ("fw-road-transport", ["dg-road-permit"]),  # a statutory agency leads: the bureau it belongs to is named
]


def choose(loaded: Loaded, activity: str, missing: list[str] | None) -> None:
    """Choose the activity in the path controls, then tick exactly the missing licences (as a user would)."""
    loaded.page.select_option("#path-activity", activity)
    if missing is None:
        return
    for box in loaded.page.locator("#path-missing label").all():
        wanted = box.inner_text().strip() in {loaded.page.evaluate("(id) => dutygraph.data.index[id].name", m) for m in missing}
        checkbox = box.locator("input")
        if checkbox.is_checked() != wanted:
            checkbox.click()


def test_the_path_highlights_the_lead_decide_gives(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng))
    for activity, missing in PATHS:
        choose(loaded, activity, missing)
        expected = decide(liaocheng, activity, missing)
        state = loaded.page.evaluate("() => dutygraph.path")
        assert state["activity"] == activity
        assert state["lead"] == (expected.lead.id if expected.lead else None), (activity, missing)
        roles = state["roles"]
        if expected.lead:
            assert roles[expected.lead.id] == "lead"
        assert {b.id for b in expected.cooperating} == {i for i, r in roles.items() if r == "cooperating"}
        assert {b.id for b in expected.candidates} == {i for i, r in roles.items() if r == "candidates"}
        assert {lic.id for lic in expected.missing} == {i for i, r in roles.items() if r == "missing"}
        for bureau, role in decision_bureaus(decision_view(expected)).items():  # guided_by, agency_of …: by their field
            assert roles.get(bureau) == role, (activity, bureau, role)
        styles = loaded.page.evaluate("() => Object.fromEntries(dutygraph.nodes.get().map(n => [n.id, [n.color.border, n.font.color]]))")
        if expected.lead:
            assert styles[expected.lead.id][0] == "#e03131"  # the lead is ringed in red
        dimmed = [i for i in styles if i not in roles]
        assert dimmed and all(styles[i][1] == "#adb5bd" for i in dimmed)  # the rest is dimmed
        panel = loaded.panel()
        assert (expected.lead.name if expected.lead else "无法确定") in panel
        shown_rule = "() => dutygraph.data.paths[dutygraph.path.activity].combos[dutygraph.path.key].rule"
        assert loaded.page.evaluate(shown_rule) == expected.rule.value
    loaded.shot("path-fw-road-transport")
    loaded.page.click("#path-clear")
    assert loaded.page.evaluate("() => dutygraph.path") is None
    assert loaded.page.evaluate("() => dutygraph.nodes.get({filter: n => n.font.color === '#adb5bd'}).length") == 0


def test_the_panel_steps_through_the_trace(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng))
    missing = ["fw-road-transport-permit", "dg-road-permit"]
    choose(loaded, "fw-road-transport", missing)
    trace = decide(liaocheng, "fw-road-transport", missing).trace
    current = loaded.page.locator("#panel .stepper .current")
    assert f"第 1 / {len(trace)} 步" in loaded.panel()
    assert trace[0].reason in current.inner_text()
    for number in range(1, len(trace)):
        loaded.page.click("#panel .step-nav .next")
        assert trace[number].reason in current.inner_text()
        assert f"第 {number + 1} / {len(trace)} 步" in loaded.panel()
    assert loaded.page.locator("#panel .step-nav .next").is_disabled()
    loaded.page.click("#panel .step-nav .prev")
    assert trace[-2].reason in current.inner_text()
    loaded.page.click("#panel .step-nav .next")
    assert trace[-1].citations and all(c.quote in current.inner_text() for c in trace[-1].citations)  # a step's quotes


def test_ticking_nothing_is_the_cli_default_and_clicking_an_activity_chooses_it(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng))
    loaded.click_node("hc-trading")
    assert loaded.page.evaluate("() => dutygraph.path.activity") == "hc-trading"
    for box in loaded.page.locator("#path-missing input").all():
        if box.is_checked():
            box.click()
    assert loaded.page.evaluate("() => dutygraph.path.lead") == decide(liaocheng, "hc-trading").lead.id  # type: ignore[union-attr]
    assert "--missing" in loaded.page.inner_text("#path-note")
    scope = licences_in_scope(liaocheng, liaocheng.activities["hc-trading"])
    assert loaded.page.locator("#path-missing input").count() == len(scope)


def test_fields_the_engine_adds_are_shown_and_their_bureaus_highlighted(open_map: Any, liaocheng: Dataset) -> None:
    """The engine is gaining fields (guided_by, succession): the page shows what it does not know, generically."""
    payload = map_payload(liaocheng)
    entry = payload["paths"]["fw-display"]
    view = entry["combos"][entry["default"]]
    guide = {"id": "safety", "name_zh": "市安监局", "name_en": None, "level": "city", "system": "安监"}
    view["guided_by"] = guide
    view["succession"] = {"predecessor": {"id": "county-psb", "name_zh": "县级公安机关"}, "from": "2018-04-16", "until": None}
    assert "succession" not in decision_view(decide(liaocheng, "fw-display"))  # a field this page has never seen
    view["trace"][0]["window"] = "2018-04-16…"
    loaded = open_map(render_map(payload), "future-fields")
    loaded.page.select_option("#path-activity", "fw-display")
    panel = loaded.panel()
    assert "指导部门 guided by" in panel and "市安监局" in panel
    assert "机构沿革 succession" in panel and "原机构 predecessor: 县级公安机关" in panel
    assert "window" in panel and "2018-04-16…" in panel
    roles = loaded.page.evaluate("() => dutygraph.path.roles")
    lead = view["lead"]["id"]
    assert roles["safety"] == "guided_by" and roles["county-psb"] == "succession" and roles[lead] == "lead"
    guide_edges = loaded.page.evaluate("() => dutygraph.edges.get({filter: e => e.kind === 'PATH' && e.from === 'safety'}).map(e => e.to)")
    assert guide_edges == [lead]  # the guide points at the lead it guides


def test_a_hostile_decision_path_executes_nothing(open_map: Any, mini: Dataset) -> None:
    loaded = open_map(build_map(hostile(mini)), "hostile-path")
    for value in loaded.page.locator("#path-activity option").evaluate_all("(os) => os.map(o => o.value).filter(Boolean)"):
        loaded.page.select_option("#path-activity", value)
        for box in loaded.page.locator("#path-missing input").all():
            box.click()
        for _ in range(3):
            if loaded.page.locator("#panel .step-nav .next").is_enabled():
                loaded.page.click("#panel .step-nav .next")
    assert any(payload in loaded.panel() for payload in PAYLOADS)
    assert loaded.page.evaluate("() => window.__pwned") is None
    assert loaded.dialogs == [] and loaded.console == []
    assert loaded.page.locator("#panel img, #panel svg, #panel script, #controls img, #controls script").count() == 0
