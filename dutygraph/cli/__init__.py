"""The command-line interface: the only place that imports typer and rich.

``main`` is the console script; ``app`` (the typer app) is imported on first use, so that a query on the fast path
(:mod:`dutygraph.cli.fast`) never imports typer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dutygraph.cli.entry import main

if TYPE_CHECKING:
    from dutygraph.cli.commands import app

__all__ = ["app", "main"]


def __getattr__(name: str) -> object:
    if name == "app":
        from dutygraph.cli.commands import app

        return app
    raise AttributeError(f"module 'dutygraph.cli' has no attribute {name!r}")
