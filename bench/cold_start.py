"""Speed of the main job, as ratios against a baseline measured in the same run.

    python bench/cold_start.py [--runs 15]

Prints: the wall time of a cold ``dutygraph lead 焰火晚会燃放`` process (dataset cache warm, and cache off)
as a ratio to ``python -c pass``; the time of every decision of the bundled dataset in one process; the time
to load and validate the dataset without the cache. Target: the cold lead at most 8x ``python -c pass``;
all decisions under 5 ms.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dutygraph.datasets import default_dataset_dir
from dutygraph.engine import decide_all
from dutygraph.loader import load_dataset


def wall(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    lead_cmd = [sys.executable, "-m", "dutygraph", "lead", "焰火晚会燃放", "--json"]
    script = Path(sys.executable).with_name("dutygraph")
    if script.exists():
        lead_cmd[:3] = [str(script)]
    # An installed wheel has its bytecode compiled by pip; a checkout run with PYTHONDONTWRITEBYTECODE=1
    # would recompile every module on every start. Measure the installed situation.
    import dutygraph.cli

    compileall.compile_dir(str(Path(dutygraph.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["DUTYGRAPH_CACHE_DIR"] = cache
        subprocess.run(lead_cmd, check=True, stdout=subprocess.DEVNULL, env=env)  # fill the cache
        baseline = wall([sys.executable, "-c", "pass"], args.runs, env)
        warm = wall(lead_cmd, args.runs, env)
        uncached = wall(lead_cmd, max(3, args.runs // 3), {**env, "DUTYGRAPH_NO_CACHE": "1"})
    print(f"python -c pass                       {baseline * 1000:8.1f} ms  (baseline, median of {args.runs})")
    print(f"dutygraph lead (dataset cache warm)  {warm * 1000:8.1f} ms  = {warm / baseline:5.1f}x baseline  (target <= 8x)")
    print(f"dutygraph lead (cache off)           {uncached * 1000:8.1f} ms  = {uncached / baseline:5.1f}x baseline")
    dataset = load_dataset(default_dataset_dir())
    started = time.perf_counter()
    load_dataset(default_dataset_dir())
    load = time.perf_counter() - started
    rounds = 50
    started = time.perf_counter()
    for _ in range(rounds):
        decisions = decide_all(dataset)
    each = (time.perf_counter() - started) / rounds
    print(f"load + validate the dataset          {load * 1000:8.1f} ms  (what the cache saves)")
    print(f"all {len(decisions)} decisions, one process     {each * 1000:8.2f} ms  (target < 5 ms)")


if __name__ == "__main__":
    main()
