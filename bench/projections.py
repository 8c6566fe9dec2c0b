"""Where the neo4j engine's directed GDS graph should come from: a measurement.

    .venv/bin/python -m bench.projections                  # 100k generated patents
    .venv/bin/python -m bench.projections --size 1000000

At the province and the city scale, the engine aggregates the collaborations in Cypher
(``collab/<scale>_edges``; it needs the edge list in Python anyway, for the tables), then projects
the directed networks of the four default periods. Three ways to project them, each timed over
``--repeats`` runs on the same loaded graph:

- **round trip** (what the engine does): the edge list it already holds is sent back as a
  parameter list to ``collab/project_arcs``;
- **from the patents**: one Cypher projection that aggregates the first-applicant rule over the
  patents again inside the projection query (``bench/project_<scale>_arcs_from_patents``);
- **from COLLABORATES**: a Cypher projection over the relationships :mod:`copatent.publish` wrote
  (``bench/project_arcs_from_collaborates``); this needs the write-back before the algorithms.

The time of each is the projection alone (the aggregation query, which every way needs for the
tables, is timed once on its own); the script checks that all three give the same node and
relationship counts. Prints a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from bench._instance import loaded_instance
from copatent import engines, publish
from copatent.analytics.periods import DEFAULT_PERIODS, Scale
from copatent.db import Database, unfold
from copatent.engines.neo4j import Neo4jEngine

BENCH_QUERIES = ("bench.cypher",)
SCALES: tuple[Scale, ...] = ("province", "city")


def _round_trip_arcs(db: Database, scale: str) -> tuple[float, list[list[Any]]]:
    """The engine's aggregation, and the arcs it sends back (ids: period offset + position)."""
    periods = [{"label": p.label, "start": p.start, "end": p.end} for p in DEFAULT_PERIODS]
    started = time.perf_counter()
    rows = unfold(db.run(f"collab/{scale}_edges", {"periods": periods}))
    seconds = time.perf_counter() - started
    arcs: list[list[Any]] = []
    offset = 0
    for j, period in enumerate(DEFAULT_PERIODS):
        part = rows[(rows["period"] == period.label) & rows["source"].notna()]
        part = part[part["target"].notna() & (part["source"] != part["target"])]
        keys = sorted(set(part["source"]) | set(part["target"]))
        position = {k: offset + i for i, k in enumerate(keys)}
        arcs += [
            [position[s], position[t], float(w), f"P{j}"]
            for s, t, w in zip(part["source"], part["target"], part["weight"], strict=True)
        ]
        offset += len(keys)
    return seconds, arcs


def _project(db: Database, query: str, params: dict[str, Any]) -> tuple[float, tuple[int, int]]:
    started = time.perf_counter()
    with db.projection(f"bench-{query.rsplit('/', 1)[-1]}", query, params) as graph:
        seconds = time.perf_counter() - started
        counts = (graph.node_count, graph.relationship_count)
    return seconds, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    indexed = [
        {"label": p.label, "start": p.start, "end": p.end, "index": j}
        for j, p in enumerate(DEFAULT_PERIODS)
    ]
    with (
        loaded_instance(args.size, seed=args.seed, name="projections") as local,
        Database(local.settings(), queries=BENCH_QUERIES) as db,
    ):
        result = engines.analyze(
            Neo4jEngine(db, restarts=1), scales=SCALES, periods=DEFAULT_PERIODS
        )
        publish.collaborations(db, result)  # what `copatent analyze` writes
        found = {scale: _measure(db, scale, indexed, args.repeats) for scale in SCALES}
    print(f"{args.size:,} generated patents, 4 periods; median and best of {args.repeats} runs")
    print("| scale | nodes | relationships | projection | median s | best s |")
    print("|---|---:|---:|---|---:|---:|")
    for scale, (nodes, relationships, times) in found.items():
        for name, spent in times.items():
            print(
                f"| {scale} | {nodes:,} | {relationships:,} | {name} | "
                f"{statistics.median(spent):.3f} | {min(spent):.3f} |"
            )


def _measure(
    db: Database, scale: str, indexed: list[dict[str, Any]], repeats: int
) -> tuple[int, int, dict[str, list[float]]]:
    ways: dict[str, tuple[str, dict[str, Any] | None]] = {
        "round trip (the engine's)": ("collab/project_arcs", None),
        "from the patents": (f"bench/project_{scale}_arcs_from_patents", {"periods": indexed}),
        "from COLLABORATES": (
            "bench/project_arcs_from_collaborates",
            {"periods": indexed, "scale": scale},
        ),
    }
    times: dict[str, list[float]] = {"(the aggregation query every way needs)": []}
    times |= {name: [] for name in ways}
    counts: dict[str, tuple[int, int]] = {}
    for _ in range(repeats):
        seconds, arcs = _round_trip_arcs(db, scale)
        times["(the aggregation query every way needs)"].append(seconds)
        for name, (query, params) in ways.items():
            spent, counted = _project(db, query, params or {"arcs": arcs})
            times[name].append(spent)
            counts[name] = counted
    if len(set(counts.values())) != 1:
        raise SystemExit(f"{scale}: the projections differ: {counts}")
    nodes, relationships = next(iter(counts.values()))
    return nodes, relationships, times


if __name__ == "__main__":
    main()
