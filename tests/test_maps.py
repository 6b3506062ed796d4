"""The HTML maps without a browser: self-contained, escaped, deterministic, scoped."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from dutygraph.engine import activities_in_force, decide, licences_in_scope
from dutygraph.errors import UsageError
from dutygraph.jsonview import decision_view, matrix_view
from dutygraph.maps import (
    MAX_COMBINATIONS,
    MapSpec,
    build_map,
    compact_decision,
    decision_bureaus,
    map_payload,
    missing_combinations,
)
from dutygraph.matrix import build_matrix
from dutygraph.model import Dataset
from tests.payloads import PAYLOADS, hostile

EXTERNAL_REFERENCE = re.compile(r"""(?:src|href|action|poster)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I)


def embedded_data(html: str) -> dict[str, object]:
    match = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    assert match
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_the_page_references_nothing_outside_itself(liaocheng: Dataset) -> None:
    html = build_map(liaocheng)
    assert not EXTERNAL_REFERENCE.search(html)
    assert "<script src" not in html and "<link" not in html
    assert "connect-src 'none'" in html  # and the page's CSP forbids fetching anything
    urls = set(re.findall(r"https?://[^\s\"'()<>]+", html))
    # The only URL-shaped strings are vis-network's licence banner and the SVG namespace identifier.
    allowed = ("almende.com", "opensource.org", "apache.org", "www.w3.org/2000/svg", "github.com/", "visjs.github.io")
    assert all(any(a in url for a in allowed) for url in urls), urls


