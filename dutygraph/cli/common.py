"""What every command shares: the language, the date asked about, the dataset, JSON and console output.

No typer here: the fast path of a query (:mod:`dutygraph.cli.fast`) runs without it; the options as typer
declares them are in :mod:`dutygraph.cli.params`."""

from __future__ import annotations

import datetime as dt
import errno
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from dutygraph.model import Dataset

__all__ = [
    "Lang",
    "State",
    "console",
    "emit_json",
    "emit_text",
    "note",
    "open_data",
    "parse_as_of",
    "path_option",
    "question_date",
    "stdout",
    "today",
]


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class State:
    """Process-wide CLI state set by the global options."""

    debug: bool = os.environ.get("DUTYGRAPH_DEBUG") == "1"


def console() -> Console:
    """The stdout console: no markup, no emoji codes, no highlighting; what reaches it from data is inert ``Text``."""
    from rich.console import Console

    return Console(file=stdout(), highlight=False, soft_wrap=False, markup=False, emoji=False)


def stdout() -> TextIO:
    """Standard output; a file error (exit 8) when the process was started with it closed (``>&-``)."""
    if sys.stdout is None:
        raise OSError(errno.EBADF, "standard output is closed")
    return sys.stdout


def emit_json(payload: Any) -> None:
    import json

    from dutygraph.cli.safe import json_safe

    stdout().write(json_safe(json.dumps({"schema_version": _schema_version(), **payload}, ensure_ascii=False, indent=2)) + "\n")


def note(message: str) -> None:
    """A one-line remark on stderr (not part of the output): what the command did besides its answer."""
    from rich.console import Console

    from dutygraph.cli.safe import visible

    Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False).print(visible(message))


def emit_text(text: str) -> None:
    """Write ``text`` (already made safe by the caller) to stdout as it is: CSV and other file formats."""
    stdout().write(text)


def _schema_version() -> int:
    from dutygraph.jsonview import SCHEMA_VERSION

    return SCHEMA_VERSION


def path_option(value: str, option: str, what: str) -> Path:
    """A path given on the command line; an empty one is a usage error."""
    if not value.strip():
        from dutygraph.errors import UsageError

        raise UsageError(f"{option} needs {what}, got an empty path")
    return Path(value)


def parse_as_of(value: str | None) -> dt.date | None:
    """``--as-of`` strictly as YYYY-MM-DD (``20180416`` is refused, not read as a date); None when not given."""
    from dutygraph.errors import UsageError
    from dutygraph.text import brief

    if value is None:
        return None
    try:
        if len(value) == 10 and value[4] == value[7] == "-" and value.replace("-", "").isdigit():
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise UsageError(f"--as-of takes a date written YYYY-MM-DD, got {brief(value)}")


def today() -> dt.date:
    """The one place the command line reads the clock: questions without ``--as-of`` are asked about today."""
    return dt.date.today()


def question_date(as_of: str | None) -> dt.date:
    """The date a question is asked about: ``--as-of``, else today (organs are reported as of that date)."""
    return parse_as_of(as_of) or today()


def open_data(data: str | None) -> Dataset:
    from dutygraph.datasets import open_dataset

    return open_dataset(None if data is None else path_option(data, "--data", "a directory"))
