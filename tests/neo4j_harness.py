"""Start the embedded Neo4j test server (tests/neo4j_server/Server.java) on a free loopback port.

Used by the ``neo4j_uri`` session fixture and by the Neo4j benchmark. The jars come from
``scripts/test-services.sh`` (Maven); Java 17 runs the single source file directly.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

SERVER_DIR = Path(__file__).resolve().parent / "neo4j_server"
LIB = SERVER_DIR / "target" / "lib"
JVM_FLAGS = [
    "-Xmx1g",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]


class ServerUnavailable(RuntimeError):
    """Java or the jars are missing, or the server did not start."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def missing_prerequisites() -> str | None:
    if shutil.which("java") is None:
        return "java is not installed"
    if not any(LIB.glob("neo4j-bolt-*.jar")):
        return f"the Neo4j jars are not in {LIB} (run scripts/test-services.sh)"
    return None


def start(home: Path, timeout: float = 240.0, auth: bool = False) -> tuple[subprocess.Popen[str], str]:
    """Start a server with its store in ``home`` (authentication on with ``auth``); returns the process and its
    bolt:// URI once it is ready."""
    problem = missing_prerequisites()
    if problem:
        raise ServerUnavailable(problem)
    port = free_port()
    log = (home / "server.log").open("w")
    process = subprocess.Popen(
        [
            "java",
            *JVM_FLAGS,
            "-cp",
            f"{LIB}/*",
            str(SERVER_DIR / "Server.java"),
            str(home / "store"),
            str(port),
            *(["auth"] if auth else []),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("READY"):
            return process, f"bolt://127.0.0.1:{port}"
        if not line and process.poll() is not None:
            break
    stop(process)
    raise ServerUnavailable(f"the Neo4j test server did not start; see {home / 'server.log'} and {home / 'store'}/logs/debug.log")


def import_csv(home: Path, csv_dir: Path) -> str:
    """Run neo4j-admin's ``database import full`` (from the Maven jars, with the options the README documents) on
    every CSV file of ``csv_dir`` into the store a server started with ``start(home)`` uses; returns the tool's
    output."""
    problem = missing_prerequisites()
    if problem:
        raise ServerUnavailable(problem)
    store = home / "store"
    (store / "conf").mkdir(parents=True, exist_ok=True)
    from dutygraph.export import NEO4J_ADMIN_OPTIONS  # the options the README documents

    files = [*NEO4J_ADMIN_OPTIONS, *(f"--nodes={p}" for p in sorted(csv_dir.glob("nodes-*.csv")))]
    files += [f"--relationships={p}" for p in sorted(csv_dir.glob("relationships-*.csv"))]
    # The tool writes its report (import.report) into the current directory unless told otherwise: keep it, and
    # anything else it writes, inside the store's temporary directory, never in the checkout.
    report = store / "import.report"
    done = subprocess.run(
        [
            "java",
            "-Xmx1g",
            "-cp",
            f"{LIB}/*",
            "org.neo4j.cli.AdminTool",
            "database",
            "import",
            "full",
            f"--report-file={report}",
            "neo4j",
            *files,
        ],
        env={"PATH": os.environ.get("PATH", ""), "NEO4J_HOME": str(store), "NEO4J_CONF": str(store / "conf")},
        cwd=store,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise ServerUnavailable(f"neo4j-admin database import failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None and process.stdin is not None:
        process.stdin.close()  # the server exits when its standard input closes
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":  # a server for manual work: python -m tests.neo4j_harness /tmp/neo4j-dev
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/neo4j-dev")
    target.mkdir(parents=True, exist_ok=True)
    server, uri = start(target)
    print(uri, flush=True)
    server.wait()
