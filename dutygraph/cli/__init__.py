"""The command-line interface: the only place that imports typer and rich."""

from dutygraph.cli.app import app, main

__all__ = ["app", "main"]
