"""The command line as users see it: golden outputs, exit codes, JSON schema, help for every command.

Expected outputs live in tests/golden/; regenerate them deliberately with ``UPDATE_GOLDEN=1 pytest``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dutygraph.model import Dataset
from tests.conftest import MINI, CliResult

GOLDEN = Path(__file__).parent / "golden"
Run = Callable[..., CliResult]


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_text(encoding="utf-8")


TERMINAL_CASES = [
    (["lead", "焰火晚会燃放"], "lead-fireworks-display", 0),
    (["lead", "烟花爆竹"], "lead-fireworks-domain", 0),
    (["lead", "生产列入工业产品生产许可证目录的危险化学品"], "lead-undetermined", 4),
    (["lead", "剧毒化学品购买", "--lang", "en", "--no-citations"], "lead-en", 0),
    (["lead", "烟花爆竹批发", "--as-of", "2019-06-01"], "lead-inside-window", 9),
    (["lead", "在禁止燃放烟花爆竹区域燃放烟花爆竹", "--no-citations"], "lead-prohibition", 0),
    (
        ["lead", "剧毒化学品道路运输", "-m", "剧毒化学品道路运输通行证", "-m", "危险货物道路运输许可", "--as-of", "2018-04-16"],
        "lead-first-licensor",
        0,
    ),
    (["lead", "剧毒化学品道路运输", "--lang", "en"], "lead-en-citations", 0),
    (["show", "市安监局"], "show-safety", 0),
    (["show", "烟花爆竹道路运输许可证"], "show-licence", 0),
    (["show", "县级公安机关", "--lang", "en"], "show-county-psb-en", 0),
    (["duties", "市交通运输局"], "duties-transport", 0),
    (["domains"], "domains", 0),
    (["bureaus"], "bureaus", 0),
    (["bureaus", "--lang", "en"], "bureaus-en", 0),
    (["gaps"], "gaps", 0),
    (["matrix", "烟花爆竹"], "matrix-fireworks", 0),
    (["matrix", "危险化学品", "--lang", "en"], "matrix-hazchem-en", 0),
    (["matrix", "县级公安机关"], "matrix-county-psb", 0),
]


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(("args", "name", "code"), TERMINAL_CASES)
def test_terminal_output(run_cli: Run, monkeypatch: pytest.MonkeyPatch, args: list[str], name: str, code: int, width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli(*args)
    assert (result.code, result.stderr) == (code, "")
    golden(f"{name}.{width}.txt", result.stdout)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(("args", "name", "code"), TERMINAL_CASES)
def test_terminal_output_wraps_by_the_rules(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, args: list[str], name: str, code: int, width: int
) -> None:
    """Within the width in cells; no cell line starts with closing punctuation or ends with an opening one; ids whole."""
    from rich.cells import cell_len

    from dutygraph.cli.wrap import NO_END, NO_START
    from dutygraph.datasets import open_dataset

    monkeypatch.setenv("COLUMNS", str(width))
    output = run_cli(*args).stdout
    dataset = open_dataset()
    for line in output.splitlines():
        assert cell_len(line) <= width, line
        for cell in re.split("[│┃]", line):
            text = cell.strip()
            if text and text != "—":  # a lone dash is the empty-cell placeholder, not a wrapped line
                assert text[0] not in NO_START, line
                assert text[-1] not in NO_END, line
    for bracketed in re.findall(r"\[([^\]\s]*)\]?", output):
        assert bracketed in dataset.provisions or not re.fullmatch(r"[a-z][a-z0-9-]*", bracketed), bracketed
    if args[0] == "bureaus":
        assert all(re.search(rf"│ {re.escape(b)} +│", output) for b in dataset.bureaus)


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (["lead", "焰火"], 3, "Error: no activity or domain named '焰火' (did you mean '焰火燃放', '焰火晚会', '焰火晚会燃放'?)\n"),
        (["lead", "市公安局"], 3, "Error: no activity or domain named '市公安局'; 市公安局 is a bureau\n"),
        (["duties", "市公安"], 3, "Error: no bureau named '市公安' (did you mean '市公安局', '公安局', '市安监局'?)\n"),
        (
            ["lead", "焰火晚会燃放", "--missing", "危险化学品经营许可证"],
            2,
            "Error: 危险化学品经营许可证 is not a licence that 焰火晚会燃放 needs; "
            "its licences (and what they require) are: 焰火燃放许可证、焰火晚会市公安机关审核\n",
        ),
        (["lead", "烟花爆竹", "--missing", "营业执照"], 2, "Error: --missing applies to one activity, not to a whole domain\n"),
        (["lead", "焰火晚会燃放", "--as-of", "2018-4-1"], 2, "Error: --as-of takes a date written YYYY-MM-DD, got '2018-4-1'\n"),
    ],
)
def test_errors_are_one_line_with_a_documented_exit_code(run_cli: Run, args: list[str], code: int, stderr: str) -> None:
    result = run_cli(*args)
    assert (result.code, result.stdout, result.stderr) == (code, "", stderr)


def test_a_missing_dataset_directory_is_invalid_data(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("domains", "--data", str(tmp_path))
    assert result.code == 5
    assert result.stderr == f"Error: {tmp_path} is not a dataset directory (no dataset.yaml in it)\n"


def test_usage_errors_exit_2(run_cli: Run) -> None:
    result = run_cli("lead")
    assert result.code == 2
    assert "Missing argument 'name'" in result.stderr


def test_an_internal_error_shows_no_traceback_unless_debug(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import dutygraph.engine

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(dutygraph.engine, "decide", broken)
    result = run_cli("lead", "焰火晚会燃放")
    assert result.code == 1
    assert result.stderr == "Error: internal error: RuntimeError: boom (run with --debug for the traceback)\n"
    with pytest.raises(RuntimeError, match="boom"):
        run_cli("--debug", "lead", "焰火晚会燃放")


def test_gaps_strict_fails_on_blind_spots(run_cli: Run) -> None:
    assert run_cli("gaps", "--strict").code == 6
    assert run_cli("gaps", "--strict", "--data", str(MINI)).code == 6


def test_lead_json_has_the_documented_schema(run_cli: Run, liaocheng: Dataset) -> None:
    result = run_cli("lead", "hc-trading", "--missing", "营业执照", "--as-of", "2018-06-01", "--json")
    assert result.code == 0
    payload = json.loads(result.stdout)
    assert payload["schema_version"] == 1
    trading = liaocheng.activities["hc-trading"]
    assert payload["activity"] == {"id": "hc-trading", "name_zh": trading.name, "name_en": trading.name_en}
    assert payload["lead"] == {
        "id": "aic",
        "name_zh": "市工商局",
        "full_name_zh": "聊城市工商行政管理局",
        "name_en": "Liaocheng Administration for Industry and Commerce",
        "level": "city",
        "system": "工商",
        "guided_by": None,
        "agency_of": None,
    }
    assert payload["rule"] == "decree684-art6"
    assert payload["as_of"] == "2018-06-01"
    assert payload["guided_by"] is None and payload["agency_of"] is None
    assert payload["transfer"]["status"] == "before"
    today = json.loads(run_cli("lead", "hc-trading", "--missing", "营业执照", "--json").stdout)
    assert today["as_of"] == "2026-11-27" and today["transfer"]["status"] == "after"
    assert today["lead"]["id"] == today["transfer"]["successors"][0]["id"] and today["transfer"]["predecessor"]["id"] == "aic"
    assert payload["cooperating"] == []
    assert [s["rule"] for s in payload["trace"]][:3] == ["explicit", "prohibition", "decree684-art6"]
    assert [s["outcome"] for s in payload["trace"]][3:] == ["note"] * (len(payload["trace"]) - 3)
    assert {"provision", "document", "path", "quote"} <= payload["citations"][0].keys()
    assert "d684-6" in {c["provision"] for c in payload["citations"]}


def test_undetermined_json_has_a_null_lead_and_candidates(run_cli: Run) -> None:
    result = run_cli("lead", "hc-catalogue-production", "--json")
    assert result.code == 4
    payload = json.loads(result.stdout)
    assert payload["lead"] is None and payload["rule"] == "undetermined"
    assert {c["id"] for c in payload["candidates"]} == {"prov-safety", "prov-quality"}


def test_lead_json_names_the_acting_organ_and_the_bureau_that_guides_it(run_cli: Run) -> None:
    payload = json.loads(run_cli("lead", "剧毒化学品购买", "--json").stdout)
    assert payload["lead"]["id"] == "county-psb" and payload["lead"]["guided_by"] == "psb"
    assert payload["guided_by"]["id"] == "psb"
    assert "n39-3-psb" in {c["provision"] for c in payload["citations"]}


def test_a_date_inside_a_succession_window_names_both_organs_and_exits_9(run_cli: Run) -> None:
    result = run_cli("lead", "一号活动", "--data", str(MINI), "--as-of", "2019-02-01", "--json")
    assert result.code == 9
    payload = json.loads(result.stdout)
    assert payload["lead"]["id"] == "alpha"
    transfer = payload["transfer"]
    assert transfer["status"] == "inside"
    assert [b["id"] for b in transfer["successors"]] == ["alpha-new"]
    assert (transfer["not_before"], transfer["not_after"]) == ("2019-01-15", "2019-03-01")


@pytest.mark.parametrize(
    "args",
    [
        ["lead", "烟花爆竹", "--json"],
        ["show", "psb", "--json"],
        ["show", "fw-display", "--json"],
        ["show", "hazchem", "--json"],
        ["show", "营业执照", "--json"],
        ["duties", "psb", "--json"],
        ["domains", "--json"],
        ["bureaus", "--json"],
        ["gaps", "--json"],
        ["validate", "--json"],
    ],
)
def test_every_query_command_speaks_json(run_cli: Run, args: list[str]) -> None:
    result = run_cli(*args)
    assert result.code in (0, 4), result.stderr
    assert json.loads(result.stdout)["schema_version"] == 1


def test_another_dataset_with_data(run_cli: Run) -> None:
    assert json.loads(run_cli("lead", "一号活动", "--data", str(MINI), "--json").stdout)["lead"]["id"] == "alpha-new"
    assert json.loads(run_cli("lead", "一号活动", "--data", str(MINI), "--as-of", "2019-01-01", "--json").stdout)["lead"]["id"] == "alpha"


def test_validate_json_lists_issues(run_cli: Run, tmp_path: Path) -> None:
    from tests.test_validation import FIXTURES, assemble

    dataset = assemble(FIXTURES / "broken" / "unknown-reference", tmp_path / "d")
    result = run_cli("validate", str(dataset), "--json")
    assert result.code == 5
    assert json.loads(result.stdout)["issues"] == [
        {"file": "licences.yaml", "line": 16, "message": "issuer of licence 'l3' names unknown bureau 'gamma2' (did you mean 'gamma'?)"}
    ]


def test_every_command_has_help(run_cli: Run) -> None:
    from typer.main import get_command

    from dutygraph.cli import app

    group = get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert {"lead", "show", "duties", "domains", "bureaus", "gaps", "validate"} <= set(commands)
    for name, command in commands.items():
        assert command.help, f"command {name} has no help"
        result = run_cli(name, "--help")
        assert result.code == 0 and "Usage:" in result.stdout, name


def test_a_command_runs_with_only_its_own_parameters_built_and_says_the_same(run_cli: Run) -> None:
    from typer.main import get_command
    from typer.testing import CliRunner

    from dutygraph.cli.commands import app, narrowed

    whole = get_command(app).commands  # type: ignore[attr-defined]
    for name in whole:
        only = get_command(narrowed(["--debug", name, "x"])).commands  # type: ignore[attr-defined]
        assert list(only) == [name]
        full, alone = (CliRunner().invoke(a, [name, "--help"], terminal_width=80).output for a in (app, narrowed([name])))
        assert alone == full
    for argv in ([], ["--help"], ["--version"], ["leed"]):
        assert narrowed(argv) is app
    assert "Did you mean 'lead'?" in run_cli("leed").stderr


def test_version(run_cli: Run) -> None:
    from dutygraph import __version__

    assert run_cli("--version").stdout == f"dutygraph {__version__}\n"


def test_an_unwritable_output_is_a_file_error(run_cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    result = run_cli("export", "--format", "json", "-o", str(blocker / "out"))
    assert result.code == 8
    assert result.stderr == f"Error: cannot create directory {blocker / 'out'}: {blocker} is a file\n"


def test_a_group_name_answers_each_member(run_cli: Run, liaocheng: Dataset) -> None:
    """烟花爆竹经营 = 批发 + 零售 (烟花爆竹安全管理条例 第三章): one row per member, in the terminal and in JSON."""
    group = next(a for a in liaocheng.activities.values() if a.members)
    result = run_cli("lead", group.name, "--as-of", "2018-06-01")
    assert result.code in (0, 4, 9), result.stderr
    assert all(liaocheng.activities[m].name[:4] in result.stdout for m in group.members)
    payload = json.loads(run_cli("lead", group.id, "--as-of", "2018-06-01", "--json").stdout)
    assert [d["activity"]["id"] for d in payload["decisions"]] == list(group.members)


def test_a_question_before_the_sources_took_effect_names_them_in_the_order_cited() -> None:
    """Regression: the sources were listed in set order, which changed from run to run (PYTHONHASHSEED)."""
    code = (
        "import datetime as dt\n"
        "from dutygraph.datasets import open_dataset\n"
        "from dutygraph.engine import decide\n"
        "try:\n    decide(open_dataset(), 'hc-waste-disposal', as_of=dt.date(2000, 1, 1))\n"
        "except Exception as error:\n    print(error)\n"
    )
    messages = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": str(seed)}
        ).stdout
        for seed in range(8)
    }
    assert len(messages) == 1
    (message,) = messages
    assert message.index("聊政字〔2018〕39号") < message.index("危险化学品安全管理条例"), message  # as the activity cites them
