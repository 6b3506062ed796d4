"""The command line as users see it: golden outputs, exit codes, JSON schema, help for every command.

Expected outputs live in tests/golden/; regenerate them deliberately with ``UPDATE_GOLDEN=1 pytest``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINI, CliResult

GOLDEN = Path(__file__).parent / "golden"
Run = Callable[..., CliResult]


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "name", "code"),
    [
        (["lead", "焰火晚会燃放"], "lead-fireworks-display.txt", 0),
        (["lead", "烟花爆竹"], "lead-fireworks-domain.txt", 0),
        (["lead", "渔船从事客货运输"], "lead-undetermined.txt", 4),
        (["lead", "剧毒化学品购买", "--lang", "en", "--no-citations"], "lead-en.txt", 0),
        (["show", "市安监局"], "show-safety.txt", 0),
        (["show", "烟花爆竹道路运输许可证"], "show-licence.txt", 0),
        (["duties", "市交通运输局"], "duties-transport.txt", 0),
        (["domains"], "domains.txt", 0),
        (["bureaus"], "bureaus.txt", 0),
        (["gaps"], "gaps.txt", 0),
    ],
)
def test_terminal_output(run_cli: Run, args: list[str], name: str, code: int) -> None:
    result = run_cli(*args)
    assert (result.code, result.stderr) == (code, "")
    golden(name, result.stdout)


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
            "its licences (and what they require) are: 焰火燃放许可证\n",
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


def test_lead_json_has_the_documented_schema(run_cli: Run) -> None:
    result = run_cli("lead", "危险化学品经营", "--missing", "营业执照", "--json")
    assert result.code == 0
    payload = json.loads(result.stdout)
    assert payload["schema_version"] == 1
    assert payload["activity"] == {"id": "hc-trading", "name_zh": "危险化学品经营", "name_en": "hazardous-chemicals trading"}
    assert payload["lead"] == {
        "id": "aic",
        "name_zh": "市工商局",
        "full_name_zh": "聊城市工商行政管理局",
        "name_en": "Liaocheng Administration for Industry and Commerce",
        "level": "city",
        "system": "工商",
    }
    assert payload["rule"] == "decree684-art6"
    assert payload["cooperating"] == []
    assert [s["rule"] for s in payload["trace"]] == ["explicit", "decree684-art6"]
    assert {"provision", "document", "path", "quote"} <= payload["citations"][0].keys()
    assert "d684-6" in {c["provision"] for c in payload["citations"]}


def test_undetermined_json_has_a_null_lead_and_candidates(run_cli: Run) -> None:
    result = run_cli("lead", "hc-catalogue-production", "--json")
    assert result.code == 4
    payload = json.loads(result.stdout)
    assert payload["lead"] is None and payload["rule"] == "undetermined"
    assert {c["id"] for c in payload["candidates"]} == {"prov-safety", "quality"}


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
    result = run_cli("lead", "一号活动", "--data", str(MINI), "--json")
    assert json.loads(result.stdout)["lead"]["id"] == "alpha"


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


def test_version(run_cli: Run) -> None:
    from dutygraph import __version__

    assert run_cli("--version").stdout == f"dutygraph {__version__}\n"


def test_an_unwritable_output_is_a_file_error(run_cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    result = run_cli("export", "--format", "json", "-o", str(blocker / "out"))
    assert result.code == 8
    assert result.stderr == f"Error: Not a directory: {blocker / 'out'}\n"
