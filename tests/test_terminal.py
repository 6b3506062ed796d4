"""What people see in a terminal: widths in display cells, help within 80 columns, English answers, small defects."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import CliResult

Run = Callable[..., CliResult]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def _commands() -> list[list[str]]:
    from typer.main import get_command

    from dutygraph.cli import app

    group = get_command(app)
    paths: list[list[str]] = [[]]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        paths.append([name])
        paths += [[name, sub] for sub in getattr(command, "commands", {})]
    return paths


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "dutygraph")
def test_help_fits_80_display_columns(run_cli: Run, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli(*command, "--help")
    assert result.code == 0 and "Usage:" in result.stdout
    too_wide = [line for line in result.stdout.splitlines() if cell_len(line) > 80]
    assert not too_wide


def test_help_with_chinese_examples_wraps_by_cells(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = run_cli("lead", "--help").stdout.splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.lstrip().startswith("name ")]
    argument = " ".join(" ".join(line.split()) for line in lines[start : start + 2])
    assert "name An activity (焰火晚会燃放) or a domain (烟花爆竹): id, Chinese, alias or English name." in argument


# -- English ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["lead", "焰火晚会燃放"],
        ["lead", "剧毒化学品道路运输"],
        ["lead", "hc-trading", "--missing", "营业执照"],
        ["lead", "烟花爆竹"],
        ["show", "市公安局"],
        ["show", "焰火晚会燃放"],
        ["show", "危险化学品"],
        ["show", "烟花爆竹道路运输许可证"],
        ["duties", "市交通运输局"],
        ["domains"],
    ],
)
def test_english_shows_chinese_only_for_verbatim_text_and_names_without_english(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    from dutygraph.datasets import open_dataset

    dataset = open_dataset()
    monkeypatch.setenv("COLUMNS", "3000")  # nothing wraps: verbatim quotes can be taken out whole
    result = run_cli(*args, "--lang", "en")
    assert result.code in (0, 4), result.stderr
    verbatim = [p.quote for p in dataset.provisions.values()] + [p.path for p in dataset.provisions.values()]
    verbatim += [d.number for d in dataset.documents.values() if d.number]
    # The rows that give the Chinese names on purpose are left out.
    text = "\n".join(line for line in result.stdout.splitlines() if not re.match(r"│ (Chinese name|Full name|Aliases) ", line))
    for piece in sorted(verbatim, key=len, reverse=True):
        text = text.replace(piece, " ")
    entities = [e for group in (dataset.bureaus, dataset.activities, dataset.licences, dataset.domains) for e in group.values()]
    without_english = {e.name for e in entities if not e.name_en} | {b.system for b in dataset.bureaus.values() if b.system}
    glosses = {"另有规定", "营业执照", "主管"}  # legal terms the engine's English reasons gloss in Chinese
    leftovers = set(CJK.findall(text)) - without_english - glosses
    assert not leftovers, leftovers
    shown = {n for n in without_english if n in text}
    assert result.stdout.count("Shown in Chinese where the dataset gives no English") == (1 if shown else 0)


def test_english_bureau_list_headers_match_their_columns(run_cli: Run) -> None:
    english = run_cli("bureaus", "--lang", "en").stdout
    header = next(line for line in english.splitlines() if "English name" in line)
    assert "Chinese name" in header
    row = next(line for line in english.splitlines() if line.startswith("│ psb "))
    cells = [c.strip() for c in row.strip("│").split("│")]
    assert cells[1].startswith("Liaocheng Public Security") and cells[2] == "市公安局"


# -- neo4j without a server ----------------------------------------------------------------------------------------


def test_an_unknown_query_name_is_not_found_before_connecting(run_cli: Run) -> None:
    result = run_cli("neo4j", "query", "lea", "--uri", "bolt://127.0.0.1:9")
    assert result.code == 3
    assert result.stderr.startswith("Error: no analyst query named 'lea' (did you mean 'lead'?); the queries are: blind-spots, ")


def test_query_list_shows_headers_only_with_their_indentation(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = run_cli("neo4j", "queries").stdout.splitlines()
    start = lines.index("lead")
    block = lines[start + 1 : lines.index("licence-chains")]
    assert [line[2:14] for line in block if not line.startswith("   ")] == ["Purpose:    ", "Parameters: ", "Returns:    ", "Example:    "]
    assert not any("Where each bureau" in line for line in lines), "a comment inside a query is not its description"
    activity = next(i for i, line in enumerate(block) if "$activity" in line)
    assert block[activity + 1].startswith(" " * 25) and not block[activity + 1].startswith(" " * 26)  # under the description
    assert all(cell_len(line) <= 80 for line in lines)


def test_query_list_json_has_fields(run_cli: Run) -> None:
    import json

    queries = {q["name"]: q for q in json.loads(run_cli("neo4j", "queries", "--json").stdout)["queries"]}
    assert queries["lead"]["fields"]["Example"][1].startswith("dutygraph neo4j query lead --param activity=焰火晚会燃放")
    assert len(queries["lead"]["fields"]["Purpose"]) == 1


# -- files ------------------------------------------------------------------------------------------------------


def test_map_into_a_missing_directory_creates_it_and_says_so_on_stderr(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "hazchem.html"
    first = run_cli("map", "危险化学品", "-o", str(target))
    assert (first.code, first.stderr, first.stdout) == (0, f"created directory {target.parent}\n", f"wrote {target}\n")
    assert target.is_file()
    again = run_cli("map", "危险化学品", "-o", str(target))
    assert (again.code, again.stderr) == (0, "")


@pytest.mark.parametrize(
    "args",
    [
        ["map", "--gallery", "-o", "{blocker}"],
        ["map", "-o", "{blocker}/x.html"],
        ["map", "-o", "{blocker}/deeper/x.html"],
        ["export", "--format", "json", "-o", "{blocker}/out"],
    ],
)
def test_a_file_where_a_directory_is_needed_is_said_so(run_cli: Run, tmp_path: Path, args: list[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    filled = [a.format(blocker=blocker) for a in args]
    result = run_cli(*filled)
    directory = Path(filled[-1]) if filled[0] == "export" or "--gallery" in filled else Path(filled[-1]).parent
    assert (result.code, result.stdout) == (8, "")
    assert result.stderr == f"Error: cannot create directory {directory}: {blocker} is a file\n"


def test_file_exists_from_anywhere_is_not_reported_as_file_exists(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import dutygraph.maps

    def blocked(*args: object, **kwargs: object) -> None:
        raise FileExistsError(errno.EEXIST, "File exists", "out/maps")

    monkeypatch.setattr(dutygraph.maps, "write_map", blocked)
    result = run_cli("map", "-o", "map.html")
    assert result.code == 8
    assert result.stderr == "Error: a directory is needed at out/maps, or on the way to it, but a file is there\n"


@pytest.mark.parametrize("args", [["show", "市交通运输局"], ["duties", "市交通运输局"], ["show", "市公安局"]])
def test_each_quote_is_printed_once(run_cli: Run, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    from dutygraph.datasets import open_dataset

    monkeypatch.setenv("COLUMNS", "3000")
    output = run_cli(*args).stdout
    printed = [p.quote for p in open_dataset().provisions.values() if f"“{p.quote}”" in output]
    assert printed
    assert all(output.count(f"“{quote}”") == 1 for quote in printed), [q for q in printed if output.count(f"“{q}”") != 1]
