"""Shared fixtures: the bundled dataset, the synthetic mini dataset, and a runner for the real CLI entry point."""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from dutygraph.datasets import default_dataset_dir
from dutygraph.loader import load_dataset
from dutygraph.model import Dataset

# Property tests stay bounded in time: few examples, each with a deadline. HYPOTHESIS_PROFILE=thorough for more.
settings.register_profile(
    "dutygraph", max_examples=15, deadline=timedelta(seconds=3), suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("thorough", max_examples=500, deadline=timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dutygraph"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
SECTORS = FIXTURES / "sectors"


@pytest.fixture(scope="session")
def liaocheng() -> Dataset:
    return load_dataset(default_dataset_dir())


@pytest.fixture(scope="session")
def mini() -> Dataset:
    return load_dataset(MINI)


@pytest.fixture(scope="session")
def sectors() -> Dataset:
    return load_dataset(SECTORS)


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


TODAY = dt.date(2026, 11, 27)
"""The date the command-line tests ask about by default, so that golden outputs do not change with the clock."""


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``dutygraph.cli.main`` (the console script, with its error boundary) and capture what it prints."""
    cli_entry = importlib.import_module("dutygraph.cli.entry")
    cli_common = importlib.import_module("dutygraph.cli.common")
    monkeypatch.setattr(cli_common, "today", lambda: TODAY)

    def run(*args: str) -> CliResult:
        cli_common.State.debug = False
        code = 0
        try:
            cli_entry.main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def require(problem: str | None, what: str) -> None:
    """Skip a test whose prerequisite is missing, except in CI, where it must run: fail instead."""
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} tests must run in CI, but {problem}")
    pytest.skip(problem)


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Neo4j 5.26 (embedded, Bolt on a free loopback port, auth off) for the whole session."""
    from tests import neo4j_harness

    require(neo4j_harness.missing_prerequisites(), "Neo4j")
    process, uri = neo4j_harness.start(tmp_path_factory.mktemp("neo4j"))
    yield uri
    neo4j_harness.stop(process)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("DUTYGRAPH_ARTIFACTS", ROOT / ".artifacts"))


def browser_problem() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (scripts/test-services.sh installs Debian's chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (no browser download: the system one)."""
    require(browser_problem(), "browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
