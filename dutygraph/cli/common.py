"""What every command shares: the common options, the dataset, JSON and console output."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from dutygraph.model import Dataset

__all__ = ["DataOption", "JsonOption", "Lang", "LangOption", "State", "console", "emit_json", "open_data", "path_option"]


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class State:
    """Process-wide CLI state set by the global options."""

    debug: bool = os.environ.get("DUTYGRAPH_DEBUG") == "1"


# Paths are taken as text and checked here, not by click: an empty path is a usage error (click would read it as
# "."), and an unreadable directory is a file error (exit 8) rather than a usage error.
DataOption = Annotated[
    str | None,
    typer.Option("--data", metavar="DIR", help="A dataset directory in the same format (default: the bundled Liaocheng 2018 dataset)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (a stable schema, see the README) instead of tables.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="Label language: zh, or en where the dataset gives English names.")]


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps({"schema_version": _schema_version(), **payload}, ensure_ascii=False, indent=2) + "\n")


def _schema_version() -> int:
    from dutygraph.jsonview import SCHEMA_VERSION

    return SCHEMA_VERSION


def path_option(value: str, option: str, what: str) -> Path:
    """A path given on the command line; an empty one is a usage error."""
    if not value.strip():
        from dutygraph.errors import UsageError

        raise UsageError(f"{option} needs {what}, got an empty path")
    return Path(value)


def open_data(data: str | None) -> Dataset:
    from dutygraph.datasets import open_dataset

    return open_dataset(None if data is None else path_option(data, "--data", "a directory"))
