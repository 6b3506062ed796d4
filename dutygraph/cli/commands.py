"""The ``dutygraph`` command line as typer declares it: parse, call one core function, render. Errors are rendered
by :func:`dutygraph.cli.entry.main`."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer
from typer.main import get_command_name
from typer.models import CommandInfo

from dutygraph.cli import neo4j, outputs
from dutygraph.cli.common import Lang, State, console, emit_json, open_data, path_option, question_date
from dutygraph.cli.helptext import CellCommand, CellGroup
from dutygraph.cli.params import AsOfOption, DataOption, JsonOption, LangOption
from dutygraph.cli.status import ExitCode
from dutygraph.errors import InvalidDataError, UsageError
from dutygraph.model import Activity
from dutygraph.text import brief

if TYPE_CHECKING:
    from rich.console import RenderableType


__all__ = ["app", "narrowed"]

app = typer.Typer(
    cls=CellGroup,
    name="dutygraph",
    help=(
        "Who is responsible, and who leads enforcement against illegal, unlicensed operation (打非)? "
        "Answers from a cited graph of hazard domains, activities, licences and bureaus; the default dataset "
        "is Liaocheng's 聊政字〔2018〕39号 notice."
    ),
    epilog=(
        "Examples: dutygraph lead 焰火晚会燃放 · dutygraph lead 危险化学品经营 --missing 营业执照 · "
        "dutygraph show 市安监局 · dutygraph gaps · dutygraph map 危险化学品 -o hazchem.html.  "
        "Exit codes: 0 answered, 1 internal error, 2 usage, 3 name not found or ambiguous, 4 undetermined, "
        "5 invalid data, 6 gaps --strict found problems, 7 Neo4j, 8 file error, 9 the date falls inside a succession window, "
        "130 interrupted."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
        State.debug = True


@app.command(cls=CellCommand)
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
    as_of: AsOfOption = None,
    sector: Annotated[
        str | None, typer.Option("--sector", help="The enterprise's sector (a domain), for documents that divide work by sector.")
    ] = None,
    citations: Annotated[bool, typer.Option("--citations/--no-citations", help="Show the quotes the answer rests on.")] = True,
    data: DataOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Who leads enforcement against illegal X, by which rule, with whom, and on what basis.

    Exits 4 when the data does not decide (the answer names the candidates), 9 when the date falls inside a
    succession window (the answer names both organs).
    """
    from dutygraph.cli.lead import lead as answer

    code = answer(name, missing, as_of, sector, citations, data, as_json, lang)
    if code:
        raise typer.Exit(code)


