"""Exit codes, decided in exactly one place (documented in the README)."""

from __future__ import annotations

from enum import IntEnum

from dutygraph.errors import (
    AmbiguousNameError,
    DatasetNotFoundError,
    DutygraphError,
    InvalidDataError,
    NameNotFoundError,
    Neo4jConnectionError,
    Neo4jIncompleteLoadError,
    Neo4jLoadError,
    UsageError,
)

__all__ = ["ExitCode", "exit_code_for"]


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    """An unexpected failure: a bug. Re-run with --debug for the traceback."""
    USAGE = 2
    """Wrong options or arguments, or a request that makes no sense."""
    NOT_FOUND = 3
    """A name matched nothing, or several things."""
    UNDETERMINED = 4
    """The data does not decide who leads (the answer names the candidates)."""
    INVALID_DATA = 5
    """The dataset failed validation, or is not a dataset."""
    GAPS = 6
    """``gaps --strict`` found blind spots or conflicts."""
    NEO4J = 7
    """Neo4j could not be reached, refused the credentials, a batch failed, or the database holds an incomplete load of
    the dataset (queries refuse it until a load completes)."""
    FILES = 8
    """A file or directory could not be read or written (permissions, a file where a directory is needed …)."""
    UNCERTAIN_IN_TIME = 9
    """Answered, but the date asked about falls inside a succession window: the predecessor or the successor
    leads, depending on a transfer date no source gives (both are named)."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C): 128 + SIGINT, as shells and typer report it."""


_CODES: tuple[tuple[type[DutygraphError], ExitCode], ...] = (
    (NameNotFoundError, ExitCode.NOT_FOUND),
    (AmbiguousNameError, ExitCode.NOT_FOUND),
    (InvalidDataError, ExitCode.INVALID_DATA),
    (DatasetNotFoundError, ExitCode.INVALID_DATA),
    (Neo4jConnectionError, ExitCode.NEO4J),
    (Neo4jLoadError, ExitCode.NEO4J),
    (Neo4jIncompleteLoadError, ExitCode.NEO4J),
    (UsageError, ExitCode.USAGE),
)


def exit_code_for(error: DutygraphError) -> ExitCode:
    for kind, code in _CODES:
        if isinstance(error, kind):
            return code
    return ExitCode.INTERNAL
