"""How close the estimated path lengths and the swept diameters come to the exact values.

    .venv/bin/python -m bench.paths                         # 100k and 300k generated patents
    .venv/bin/python -m bench.paths --sizes 100000 --sources 250 1000

For each size: generate an incoPat CSV (seed 1), read and clean it (the memory engine's tables;
no server: both engines estimate from the same sampled sources and sweep the same nodes, and the
integration tests hold them to the same numbers), build the applicant network of each default
period, then compute the exact average path length and diameter with igraph and the estimates of
:mod:`copatent.analytics.paths`: the mean from k seeded sources for each ``--sources`` k, and the
diameter's lower bound from its sweeps. Prints a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from copatent.analytics import paths
from copatent.analytics.collab import collaborations, period_network
from copatent.analytics.network import Network
from copatent.analytics.periods import DEFAULT_PERIODS
from copatent.engines.base import sorted_edges
from copatent.loader import pipeline
from copatent.sample import generator as sample


def _estimate(net: Network, k: int, seed: int) -> tuple[float, float]:
    """The mean from ``k`` sampled sources, and the seconds it took."""
    started = time.perf_counter()
    # the engines' draw (paths.sample_sources), whatever the network's size
    sources = np.sort(np.random.default_rng(seed).choice(net.n, size=k, replace=False))
    mean = paths.sampled_mean(net.graph, sources)
    return mean, time.perf_counter() - started


def bench_size(size: int, sources: list[int], seed: int, workdir: Path) -> list[str]:
    csv_file = workdir / f"sample-{size}.csv"
    sample.write(sample.generate(size, seed=seed), csv_file)
    prepared = pipeline.prepare_files([csv_file], keywords=pipeline.default_keywords())
    pairs = collaborations(prepared.applied, prepared.patents, prepared.applicants)
    rows = []
    for period in DEFAULT_PERIODS:
        edges = sorted_edges(period_network(pairs, scale="applicant", period=period).edges)
        net = Network.from_edges(edges)
        if net.m == 0:
            continue
        g = net.graph
        started = time.perf_counter()
        exact = float(g.average_path_length(directed=True, unconn=True))
        exact_s = time.perf_counter() - started
        started = time.perf_counter()
        diameter = int(g.diameter(directed=True, unconn=True))
        diameter_s = time.perf_counter() - started
        started = time.perf_counter()
        start = paths.start_node(np.asarray(g.outdegree()), np.asarray(g.indegree()), net.nodes)
        bound = paths.sweep(paths._igraph_bfs(g), start, net.nodes)
        bound_s = time.perf_counter() - started
        estimates = []
        for k in sources:
            if k >= net.n:
                estimates.append(f"k={k}: all")
                continue
            mean, spent = _estimate(net, k, seed=42)
            error = 100 * (mean - exact) / exact
            estimates.append(f"k={k}: {mean:.4f} ({error:+.2f} %, {spent:.1f} s)")
        rows.append(
            f"| {size:,} | {period[0]}-{period[1]} | {net.n:,} | {net.m:,} | {exact:.4f} "
            f"({exact_s:.1f} s) | {'; '.join(estimates)} | {diameter} ({diameter_s:.1f} s) | "
            f"{bound} ({bound_s:.2f} s) |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000])
    parser.add_argument("--sources", type=int, nargs="+", default=[250, 1000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        "| generated | period | applicants | arcs | exact mean path length | estimated | "
        "exact diameter | swept lower bound |"
    )
    print("|---:|---|---:|---:|---:|---|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="paths-") as workdir:
        for size in args.sizes:
            for row in bench_size(size, args.sources, args.seed, Path(workdir)):
                print(row, flush=True)


if __name__ == "__main__":
    main()
