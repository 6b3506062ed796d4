"""Speed of the main job, as ratios against a baseline measured in the same run.

    python bench/cold_start.py [--runs 15]

Prints, each the median wall time of fresh processes with the dataset cache warm:

- ``dutygraph lead 焰火晚会燃放 --json`` as a ratio to ``python -c pass``; target at most 8x;
- the terminal ``dutygraph lead 焰火晚会燃放`` as a ratio to the bare import of its own stack,
  ``python -c "import typer, rich.console, rich.table, rich.panel"``; target at most 1.25x (a lead question no
  longer imports typer, so the import of rich alone is shown beside it for reference);

then the JSON lead with the cache off, the time to load and validate the dataset (what the cache saves), the time
to open it from the cache in-process, and every decision of the bundled dataset in one process (target < 5 ms).
The commands of a pair run interleaved, so that a busy machine slows both alike.
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

from dutygraph.datasets import default_dataset_dir, open_dataset
from dutygraph.engine import decide_all
from dutygraph.loader import load_dataset


def wall(commands: list[list[str]], runs: int, env: dict[str, str]) -> list[float]:
    """The median wall time of each command, the commands run in turn ``runs`` times."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, bucket in zip(commands, times, strict=True):
            started = time.perf_counter()
            subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            bucket.append(time.perf_counter() - started)
    return [statistics.median(bucket) for bucket in times]


STACK = "import typer, rich.console, rich.table, rich.panel"
RICH = "import rich.console, rich.table, rich.panel"
"""What a terminal lead imports of its stack now that it runs without typer (cli/fast.py): shown for reference."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    lead_cmd = [sys.executable, "-m", "dutygraph", "lead", "焰火晚会燃放"]
    script = Path(sys.executable).with_name("dutygraph")
    if script.exists():
        lead_cmd[:3] = [str(script)]
    # An installed wheel has its bytecode compiled by pip; a checkout run with PYTHONDONTWRITEBYTECODE=1
    # would recompile every module on every start. Measure the installed situation.
    import dutygraph.cli

    compileall.compile_dir(str(Path(dutygraph.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(DUTYGRAPH_CACHE_DIR=cache, COLUMNS="120")
        subprocess.run([*lead_cmd, "--json"], check=True, stdout=subprocess.DEVNULL, env=env)  # fill the cache
        baseline, json_lead = wall([[sys.executable, "-c", "pass"], [*lead_cmd, "--json"]], args.runs, env)
        stack, terminal_lead, rich_only = wall([[sys.executable, "-c", STACK], lead_cmd, [sys.executable, "-c", RICH]], args.runs, env)
        (uncached,) = wall([[*lead_cmd, "--json"]], max(3, args.runs // 3), {**env, "DUTYGRAPH_NO_CACHE": "1"})
        dataset = load_dataset(default_dataset_dir())
        started = time.perf_counter()
        load_dataset(default_dataset_dir())
        load = time.perf_counter() - started
        os.environ["DUTYGRAPH_CACHE_DIR"] = cache
        started = time.perf_counter()
        open_dataset(default_dataset_dir())
        cached = time.perf_counter() - started
    print(f"python -c pass                          {baseline * 1000:8.1f} ms  (baseline, median of {args.runs})")
    ratio = json_lead / baseline
    print(f"dutygraph lead --json (cache warm)      {json_lead * 1000:8.1f} ms  = {ratio:5.2f}x python -c pass   (target <= 8x)")
    print(f"python -c '{STACK}'")
    print(f"                                        {stack * 1000:8.1f} ms  (baseline of the terminal lead)")
    ratio = terminal_lead / stack
    print(f"dutygraph lead, terminal (cache warm)   {terminal_lead * 1000:8.1f} ms  = {ratio:5.2f}x its bare stack     (target <= 1.25x)")
    print(f"python -c '{RICH}'")
    reference = terminal_lead / rich_only
    print(f"                                        {rich_only * 1000:8.1f} ms  (reference: the terminal lead is {reference:4.2f}x this)")
    print(f"dutygraph lead --json (cache off)       {uncached * 1000:8.1f} ms  = {uncached / baseline:5.2f}x python -c pass")
    rounds = 50
    started = time.perf_counter()
    for _ in range(rounds):
        decisions = decide_all(dataset)
    each = (time.perf_counter() - started) / rounds
    print(f"load + validate the dataset             {load * 1000:8.1f} ms  (what the cache saves)")
    print(f"open the dataset from the cache         {cached * 1000:8.1f} ms  (in-process: verify every input, decode)")
    print(f"all {len(decisions)} decisions, one process        {each * 1000:8.2f} ms  (target < 5 ms)")


if __name__ == "__main__":
    main()
