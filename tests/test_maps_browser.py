"""The HTML maps in a real headless Chromium: offline, complete, explorable, and safe against hostile data.

Screenshots are kept in .artifacts/screenshots/ (or $DUTYGRAPH_ARTIFACTS/screenshots/).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.synth import generate
from dutygraph.engine import activities_in_force, decide, licences_in_scope
from dutygraph.jsonview import decision_view
from dutygraph.maps import MapSpec, build_map, decision_bureaus, map_payload, render_map
from dutygraph.matrix import build_matrix
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


# ---- the matrix tab (职责分工表) ----------------------------------------------------------------------------------

LATER = dt.date(2026, 11, 27)
INSIDE = dt.date(2019, 6, 1)  # inside the windows of the 2018-2020 reform

MATRIX_STATE = """() => [...document.querySelectorAll('#matrix-table tbody tr[data-activity]')].map(tr => [
  tr.dataset.activity,
  [...tr.querySelectorAll('td.leads')].map(td => td.dataset.bureau),
  [...tr.querySelectorAll('td.candidate')].map(td => td.dataset.bureau),
])"""


MATRIX_GROUPS = """() => [...document.querySelectorAll('#matrix-table tbody')].map(b => [
  b.dataset.domain, [...b.querySelectorAll('tr[data-activity]')].map(tr => tr.dataset.activity),
])"""
FIRST_ROW_LEFT = """() => [...document.querySelectorAll('#matrix-table tbody th.activity')]
  .find(th => th.getBoundingClientRect().top > 300).getBoundingClientRect().left"""


def open_matrix(loaded: Loaded) -> None:
    loaded.page.click("#tab-matrix")
    assert loaded.page.locator("#matrix").is_visible() and loaded.page.get_attribute("#tab-matrix", "aria-selected") == "true"


def test_every_map_has_a_matrix_tab_whose_lead_cells_are_decide(open_map: Any, liaocheng: Dataset) -> None:
    """Every lead cell is the lead `decide` gives for that activity on the map's date; every activity in force in
    the map's scope has its row."""
    specs = [*(spec for _, spec in gallery(liaocheng)), MapSpec("bureau", "psb"), MapSpec(as_of=LATER), MapSpec(lang="en", as_of=INSIDE)]
    for spec in specs:
        loaded = open_map(build_map(liaocheng, spec), f"matrix-{spec.focus_id or 'all'}")
        open_matrix(loaded)
        date = spec.as_of or liaocheng.info.as_of
        rows = loaded.page.evaluate(MATRIX_STATE)
        in_force = [a.id for a in activities_in_force(liaocheng, date) if spec.focus_kind != "domain" or a.domain == spec.focus_id]
        if spec.focus_kind == "bureau":
            assert rows and {a for a, _, _ in rows} < set(in_force)  # the activities the bureau has a role for
        else:
            assert sorted(a for a, _, _ in rows) == sorted(in_force), spec  # grouped by domain
        groups = loaded.page.evaluate(MATRIX_GROUPS)
        assert all(liaocheng.activities[a].domain == (domain or None) for domain, ids in groups for a in ids)
        only = spec.focus_id if spec.focus_kind == "bureau" else None  # a bureau's map: its column only
        for activity, leads, candidates in rows:
            decision = decide(liaocheng, activity, as_of=date)
            assert leads == [b.id for b in (decision.lead,) if b and only in (None, b.id)], (spec, activity)
            assert set(candidates) == {b.id for b in decision.candidates if only in (None, b.id)}, (spec, activity)
        assert date is not None and date.isoformat() in loaded.page.inner_text("#title")
        assert loaded.console == []
        loaded.page.close()


def test_clicking_a_cell_opens_the_panel_with_that_decision_and_the_bureau_s_roles(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng))
    open_matrix(loaded)
    decision = decide(liaocheng, "hc-toxic-purchase", as_of=liaocheng.info.as_of)
    assert decision.lead is not None and decision.guided_by is not None
    for bureau in (decision.lead, decision.guided_by):
        loaded.page.click(f"#matrix-table tr[data-activity='hc-toxic-purchase'] td[data-bureau='{bureau.id}'] button")
        panel = loaded.panel()
        assert f"剧毒化学品购买 × {bureau.name}" in panel and f"{bureau.name} 在此的职责" in panel
        assert f"谁牵头打击非法（无证）经营？\n{decision.lead.name}" in panel  # the decision, as the graph's panel shows it
        assert all(c.quote in panel for c in decision.citations)  # the decision's quotes
        assert loaded.page.evaluate("() => [dutygraph.cell.activity, dutygraph.cell.bureau, dutygraph.path.lead]") == [
            "hc-toxic-purchase",
            bureau.id,
            decision.lead.id,
        ]
    matrix = build_matrix(liaocheng, as_of=liaocheng.info.as_of)
    marks = matrix.roles("hc-toxic-purchase", decision.guided_by.id)
    quotes = [liaocheng.provisions[p].quote for m in marks for p in m.provisions]
    assert quotes and all(q in loaded.panel() for q in quotes)  # the guide's roles, each with its citations
    loaded.shot("matrix-cell")
    loaded.page.click("#tab-graph")  # the graph shows the same decision's path
    assert loaded.page.locator("#network canvas").is_visible() and not loaded.page.locator("#matrix").is_visible()
    border = loaded.page.evaluate("(id) => dutygraph.nodes.get(id).color.border", decision.lead.id)
    assert loaded.page.evaluate("() => dutygraph.path.activity") == "hc-toxic-purchase" and border == "#e03131"


