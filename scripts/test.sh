#!/usr/bin/env bash
# The whole test suite from a fresh machine: a virtual environment, the package with its dev tools, the
# services the tests need (Neo4j jars from Maven, headless Chromium from Debian's packages), lint, types,
# and pytest. Exits non-zero on any failure, including "no tests collected" (pytest's exit code 5).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

echo "== python environment ($VENV)"
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e '.[dev]'

echo "== services the tests need"
bash scripts/test-services.sh

echo "== ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "== mypy"
"$VENV/bin/mypy"
echo "== pytest"
export PYTHONDONTWRITEBYTECODE=${PYTHONDONTWRITEBYTECODE:-}
"$VENV/bin/python" -m pytest "$@"
