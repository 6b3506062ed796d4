"""The options shared by several commands, as typer declares them (the behaviour is in :mod:`dutygraph.cli.common`)."""

from __future__ import annotations

from typing import Annotated

import typer

from dutygraph.cli.common import Lang

__all__ = ["AsOfOption", "DataOption", "JsonOption", "LangOption"]

# Paths are taken as text and checked by dutygraph, not by click: an empty path is a usage error (click would read it
# as "."), and an unreadable directory is a file error (exit 8) rather than a usage error.
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        metavar="DIR|ID",
        help="A dataset directory, or the id of a bundled dataset (see `dutygraph datasets`; default: liaocheng-2018-39).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (a stable schema, see the README) instead of tables.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="Label language: zh, or en where the dataset gives English names.")]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="The date asked about (YYYY-MM-DD; default: today): organs as they were then, facts then in force."),
]
