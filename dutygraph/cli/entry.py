"""The console script: the fast path for a query when it applies, else the typer app; errors become ``Error: …`` on
stderr and a documented exit code (no traceback unless ``--debug``)."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn

from dutygraph.cli.common import State
from dutygraph.cli.status import ExitCode, exit_code_for
from dutygraph.errors import DutygraphError

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Run ``dutygraph`` with ``argv`` (default: the process's arguments) and exit with its code."""
    args = sys.argv[1:] if argv is None else argv
    try:
        _run(args)
    except DutygraphError as error:
        if State.debug:
            raise
        _fail(str(error), exit_code_for(error))
    except BrokenPipeError:  # the reader has gone (``… --json | head``): say nothing and exit 1, as click and rich do
        _stdout_to_devnull()
        sys.exit(int(ExitCode.INTERNAL))
    except OSError as error:
        if State.debug:
            raise
        _fail(_file_error(error), ExitCode.FILES)
    except UnicodeEncodeError as error:  # the output holds characters the terminal's encoding lacks (Chinese in ASCII)
        if State.debug:
            raise
        _fail(
            f"standard output cannot show these characters in its encoding ({error.encoding}): "
            "use a UTF-8 locale, or set PYTHONIOENCODING=utf-8",
            ExitCode.FILES,
        )
    except KeyboardInterrupt:  # Ctrl-C: the shell shows it; exit as typer does when it catches it first
        sys.exit(int(ExitCode.INTERRUPTED))
    except Exception as error:  # a bug: say so briefly; --debug shows the traceback
        if State.debug:
            raise
        _fail(f"internal error: {type(error).__name__}: {error} (run with --debug for the traceback)", ExitCode.INTERNAL)


def _stdout_to_devnull() -> None:
    """Point stdout at the null device, so that the flush at exit does not fail on the broken pipe again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _run(args: list[str]) -> None:
    from dutygraph.cli.fast import lead_arguments

    # Shell completion (typer reads its request from the environment) is typer's alone.
    fast = None if "_DUTYGRAPH_COMPLETE" in os.environ else lead_arguments(args)
    if fast is None:
        from dutygraph.cli.commands import narrowed

        narrowed(args)(args=args, prog_name="dutygraph")
        return
    from dutygraph.cli.lead import lead

    State.debug = State.debug or fast.debug
    code = lead(**fast.arguments)
    if code:
        sys.exit(int(code))


def _fail(message: str, code: ExitCode) -> NoReturn:
    from rich.console import Console

    from dutygraph.cli.safe import visible

    # Messages quote names and values from data and from the command line: no markup, no emoji codes
    # (``bureaus.yaml:100:`` stays text), and control characters shown as escapes on each line.
    console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)
    console.print("\n".join(visible(line) for line in f"Error: {message}".split("\n")))
    sys.exit(int(code))


def _file_error(error: OSError) -> str:
    """A file error in words a user can act on: a file where a directory is needed is said so, not "File exists"."""
    if isinstance(error, NotADirectoryError) and error.strerror and error.strerror.startswith("cannot create directory"):
        return error.strerror
    if isinstance(error, FileExistsError | NotADirectoryError) and error.filename:
        return f"a directory is needed at {error.filename}, or on the way to it, but a file is there"
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"