def test_a_map_as_of_2026_names_the_successors_and_the_date(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng, MapSpec(as_of=LATER)), "as-of-2026")
    assert "2026-11-27" in loaded.page.inner_text("#title") and "2026-11-27" in loaded.page.title()
    moved = [
        a.id
        for a in activities_in_force(liaocheng, LATER)
        if (d := decide(liaocheng, a.id, as_of=LATER)).transfer and d.transfer.status.value == "after"
    ]
    assert moved
    open_matrix(loaded)
    rows = {a: leads for a, leads, _ in loaded.page.evaluate(MATRIX_STATE)}
    for activity in moved:
        decision = decide(liaocheng, activity, as_of=LATER)
        assert decision.lead is not None and decision.transfer is not None
        assert rows[activity] == [decision.lead.id] and decision.lead.id != decision.transfer.predecessor.id
    activity = moved[0]
    decision = decide(liaocheng, activity, as_of=LATER)
    assert decision.lead is not None and decision.transfer is not None
    loaded.page.click(f"#matrix-table tr[data-activity='{activity}'] td[data-bureau='{decision.lead.id}'] button")
    line = loaded.page.inner_text("#panel tr.in-time")
    assert f"{decision.transfer.predecessor.name} → {decision.lead.name}" in line and "2026-11-27" in line and "after" in line
    assert str(decision.transfer.window.not_after) in line
    assert "截至 as of 2026-11-27" in loaded.panel()
    loaded.page.click("#tab-graph")
    edges = loaded.page.evaluate("(a) => dutygraph.edges.get({filter: e => e.kind === 'LEAD' && e.to === a}).map(e => e.from)", activity)
    assert edges == [decision.lead.id]  # the graph's lead arrow comes from the successor too
    loaded.click_node(decision.transfer.predecessor.id)
    assert decision.lead.name in loaded.panel() and "after the window" in loaded.panel()


def test_a_date_inside_a_window_marks_the_lead_cell_and_names_both_organs(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng, MapSpec("domain", "fireworks", as_of=INSIDE)), "inside-window")
    open_matrix(loaded)
    inside = [
        a.id
        for a in activities_in_force(liaocheng, INSIDE)
        if a.domain == "fireworks" and (d := decide(liaocheng, a.id, as_of=INSIDE)).transfer and d.transfer.status.value == "inside"
    ]
    assert inside
    marked = loaded.page.evaluate(
        "() => [...document.querySelectorAll('#matrix-table td.in-window')].map(td => td.closest('tr').dataset.activity)"
    )
    assert sorted(marked) == sorted(inside)
    decision = decide(liaocheng, inside[0], as_of=INSIDE)
    assert decision.transfer is not None and decision.lead is not None
    loaded.page.click(f"#matrix-table tr[data-activity='{inside[0]}'] td.in-window button")
    line = loaded.page.inner_text("#panel tr.in-time")
    assert "inside" in line and all(b.name in line for b in (decision.transfer.predecessor, *decision.transfer.successors))


def test_the_filters_apply_to_the_matrix_and_its_headers_stick(open_map: Any, liaocheng: Dataset) -> None:
    loaded = open_map(build_map(liaocheng))
    open_matrix(loaded)
    every = loaded.page.evaluate(MATRIX_STATE)
    loaded.page.select_option("#filter-domain", "hazchem")
    shown = [a for a, _, _ in loaded.page.evaluate(MATRIX_STATE)]
    assert shown == [a.id for a in activities_in_force(liaocheng) if a.domain == "hazchem"]
    loaded.page.select_option("#filter-domain", "")
    loaded.page.select_option("#filter-bureau", "psb")
    matrix = build_matrix(liaocheng, bureau="psb")
    assert [a for a, _, _ in loaded.page.evaluate(MATRIX_STATE)] == [a.id for a in matrix.activities]
    columns = loaded.page.evaluate(
        "() => [...document.querySelectorAll('#matrix-table thead th[data-bureau]')].map(th => th.dataset.bureau)"
    )
    assert "psb" in columns and all(matrix.roles(a.id, "psb") for a in matrix.activities)
    loaded.page.click("#reset")
    assert loaded.page.evaluate(MATRIX_STATE) == every
    # Sticky headers: scrolled down and right, the bureau row stays at the top and the activity column at the left.
    loaded.page.evaluate("() => document.getElementById('matrix').scrollTo(400, 900)")
    box = loaded.page.locator("#matrix").bounding_box()
    head = loaded.page.evaluate("() => document.querySelector('#matrix-table tr.bureaus th').getBoundingClientRect().bottom")
    systems = loaded.page.evaluate("() => document.querySelector('#matrix-table tr.systems th.system').getBoundingClientRect().top")
    first_row = loaded.page.evaluate(FIRST_ROW_LEFT)
    assert abs(systems - box["y"]) < 2 and box["y"] < head < box["y"] + 300
    assert abs(first_row - box["x"]) < 2
    loaded.shot("matrix-scrolled")


