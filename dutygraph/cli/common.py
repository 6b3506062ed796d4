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

__all__ = ["DataOption", "JsonOption", "Lang", "LangOption", "State", "console", "emit_json", "emit_text", "note", "open_data"]


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class State:
    """Process-wide CLI state set by the global options."""

    debug: bool = os.environ.get("DUTYGRAPH_DEBUG") == "1"


DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="A dataset directory, or the id of a bundled dataset (see `dutygraph datasets`; default: liaocheng-2018-39).",
        file_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (a stable schema, see the README) instead of tables.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="Label language: zh, or en where the dataset gives English names.")]


def console() -> Console:
    """The stdout console: no markup, no emoji codes, no highlighting; what reaches it from data is inert ``Text``."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, markup=False, emoji=False)


def emit_json(payload: Any) -> None:
    from dutygraph.cli.safe import json_safe

    sys.stdout.write(json_safe(json.dumps({"schema_version": _schema_version(), **payload}, ensure_ascii=False, indent=2)) + "\n")


def note(message: str) -> None:
    """A one-line remark on stderr (not part of the output): what the command did besides its answer."""
    from rich.console import Console

    from dutygraph.cli.safe import visible

    Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False).print(visible(message))


def emit_text(text: str) -> None:
    """Write ``text`` (already made safe by the caller) to stdout as it is: CSV and other file formats."""
    sys.stdout.write(text)


def _schema_version() -> int:
    from dutygraph.jsonview import SCHEMA_VERSION

    return SCHEMA_VERSION


def open_data(data: Path | None) -> Dataset:
    from dutygraph.datasets import open_dataset

    return open_dataset(data)
