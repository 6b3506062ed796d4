"""Shared fixtures: the bundled dataset, the synthetic mini dataset, and a runner for the real CLI entry point."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dutygraph.datasets import default_dataset_dir
from dutygraph.loader import load_dataset
from dutygraph.model import Dataset

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(scope="session")
def liaocheng() -> Dataset:
    return load_dataset(default_dataset_dir())


@pytest.fixture(scope="session")
def mini() -> Dataset:
    return load_dataset(MINI)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the dataset cache of the tests away from the user's."""
    monkeypatch.setenv("DUTYGRAPH_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("DUTYGRAPH_DEBUG", raising=False)


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``dutygraph.cli.main`` (the console script, with its error boundary) and capture what it prints."""
    cli_app = importlib.import_module("dutygraph.cli.app")

    def run(*args: str) -> CliResult:
        cli_app._State.debug = False
        code = 0
        try:
            cli_app.main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Callable[[Path], Path]:
    """Copy a dataset directory into a temporary folder the test may change."""

    def copy(source: Path) -> Path:
        target = tmp_path / source.name
        shutil.copytree(source, target)
        return target

    return copy


def python() -> str:
    return sys.executable


@pytest.fixture
def chdir_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path
