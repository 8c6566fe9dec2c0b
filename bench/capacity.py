"""What one machine holds: the store's size per patent and GDS's memory per network, measured.

    .venv/bin/python -m bench.capacity                         # 100k and 1M generated patents
    .venv/bin/python -m bench.capacity --sizes 100000          # a quick run

For each size: the sample generator's incoPat CSV (seed 1) loaded with ``--bulk`` into a fresh
instance; then the database's size on disk (the store files and the transaction logs, which the
page cache holds when it is large enough), the node and relationship counts, and the applicant
scale's 2016–2020 network (applicants and arcs, from ``collab/applicant_edges``).

Then GDS's own memory estimates (``gds.graph.project.estimate`` and the algorithms' ``estimate``
modes on fictitious graphs) for applicant networks of 10^4 to 10^7 nodes with the arcs per node
measured above: the directed projection the engine builds (every arc twice: ARC and REVERSED,
with a weight), betweenness and Louvain (concurrency 1, as the engine runs them). GDS keeps
projections and algorithm state on the heap, so these say how large a heap a network needs.
Prints Markdown tables for bench/RESULTS.md; docs/beyond-one-machine.md uses them.
"""

from __future__ import annotations

import argparse
import os
import platform
from pathlib import Path
from typing import Any

from bench._instance import loaded_instance
from copatent.analytics.periods import DEFAULT_PERIODS
from copatent.db import Database, unfold

BENCH_QUERIES = ("bench.cypher",)
NETWORK_SIZES = (10_000, 100_000, 1_000_000, 10_000_000)


def _bytes_under(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f}"


def measure_store(size: int, seed: int) -> tuple[str, float]:
    """One table row for ``size`` generated patents, and the 2016–2020 arcs per applicant."""
    with loaded_instance(size, seed=seed, name=f"capacity-{size}") as local:
        with Database(local.settings(), queries=BENCH_QUERIES) as db:
            counts = db.run("bench/store_counts").iloc[0]
            last = DEFAULT_PERIODS[-1]
            period = {"label": last.label, "start": last.start, "end": last.end}
            edges = unfold(db.run("collab/applicant_edges", {"periods": [period]}))
        edges = edges[edges["source"].notna() & edges["target"].notna()]
        edges = edges[edges["source"] != edges["target"]]
        applicants = len(set(edges["source"]) | set(edges["target"]))
        arcs = len(edges)
        data = local.data_dir
        store = _bytes_under(data / "databases" / "neo4j")
        logs = _bytes_under(data / "transactions" / "neo4j")
    patents = int(counts["patents"])
    row = (
        f"| {size:,} | {patents:,} | {int(counts['nodes']):,} | {int(counts['relationships']):,} "
        f"| {_mb(store)} | {_mb(logs)} | {store / patents:,.0f} | {applicants:,} | {arcs:,} |"
    )
    return row, arcs / max(applicants, 1)


def _estimate(db: Database, name: str, params: dict[str, Any]) -> int:
    return int(db.run(name, params).iloc[0]["bytes_max"])


def measure_gds(seed: int, arcs_per_node: float) -> list[str]:
    """GDS's estimates for applicant networks of NETWORK_SIZES nodes (an empty instance)."""
    rows = []
    with (
        loaded_instance(1_000, seed=seed, name="capacity-gds") as local,
        Database(local.settings(), queries=BENCH_QUERIES) as db,
    ):
        for n in NETWORK_SIZES:
            m = round(n * arcs_per_node)
            params = {"nodes": n, "relationships": 2 * m}  # ARC and REVERSED
            project = _estimate(db, "bench/estimate_projection", params)
            betweenness = _estimate(db, "bench/estimate_betweenness", params)
            louvain = _estimate(db, "bench/estimate_louvain", params)  # each pair both ways
            rows.append(f"| {n:,} | {m:,} | {_mb(project)} | {_mb(betweenness)} | {_mb(louvain)} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    print(f"<!-- {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()} -->")
    print(
        "| generated | patents loaded | nodes | relationships | store MB | transaction logs MB "
        "| store bytes per patent | applicants 2016-2020 | arcs 2016-2020 |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratio = 0.0
    for size in args.sizes:
        row, ratio = measure_store(size, args.seed)
        print(row, flush=True)
    print()
    print(f"Arcs per applicant used below: {ratio:.2f} (the largest size's 2016-2020 network)")
    print()
    print("| applicants | arcs | directed projection MB | betweenness MB | Louvain MB |")
    print("|---:|---:|---:|---:|---:|")
    for row in measure_gds(args.seed, ratio):
        print(row, flush=True)


if __name__ == "__main__":
    main()
