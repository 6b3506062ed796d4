"""Exports: neo4j-admin import CSV with documented headers, GraphML and node-link JSON that round-trip."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import networkx as nx

from dutygraph.export import ExportFormat, export
from dutygraph.graph import build_graph
from dutygraph.model import Dataset


def read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def test_neo4j_csv_headers_follow_the_import_tool_format(liaocheng: Dataset, tmp_path: Path) -> None:
    files = {p.name: p for p in export(liaocheng, ExportFormat.NEO4J_CSV, tmp_path)}
    header, rows = read(files["nodes-Bureau.csv"])
    assert header[:2] == ["uid:ID(DutyNode)", ":LABEL"]
    assert "aliases:string[]" in header and "name" in header
    assert len(rows) == len(liaocheng.bureaus)
    psb = next(r for r in rows if r[0] == "liaocheng-2018-39/psb")
    assert psb[1] == "DutyNode;Bureau"
    assert psb[header.index("aliases:string[]")] == ";".join(liaocheng.bureaus["psb"].aliases)
    header, rows = read(files["relationships-HAS_DUTY.csv"])
    assert header[:4] == [":START_ID(DutyNode)", ":END_ID(DutyNode)", ":TYPE", "key"]
    assert "competent:boolean" in header and "provisions:string[]" in header
    assert {r[header.index("competent:boolean")] for r in rows} == {"true", "false"}


def test_neo4j_csv_holds_every_node_and_relationship(liaocheng: Dataset, tmp_path: Path) -> None:
    files = export(liaocheng, ExportFormat.NEO4J_CSV, tmp_path)
    graph = build_graph(liaocheng)
    node_rows = sum(len(read(p)[1]) for p in files if p.name.startswith("nodes-"))
    rel_types = Counter(row[2] for p in files if p.name.startswith("relationships-") for row in read(p)[1])
    assert node_rows == graph.number_of_nodes() + 1  # and the Dataset node
    assert rel_types == Counter(d["type"] for _, _, d in graph.edges(data=True))


def test_graphml_round_trips(liaocheng: Dataset, tmp_path: Path) -> None:
    (path,) = export(liaocheng, ExportFormat.GRAPHML, tmp_path)
    back = nx.read_graphml(path, force_multigraph=True)
    graph = build_graph(liaocheng)
    assert (back.number_of_nodes(), back.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert back.nodes["psb"]["name"] == "市公安局"
    assert json.loads(back.nodes["psb"]["aliases"]) == list(liaocheng.bureaus["psb"].aliases)


def test_node_link_json_round_trips(liaocheng: Dataset, tmp_path: Path) -> None:
    (path,) = export(liaocheng, ExportFormat.JSON, tmp_path)
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="links")
    assert nx.utils.graphs_equal(back, build_graph(liaocheng))
