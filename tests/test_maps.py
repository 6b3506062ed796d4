"""The HTML maps without a browser: self-contained, escaped, deterministic, scoped."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dutygraph.maps import MapSpec, build_map, map_payload
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


def test_every_activity_in_force_carries_its_decision(liaocheng: Dataset) -> None:
    from dutygraph.engine import activities_in_force

    payload = map_payload(liaocheng)
    in_force = [a.id for a in activities_in_force(liaocheng)]
    for activity in in_force:
        decision = payload["details"][activity]["decision"]
        assert decision["activity"]["id"] == activity
    assert payload["details"]["fw-display"]["decision"]["lead"]["name_zh"] == "市公安局"
    lead_edges = [e for e in payload["edges"] if e.get("lead")]
    assert len(lead_edges) == sum(1 for a in in_force if payload["details"][a]["decision"]["lead"])


def test_english_labels(liaocheng: Dataset) -> None:
    payload = map_payload(liaocheng, MapSpec(lang="en"))
    labels = {n["id"]: n["label"] for n in payload["nodes"]}
    assert labels["psb"].startswith("Liaocheng Pub")
    assert labels["post"] == "Liaocheng Pos…"  # shortened on the canvas, whole in the panel
    assert payload["index"]["post"]["name"] == "Liaocheng Postal Administration"


def test_cli_writes_utf8_files(run_cli: object, tmp_path: Path) -> None:
    from tests.conftest import CliResult

    assert callable(run_cli)
    result: CliResult = run_cli("map", "危险化学品", "-o", str(tmp_path / "hc.html"))
    assert result.code == 0, result.stderr
    html = (tmp_path / "hc.html").read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in html and "危险化学品" in html
    bad = run_cli("map", "焰火晚会燃放", "-o", str(tmp_path / "x.html"))
    assert bad.code == 3 and "焰火晚会燃放 is an activity" in bad.stderr
