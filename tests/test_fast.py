"""The fast path of ``dutygraph lead`` (dutygraph.cli.fast): it parses without typer, so it must never read a command
line differently from typer. On every generated command line it either declines, or passes the lead command exactly
what typer passes; and its options are the options typer declares (that it imports no typer: test_architecture)."""

from __future__ import annotations

import errno
import inspect
import io
import sys
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from dutygraph.cli import fast
from dutygraph.cli import lead as lead_module
from dutygraph.cli.commands import app, narrowed
from dutygraph.cli.common import Lang

PARAMETERS = inspect.signature(lead_module.lead).parameters
DEFAULTS = {name: p.default for name, p in PARAMETERS.items() if p.default is not p.empty}


def normal(arguments: dict[str, Any]) -> dict[str, Any]:
    """The lead command's arguments with its defaults filled in and ``missing`` as a list (typer gives None or a list)."""
    full = {**DEFAULTS, **arguments}
    full["missing"] = list(full["missing"] or [])
    return full


def through_typer(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], bool] | None:
    """What the typer app passes the lead command for ``argv`` (and whether --debug was set), or None if it refuses."""
    seen: list[dict[str, Any]] = []

    def record(*args: Any) -> int:
        seen.append(dict(zip(PARAMETERS, args, strict=True)))
        return 0

    from dutygraph.cli.common import State

    State.debug = False
    with monkeypatch.context() as patch:
        patch.setattr(lead_module, "lead", record)
        result = CliRunner().invoke(app, argv)
    debug, State.debug = State.debug, False
    return (seen[0], debug) if result.exit_code == 0 and seen else None


TOKENS = [
    "lead", "--debug", "--json", "--citations", "--no-citations", "-m", "--missing", "--as-of", "--sector", "--data",
    "--lang", "zh", "en", "ZH", "--", "-", "-x", "-h", "--help", "--version", "--missing=", "--missing=营业执照",
    "-m=营业执照", "-m营业执照", "--lang=en", "--json=1", "--as-of=2020-01-01", "焰火晚会燃放", "烟花爆竹", "营业执照,",
    "2019-06-01", "", " ", "show",
]  # fmt: skip


WORDS = ["焰火晚会燃放", "烟花爆竹", "营业执照", "营业执照,", "zh", "en", "ZH", "2019-06-01", "", " ", "-", "-x", "--json"]
NAMES = ["焰火晚会燃放", "烟花爆竹", "营业执照,", "", " "]
OPTION = st.one_of(
    st.sampled_from([["--json"], ["--citations"], ["--no-citations"]]),
    st.tuples(st.sampled_from(["--missing", "-m", "--as-of", "--sector", "--data", "--lang"]), st.sampled_from(WORDS)).map(list),
    st.tuples(st.sampled_from(["--missing", "-m", "--as-of", "--lang", "--json"]), st.sampled_from(WORDS)).map(lambda p: ["=".join(p)]),
    st.sampled_from([["--json"], ["--no-citations"], ["--lang", "en"], ["-m", "营业执照"], ["--as-of", "2019-06-01"]]),
)
"""Command-line pieces: options with values, well-formed or not (a value that looks like an option, an empty one)."""


def question(name: str, options: list[list[str]], where: int) -> list[str]:
    """A name among options: the shape of a lead command line, well-formed or nearly."""
    return [token for part in (*options[:where], [name], *options[where:]) for token in part]


@settings(max_examples=300, deadline=timedelta(seconds=3))  # cheap examples (a parse each): many of them, in about two seconds
@given(
    st.lists(st.sampled_from(TOKENS), max_size=8)
    | st.builds(question, st.sampled_from(NAMES), st.lists(OPTION, max_size=5), st.integers(0, 5))
)
def test_the_fast_path_reads_a_command_line_as_typer_does_or_declines(tokens: list[str]) -> None:
    for argv in (tokens, ["lead", *tokens], ["--debug", "lead", *tokens]):
        parsed = fast.lead_arguments(argv)
        event("declined" if parsed is None else "taken by the fast path")
        if parsed is None:
            continue
        with pytest.MonkeyPatch.context() as monkeypatch:
            typer_reading = through_typer(argv, monkeypatch)
        assert typer_reading is not None, f"the fast path accepted {argv!r}, which typer refuses"
        arguments, debug = typer_reading
        assert normal(parsed.arguments) == normal(arguments), argv
        assert parsed.debug == debug


