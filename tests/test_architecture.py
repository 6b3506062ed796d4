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


def loaded_after(questions: list[list[str]], modules: tuple[str, ...], env: dict[str, str] | None = None) -> list[str]:
    """Which of ``modules`` a fresh process has imported after asking ``questions`` through the console script."""
    code = (
        "import sys\n"
        "from dutygraph.cli import main\n"
        f"for argv in {questions!r}:\n    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return ast.literal_eval(done.stdout.splitlines()[-1])


def test_a_lead_query_imports_neither_networkx_nor_pyvis_nor_neo4j() -> None:
    assert loaded_after([["lead", "焰火晚会燃放", "--json"]], ("networkx", "pyvis", "neo4j")) == []


def test_a_json_lead_from_a_warm_cache_imports_no_yaml_parser_and_no_terminal_stack(tmp_path: Path) -> None:
    env = {**os.environ, "DUTYGRAPH_CACHE_DIR": str(tmp_path)}
    question = [["lead", "焰火晚会燃放", "--json"]]
    loaded_after(question, (), env)  # fills the cache
    assert loaded_after(question, ("networkx", "pyvis", "neo4j", "ruamel", "rich", "pickle"), env) == []


def test_a_lead_question_on_the_fast_path_imports_no_typer(tmp_path: Path) -> None:
    env = {**os.environ, "DUTYGRAPH_CACHE_DIR": str(tmp_path)}
    assert loaded_after([["lead", "焰火晚会燃放", "--json"], ["lead", "焰火晚会燃放"]], ("typer",), env) == []
