"""The ``dutygraph`` command line: parse, call one core function, render. Errors are rendered in ``main``."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from dutygraph.cli.status import ExitCode, exit_code_for
from dutygraph.errors import DutygraphError, InvalidDataError, UsageError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from dutygraph.model import Dataset
    from dutygraph.neo4j_store import Neo4jStore

__all__ = ["app", "main"]

app = typer.Typer(
    name="dutygraph",
    help=(
        "Who is responsible, and who leads enforcement against illegal, unlicensed operation (打非)? "
        "Answers from a cited graph of hazard domains, activities, licences and bureaus; the default dataset "
        "is Liaocheng's 聊政字〔2018〕39号 notice."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class _State:
    debug: bool = os.environ.get("DUTYGRAPH_DEBUG") == "1"


DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="A dataset directory in the same format (default: the bundled Liaocheng 2018 dataset).", file_okay=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (a stable schema, see the README) instead of tables.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="Label language: zh, or en where the dataset gives English names.")]


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps({"schema_version": _schema_version(), **payload}, ensure_ascii=False, indent=2) + "\n")


def _schema_version() -> int:
    from dutygraph.jsonview import SCHEMA_VERSION

    return SCHEMA_VERSION


def _dataset(data: Path | None) -> Dataset:
    from dutygraph.datasets import open_dataset

    return open_dataset(data)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of takes a date written YYYY-MM-DD, got {value!r}") from None


def _print_version(value: bool) -> None:
    if value:
        from dutygraph import __version__

        typer.echo(f"dutygraph {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of any error.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True)] = False,
) -> None:
    if debug:
        _State.debug = True


@app.command()
def lead(
    name: Annotated[str, typer.Argument(help="An activity (焰火晚会燃放) or a domain (烟花爆竹): id, Chinese, alias or English name.")],
    missing: Annotated[
        list[str] | None,
        typer.Option(
            "--missing",
            "-m",
            help="A licence the operator lacks (repeat, or separate with commas). Default: all the activity's own licences.",
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Report bureaus as the organs that existed on this date (YYYY-MM-DD).")
    ] = None,
    citations: Annotated[bool, typer.Option("--citations/--no-citations", help="Show the quotes the answer rests on.")] = True,
    data: DataOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Who leads enforcement against illegal X, by which rule, with whom, and on what basis.

    Exits 4 when the data does not decide (the answer names the candidates).
    """
    from dutygraph.engine import decide
    from dutygraph.jsonview import decision_view
    from dutygraph.resolve import resolve

    dataset = _dataset(data)
    date = _parse_date(as_of)
    kind, entity = resolve(dataset, name, ("activity", "domain"))
    if kind == "domain":
        if missing:
            raise UsageError("--missing applies to one activity, not to a whole domain")
        decisions = [decide(dataset, a.id, as_of=date) for a in dataset.activities_by_domain.get(entity.id, ())]
    else:
        licence_ids = [resolve(dataset, m.strip(), ("licence",))[1].id for item in missing or [] for m in item.split(",") if m.strip()]
        decisions = [decide(dataset, entity.id, licence_ids or None, date)]
    if as_json:
        from dutygraph.jsonview import domain_view

        if kind == "domain":
            _emit_json({"domain": domain_view(entity), "decisions": [decision_view(d) for d in decisions]})  # type: ignore[arg-type]
        else:
            _emit_json(decision_view(decisions[0]))
    elif kind == "domain":
        from dutygraph.cli import render

        _console().print(render.decisions_table(decisions, lang.value, f"Who leads enforcement in {render.label(entity, lang.value)}"))
    else:
        from dutygraph.cli import render

        _console().print(render.decision_panel(decisions[0], lang.value, citations))
    if not all(d.determined for d in decisions):
        raise typer.Exit(ExitCode.UNDETERMINED)


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="A bureau, activity, domain or licence.")],
    data: DataOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Everything about one bureau, activity, domain or licence, with citations."""
    from dutygraph import jsonview
    from dutygraph.cli import render
    from dutygraph.engine import decide
    from dutygraph.model import Activity, Bureau, Domain, Licence
    from dutygraph.resolve import resolve

    dataset = _dataset(data)
    kind, entity = resolve(dataset, name)
    draw: Callable[[], RenderableType]
    if isinstance(entity, Bureau):
        payload = jsonview.bureau_detail_view(dataset, entity)
        draw = partial(render.bureau_panel, dataset, entity, lang.value)
    elif isinstance(entity, Activity):
        decision = decide(dataset, entity.id)
        payload = {
            **jsonview.activity_view(entity),
            "licences": [c.target for c in entity.licences],
            "decision": jsonview.decision_view(decision),
        }
        draw = partial(render.activity_panel, dataset, entity, decision, lang.value)
    elif isinstance(entity, Domain):
        decisions = [decide(dataset, a.id) for a in dataset.activities_by_domain.get(entity.id, ())]
        payload = {
            **jsonview.domain_view(entity),
            "duties": [jsonview.duty_view(dataset, d) for d in dataset.duties_by_target.get(entity.id, ())],
            "decisions": [jsonview.decision_view(d) for d in decisions],
        }
        draw = partial(render.domain_panel, dataset, entity, decisions, lang.value)
    else:
        assert isinstance(entity, Licence)
        payload = jsonview.licence_view(dataset, entity)
        draw = partial(render.licence_panel, dataset, entity, lang.value)
    if as_json:
        _emit_json({"type": kind, kind: payload})
    else:
        _console().print(draw())


@app.command()
def duties(
    bureau: Annotated[str, typer.Argument(help="A bureau: id, name as in the notice, full name, alias or English name.")],
    data: DataOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """The duties of one bureau, each with the quote it rests on."""
    from dutygraph.jsonview import bureau_view, duty_view
    from dutygraph.model import Bureau
    from dutygraph.resolve import resolve

    dataset = _dataset(data)
    _, entity = resolve(dataset, bureau, ("bureau",))
    assert isinstance(entity, Bureau)
    if as_json:
        _emit_json({"bureau": bureau_view(entity), "duties": [duty_view(dataset, d) for d in dataset.duties_by_bureau.get(entity.id, ())]})
    else:
        from dutygraph.cli import render

        _console().print(render.duties_table(dataset, entity, lang.value))


@app.command()
def domains(data: DataOption = None, as_json: JsonOption = False, lang: LangOption = Lang.zh) -> None:
    """The hazard domains, with their activities and competent departments."""
    from dutygraph.jsonview import activity_view, domain_view

    dataset = _dataset(data)
    if as_json:
        rows = [
            {
                **domain_view(d),
                "activities": [activity_view(a) for a in dataset.activities_by_domain.get(d.id, ())],
                "competent": [duty.bureau for duty in dataset.duties_by_target.get(d.id, ()) if duty.competent],
            }
            for d in dataset.domains.values()
        ]
        _emit_json({"domains": rows})
    else:
        from dutygraph.cli import render

        _console().print(render.domains_table(dataset, lang.value))


@app.command()
def bureaus(data: DataOption = None, as_json: JsonOption = False, lang: LangOption = Lang.zh) -> None:
    """Every bureau of the dataset: names, level, system."""
    from dutygraph.jsonview import bureau_view

    dataset = _dataset(data)
    if as_json:
        _emit_json({"bureaus": [{**bureau_view(b), "aliases": list(b.aliases)} for b in dataset.bureaus.values()]})
    else:
        from dutygraph.cli import render

        _console().print(render.bureaus_table(dataset, lang.value))


@app.command()
def gaps(
    strict: Annotated[bool, typer.Option("--strict", help="Exit 6 if there is any blind spot or conflict.")] = False,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Blind spots (监管盲区), conflicts and overlaps, each with the reason."""
    from dutygraph.analysis import find_gaps
    from dutygraph.jsonview import finding_view

    findings = find_gaps(_dataset(data))
    if as_json:
        _emit_json({"findings": [finding_view(f) for f in findings]})
    else:
        from dutygraph.cli import render

        _console().print(render.findings_table(findings))
    if strict and any(f.severity.strict for f in findings):
        raise typer.Exit(ExitCode.GAPS)


