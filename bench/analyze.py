"""Analysis benchmark: the neo4j engine (Cypher + GDS) and the memory engine (pandas + igraph).

    .venv/bin/python -m bench.analyze                          # 100k and 1M generated patents
    .venv/bin/python -m bench.analyze --sizes 20000            # a quick run
    .venv/bin/python -m bench.analyze --sizes 1000000 --applicant-max 1000000 --jobs applicant

For each size: generate an incoPat CSV with the sample generator (seed 1), load it with
``--bulk`` into a fresh server instance (not timed here: bench/load.py measures loading), then
run ``copatent analyze``'s work (:func:`copatent.engines.analyze`) for all four default
periods at the province and city scales with each engine, side by side, then the same with Leiden
added (``leiden=True``, what ``copatent subgroups`` asks for), and at the applicant scale for
sizes up to ``--applicant-max`` (``--jobs`` picks among the three). The neo4j engine runs
twice: the first run after the server's start pays the JVM's warm-up (GDS Louvain alone takes
about twice as long), the second is what a long-running server gives. The memory engine has
no database to read from, so its end-to-end time includes reading and cleaning the CSV; its
analysis-only time is shown too.
Results are printed as a Markdown table to paste into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from copatent import engines, publish, server
from copatent.analytics.analysis import Analysis
from copatent.analytics.periods import DEFAULT_PERIODS, Scale
from copatent.db import Database
from copatent.engines.memory import MemoryEngine
from copatent.engines.neo4j import Neo4jEngine
from copatent.loader import bulk, pipeline, writer
from copatent.sample import generator as sample

JOBS = ("regional", "leiden", "applicant")
"""What runs: the province and city scales, the same with Leiden, the applicant scale."""


def _nodes_edges(result: Analysis) -> str:
    """Nodes/edges of the last period at each scale, e.g. ``31/533, 271/1342``."""
    last = result.periods[-1]
    parts = []
    for scale in result.scales:
        t = result.tables[(scale, f"{last[0]}-{last[1]}")]
        parts.append(f"{t.indicators.nodes:,}/{t.indicators.edges:,}")
    return ", ".join(parts)


def bench_size(
    size: int, seed: int, applicant_max: int, workdir: Path, jobs: tuple[str, ...] = JOBS
) -> list[str]:
    csv_file = workdir / f"sample-{size}.csv"
    t = time.perf_counter()
    sample.write(sample.generate(size, seed=seed), csv_file)
    generated = time.perf_counter() - t
    rows = [f"<!-- {size:,} rows generated in {generated:.1f} s -->"]
    local = server.LocalServer(
        server.default_installation(),
        Path(tempfile.mkdtemp(prefix="analyze-", dir=workdir)),
        memory=server.Memory("1g", "4g", "2g"),
    )
    local.start(bolt_port=server.free_port(), http_port=server.free_port())
    try:
        prepared = pipeline.prepare_files([csv_file], keywords=pipeline.default_keywords())
        bulk.bulk_write(local, prepared, key=writer.load_key([csv_file], {"bench": "analyze"}))
        patents = len(prepared.patents)
        del prepared
        regional: tuple[Scale, ...] = ("province", "city")
        runs: list[tuple[str, tuple[Scale, ...], bool]] = []
        if "regional" in jobs:
            runs.append(("province + city", regional, False))
        if "leiden" in jobs:
            runs.append(("province + city, with Leiden", regional, True))
        if "applicant" in jobs and size <= applicant_max:
            runs.append(("applicant", ("applicant",), False))
        for label, scales, leiden in runs:
            neo_s = []
            for _ in ("first", "second"):  # the first run after the start pays the JIT warm-up
                with Database(local.settings()) as db:
                    t0 = time.perf_counter()
                    neo = engines.analyze(
                        Neo4jEngine(db, leiden=leiden), scales=scales, periods=DEFAULT_PERIODS
                    )
                    publish.collaborations(db, neo)  # as `copatent analyze` does
                    neo_s.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            engine = MemoryEngine(
                pipeline.prepare_files([csv_file], keywords=pipeline.default_keywords()),
                leiden=leiden,
            )
            t1 = time.perf_counter()
            mem = engines.analyze(engine, scales=scales, periods=DEFAULT_PERIODS)
            t2 = time.perf_counter()
            if _nodes_edges(mem) != _nodes_edges(neo):
                raise SystemExit(f"the engines disagree: {_nodes_edges(neo)} / {_nodes_edges(mem)}")
            sampled = {t.graph.betweenness_sources for t in neo} - {None}
            note = f"betweenness sampled ({min(sampled)} sources)" if sampled else ""
            rows.append(
                f"| {size:,} | {patents:,} | {label} | {_nodes_edges(neo)} | {neo_s[0]:.1f} | "
                f"{neo_s[1]:.1f} | {t2 - t0:.1f} | {t2 - t1:.1f} | "
                f"{neo_s[0] / (t2 - t0):.2f} | {neo_s[1] / (t2 - t0):.2f} | {note} |"
            )
            print(rows[-1], flush=True)
    finally:
        local.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--applicant-max", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", nargs="+", choices=JOBS, default=list(JOBS))
    args = parser.parse_args()
    server.install()
    print(f"# {time.strftime('%Y-%m-%d')} on {platform.node()}: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, Neo4j {server.NEO4J_VERSION}")  # fmt: skip
    print("| generated | patents loaded | scales | nodes/edges 2016-2020 | neo4j s, 1st run | "
          "neo4j s, 2nd run | memory s (with reading) | memory s (analysis only) | "
          "neo4j / memory, 1st | neo4j / memory, 2nd | note |")  # fmt: skip
    print("|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|", flush=True)
    with tempfile.TemporaryDirectory(prefix="copatent-bench-") as tmp:
        for size in args.sizes:
            rows = bench_size(size, args.seed, args.applicant_max, Path(tmp), tuple(args.jobs))
            for row in rows:
                if row.startswith("<!--"):
                    print(row, flush=True)


if __name__ == "__main__":
    main()
