"""The ``dutygraph`` command line: parse, call one core function, render. Errors are rendered in ``main``."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from dutygraph.cli import neo4j, outputs
from dutygraph.cli.common import DataOption, JsonOption, Lang, LangOption, State, console, emit_json, open_data, path_option
from dutygraph.cli.status import ExitCode, exit_code_for
from dutygraph.errors import DutygraphError, InvalidDataError, UsageError
from dutygraph.text import brief

if TYPE_CHECKING:
    from rich.console import RenderableType


__all__ = ["app", "main"]

app = typer.Typer(
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
        "5 invalid data, 6 gaps --strict found problems, 7 Neo4j, 8 file error."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        if len(value) == 10 and value[4] == value[7] == "-" and value.replace("-", "").isdigit():
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise UsageError(f"--as-of takes a date written YYYY-MM-DD, got {brief(value)}")


def _licence_names(missing: list[str] | None) -> list[str]:
    """The names given with --missing (repeated, or separated by commas); an empty one is a usage error."""
    names = [name.strip() for item in missing or [] for name in item.split(",")]
    if any(not name for name in names):
        raise UsageError("--missing needs a licence name, got an empty one")
    return names


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

    date = _parse_date(as_of)
    _licence_names(missing)
    dataset = open_data(data)
    kind, entity = resolve(dataset, name, ("activity", "domain"))
    if kind == "domain":
        if missing:
            raise UsageError("--missing applies to one activity, not to a whole domain")
        decisions = [decide(dataset, a.id, as_of=date) for a in dataset.activities_by_domain.get(entity.id, ())]
    else:
        licence_ids = [resolve(dataset, m, ("licence",))[1].id for m in _licence_names(missing)]
        decisions = [decide(dataset, entity.id, licence_ids or None, date)]
    if as_json:
        from dutygraph.jsonview import domain_view

        if kind == "domain":
            emit_json({"domain": domain_view(entity), "decisions": [decision_view(d) for d in decisions]})  # type: ignore[arg-type]
        else:
            emit_json(decision_view(decisions[0]))
    elif kind == "domain":
        from dutygraph.cli import render

        console().print(render.decisions_table(decisions, lang.value, f"Who leads enforcement in {render.label(entity, lang.value)}"))
    else:
        from dutygraph.cli import render

        console().print(render.decision_panel(decisions[0], lang.value, citations))
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

    dataset = open_data(data)
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
        emit_json({"type": kind, kind: payload})
    else:
        console().print(draw())


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

    dataset = open_data(data)
    _, entity = resolve(dataset, bureau, ("bureau",))
    assert isinstance(entity, Bureau)
    if as_json:
        emit_json({"bureau": bureau_view(entity), "duties": [duty_view(dataset, d) for d in dataset.duties_by_bureau.get(entity.id, ())]})
    else:
        from dutygraph.cli import render

        console().print(render.duties_table(dataset, entity, lang.value))


@app.command()
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


@app.command()
def bureaus(data: DataOption = None, as_json: JsonOption = False, lang: LangOption = Lang.zh) -> None:
    """Every bureau of the dataset: names, level, system."""
    from dutygraph.jsonview import bureau_view

    dataset = open_data(data)
    if as_json:
        emit_json({"bureaus": [{**bureau_view(b), "aliases": list(b.aliases)} for b in dataset.bureaus.values()]})
    else:
        from dutygraph.cli import render

        console().print(render.bureaus_table(dataset, lang.value))


@app.command()
def gaps(
    strict: Annotated[bool, typer.Option("--strict", help="Exit 6 if there is any blind spot or conflict.")] = False,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Blind spots (监管盲区), conflicts and overlaps, each with the reason."""
    from dutygraph.analysis import find_gaps
    from dutygraph.jsonview import finding_view

    findings = find_gaps(open_data(data))
    if as_json:
        emit_json({"findings": [finding_view(f) for f in findings]})
    else:
        from dutygraph.cli import render

        console().print(render.findings_table(findings))
    if strict and any(f.severity.strict for f in findings):
        raise typer.Exit(ExitCode.GAPS)


@app.command()
def validate(
    dataset_dir: Annotated[
        str | None, typer.Argument(metavar="[DATASET_DIR]", help="The dataset directory (default: the bundled dataset).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check a dataset: schema, references, REQUIRES cycles, verbatim quotes, dates. Lists every problem."""
    from dutygraph.cases import load_cases, run_case
    from dutygraph.datasets import default_dataset_dir
    from dutygraph.errors import DataIssue
    from dutygraph.loader import load_dataset

    root = default_dataset_dir() if dataset_dir is None else path_option(dataset_dir, "DATASET_DIR", "a directory")
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
        console().print(
            f"[green]✔[/green] {root}: valid — {summary}; every quote found verbatim in its source, every case passes.", highlight=False
        )


app.command("map")(outputs.map_command)
app.command("export")(outputs.export_command)
app.add_typer(neo4j.app, name="neo4j")


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
        if State.debug:
            raise
        _fail(str(error), exit_code_for(error))
    except OSError as error:
        if State.debug:
            raise
        where = f": {error.filename}" if error.filename else ""
        _fail(f"{error.strerror or error}{where}", ExitCode.FILES)
    except KeyboardInterrupt:
        _fail("interrupted", ExitCode.INTERNAL)
    except Exception as error:  # a bug: say so briefly; --debug shows the traceback
        if State.debug:
            raise
        _fail(f"internal error: {type(error).__name__}: {error} (run with --debug for the traceback)", ExitCode.INTERNAL)
