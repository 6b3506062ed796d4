"""Helpers for the hostile-input tests: datasets built from the mini fixture with some files replaced, and a
subprocess runner with a time and memory limit for inputs that once hung the tool or ate all memory."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import MINI

ROOT = Path(__file__).resolve().parent.parent


def make_dataset(target: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """A copy of the mini dataset in ``target`` with ``files`` replaced (text, bytes, or None to delete)."""
    shutil.copytree(MINI, target)
    for name, content in (files or {}).items():
        path = target / name
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return target


def _limits(memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def load_isolated(root: Path, timeout: float = 60.0, memory: int = 1 << 30) -> dict[str, object]:
    """Load and validate ``root`` in a child process with a time and memory limit.

    Returns ``{"ok": True}``, ``{"issues": [[file, line, message], ...]}`` for invalid data, or
    ``{"error": "<Type>: <message>"}`` for any other exception. A hang fails the calling test with TimeoutExpired;
    exhausting the memory limit shows as a MemoryError."""
    code = textwrap.dedent(
        f"""
        import json, sys
        from dutygraph.errors import InvalidDataError
        from dutygraph.loader import load_dataset
        try:
            load_dataset({str(root)!r})
            out = {{"ok": True}}
        except InvalidDataError as error:
            out = {{"issues": [[i.file, i.line, i.message] for i in error.issues]}}
        except BaseException as error:
            out = {{"error": type(error).__name__ + ": " + str(error)[:500]}}
        sys.stdout.write(json.dumps(out))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        preexec_fn=lambda: _limits(memory),
    )
    assert len(done.stderr) < 100_000, f"the child wrote {len(done.stderr)} characters to stderr"
    result: dict[str, object] = json.loads(done.stdout) if done.stdout else {"error": f"exit {done.returncode}: {done.stderr[-500:]}"}
    return result
