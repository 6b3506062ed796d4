"""Exports of the duty graph: neo4j-admin import CSV, GraphML and node-link JSON.

The CSV files follow the header format of ``neo4j-admin database import``: ``uid:ID(DutyNode)``, ``:LABEL``
(several labels joined by ``;``), typed properties (``competent:boolean``, ``aliases:string[]`` with array
elements joined by ``;``), and ``:START_ID(DutyNode)``, ``:END_ID(DutyNode)``, ``:TYPE`` for relationships.
The node and relationship properties are those the Neo4j loader writes, so an import and a load give the same
graph.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from dutygraph.graph import build_graph
from dutygraph.model import Dataset
from dutygraph.neo4j_store import node_rows_by_label, relationship_rows_by_type

__all__ = ["ARRAY_DELIMITER", "ExportFormat", "export"]

ARRAY_DELIMITER = ";"


class ExportFormat(StrEnum):
    NEO4J_CSV = "neo4j-csv"
    GRAPHML = "graphml"
    JSON = "json"


def export(dataset: Dataset, fmt: ExportFormat, out_dir: Path) -> list[Path]:
    """Write ``dataset`` in ``fmt`` into ``out_dir`` (created if needed); returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt is ExportFormat.NEO4J_CSV:
        return _neo4j_csv(dataset, out_dir)
    if fmt is ExportFormat.GRAPHML:
        return [_graphml(dataset, out_dir / f"{dataset.info.id}.graphml")]
    return [_node_link_json(dataset, out_dir / f"{dataset.info.id}.json")]


def _csv_type(values: Iterable[Any]) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return "boolean"
    if kinds and kinds <= {list, tuple}:
        return "string[]"
    return "string"


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    return str(value)


def _header(columns: Mapping[str, str]) -> list[str]:
    return [name if kind == "string" else f"{name}:{kind}" for name, kind in columns.items()]


def _write_csv(path: Path, fixed: list[str], rows: list[tuple[list[str], Mapping[str, Any]]]) -> Path:
    keys: dict[str, list[Any]] = {}
    for _, props in rows:
        for key, value in props.items():
            keys.setdefault(key, []).append(value)
    columns = {key: _csv_type(values) for key, values in keys.items()}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*fixed, *_header(columns)])
        for leading, props in rows:
            writer.writerow([*leading, *(_csv_value(props.get(key)) for key in columns)])
    return path


def _neo4j_csv(dataset: Dataset, out_dir: Path) -> list[Path]:
    files = []
    for label, rows in node_rows_by_label(dataset).items():
        files.append(
            _write_csv(
                out_dir / f"nodes-{label}.csv",
                ["uid:ID(DutyNode)", ":LABEL"],
                [([row["uid"], f"DutyNode{ARRAY_DELIMITER}{label}"], row["props"]) for row in rows],
            )
        )
    for kind, rows in relationship_rows_by_type(dataset).items():
        files.append(
            _write_csv(
                out_dir / f"relationships-{kind}.csv",
                [":START_ID(DutyNode)", ":END_ID(DutyNode)", ":TYPE", "key"],
                [([row["from"], row["to"], kind, row["key"]], row["props"]) for row in rows],
            )
        )
    return files


def _flat(props: Mapping[str, Any]) -> dict[str, Any]:
    """GraphML stores no lists: they become JSON text."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, tuple)) else v for k, v in props.items()}


def _graphml(dataset: Dataset, path: Path) -> Path:
    import networkx as nx

    graph = build_graph(dataset)
    flat = nx.MultiDiGraph(**graph.graph)
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **_flat(data))
    for source, target, data in graph.edges(data=True):
        flat.add_edge(source, target, **_flat(data))
    nx.write_graphml(flat, path, encoding="utf-8")
    return path


def _node_link_json(dataset: Dataset, path: Path) -> Path:
    import networkx as nx

    data = nx.node_link_data(build_graph(dataset), edges="links")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
