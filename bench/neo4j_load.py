"""Neo4j load throughput on the synthetic national dataset, against a naive loader measured in the same run.

    python bench/neo4j_load.py [--cities 600] [--naive-rows 3000] [--uri bolt://…]

Without --uri it starts the embedded test server (tests/neo4j_harness.py; needs Java and the jars from
scripts/test-services.sh). The batched loader (UNWIND $rows … MERGE, 2,000 rows per transaction) loads the whole
dataset; the naive loader sends one MERGE statement per row, each in its own transaction, on the first
--naive-rows rows only (all of them would take a long time); both are reported in rows per second. Target: the
batched loader at least 20x the naive one.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from itertools import islice
from pathlib import Path

from bench.synth import generate
from dutygraph.neo4j_store import Neo4jStore, cypher_file, node_batches, relationship_batches


def naive_load(store: Neo4jStore, dataset_rows: list[tuple[str, dict[str, object]]]) -> float:
    texts = {name: cypher_file(name) for name, _ in dataset_rows}
    started = time.perf_counter()
    with store._session() as session:
        for name, row in dataset_rows:
            session.execute_write(lambda tx, t=texts[name], r=row: tx.run(t, rows=[r], load="naive").consume())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cities", type=int, default=600)
    parser.add_argument("--naive-rows", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--uri")
    args = parser.parse_args()
    dataset = generate(args.cities)
    process = None
    with tempfile.TemporaryDirectory() as home:
        uri = args.uri
        if uri is None:
            from tests import neo4j_harness

            process, uri = neo4j_harness.start(Path(home))
        try:
            with Neo4jStore(uri) as store:
                store.wipe(dataset.info.id)
                store.apply_schema()
                plan = [*node_batches(dataset, 1), *relationship_batches(dataset, 1)]
                rows = [(name, chunk[0]) for _, name, chunk in islice(plan, args.naive_rows)]
                naive = naive_load(store, rows)
                naive_rate = len(rows) / naive
                store.wipe(dataset.info.id)
                started = time.perf_counter()
                report = store.load(dataset, batch_size=args.batch_size)
                batched = time.perf_counter() - started
                total = sum(report.nodes.values()) + sum(report.relationships.values())
                batched_rate = total / batched
                started = time.perf_counter()
                store.load(dataset, batch_size=args.batch_size)
                reload = time.perf_counter() - started
                store.wipe(dataset.info.id)
        finally:
            if process is not None:
                neo4j_harness.stop(process)
    nodes = sum(report.nodes.values())
    print(f"synthetic dataset: {args.cities} cities, {nodes:,} nodes, {total - nodes:,} relationships")
    print(f"naive loader   {naive_rate:10,.0f} rows/s  (one statement and transaction per row; first {len(rows):,} rows)")
    print(f"batched loader {batched_rate:10,.0f} rows/s  ({total:,} rows in {batched:.1f} s, {report.batches} batches)")
    print(f"ratio          {batched_rate / naive_rate:10.1f}x  (target >= 20x)")
    print(f"re-load (idempotent MERGE of the same rows): {reload:.1f} s")


if __name__ == "__main__":
    main()
