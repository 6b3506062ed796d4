"""Against a real Neo4j 5.26: schema, counts, idempotence, isolation, injection safety, parity, errors.

The server is the embedded Community edition started by the ``neo4j_uri`` fixture (tests/neo4j_harness.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dutygraph.datasets import default_dataset_dir
from dutygraph.engine import decide
from dutygraph.errors import Neo4jConnectionError, Neo4jIncompleteLoadError, Neo4jLoadError
from dutygraph.graph import build_graph
from dutygraph.loader import load_dataset
from dutygraph.model import Dataset
from dutygraph.neo4j_store import Neo4jStore
from tests.conftest import MINI, ROOT, CliResult
from tests.payloads import PAYLOADS, hostile
from tests.test_neo4j_parity import Question, cypher_rows, python_rows

pytestmark = pytest.mark.neo4j


@pytest.fixture
def store(neo4j_uri: str) -> Iterator[Neo4jStore]:
    with Neo4jStore(neo4j_uri) as connected:
        run(connected, "MATCH (n) DETACH DELETE n")
        yield connected


def run(store: Neo4jStore, text: str, **params: Any) -> list[dict[str, Any]]:
    with store._session() as session:
        return [r.data() for r in session.run(text, params)]


def snapshot(store: Neo4jStore) -> tuple[list[str], list[str]]:
    """Every node and relationship with its labels, type and properties, as sorted canonical JSON; ``loadId``, which
    names the load that wrote an item, differs from load to load and is left out."""
    nodes = run(store, "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = run(store, "MATCH (a)-[r]->(b) RETURN a.uid AS a, type(r) AS t, properties(r) AS props, b.uid AS b")
    for row in [*nodes, *rels]:
        row["props"].pop("loadId", None)
    canon = lambda rows: sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)  # noqa: E731
    return canon(nodes), canon(rels)


def test_schema_creates_uniqueness_constraints_and_indexes(store: Neo4jStore) -> None:
    store.apply_schema()
    constraints = {r["name"] for r in run(store, "SHOW CONSTRAINTS YIELD name")}
    assert {"dutynode_uid", "bureau_uid", "activity_uid", "licence_uid"} <= constraints
    indexes = {r["name"] for r in run(store, "SHOW INDEXES YIELD name")}
    assert {"dutynode_dataset", "bureau_name", "activity_dataset_id"} <= indexes
    store.apply_schema()  # idempotent


def test_counts_per_label_and_type_equal_the_networkx_graph(store: Neo4jStore, liaocheng: Dataset) -> None:
    report = store.load(liaocheng)
    graph = build_graph(liaocheng)
    labels = Counter(data["label"] for _, data in graph.nodes(data=True))
    types = Counter(data["type"] for _, _, data in graph.edges(data=True))
    nodes, relationships = store.counts(liaocheng.info.id)
    assert nodes == {**labels, "Dataset": 1}
    assert relationships == dict(types)
    assert report.nodes == nodes and report.relationships == relationships


def test_loading_twice_changes_nothing(store: Neo4jStore, liaocheng: Dataset) -> None:
    store.load(liaocheng, batch_size=50)
    first = snapshot(store)
    store.load(liaocheng, batch_size=7)
    assert snapshot(store) == first


def test_wipe_and_load_leave_other_data_alone(store: Neo4jStore, liaocheng: Dataset, mini: Dataset) -> None:
    run(store, "CREATE (:Foreign {name: 'analyst note'})-[:SEES]->(:Foreign {name: 'other'})")
    store.load(mini)
    store.load(liaocheng)
    mini_before = store.counts(mini.info.id)
    store.load(liaocheng, wipe=True)
    assert store.counts(mini.info.id) == mini_before
    assert run(store, "MATCH (f:Foreign)-[:SEES]->(g:Foreign) RETURN count(*) AS n") == [{"n": 1}]
    removed = store.wipe(liaocheng.info.id)
    assert removed == build_graph(liaocheng).number_of_nodes() + 1  # and the Dataset node
    assert store.counts(liaocheng.info.id) == ({}, {})
    assert store.counts(mini.info.id) == mini_before
    assert run(store, "MATCH (f:Foreign) RETURN count(f) AS n") == [{"n": 2}]


def test_injection_payloads_are_stored_verbatim_and_execute_nothing(store: Neo4jStore, mini: Dataset) -> None:
    run(store, "CREATE (:Foreign {name: 'survivor'})")
    dataset = hostile(mini)
    store.load(dataset)
    names = {r["name"] for r in run(store, "MATCH (b:Bureau {dataset: $d}) RETURN b.name AS name", d=mini.info.id)}
    assert names <= set(PAYLOADS) and names
    quotes = {r["q"] for r in run(store, "MATCH (p:Provision {dataset: $d}) RETURN p.quote AS q", d=mini.info.id)}
    assert quotes <= set(PAYLOADS)
    assert run(store, "MATCH (f:Foreign) RETURN f.name AS name") == [{"name": "survivor"}]
    assert "dutynode_uid" in {r["name"] for r in run(store, "SHOW CONSTRAINTS YIELD name")}
    nodes, _ = store.counts(mini.info.id)
    assert sum(nodes.values()) == 1 + sum(
        map(len, (mini.documents, mini.provisions, mini.bureaus, mini.domains, mini.activities, mini.licences))
    )
    rows = store.query("lead", {"dataset": mini.info.id, "activity": "a-designated", "missing": None})
    assert rows[0]["lead"]["name"] in PAYLOADS


def test_a_failing_batch_is_named_and_a_rerun_completes_the_load(
    store: Neo4jStore, liaocheng: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dutygraph.neo4j_store as module

    original = module.relationship_rows_by_type

    def poisoned(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
        rows = original(dataset)
        rows["HAS_DUTY"][0] = {**rows["HAS_DUTY"][0], "props": {"nested": {"maps": "are not storable"}}}
        return rows

    monkeypatch.setattr(module, "relationship_rows_by_type", poisoned)
    with pytest.raises(Neo4jLoadError, match=r"batch \d+ of \d+ \(\d+ HAS_DUTY rows, load/rel-has-duty.cypher\) failed: .*re-run the load"):
        store.load(liaocheng)
    assert store.counts(liaocheng.info.id)[1].get("HAS_DUTY", 0) == 0  # the failed batch wrote nothing
    monkeypatch.setattr(module, "relationship_rows_by_type", original)
    store.load(liaocheng)
    graph = build_graph(liaocheng)
    assert store.counts(liaocheng.info.id)[1] == dict(Counter(d["type"] for _, _, d in graph.edges(data=True)))


def test_an_unreachable_server_is_a_one_line_error() -> None:
    with pytest.raises(Neo4jConnectionError, match=r"^cannot reach Neo4j at bolt://127\.0\.0\.1:9: [^\n]*$"):
        Neo4jStore("bolt://127.0.0.1:9").connect()


def test_cli_load_query_and_exit_codes(neo4j_uri: str, store: Neo4jStore, run_cli: Callable[..., CliResult]) -> None:
    loaded = run_cli("neo4j", "load", "--uri", neo4j_uri, "--json")
    assert loaded.code == 0, loaded.stderr
    assert json.loads(loaded.stdout)["nodes"]["Bureau"] == len(load_dataset(default_dataset_dir()).bureaus)
    answer = run_cli("neo4j", "query", "lead", "--param", "activity=焰火晚会燃放", "--uri", neo4j_uri, "--json")
    (row,) = json.loads(answer.stdout)["rows"]
    assert (row["rule"], row["lead"]["name"]) == ("law-designated", "市公安局")
    mini = run_cli("neo4j", "load", "--uri", neo4j_uri, "--data", str(MINI), "--wipe")
    assert mini.code == 0 and "Loaded mini" in mini.stdout
    unknown = run_cli("neo4j", "query", "nonsense", "--uri", neo4j_uri)
    assert unknown.code == 3 and unknown.stderr.startswith("Error: no analyst query named 'nonsense'")
    refused = run_cli("neo4j", "load", "--uri", "bolt://127.0.0.1:9")
    assert refused.code == 7 and refused.stderr.count("\n") == 1


def test_every_analyst_query_runs(store: Neo4jStore, liaocheng: Dataset) -> None:
    from dutygraph.neo4j_store import query_names

    store.load(liaocheng)
    params = {"dataset": liaocheng.info.id, "activity": "fw-display", "bureau": "市交通运输局", "missing": None}
    results = {name: store.query(name, params) for name in query_names()}
    assert {"lead", "bureau-duties", "blind-spots", "conflicts", "licence-chains", "shared-domains", "counts"} <= set(results)
    assert all(results.values()), [name for name, rows in results.items() if not rows]
    chains = [row["chain"] for row in results["licence-chains"]]
    assert ["烟花爆竹道路运输许可证", "危险货物道路运输许可"] in chains
    blind = {(row["kind"], row["subject"]) for row in results["blind-spots"]}
    assert ("unknown-issuer", "渔船从事客货运输的批准") in blind


@pytest.mark.slow
def test_the_exported_csv_imports_with_neo4j_admin_into_the_graph_the_loader_writes(
    store: Neo4jStore, liaocheng: Dataset, tmp_path: Path
) -> None:
    from dutygraph.export import ExportFormat, export
    from tests import neo4j_harness

    export(liaocheng, ExportFormat.NEO4J_CSV, tmp_path / "csv")
    before = set(Path.cwd().iterdir()) | set(ROOT.iterdir())
    report = neo4j_harness.import_csv(tmp_path / "imported", tmp_path / "csv")
    assert (tmp_path / "imported" / "store" / "import.report").is_file()
    assert set(Path.cwd().iterdir()) | set(ROOT.iterdir()) == before, "neo4j-admin wrote outside its temporary directory"
    graph = build_graph(liaocheng)
    assert f"{graph.number_of_nodes() + 1} nodes" in report and f"{graph.number_of_edges()} relationships" in report
    store.load(liaocheng)
    loaded = snapshot(store)
    process, uri = neo4j_harness.start(tmp_path / "imported")
    try:
        with Neo4jStore(uri) as imported:
            assert snapshot(imported) == loaded
            question = Question("fw-road-transport")
            assert cypher_rows(imported, liaocheng, question) == python_rows(liaocheng, question)
    finally:
        neo4j_harness.stop(process)


@pytest.mark.slow
def test_refused_credentials_are_a_one_line_error(
    tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests import neo4j_harness

    process, uri = neo4j_harness.start(tmp_path, auth=True)
    try:
        monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
        refused = run_cli("neo4j", "load", "--uri", uri)
        assert refused.code == 7
        assert refused.stderr.startswith(f"Error: Neo4j at {uri} refused the credentials: ")
        assert refused.stderr.count("\n") == 1
        monkeypatch.delenv("NEO4J_PASSWORD")
        anonymous = run_cli("neo4j", "query", "counts", "--uri", uri)
        assert anonymous.code == 7
        assert "(set NEO4J_PASSWORD)" in anonymous.stderr
    finally:
        neo4j_harness.stop(process)


@pytest.mark.slow
def test_the_csv_export_of_hostile_text_imports_with_the_documented_options_unchanged(
    store: Neo4jStore, mini: Dataset, tmp_path: Path
) -> None:
    """Array delimiters, quotes, newlines and tabs inside values survive neo4j-admin import (issue 10, finding 9)."""
    from msgspec.structs import replace

    from dutygraph.export import ExportFormat, export
    from tests import neo4j_harness

    dataset = hostile(mini)
    dataset = replace(dataset, bureaus={**dataset.bureaus, "alpha": replace(dataset.bureaus["alpha"], aliases=PAYLOADS)})
    export(dataset, ExportFormat.NEO4J_CSV, tmp_path / "csv")
    neo4j_harness.import_csv(tmp_path / "imported", tmp_path / "csv")
    store.load(dataset)
    loaded = snapshot(store)
    assert run(store, "MATCH (b:Bureau {uid: 'mini/alpha'}) RETURN b.aliases AS a") == [{"a": list(PAYLOADS)}]
    process, uri = neo4j_harness.start(tmp_path / "imported")
    try:
        with Neo4jStore(uri) as imported:
            assert snapshot(imported) == loaded
    finally:
        neo4j_harness.stop(process)


def _lead(store: Neo4jStore, dataset: str, activity: str) -> tuple[str | None, str]:
    (row,) = store.query("lead", {"dataset": dataset, "activity": activity, "missing": None, "asOf": None, "sector": None})
    return (row["lead"]["id"] if row["lead"] else None), row["rule"]


def test_a_reload_without_wipe_holds_exactly_the_changed_dataset(store: Neo4jStore, tmp_path: Path) -> None:
    """Facts removed from the data leave the database on the next load (issue 10, finding 10)."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    store.load(load_dataset(root))
    assert _lead(store, "mini", "a-conflict") == (None, "undetermined")  # two explicit leads conflict
    leads = (root / "leads.yaml").read_text(encoding="utf-8")
    (root / "leads.yaml").write_text(leads.replace("  - {bureau: beta, activity: a-conflict, provisions: [p3]}\n", ""), encoding="utf-8")
    licences = (root / "licences.yaml").read_text(encoding="utf-8")
    (root / "licences.yaml").write_text(licences.replace("    requires:\n      - {licence: l1, provisions: [p1b]}\n", ""), encoding="utf-8")
    changed = load_dataset(root)
    assert not changed.licences["l2"].requires and len(changed.leads) == 1
    store.load(changed)
    expected = decide(changed, "a-conflict")
    assert expected.lead is not None
    assert _lead(store, "mini", "a-conflict") == (expected.lead.id, expected.rule.value) == ("alpha", "explicit")
    assert run(store, "MATCH (:Licence {uid: 'mini/l2'})-[r:REQUIRES]->() RETURN count(r) AS n") == [{"n": 0}]
    graph = build_graph(changed)
    assert store.counts(changed.info.id) == (
        {**Counter(d["label"] for _, d in graph.nodes(data=True)), "Dataset": 1},
        dict(Counter(d["type"] for _, _, d in graph.edges(data=True))),
    )
    reloaded = snapshot(store)
    run(store, "MATCH (n) DETACH DELETE n")
    store.load(changed)
    assert snapshot(store) == reloaded


