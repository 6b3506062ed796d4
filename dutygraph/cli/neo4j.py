"""``dutygraph neo4j``: load the duty graph into Neo4j and run the analyst queries."""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dutygraph.cli.common import console, emit_json, open_data
from dutygraph.cli.helptext import CellCommand, CellGroup
from dutygraph.cli.params import DataOption, JsonOption
from dutygraph.errors import UsageError
from dutygraph.text import brief

if TYPE_CHECKING:
    from dutygraph.neo4j_store import Neo4jStore

__all__ = ["app"]

app = typer.Typer(
    cls=CellGroup,
    help="Neo4j for analysts: load the duty graph (idempotent, batched) and run the analyst queries of cypher/queries/.",
    no_args_is_help=True,
)

UriOption = Annotated[str, typer.Option("--uri", envvar="NEO4J_URI", help="Bolt URI of the Neo4j server.")]
UserOption = Annotated[str, typer.Option("--user", envvar="NEO4J_USER", help="Neo4j user; the password comes only from $NEO4J_PASSWORD.")]
DatabaseOption = Annotated[
    str | None, typer.Option("--database", envvar="NEO4J_DATABASE", help="Database name (default: the server's default).")
]


def _store(uri: str, user: str, database: str | None) -> Neo4jStore:
    from dutygraph.neo4j_store import Neo4jStore

    return Neo4jStore(uri, user, os.environ.get("NEO4J_PASSWORD") or None, database)


@app.command("load", cls=CellCommand)
def neo4j_load(
    uri: UriOption = "bolt://localhost:7687",
    user: UserOption = "neo4j",
    database: DatabaseOption = None,
    wipe: Annotated[bool, typer.Option("--wipe", help="First remove this dataset's nodes (and only those).")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Rows per transaction.")] = 2000,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load the dataset into Neo4j: schema, then nodes and relationships in batches; then remove what the data no longer
    holds. Re-running is safe; queries refuse the dataset until a load completes."""
    from dutygraph.neo4j_store import node_rows_by_label, relationship_rows_by_type

    dataset = open_data(data)
    total = sum(map(len, node_rows_by_label(dataset).values())) + sum(map(len, relationship_rows_by_type(dataset).values()))
    with _store(uri, user, database) as store:
        if as_json:
            report = store.load(dataset, batch_size, wipe=wipe)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            columns = (TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=console(), transient=False) as bar:
                task = bar.add_task("loading", total=total)

                def advance(what: str, rows: int) -> None:
                    bar.update(task, advance=rows, description=what)

                report = store.load(dataset, batch_size, advance, wipe=wipe)
                bar.update(task, description="done")
    payload = {
        "dataset": report.dataset,
        "uri": uri,
        "nodes": report.nodes,
        "relationships": report.relationships,
        "batches": report.batches,
        "wiped": report.wiped,
        "pruned": report.pruned,
    }
    if as_json:
        emit_json(payload)
    else:
        nodes, relationships = sum(report.nodes.values()), sum(report.relationships.values())
        wiped = f"; removed {report.wiped} nodes of the previous load first" if wipe else ""
        from dutygraph.cli.layout import data as inert

        pruned = f"; removed {report.pruned} nodes and relationships the data no longer holds" if report.pruned else ""
        summary = (
            f"Loaded {report.dataset} into {uri}: {nodes} nodes, {relationships} relationships in {report.batches} batches{wiped}{pruned}."
        )
        console().print(inert(summary))


def _param(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise UsageError(f"--param takes KEY=VALUE, got {brief(text)}")
    stripped = raw.strip()
    if stripped in ("null", "true", "false") or stripped[:1] in "[{" or stripped.lstrip("-").isdigit():
        try:
            return key, json.loads(stripped)
        except json.JSONDecodeError:
            pass
    return key, raw


@app.command("query", cls=CellCommand)
def neo4j_query(
    name: Annotated[str, typer.Argument(help="An analyst query of cypher/queries/ (see `dutygraph neo4j queries`).")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="KEY=VALUE (repeat); JSON values: null, true, numbers, [lists].")
    ] = None,
    uri: UriOption = "bolt://localhost:7687",
    user: UserOption = "neo4j",
    database: DatabaseOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run an analyst query; $dataset defaults to the dataset of --data (the bundled one by default)."""
    from dutygraph.neo4j_store import check_query_name

    check_query_name(name)  # before connecting: a wrong name is not a connection problem
    params: dict[str, Any] = {"dataset": _dataset_id(data), "missing": None}
    params.update(_param(p) for p in param or [])
    with _store(uri, user, database) as store:
        rows = store.query(name, params)
    if as_json:
        emit_json({"query": name, "params": params, "rows": rows})
        return
    from rich.table import Table

    from dutygraph.cli.layout import data as inert
    from dutygraph.cli.layout import flow

    if not rows:
        console().print(inert(f"{name}: no rows for {params}"))
        return
    table = Table(title=f"{name} ({len(rows)} rows)", title_justify="left")
    for column in rows[0]:
        table.add_column(inert(column))
    for row in rows:
        table.add_row(*(flow(_cell(v)) for v in row.values()))
    console().print(table)


def _cell(value: Any) -> str:
    """A query result value for a table cell: a node-like map by its name, a list joined, null as —."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return str(value.get("name") or json.dumps(value, ensure_ascii=False))
    if isinstance(value, list):
        return "、".join(_cell(v) for v in value) or "—"
    return str(value)


@app.command("queries", cls=CellCommand)
def neo4j_queries(as_json: JsonOption = False) -> None:
    """List the analyst queries with their purpose and parameters."""
    from dutygraph.neo4j_store import query_header, query_names

    entries = [(name, query_header(name)) for name in query_names()]
    if as_json:
        queries = [
            {"name": name, "header": [line for _, lines in fields for line in lines], "fields": dict(fields)} for name, fields in entries
        ]
        emit_json({"queries": queries})
        return
    from rich.console import Group, RenderableType
    from rich.text import Text

    from dutygraph.cli.layout import flow

    rows: list[RenderableType] = []
    for name, fields in entries:
        rows.append(Text(name, style="bold"))
        width = max((len(key) for key, _ in fields), default=0) + 2
        for key, lines in fields:
            label = f"  {key + ':':<{width}}"
            hanging = " " * len(label)
            for i, line in enumerate(lines):
                parameter = re.match(r"\$\w+\s+", line)  # "$bureau   the bureau's id …": align under the description
                rows.append(
                    flow(line, first_indent=label if i == 0 else hanging, indent=hanging + " " * (parameter.end() if parameter else 0))
                )
    console().print(Group(*rows))


def _dataset_id(data: str | None) -> str:
    return open_data(data).info.id