def test_hostile_text_cannot_close_the_data_element(mini: Dataset) -> None:
    html = build_map(hostile(mini))
    data_part = html.split('<script id="map-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_part and ">" not in data_part
    payload = embedded_data(html)
    details = payload["details"]
    assert isinstance(details, dict)
    assert any(detail["title"] in PAYLOADS for detail in details.values())
    assert "<script>window.__pwned" not in html.split("<script>", 1)[0]  # not in the head either


def test_maps_are_deterministic(liaocheng: Dataset) -> None:
    assert build_map(liaocheng) == build_map(liaocheng)


def test_scopes(liaocheng: Dataset) -> None:
    whole = map_payload(liaocheng)
    hazchem = map_payload(liaocheng, MapSpec("domain", "hazchem"))
    psb = map_payload(liaocheng, MapSpec("bureau", "psb"))
    ids = lambda p: {n["id"] for n in p["nodes"]}  # noqa: E731
    assert len(ids(whole)) == sum(map(len, (liaocheng.bureaus, liaocheng.domains, liaocheng.activities, liaocheng.licences)))
    assert {"hazchem", "hc-trading", "hc-trading-permit", "safety"} <= ids(hazchem) and "fireworks" not in ids(hazchem)
    assert {"psb", "fw-display", "fw-display-permit", "county-psb"} <= ids(psb) and "power" not in ids(psb)


def test_every_activity_in_force_carries_the_decisions_the_cli_gives(liaocheng: Dataset) -> None:
    payload = map_payload(liaocheng)
    date = liaocheng.info.as_of  # a map speaks for the dataset's own date unless told otherwise
    in_force = [a.id for a in activities_in_force(liaocheng)]
    assert set(payload["paths"]) == set(in_force)  # groups and activities not yet in force have no answer
    for activity in in_force:
        entry = payload["paths"][activity]
        scope = [lic for lic, _ in entry["licences"]]
        assert scope == licences_in_scope(liaocheng, liaocheng.activities[activity])
        assert len(entry["combos"]) == min(_answerable(liaocheng, activity, scope), MAX_COMBINATIONS) and entry["complete"]
        default = entry["combos"][entry["default"]]
        assert default == compact_decision(decision_view(decide(liaocheng, activity, as_of=date)))  # no --missing: the CLI's default
        for key, view in entry["combos"].items():
            missing = [scope[int(i)] for i in key.split(",") if i]
            decision = decide(liaocheng, activity, missing or None, as_of=date)
            assert (view["lead"] or {}).get("id") == (decision.lead.id if decision.lead else None), (activity, key)
            assert view["rule"] == decision.rule.value
            assert [m["id"] for m in view["missing"]] == [lic.id for lic in decision.missing]
    assert _default_lead(payload, "fw-display") == "psb"
    lead_edges = [e for e in payload["edges"] if e.get("lead")]
    assert len(lead_edges) == sum(1 for a in in_force if _default_lead(payload, a))
    assert all(not e.get("hidden") for e in lead_edges)  # drawn by default; every other kind on demand
    assert all(e.get("hidden") for e in payload["edges"] if not e.get("lead"))


def _answerable(dataset: Dataset, activity: str, scope: list[str]) -> int:
    """How many combinations of missing licences the engine answers (it refuses a licence not yet required)."""
    if not scope:
        return 1
    count = 0
    for size in range(1, len(scope) + 1):
        for subset in itertools.combinations(scope, size):
            try:
                decide(dataset, activity, list(subset))
            except UsageError:
                continue
            count += 1
    return count


def _default_lead(payload: dict[str, Any], activity: str) -> str | None:
    entry = payload["paths"][activity]
    lead = entry["combos"][entry["default"]]["lead"]
    return lead["id"] if lead else None


def test_the_combinations_are_capped_default_first_smallest_next() -> None:
    scope = [f"l{i}" for i in range(6)]
    chosen = missing_combinations(scope, ["l2", "l4"])
    assert len(chosen) == MAX_COMBINATIONS and len(set(chosen)) == MAX_COMBINATIONS
    assert chosen[0] == (2, 4)
    assert [len(c) for c in chosen[1:]] == sorted(len(c) for c in chosen[1:])
    assert missing_combinations([], []) == [()]


def test_the_bureaus_of_a_decision_include_fields_the_engine_may_add() -> None:
    bureau = lambda ident: {"id": ident, "name_zh": ident, "name_en": None}  # noqa: E731
    view = {
        "activity": {"id": "a", "name_zh": "a"},
        "missing": [{"id": "lic", "name_zh": "lic"}],
        "lead": bureau("county"),
        "cooperating": [bureau("quality")],
        "candidates": [],
        "guided_by": bureau("city"),
        "succession": {"predecessor": bureau("old"), "successor": bureau("county"), "from": "2019-01-01"},
        "trace": [],
        "citations": [],
    }
    assert decision_bureaus(view) == {"county": "lead", "quality": "cooperating", "city": "guided_by", "old": "succession"}


def test_english_labels_wrap_whole_words(liaocheng: Dataset) -> None:
    payload = map_payload(liaocheng, MapSpec(lang="en"))
    labels = {n["id"]: n["label"] for n in payload["nodes"]}
    assert labels["psb"].replace("\n", " ") == "Liaocheng Public Security Bureau"  # wrapped, not cut
    assert payload["index"]["post"]["name"] == "Liaocheng Postal Administration"
    for label in labels.values():
        assert all(line == line.strip() and line for line in label.split("\n"))


def test_the_layout_gives_each_domain_its_band_and_puts_organs_beside_their_guide(liaocheng: Dataset) -> None:
    payload = map_payload(liaocheng)
    at = {n["id"]: (n["x"], n["y"]) for n in payload["nodes"]}
    bands = {b["domain"]: b for b in payload["layout"]["bands"]}
    for activity in liaocheng.activities.values():
        band = bands[activity.domain]
        x, y = at[activity.id]
        assert band["y0"] < y < band["y1"] and band["x0"] < x < band["x1"], activity.id
    for licence in liaocheng.licences:  # a licence sits in the band of a domain whose activities need it
        users = {a.domain for a in liaocheng.activities.values() if licence in licences_in_scope(liaocheng, a)}
        assert any(bands[d]["y0"] < at[licence][1] < bands[d]["y1"] for d in users), licence
    for domain in liaocheng.domains:
        assert bands[domain]["y0"] < at[domain][1] < bands[domain]["y1"]
    beside = 0
    for bureau in liaocheng.bureaus.values():
        guide = bureau.guided_by or bureau.agency_of
        if guide and not ((guide_of := liaocheng.bureaus[guide.target]).guided_by or guide_of.agency_of):
            (x, y), (gx, gy) = at[bureau.id], at[guide.target]
            assert x < gx and abs(y - gy) < 40, bureau.id  # beside the bureau that guides it, or whose agency it is
            beside += 1
    assert beside  # the bundled dataset has such organs (县级公安机关 guided by 市公安局)
    for bureau in liaocheng.bureaus:  # bureaus right of the slices (of their block, where a large map has several)
        x = at[bureau][0]
        assert any(b["x1"] < x for b in bands.values()) and not any(b["x0"] <= x <= b["x1"] for b in bands.values()), bureau


def test_cli_writes_utf8_files(run_cli: object, tmp_path: Path) -> None:
    from tests.conftest import CliResult

    assert callable(run_cli)
    result: CliResult = run_cli("map", "危险化学品", "-o", str(tmp_path / "hc.html"))
    assert result.code == 0, result.stderr
    html = (tmp_path / "hc.html").read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in html and "危险化学品" in html
    bad = run_cli("map", "焰火晚会燃放", "-o", str(tmp_path / "x.html"))
    assert bad.code == 3 and "焰火晚会燃放 is an activity" in bad.stderr


# ---- the date a map speaks for, and the matrix tab -----------------------------------------------------------

LATER = dt.date(2026, 11, 27)


def _default_decisions(payload: dict[str, Any]) -> dict[str, Any]:
    return {a: entry["combos"][entry["default"]] for a, entry in payload["paths"].items()}


def test_a_map_as_of_a_later_date_decides_on_that_date_and_says_so(liaocheng: Dataset) -> None:
    then, later = map_payload(liaocheng), map_payload(liaocheng, MapSpec(as_of=LATER))
    assert LATER.isoformat() in later["title"] and LATER.isoformat() not in then["title"]
    assert str(liaocheng.info.as_of) in then["title"] and "dataset's date" in then["title"]
    assert later["as_of"]["date"] == LATER.isoformat() and then["as_of"]["date"] == str(liaocheng.info.as_of)
    assert set(later["paths"]) == {a.id for a in activities_in_force(liaocheng, LATER)} != set(then["paths"])
    changed = 0
    for activity, view in _default_decisions(later).items():
        decision = decide(liaocheng, activity, as_of=LATER)
        assert view == compact_decision(decision_view(decision)), activity
        assert view["as_of"] == LATER.isoformat()
        if activity in then["paths"] and (view["lead"] or {}).get("id") != _default_lead(then, activity) and decision.transfer:
            changed += 1
            assert view["transfer"]["status"] == "after" and view["lead"]["id"] in {b["id"] for b in view["transfer"]["successors"]}
    assert changed  # the bundled dataset's organs were reorganised in 2018-2020: the map names the successors
    lead_edges = {e["to"]: e["from"] for e in later["edges"] if e.get("lead")}
    assert all(lead_edges[a] == view["lead"]["id"] for a, view in _default_decisions(later).items() if view["lead"])


def test_a_bureau_says_who_held_its_duties_on_the_map_s_date(liaocheng: Dataset) -> None:
    succession = liaocheng.successions[0]
    old, new = liaocheng.bureaus[succession.predecessor], liaocheng.bureaus[succession.successor]
    assert succession.not_after is not None and succession.not_after.date < LATER
    later = map_payload(liaocheng, MapSpec(as_of=LATER))
    facts = dict((k, v) for k, v in later["details"][old.id]["facts"] if k == "沿革 in time")
    assert new.name in facts["沿革 in time"] and "after the window" in facts["沿革 in time"]
    assert succession.not_after.date.isoformat() in facts["沿革 in time"]
    assert set(succession.not_after.provisions) <= set(later["details"][old.id]["citations"])
    successor_facts = [v for k, v in later["details"][new.id]["facts"] if k == "沿革 in time"]
    assert any(v.startswith(f"succeeded {old.name}") for v in successor_facts)
    then = map_payload(liaocheng)
    assert any("before the window" in v for k, v in then["details"][old.id]["facts"] if k == "沿革 in time")


@pytest.mark.parametrize(
    ("spec", "scope"),
    [
        (MapSpec(), {}),
        (MapSpec("domain", "hazchem"), {"domain": "hazchem"}),
        (MapSpec("bureau", "psb"), {"bureau": "psb"}),
        (MapSpec(as_of=LATER), {}),
        (MapSpec("domain", "fireworks", as_of=dt.date(2019, 6, 1)), {"domain": "fireworks"}),
    ],
)
def test_the_matrix_tab_is_dutygraph_matrix_for_the_map_s_scope_and_date(liaocheng: Dataset, spec: MapSpec, scope: dict[str, str]) -> None:
    payload = map_payload(liaocheng, spec)
    date = spec.as_of or liaocheng.info.as_of
    built = build_matrix(liaocheng, as_of=date, domain=scope.get("domain"), bureau=scope.get("bureau"))
    expected = matrix_view(liaocheng, built, {"type": spec.focus_kind or "dataset", "id": spec.focus_id})
    citations = expected.pop("citations")
    assert payload["matrix"] == expected
    assert set(citations) <= set(payload["citations"])  # every cell's provisions are in the page's citation table
    rows = [row for group in payload["matrix"]["rows"] for row in group["activities"]]
    assert rows and all(row["activity"]["id"] in payload["paths"] for row in rows)  # a click on any row has its decision
    for row in rows:
        view = _default_decisions(payload)[row["activity"]["id"]]
        assert row["lead"] == (view["lead"]["id"] if view["lead"] else None) and row["rule"] == view["rule"]


def test_the_matrix_tab_uses_the_terminal_s_marks(liaocheng: Dataset) -> None:
    from dutygraph.matrix import MARKS, Role

    assert set(MARKS) == set(Role)
    style = map_payload(liaocheng, MapSpec("domain", "power"))["matrix_style"]
    assert style["marks"] == {role.value: list(marks) for role, marks in MARKS.items()}
    assert set(style["systems"]) == {str(g["system"]) for g in map_payload(liaocheng, MapSpec("domain", "power"))["matrix"]["columns"]}


def test_hostile_text_in_the_matrix_travels_only_as_escaped_json(mini: Dataset) -> None:
    html = build_map(hostile(mini))
    payload = embedded_data(html)
    matrix = payload["matrix"]
    assert isinstance(matrix, dict)
    names = {b["name_zh"] for group in matrix["columns"] for b in group["bureaus"]}
    names |= {row["activity"]["name_zh"] for group in matrix["rows"] for row in group["activities"]}
    assert names & set(PAYLOADS)
    body = html.split('<script id="map-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert all(p not in body for p in PAYLOADS if "<" in p)


def test_cli_map_as_of(run_cli: object, tmp_path: Path) -> None:
    from tests.conftest import CliResult

    assert callable(run_cli)
    result: CliResult = run_cli("map", "烟花爆竹", "--as-of", "2026-11-27", "-o", str(tmp_path / "fw.html"))
    assert result.code == 0, result.stderr
    payload = embedded_data((tmp_path / "fw.html").read_text(encoding="utf-8"))
    assert payload["as_of"] == {"date": "2026-11-27", "dataset_date": "2018-04-16", "text": "截至 as of 2026-11-27"}
    assert run_cli("map", "--as-of", "27.11.2026", "-o", str(tmp_path / "x.html")).code == 2  # a usage error
    assert not (tmp_path / "x.html").exists()
    gallery = run_cli("map", "--gallery", "--as-of", "2019-06-01", "-o", str(tmp_path / "g"))
    assert gallery.code == 0 and all(
        "2019-06-01" in str(embedded_data(p.read_text(encoding="utf-8"))["title"]) for p in (tmp_path / "g").glob("*.html")
    )


def test_visuals_hold_a_screenshot_of_the_matrix_tab() -> None:
    visuals = Path(__file__).resolve().parent.parent / "visuals"
    manifest = json.loads((visuals / "manifest.json").read_text(encoding="utf-8"))
    shots = [shot for entry in manifest.values() for shot in entry.get("matrix", ())]
    assert any(s.get("print") for s in shots) and any(not s.get("print") for s in shots)
    assert all((visuals / s["png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for s in shots)
