"""The layout keeps its promises: the core never imports typer or rich; the query path stays light."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dutygraph"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_never_imports_typer_or_rich() -> None:
    core = [p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts]
    assert core
    for path in core:
        assert not imported_modules(path) & {"typer", "rich"}, path


def test_a_lead_query_imports_neither_networkx_nor_pyvis_nor_neo4j() -> None:
    code = (
        "import sys\n"
        "from dutygraph.cli import main\n"
        "try:\n    main(['lead', '焰火晚会燃放', '--json'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('networkx', 'pyvis', 'neo4j') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr


def test_a_json_lead_from_a_warm_cache_imports_no_yaml_parser_and_no_terminal_stack(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from dutygraph.cli import main\n"
        "try:\n    main(['lead', '焰火晚会燃放', '--json'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('networkx', 'pyvis', 'neo4j', 'ruamel', 'rich', 'pickle') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = {**os.environ, "DUTYGRAPH_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)  # fills the cache
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert "HEAVY []" in done.stderr, done.stderr