@pytest.mark.parametrize(
    "argv",
    [
        ["lead", "焰火晚会燃放"],
        ["lead", "焰火晚会燃放", "--json"],
        ["--debug", "lead", "--json", "危险化学品经营", "--missing", "营业执照", "-m", "危险化学品经营许可证"],
        ["lead", "危险化学品经营", "--missing=营业执照,危险化学品经营许可证", "--as-of=2019-06-01", "--lang", "en"],
        ["lead", "烟花爆竹", "--no-citations", "--data", "liaocheng-2018-39", "--sector", "烟花爆竹"],
    ],
)
def test_the_plain_forms_take_the_fast_path_and_mean_what_they_mean_to_typer(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = fast.lead_arguments(argv)
    assert parsed is not None
    reading = through_typer(argv, monkeypatch)
    assert reading is not None
    assert normal(parsed.arguments) == normal(reading[0])
    assert parsed.arguments.get("lang", Lang.zh) in set(Lang)


def test_any_sequence_is_a_command_line() -> None:
    assert fast.lead_arguments(("--debug", "lead", "x")) == fast.lead_arguments(["--debug", "lead", "x"]) == ({"name": "x"}, True)


def test_the_fast_path_knows_exactly_the_options_typer_declares() -> None:
    command = get_command(narrowed(["lead"])).commands["lead"]  # type: ignore[attr-defined]
    declared = {
        opt: (param.name, param.is_flag, getattr(param, "multiple", False))
        for param in command.params
        for opt in (*param.opts, *param.secondary_opts)
        if opt.startswith("-") and param.name != "help"
    }
    ours = {opt: (name, False, name == "missing") for opt, name in fast.VALUES.items()}
    ours |= {opt: (name, True, False) for opt, (name, _) in fast.FLAGS.items()}
    assert ours == declared


class _GoneReader(io.StringIO):
    """A stdout whose reader has gone: every write fails with EPIPE."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")


@pytest.mark.parametrize("argv", [["lead", "危险化学品", "--json"], ["matrix", "--json"]], ids=["fast path", "typer"])
def test_a_reader_that_goes_away_ends_the_command_quietly_with_exit_1(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dutygraph.cli import main

    monkeypatch.setattr(sys, "stdout", _GoneReader())
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 1
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("argv", [["lead", "焰火晚会燃放"], ["show", "焰火晚会燃放"]], ids=["fast path", "typer"])
def test_ctrl_c_exits_130_quietly_on_either_path(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: on the fast path Ctrl-C said "Error: interrupted" and exited 1; typer exits 130 and says nothing."""
    from dutygraph import engine
    from dutygraph.cli import main

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "decide", interrupted)
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert (exited.value.code, capsys.readouterr().err) == (130, "")


@pytest.mark.parametrize("argv", [["lead", "焰火晚会燃放"], ["lead", "焰火晚会燃放", "--json"], ["matrix", "--format", "csv"]])
def test_a_closed_stdout_is_a_file_error(argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Regression: ``--json`` with stdout closed (``>&-``) was an internal error (AttributeError)."""
    from dutygraph.cli import main

    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert (exited.value.code, capsys.readouterr().err) == (8, "Error: standard output is closed\n")


@pytest.mark.parametrize("argv", [["lead", "焰火晚会燃放"], ["lead", "焰火晚会燃放", "--json"], ["show", "市公安局"]])
def test_an_ascii_terminal_is_told_what_to_do(argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Regression: Chinese output to an ASCII stdout was reported as an internal error (a bug)."""
    from dutygraph.cli import main

    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    with pytest.raises(SystemExit) as exited:
        main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 8
    assert "encoding (ascii)" in err and "PYTHONIOENCODING=utf-8" in err


def test_shell_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    from dutygraph.cli import main

    def answered(**kwargs: object) -> int:
        raise AssertionError("the fast path answered a completion request")

    monkeypatch.setattr(lead_module, "lead", answered)
    monkeypatch.setenv("_DUTYGRAPH_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "dutygraph lead 焰火")
    monkeypatch.setenv("COMP_CWORD", "2")
    with pytest.raises(SystemExit) as exited:
        main(["lead", "焰火晚会燃放"])
    assert exited.value.code == 0