A3_LANDSCAPE_PX = 404 / 25.4 * 96  # 420 mm less two 8 mm margins, in CSS pixels


def test_the_matrix_prints_on_a3_landscape(open_map: Any, liaocheng: Dataset, tmp_path: Path) -> None:
    loaded = open_map(build_map(liaocheng, MapSpec(as_of=LATER)), "print")
    page = loaded.page
    page.set_viewport_size({"width": int(A3_LANDSCAPE_PX), "height": 1075})
    page.emulate_media(media="print")
    page.wait_for_function("() => document.querySelectorAll('#matrix-table tbody tr[data-activity]').length > 0")
    printed = page.evaluate(
        """() => { const t = document.getElementById('matrix-table'); const r = t.getBoundingClientRect();
        const visible = (id) => getComputedStyle(document.getElementById(id)).display !== 'none';
        return {right: r.right, scroll: document.documentElement.scrollWidth, rows: t.querySelectorAll('tbody tr[data-activity]').length,
                smallest: Math.min(...[...t.querySelectorAll('td, th')].map(c => parseFloat(getComputedStyle(c).fontSize))),
                controls: visible('controls'), network: visible('network'), title: document.getElementById('title').innerText}; }"""
    )
    assert printed["right"] <= A3_LANDSCAPE_PX + 0.5 and printed["scroll"] <= A3_LANDSCAPE_PX + 0.5, printed
    assert printed["rows"] == len(activities_in_force(liaocheng, LATER))
    assert printed["smallest"] >= 11.5  # 9 pt: legible on paper
    assert not printed["controls"] and not printed["network"] and "2026-11-27" in printed["title"]
    page.screenshot(path=str(tmp_path / "print.png"), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = {tuple(float(v) for v in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    assert boxes and all(abs(w - 1190.55) < 2 and abs(h - 841.89) < 2 for _, _, w, h in boxes), boxes  # A3 landscape, in points


def test_hostile_text_in_the_matrix_tab_executes_nothing(open_map: Any, mini: Dataset) -> None:
    loaded = open_map(build_map(hostile(mini)), "hostile-matrix")
    open_matrix(loaded)
    cells = loaded.page.locator("#matrix-table td button")
    assert cells.count() > 0
    for i in range(cells.count()):
        cells.nth(i).click()
    loaded.page.locator("#matrix-table thead th[data-bureau]").first.click()
    text = loaded.page.inner_text("#matrix")
    assert any(payload in text for payload in PAYLOADS)  # names shown as text, verbatim
    assert any(payload in loaded.panel() for payload in PAYLOADS)
    assert loaded.page.evaluate("() => window.__pwned") is None
    assert loaded.dialogs == [] and loaded.console == []
    assert loaded.page.locator("#matrix img, #matrix svg, #matrix script, #panel img, #panel svg, #panel script").count() == 0
    assert [url for url in loaded.requests if not url.startswith("file://")] == []


def test_a_matrix_too_large_to_draw_asks_for_a_filter(open_map: Any, liaocheng: Dataset) -> None:
    payload = map_payload(liaocheng)
    rows = sum(len(group["activities"]) for group in payload["matrix"]["rows"])
    payload["matrix_style"]["max_cells"] = rows  # the whole matrix is larger than this, one domain's is not
    loaded = open_map(render_map(payload), "matrix-cap")
    open_matrix(loaded)
    assert loaded.page.locator("#matrix-table td").count() == 0
    assert "过大无法一次绘出" in loaded.page.inner_text("#matrix-note")
    loaded.page.select_option("#filter-domain", "power")
    shown = [a for a, _, _ in loaded.page.evaluate(MATRIX_STATE)]
    assert shown == [a.id for a in activities_in_force(liaocheng) if a.domain == "power"] and loaded.page.inner_text("#matrix-note") == ""
