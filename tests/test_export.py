"""Exports: neo4j-admin import CSV with documented headers, GraphML and node-link JSON that round-trip."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from dutygraph.export import ARRAY_DELIMITER, NEO4J_ADMIN_OPTIONS, ExportFormat, export
from dutygraph.graph import build_graph
from dutygraph.model import Dataset
from dutygraph.neo4j_store import node_rows_by_label, relationship_rows_by_type
from tests.payloads import PAYLOADS, hostile


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
    assert psb[1] == f"DutyNode{ARRAY_DELIMITER}Bureau"
    assert psb[header.index("aliases:string[]")].split(ARRAY_DELIMITER) == list(liaocheng.bureaus["psb"].aliases)
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


def parse_like_neo4j_admin(path: Path) -> list[dict[str, object]]:
    """Read a neo4j-admin CSV file the way ``database import`` does with the documented options: RFC 4180 fields
    (quotes doubled, newlines inside quotes), typed columns, arrays split on the array delimiter, empty = absent."""
    header, rows = read(path)
    parsed = []
    for row in rows:
        values: dict[str, object] = {}
        for column, cell in zip(header, row, strict=True):
            name, _, kind = column.partition(":")
            if cell == "":
                continue
            if kind == "string[]" or column == ":LABEL":
                values[name or column] = cell.split(ARRAY_DELIMITER)
            elif kind == "boolean":
                values[name] = cell == "true"
            else:
                values[name or column] = cell
        parsed.append(values)
    return parsed


def test_neo4j_csv_round_trips_every_hostile_value(mini: Dataset, tmp_path: Path) -> None:
    """Array delimiters, quotes, commas, tabs and newlines inside values survive the CSV (issue 10, finding 9)."""
    from msgspec.structs import replace

    dataset = hostile(mini)
    dataset = replace(dataset, bureaus={**dataset.bureaus, "alpha": replace(dataset.bureaus["alpha"], aliases=PAYLOADS)})
    files = {p.name: p for p in export(dataset, ExportFormat.NEO4J_CSV, tmp_path)}
    for label, rows in node_rows_by_label(dataset).items():
        expected = [{"uid": r["uid"], ":LABEL": ["DutyNode", label], **r["props"]} for r in rows]
        assert parse_like_neo4j_admin(files[f"nodes-{label}.csv"]) == expected, label
    for kind, rows in relationship_rows_by_type(dataset).items():
        expected = [
            {":START_ID(DutyNode)": r["from"], ":END_ID(DutyNode)": r["to"], ":TYPE": kind, "key": r["key"], **r["props"]} for r in rows
        ]
        got = parse_like_neo4j_admin(files[f"relationships-{kind}.csv"])
        assert [{k.split("(")[0] if k.startswith(":") else k: v for k, v in g.items()} for g in got] == [
            {k.split("(")[0] if k.startswith(":") else k: v for k, v in e.items()} for e in expected
        ], kind
    assert f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}" in NEO4J_ADMIN_OPTIONS and "--multiline-fields=true" in NEO4J_ADMIN_OPTIONS


def test_neo4j_csv_refuses_an_array_element_holding_the_delimiter(mini: Dataset, tmp_path: Path) -> None:
    from msgspec.structs import replace

    from dutygraph.errors import UsageError

    bad = replace(mini.bureaus["alpha"], aliases=(f"a{ARRAY_DELIMITER}b",))
    with pytest.raises(UsageError, match="array delimiter"):
        export(replace(mini, bureaus={**mini.bureaus, "alpha": bad}), ExportFormat.NEO4J_CSV, tmp_path)
