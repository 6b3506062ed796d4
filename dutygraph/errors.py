"""The one exception hierarchy of dutygraph.

Every error a user can cause derives from :class:`DutygraphError` and carries what the user needs to act:
the file and line of a data error, the name that was not found and the nearest matches. The CLI maps these
classes to exit codes in exactly one place (``dutygraph.cli.status``).
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct

from dutygraph.text import brief

__all__ = [
    "AmbiguousNameError",
    "DataIssue",
    "DatasetNotFoundError",
    "DutygraphError",
    "InvalidDataError",
    "NameNotFoundError",
    "Neo4jConnectionError",
    "Neo4jIncompleteLoadError",
    "Neo4jLoadError",
    "UsageError",
]


class DutygraphError(Exception):
    """Base class of every error dutygraph raises on purpose."""


class UsageError(DutygraphError):
    """The request itself does not make sense (e.g. a licence the activity does not need)."""


class DataIssue(Struct, frozen=True):
    """One problem in a dataset, located at a file and line."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class InvalidDataError(DutygraphError):
    """A dataset failed validation; ``issues`` holds every problem found in one run."""

    def __init__(self, issues: Sequence[DataIssue]) -> None:
        self.issues = tuple(issues)
        count = len(self.issues)
        head = f"invalid dataset: {count} problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([head, *(str(issue) for issue in self.issues)]))


class DatasetNotFoundError(DutygraphError):
    """The dataset directory does not exist or has no ``dataset.yaml``."""


class NameNotFoundError(DutygraphError):
    """A name matched nothing; ``candidates`` are the nearest names, best first."""

    def __init__(self, name: str, kinds: Sequence[str], candidates: Sequence[str] = (), hint: str = "") -> None:
        self.name = name
        self.kinds = tuple(kinds)
        self.candidates = tuple(candidates)
        message = f"no {' or '.join(self.kinds)} named {brief(name)}"
        if self.candidates:
            message += f" (did you mean {', '.join(brief(c) for c in self.candidates)}?)"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class AmbiguousNameError(DutygraphError):
    """A name matched several entities; ``candidates`` lists them so the user can pick one by id."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        super().__init__(f"{brief(name)} is ambiguous: it may mean {', '.join(self.candidates)}; use the id")


class Neo4jConnectionError(DutygraphError):
    """The Neo4j server could not be reached or refused the credentials."""


class Neo4jLoadError(DutygraphError):
    """A batch failed while loading into Neo4j; re-running the load completes it."""


class Neo4jIncompleteLoadError(DutygraphError):
    """Neo4j holds a load of the dataset that did not complete (interrupted or failed): its data may be partial or
    stale, so queries refuse it until a load completes."""