@app.command()
def validate(
    dataset_dir: Annotated[
        Path | None, typer.Argument(help="The dataset directory (default: the bundled dataset).", file_okay=False)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check a dataset: schema, references, REQUIRES cycles, verbatim quotes, dates. Lists every problem."""
    from dutygraph.cases import load_cases, run_case
    from dutygraph.datasets import default_dataset_dir
    from dutygraph.errors import DataIssue
    from dutygraph.loader import load_dataset

    root = dataset_dir or default_dataset_dir()
    try:
        dataset = load_dataset(root)
        results = [run_case(dataset, case) for case in load_cases(root)]
        failed = [DataIssue(r.case.file, r.case.line, f"case {r.case.name!r}: {'; '.join(r.problems)}") for r in results if not r.passed]
        if failed:
            raise InvalidDataError(failed)
    except InvalidDataError as error:
        if as_json:
            _emit_json({"valid": False, "issues": [{"file": i.file, "line": i.line, "message": i.message} for i in error.issues]})
            raise typer.Exit(ExitCode.INVALID_DATA) from None
        raise
    counts = {
        "documents": len(dataset.documents),
        "provisions": len(dataset.provisions),
        "bureaus": len(dataset.bureaus),
        "domains": len(dataset.domains),
        "activities": len(dataset.activities),
        "licences": len(dataset.licences),
        "duties": len(dataset.duties),
        "leads": len(dataset.leads),
        "cases": len(results),
    }
    if as_json:
        _emit_json({"valid": True, "dataset": dataset.info.id, "counts": counts})
    else:
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        _console().print(
            f"[green]✔[/green] {root}: valid — {summary}; every quote found verbatim in its source, every case passes.", highlight=False
        )


@app.command("map")
def map_command(
    name: Annotated[
        str | None, typer.Argument(help="A domain (危险化学品) or a bureau (市公安局) to centre on; default: the whole dataset.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="The HTML file to write (default: map.html, or DIR with --gallery).")
    ] = None,
    gallery: Annotated[
        bool, typer.Option("--gallery", help="Write the whole map and one map per domain into the --out directory.")
    ] = False,
    data: DataOption = None,
    lang: LangOption = Lang.zh,
    as_json: JsonOption = False,
) -> None:
    """Write an interactive responsibility map: one self-contained HTML file that works offline."""
    from dutygraph.maps import MapSpec, write_gallery, write_map
    from dutygraph.resolve import resolve

    dataset = _dataset(data)
    if gallery:
        if name is not None:
            raise UsageError("--gallery writes every map; leave out the NAME")
        files = write_gallery(dataset, out or Path("visuals"), lang.value)
    else:
        spec = MapSpec(lang=lang.value)
        if name is not None:
            kind, entity = resolve(dataset, name, ("domain", "bureau"))
            spec = MapSpec(kind, entity.id, lang.value)
        files = [write_map(dataset, spec, out or Path("map.html"))]
    if as_json:
        _emit_json({"files": [str(f) for f in files]})
    else:
        for path in files:
            _console().print(f"wrote {path}", markup=False)


neo4j_app = typer.Typer(
    help="Neo4j for analysts: load the duty graph (idempotent, batched) and run the analyst queries of cypher/queries/.",
    no_args_is_help=True,
)
app.add_typer(neo4j_app, name="neo4j")

UriOption = Annotated[str, typer.Option("--uri", envvar="NEO4J_URI", help="Bolt URI of the Neo4j server.")]
UserOption = Annotated[str, typer.Option("--user", envvar="NEO4J_USER", help="Neo4j user; the password comes only from $NEO4J_PASSWORD.")]
DatabaseOption = Annotated[
    str | None, typer.Option("--database", envvar="NEO4J_DATABASE", help="Database name (default: the server's default).")
]


def _store(uri: str, user: str, database: str | None) -> Neo4jStore:
    from dutygraph.neo4j_store import Neo4jStore

    return Neo4jStore(uri, user, os.environ.get("NEO4J_PASSWORD") or None, database)


@neo4j_app.command("load")
def neo4j_load(
    uri: UriOption = "bolt://localhost:7687",
    user: UserOption = "neo4j",
    database: DatabaseOption = None,
    wipe: Annotated[bool, typer.Option("--wipe", help="First remove this dataset's nodes (and only those).")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Rows per transaction.")] = 2000,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load the dataset into Neo4j: schema, then nodes and relationships in batches. Re-running is safe."""
    from dutygraph.neo4j_store import node_rows_by_label, relationship_rows_by_type

    dataset = _dataset(data)
    total = sum(map(len, node_rows_by_label(dataset).values())) + sum(map(len, relationship_rows_by_type(dataset).values()))
    with _store(uri, user, database) as store:
        if as_json:
            report = store.load(dataset, batch_size, wipe=wipe)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            columns = (TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=_console(), transient=False) as bar:
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
    }
    if as_json:
        _emit_json(payload)
    else:
        nodes, relationships = sum(report.nodes.values()), sum(report.relationships.values())
        wiped = f"; removed {report.wiped} nodes of the previous load first" if wipe else ""
        _console().print(
            f"Loaded {report.dataset} into {uri}: {nodes} nodes, {relationships} relationships in {report.batches} batches{wiped}.",
            markup=False,
        )


def _param(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise UsageError(f"--param takes KEY=VALUE, got {text!r}")
    stripped = raw.strip()
    if stripped in ("null", "true", "false") or stripped[:1] in "[{" or stripped.lstrip("-").isdigit():
        try:
            return key, json.loads(stripped)
        except json.JSONDecodeError:
            pass
    return key, raw


@neo4j_app.command("query")
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
    params: dict[str, Any] = {"dataset": _dataset_id(data), "missing": None}
    params.update(_param(p) for p in param or [])
    with _store(uri, user, database) as store:
        rows = store.query(name, params)
    if as_json:
        _emit_json({"query": name, "params": params, "rows": rows})
        return
    from rich.table import Table
    from rich.text import Text

    if not rows:
        _console().print(f"{name}: no rows for {params}", markup=False)
        return
    table = Table(title=f"{name} ({len(rows)} rows)", title_justify="left")
    for column in rows[0]:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(_cell(v)) for v in row.values()))
    _console().print(table)


