"""Exports of the duty graph: neo4j-admin import CSV, GraphML and node-link JSON.

The CSV files follow the header format of ``neo4j-admin database import``: ``uid:ID(DutyNode)``, ``:LABEL``
(several labels joined by the array delimiter), typed properties (``competent:boolean``, ``aliases:string[]``),
and ``:START_ID(DutyNode)``, ``:END_ID(DutyNode)``, ``:TYPE`` for relationships. The node and relationship
properties are those the Neo4j loader writes, so an import and a load give the same graph.

Every value round-trips through the import tool: text is always quoted (quotes doubled, as RFC 4180 and the tool
read them; a missing value is an empty unquoted field), values may span lines (hence ``--multiline-fields=true``),
and array elements are joined by U+001F (the unit separator), a control character that validation refuses in
every name, alias and id, so it never occurs inside an element (hence ``--array-delimiter=U+001F``).
:data:`NEO4J_ADMIN_OPTIONS` are the options the import needs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from dutygraph.errors import UsageError
from dutygraph.files import output_path
from dutygraph.graph import build_graph
from dutygraph.model import Dataset
from dutygraph.neo4j_store import node_rows_by_label, relationship_rows_by_type
from dutygraph.text import brief

__all__ = ["ARRAY_DELIMITER", "NEO4J_ADMIN_OPTIONS", "ExportFormat", "export"]

ARRAY_DELIMITER = "\x1f"
NEO4J_ADMIN_OPTIONS: tuple[str, ...] = (f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}", "--multiline-fields=true")
"""The options of ``neo4j-admin database import full`` that read the exported files exactly."""


class ExportFormat(StrEnum):
    NEO4J_CSV = "neo4j-csv"
    GRAPHML = "graphml"
    JSON = "json"


def export(dataset: Dataset, fmt: ExportFormat, out_dir: Path) -> list[Path]:
    """Write ``dataset`` in ``fmt`` into ``out_dir`` (created if needed); returns the files written."""
    if fmt is ExportFormat.NEO4J_CSV:
        rows = _neo4j_csv_rows(dataset)
        paths = [output_path(out_dir, name) for name, _, _ in rows]
        out_dir.mkdir(parents=True, exist_ok=True)
        return [_write_csv(path, fixed, table) for path, (_, fixed, table) in zip(paths, rows, strict=True)]
    path = output_path(out_dir, f"{dataset.info.id}.{'graphml' if fmt is ExportFormat.GRAPHML else 'json'}")
    out_dir.mkdir(parents=True, exist_ok=True)
    return [_graphml(dataset, path) if fmt is ExportFormat.GRAPHML else _node_link_json(dataset, path)]


def _csv_type(values: Iterable[Any]) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "int"
    if kinds and kinds <= {list, tuple}:
        return "string[]"
    return "string"


def _csv_value(value: Any) -> str | None:
    """The text of one cell; ``None`` for a missing value (an empty field, which imports as no property)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        for element in value:
            if ARRAY_DELIMITER in str(element):
                raise UsageError(f"cannot export {brief(str(element))}: it holds the array delimiter U+001F")
        return ARRAY_DELIMITER.join(str(v) for v in value)
    return str(value)


def _cell(text: str | None) -> str:
    """RFC 4180 quoting, always for text: the import tool then keeps every character as it is."""
    return "" if text is None else '"' + text.replace('"', '""') + '"'


def _header(columns: Mapping[str, str]) -> list[str]:
    return [name if kind == "string" else f"{name}:{kind}" for name, kind in columns.items()]


Table = list[tuple[list[str], Mapping[str, Any]]]


def _write_csv(path: Path, fixed: list[str], rows: Table) -> Path:
    keys: dict[str, list[Any]] = {}
    for _, props in rows:
        for key, value in props.items():
            keys.setdefault(key, []).append(value)
    columns = {key: _csv_type(values) for key, values in keys.items()}
    lines = [",".join(_cell(c) for c in [*fixed, *_header(columns)])]
    for leading, props in rows:
        lines.append(",".join(_cell(c) for c in [*leading, *(_csv_value(props.get(key)) for key in columns)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _neo4j_csv_rows(dataset: Dataset) -> list[tuple[str, list[str], Table]]:
    """``(file name, fixed header columns, rows)`` of every CSV file."""
    files: list[tuple[str, list[str], Table]] = []
    for label, rows in node_rows_by_label(dataset).items():
        table: Table = [([row["uid"], f"DutyNode{ARRAY_DELIMITER}{label}"], row["props"]) for row in rows]
        files.append((f"nodes-{label}.csv", ["uid:ID(DutyNode)", ":LABEL"], table))
    for kind, rows in relationship_rows_by_type(dataset).items():
        table = [([row["from"], row["to"], kind, row["key"]], row["props"]) for row in rows]
        files.append((f"relationships-{kind}.csv", [":START_ID(DutyNode)", ":END_ID(DutyNode)", ":TYPE", "key"], table))
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
