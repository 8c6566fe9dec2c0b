"""How close the sampled betweenness of each engine comes to the exact values, and to each other.

    .venv/bin/python -m bench.betweenness                        # 100k and 300k generated patents
    .venv/bin/python -m bench.betweenness --sizes 100000 --sources 500 2000

For each size: generate an incoPat CSV (seed 1), load it with ``--bulk`` into a fresh server
instance, and build the applicant network of each default period. The exact betweenness is
igraph's (the integration tests hold GDS's exact values to igraph's within 1e-9). For each
``--sources`` k smaller than the network: the memory engine's estimate (k sources drawn uniformly
with the analysis seed, :mod:`copatent.analytics.centrality`) and the neo4j engine's (GDS
``samplingSize`` k and ``samplingSeed``: GDS draws its own sources, more likely of high degree),
both scaled by n/k. Per estimate, against the exact values: the ratio of the totals, Spearman's
rank correlation over all nodes, how many of the exact top 10 are in the estimate's top 10, and
the largest relative error over the exact top 20; and the same between the two engines.
Prints Markdown tables for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from copatent import server
from copatent.analytics import centrality
from copatent.analytics.defaults import DEFAULT_SEED
from copatent.analytics.periods import DEFAULT_PERIODS
from copatent.db import Database
from copatent.engines.memory import MemoryEngine
from copatent.engines.neo4j import Neo4jEngine
from copatent.loader import bulk, pipeline, writer
from copatent.sample import generator as sample

TOP: tuple[int, int] = (10, 20)
"""The top-10 overlap and the top-20 relative error."""


def compare(estimate: np.ndarray, truth: np.ndarray) -> str:
    """``total ratio, Spearman, top-10 overlap, max relative error over the top 20`` of truth."""
    ratio = estimate.sum() / truth.sum()
    spearman = pd.Series(estimate).rank().corr(pd.Series(truth).rank())
    top10 = len(set(np.argsort(-truth)[: TOP[0]]) & set(np.argsort(-estimate)[: TOP[0]]))
    top20 = np.argsort(-truth)[: TOP[1]]
    worst = np.max(np.abs(estimate[top20] - truth[top20]) / truth[top20])
    return f"{ratio:.3f} | {spearman:.4f} | {top10}/10 | {100 * worst:.1f} %"


def bench_size(size: int, sources: list[int], seed: int, workdir: Path) -> list[str]:
    csv_file = workdir / f"sample-{size}.csv"
    sample.write(sample.generate(size, seed=seed), csv_file)
    prepared = pipeline.prepare_files([csv_file], keywords=pipeline.default_keywords())
    local = server.LocalServer(
        server.default_installation(),
        Path(tempfile.mkdtemp(prefix="betweenness-", dir=workdir)),
        memory=server.Memory("1g", "4g", "2g"),
    )
    local.start(bolt_port=server.free_port(), http_port=server.free_port())
    rows = []
    try:
        bulk.bulk_write(local, prepared, key=writer.load_key([csv_file], {"bench": "betweenness"}))
        graphs = MemoryEngine(prepared, restarts=1, betweenness_sources=None).period_graphs(
            "applicant", DEFAULT_PERIODS
        )
        for k in sources:
            with Database(local.settings()) as db:
                neo = Neo4jEngine(db, restarts=1, betweenness_sources=k).period_graphs(
                    "applicant", DEFAULT_PERIODS
                )
            for graph, n_graph in zip(graphs, neo, strict=True):
                n = len(graph.nodes)
                if n <= k:
                    continue
                g = graph.network.graph
                started = time.perf_counter()
                truth = centrality.betweenness(g)
                exact_s = time.perf_counter() - started
                picked = centrality.sample_sources(n, DEFAULT_SEED, k)
                started = time.perf_counter()
                mem = centrality.betweenness(g, picked)
                mem_s = time.perf_counter() - started
                assert n_graph.betweenness_sources == k
                assert n_graph.measures["node"].tolist() == graph.measures["node"].tolist()
                gds = n_graph.measures["betweenness"].to_numpy()
                rows.append(
                    f"| {size:,} | {graph.label} | {n:,} | {len(graph.edges):,} | {k:,} | "
                    f"{exact_s:.1f} | {mem_s:.1f} | {compare(mem, truth)} | "
                    f"{compare(gds, truth)} | {compare(gds, mem)} |"
                )
                print(rows[-1], flush=True)
    finally:
        local.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000])
    parser.add_argument("--sources", type=int, nargs="+", default=[2000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    server.install()
    columns = "total ratio | Spearman | top 10 | top-20 max error"
    print(
        f"| generated | period | applicants | arcs | k | exact s | memory s | memory vs exact: "
        f"{columns} | neo4j vs exact: {columns} | neo4j vs memory: {columns} |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|" + "---:|" * 12)
    with tempfile.TemporaryDirectory(prefix="betweenness-") as workdir:
        for size in args.sizes:
            bench_size(size, args.sources, args.seed, Path(workdir))


if __name__ == "__main__":
    main()