def _cell(value: Any) -> str:
    """A query result value for a table cell: a node-like map by its name, a list joined, null as —."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return str(value.get("name") or json.dumps(value, ensure_ascii=False))
    if isinstance(value, list):
        return "、".join(_cell(v) for v in value) or "—"
    return str(value)


@neo4j_app.command("queries")
def neo4j_queries(as_json: JsonOption = False) -> None:
    """List the analyst queries with their purpose and parameters."""
    from dutygraph.neo4j_store import cypher_file, query_names

    entries = []
    for name in query_names():
        header = [line[2:].strip() for line in cypher_file(f"queries/{name}.cypher").splitlines() if line.startswith("//")]
        entries.append({"name": name, "header": header})
    if as_json:
        _emit_json({"queries": entries})
        return
    for entry in entries:
        _console().print(f"[bold]{entry['name']}[/bold]")
        for line in entry["header"]:
            _console().print(f"  {line}", markup=False)


def _dataset_id(data: Path | None) -> str:
    return _dataset(data).info.id


@app.command("export")
def export_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="neo4j-csv (for neo4j-admin database import), graphml or json (node-link).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory (created if needed).", file_okay=False)],
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export the duty graph as neo4j-admin import CSV, GraphML or node-link JSON."""
    from dutygraph.export import ExportFormat, export

    try:
        chosen = ExportFormat(fmt)
    except ValueError:
        raise UsageError(f"--format must be one of {', '.join(f.value for f in ExportFormat)}, got {fmt!r}") from None
    files = export(_dataset(data), chosen, out)
    if as_json:
        _emit_json({"format": chosen.value, "files": [str(f) for f in files]})
    else:
        for path in files:
            _console().print(str(path), markup=False)


def _fail(message: str, code: ExitCode) -> NoReturn:
    from rich.console import Console

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(f"Error: {message}", markup=False)
    sys.exit(int(code))


def main(argv: list[str] | None = None) -> None:
    """The console script: run the app and turn errors into ``Error: …`` on stderr and a documented exit code."""
    try:
        app(args=argv, prog_name="dutygraph")
    except DutygraphError as error:
        if _State.debug:
            raise
        _fail(str(error), exit_code_for(error))
    except OSError as error:
        if _State.debug:
            raise
        where = f": {error.filename}" if error.filename else ""
        _fail(f"{error.strerror or error}{where}", ExitCode.FILES)
    except KeyboardInterrupt:
        _fail("interrupted", ExitCode.INTERNAL)
    except Exception as error:  # a bug: say so briefly; --debug shows the traceback
        if _State.debug:
            raise
        _fail(f"internal error: {type(error).__name__}: {error} (run with --debug for the traceback)", ExitCode.INTERNAL)