def test_an_id_reused_for_another_kind_reloads(store: Neo4jStore, mini: Dataset) -> None:
    from msgspec.structs import replace

    store.load(mini)
    licences = {k: v for k, v in mini.licences.items() if k != "l4"}
    licences["d1"] = replace(mini.licences["l4"], id="d1")
    activities = {k: replace(a, domain=None) for k, a in mini.activities.items() if "l4" not in {c.target for c in a.licences}}
    duties = tuple(d for d in mini.duties if d.target in activities)
    changed = replace(mini, domains={}, activities=activities, licences=licences, duties=duties)
    store.load(changed)
    labels = run(store, "MATCH (n:DutyNode {uid: 'mini/d1'}) RETURN labels(n) AS l")
    assert labels == [{"l": ["DutyNode", "Licence"]}]


def test_an_interrupted_load_is_refused_until_a_load_completes(
    store: Neo4jStore, neo4j_uri: str, liaocheng: Dataset, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    """Kill a real load half-way: queries refuse the dataset until a load completes (issue 10, finding 10)."""
    uid = f"{liaocheng.info.id}/{liaocheng.info.id}"
    command = [sys.executable, "-m", "dutygraph", "neo4j", "load", "--uri", neo4j_uri, "--batch-size", "1", "--json"]
    env = {**os.environ, "DUTYGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 120
        while run(store, "MATCH (n:Provision {dataset: $d}) RETURN count(n) AS n", d=liaocheng.info.id)[0]["n"] < 10:
            assert process.poll() is None, "the load ended before it could be interrupted"
            assert time.monotonic() < deadline, "the load did not start"
            time.sleep(0.02)
    finally:
        process.kill()
        process.wait()
    assert run(store, "MATCH (d:Dataset {uid: $uid}) RETURN d.loadState AS s", uid=uid) == [{"s": "loading"}]
    refused = run_cli("neo4j", "query", "lead", "--param", "activity=焰火晚会燃放", "--uri", neo4j_uri)
    assert refused.code == 7 and refused.stdout == ""
    assert refused.stderr == (
        "Error: Neo4j holds an incomplete load of dataset 'liaocheng-2018-39' (it was interrupted or failed); "
        "run `dutygraph neo4j load` again to complete it\n"
    )
    with pytest.raises(Neo4jIncompleteLoadError):
        store.query("counts", {"dataset": liaocheng.info.id})
    assert store.query("counts", {"dataset": "mini"}) == []  # other datasets are not concerned
    loaded = run_cli("neo4j", "load", "--uri", neo4j_uri, "--json")
    assert loaded.code == 0, loaded.stderr
    assert run(store, "MATCH (d:Dataset {uid: $uid}) RETURN d.loadState AS s", uid=uid) == [{"s": "complete"}]
    answer = run_cli("neo4j", "query", "lead", "--param", "activity=焰火晚会燃放", "--uri", neo4j_uri, "--json")
    assert answer.code == 0
    (row,) = json.loads(answer.stdout)["rows"]
    assert (row["rule"], row["lead"]["name"]) == ("law-designated", "市公安局")