@app.command(cls=CellCommand)
def show(
    name: Annotated[str, typer.Argument(help="A bureau, activity, domain or licence.")],
    as_of: AsOfOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Everything about one bureau, activity, domain or licence, with citations."""
    from dutygraph import jsonview
    from dutygraph.cli import render
    from dutygraph.engine import decide, decide_all, duties_of
    from dutygraph.model import Bureau, Domain, Licence
    from dutygraph.resolve import resolve

    dataset = open_data(data)
    date = question_date(as_of)
    kind, entity = resolve(dataset, name)
    draw: Callable[[], RenderableType]
    if isinstance(entity, Bureau):
        payload = jsonview.bureau_detail_view(dataset, entity)
        draw = partial(render.bureau_panel, dataset, entity, duties_of(dataset, entity.id, date), lang.value)
    elif isinstance(entity, Activity) and not entity.members:
        decision = decide(dataset, entity.id, as_of=date)
        payload = {
            **jsonview.activity_view(entity),
            "licences": [c.target for c in entity.licences],
            "decision": jsonview.decision_view(decision),
        }
        draw = partial(render.activity_panel, dataset, entity, decision, lang.value)
    elif isinstance(entity, Domain):
        decisions = decide_all(dataset, [a.id for a in dataset.activities_by_domain.get(entity.id, ())], date)
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
        emit_json({"type": kind, kind: payload})
    else:
        console().print(draw())


@app.command(cls=CellCommand)
def duties(
    bureau: Annotated[str, typer.Argument(help="A bureau: id, name as in the notice, full name, alias or English name.")],
    as_of: AsOfOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """The duties of one bureau on a date, with its agencies' and predecessors', each with the quote it rests on."""
    from dutygraph.engine import duties_of
    from dutygraph.jsonview import bureau_view, held_duty_view
    from dutygraph.model import Bureau
    from dutygraph.resolve import resolve

    dataset = open_data(data)
    date = question_date(as_of)
    _, entity = resolve(dataset, bureau, ("bureau",))
    assert isinstance(entity, Bureau)
    held = duties_of(dataset, entity.id, date)
    if as_json:
        emit_json({"bureau": bureau_view(entity), "as_of": date.isoformat(), "duties": [held_duty_view(dataset, h) for h in held]})
    else:
        from dutygraph.cli import render

        console().print(render.duties_table(dataset, entity, held, lang.value))


@app.command(cls=CellCommand)
def datasets(as_json: JsonOption = False) -> None:
    """The bundled datasets: id (for --data), title, jurisdiction, date and the rules each declares."""
    from dutygraph.datasets import bundled_datasets, open_dataset

    infos = [open_dataset(root).info for root in bundled_datasets()]
    if as_json:
        rows = [
            {
                "id": i.id,
                "title": i.title,
                "title_en": i.title_en,
                "jurisdiction": i.jurisdiction,
                "as_of": i.as_of.isoformat() if i.as_of else None,
                "rules": [r.key for r in i.rules],
            }
            for i in infos
        ]
        emit_json({"datasets": rows})
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Bundled datasets (use the id with --data)", title_justify="left")
    for column in ("id", "title", "jurisdiction", "as of", "rules, in order"):
        table.add_column(column, overflow="fold")
    for i in infos:
        when = i.as_of.isoformat() if i.as_of else "—"
        table.add_row(Text(i.id), Text(i.title), Text(i.jurisdiction), Text(when), Text(" → ".join(r.key for r in i.rules)))
    console().print(table)


@app.command(cls=CellCommand)
def domains(data: DataOption = None, as_json: JsonOption = False, lang: LangOption = Lang.zh) -> None:
    """The hazard domains, with their activities and competent departments."""
    from dutygraph.jsonview import activity_view, domain_view

    dataset = open_data(data)
    if as_json:
        rows = [
            {
                **domain_view(d),
                "activities": [activity_view(a) for a in dataset.activities_by_domain.get(d.id, ())],
                "competent": [duty.bureau for duty in dataset.duties_by_target.get(d.id, ()) if duty.competent],
            }
            for d in dataset.domains.values()
        ]
        emit_json({"domains": rows})
    else:
        from dutygraph.cli import render

        console().print(render.domains_table(dataset, lang.value))


@app.command(cls=CellCommand)
def bureaus(data: DataOption = None, as_json: JsonOption = False, lang: LangOption = Lang.zh) -> None:
    """Every bureau of the dataset: names, level, system."""
    from dutygraph.jsonview import bureau_view

    dataset = open_data(data)
    if as_json:
        emit_json({"bureaus": [{**bureau_view(b), "aliases": list(b.aliases)} for b in dataset.bureaus.values()]})
    else:
        from dutygraph.cli import render

        out = console()
        out.print(render.bureaus_table(dataset, lang.value, out.width))


@app.command(cls=CellCommand)
def gaps(
    strict: Annotated[bool, typer.Option("--strict", help="Exit 6 if there is any blind spot or conflict.")] = False,
    as_of: AsOfOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Blind spots (监管盲区), conflicts, overlaps, debatable points and organs uncertain on the date, with reasons."""
    from dutygraph.analysis import find_gaps
    from dutygraph.jsonview import finding_view

    findings = find_gaps(open_data(data), question_date(as_of))
    if as_json:
        emit_json({"findings": [finding_view(f) for f in findings]})
    else:
        from dutygraph.cli import render

        out = console()
        out.print(render.findings_view(findings, out.width))
    if strict and any(f.severity.strict for f in findings):
        raise typer.Exit(ExitCode.GAPS)


@app.command(cls=CellCommand)
def validate(
    dataset_dir: Annotated[
        str | None, typer.Argument(metavar="[DATASET_DIR]", help="The dataset directory (default: the bundled dataset).")
    ] = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a dataset: schema, references, citations, REQUIRES cycles, verbatim quotes, dates, cases. Lists every problem."""
    from dutygraph.cases import load_cases, run_case
    from dutygraph.datasets import dataset_root
    from dutygraph.errors import DataIssue
    from dutygraph.loader import load_dataset

    if dataset_dir is not None and data is not None and dataset_dir != data:
        raise UsageError("give the dataset either as an argument or with --data, not both")
    given = dataset_dir if dataset_dir is not None else data
    root = dataset_root(None if given is None else path_option(given, "DATASET_DIR", "a directory"))
    try:
        dataset = load_dataset(root)
        results = [run_case(dataset, case) for case in load_cases(root)]
        failed = [
            DataIssue(r.case.file, r.case.line, f"case {brief(r.case.name)}: {'; '.join(r.problems)}") for r in results if not r.passed
        ]
        if failed:
            raise InvalidDataError(failed)
    except InvalidDataError as error:
        if as_json:
            emit_json({"valid": False, "issues": [{"file": i.file, "line": i.line, "message": i.message} for i in error.issues]})
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
        emit_json({"valid": True, "dataset": dataset.info.id, "counts": counts})
    else:
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        from rich.text import Text

        from dutygraph.cli.layout import data as inert

        verdict = f": valid — {summary}; every quote found verbatim in its source, every case passes."
        message = Text.assemble(("✔", "green"), " ", inert(str(root)), verdict)
        console().print(message)


@app.command(cls=CellCommand)
def matrix(
    name: Annotated[str | None, typer.Argument(help="A domain (危险化学品) or a bureau (市公安局); default: the whole dataset.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Decide as on this date (YYYY-MM-DD): the organs that existed then.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table (the terminal) or csv (one row per activity).")] = "table",
    data: DataOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """The responsibility matrix (职责分工表): activities against bureaus, each cell the bureau's roles.

    Roles: leads 打非 (by which rule), could lead (undetermined), issues a licence the activity needs, investigates,
    competent (主管), supervises, cooperates, guides, other duties; each cites its provisions (--json, --format
    csv, or one bureau's list).
    """
    from dutygraph.jsonview import matrix_view
    from dutygraph.matrix import build_matrix
    from dutygraph.model import Bureau
    from dutygraph.resolve import resolve

    if fmt not in ("table", "csv"):
        raise UsageError(f"--format must be table or csv, got {fmt!r}")
    if as_json and fmt != "table":
        raise UsageError("--json and --format csv are two outputs: choose one")
    dataset = open_data(data)
    date = question_date(as_of)
    kind, entity = resolve(dataset, name, ("domain", "bureau")) if name is not None else ("dataset", None)
    built = build_matrix(
        dataset,
        domain=entity.id if kind == "domain" and entity else None,
        bureau=entity.id if kind == "bureau" and entity else None,
        as_of=date,
    )
    if as_json:
        emit_json(matrix_view(dataset, built, {"type": kind, "id": entity.id if entity else None}))
        return
    from dutygraph.cli import matrix_view as view

    if fmt == "csv":
        from dutygraph.cli.common import emit_text

        emit_text(view.matrix_csv(dataset, built, lang.value))
        return
    out = console()
    if isinstance(entity, Bureau):
        out.print(view.matrix_bureau(dataset, built, entity, lang.value))
    else:
        from rich.text import Text

        from dutygraph.cli.layout import Names
        from dutygraph.cli.layout import data as inert

        names = Names(lang.value)
        where = names(entity) if entity else names.pick(dataset.info.title, dataset.info.title_en)
        head = "Responsibility matrix (职责分工表) — " if lang is Lang.zh else "Responsibility matrix — "
        out.print(view.matrix_grid(dataset, built, lang.value, out.width, Text.assemble(head, inert(where))))


app.command("map", cls=CellCommand)(outputs.map_command)
app.command("export", cls=CellCommand)(outputs.export_command)
app.add_typer(neo4j.app, name="neo4j")


def narrowed(argv: Sequence[str]) -> typer.Typer:
    """``app`` with only the command that ``argv`` names, when it names one; else ``app`` itself.

    Typer builds the click parameters of every registered command before it runs one, evaluating the annotations
    of each command's function: a query should pay for its own command only. The usage, help and errors of that
    command are the same; help of the whole app, completion and a name that is no command keep every command."""
    name = next((arg for arg in argv if not arg.startswith("-")), None)
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    only = copy.copy(app)
    only.registered_commands, only.registered_groups = commands, groups
    return only


def _command_name(command: CommandInfo) -> str | None:
    if command.name is not None or command.callback is None:
        return command.name
    return get_command_name(command.callback.__name__)
