"""A real wheel, installed into a fresh virtual environment, answers from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel_file,) = out.glob("dutygraph-*.whl")
    return wheel_file


def test_the_wheel_carries_the_dataset_its_sources_and_the_cypher_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = "dutygraph/_data/liaocheng-2018-39/"
    assert {f"{data}dataset.yaml", f"{data}cases.yaml", f"{data}sources/liaocheng-2018-39-notice.txt"} <= names
    assert f"{data}sources/烟花爆竹安全管理条例(2016-02-06).md" in names
    assert {
        "dutygraph/_cypher/schema.cypher",
        "dutygraph/_cypher/queries/lead.cypher",
        "dutygraph/_cypher/load/node-bureau.cypher",
    } <= names
    assert {"dutygraph/templates/map.html", "dutygraph/templates/map.js", "dutygraph/templates/map.css"} <= names


@pytest.mark.slow
def test_installed_wheel_answers_from_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run([str(bin_dir / "pip"), "install", "--quiet", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["DUTYGRAPH_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run(
        [str(bin_dir / "dutygraph"), "lead", "焰火晚会燃放", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    payload = json.loads(done.stdout)
    assert payload["lead"]["name_zh"] == "市公安局"
    assert payload["rule"] == "law-designated"
    module = subprocess.run(
        [str(bin_dir / "python"), "-c", "import dutygraph, sys; print(dutygraph.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert str(env_dir) in module.stdout  # the installed copy answered, not the checkout
    validated = subprocess.run([str(bin_dir / "dutygraph"), "validate"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert validated.returncode == 0, validated.stderr
