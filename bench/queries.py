"""Where the neo4j engine spends its time: seconds per named query, for one scale.

    .venv/bin/python -m bench.queries                        # 100k generated patents, applicant
    .venv/bin/python -m bench.queries --size 20000 --scale city

Generates an incoPat CSV (seed 1), loads it with ``--bulk`` into a fresh server instance, then
runs :meth:`copatent.engines.neo4j.Neo4jEngine.period_graphs` for the four default
periods twice (the first run pays the JIT warm-up), timing every named query it runs. The
algorithm queries run two sessions at a time, so their sums can exceed the wall-clock total.
Prints a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import collections
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from bench._instance import loaded_instance
from copatent.analytics.periods import DEFAULT_PERIODS, Scale
from copatent.db import Database
from copatent.engines.neo4j import Neo4jEngine


@contextmanager
def timed_queries() -> Iterator[dict[str, float]]:
    """Seconds spent in each named query run through :meth:`Database.run` meanwhile."""
    spent: dict[str, float] = collections.defaultdict(float)
    original = Database.run

    def run(
        self: Database, name: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> Any:
        started = time.perf_counter()
        try:
            return original(self, name, params, write=write)
        finally:
            spent[name] += time.perf_counter() - started

    Database.run = run  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        Database.run = original  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--scale", choices=["province", "city", "applicant"], default="applicant")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scale: Scale = args.scale
    with loaded_instance(args.size, seed=args.seed, name="queries") as local:
        runs: list[tuple[float, dict[str, float]]] = []
        for _ in ("first", "second"):
            with timed_queries() as spent, Database(local.settings()) as db:
                started = time.perf_counter()
                Neo4jEngine(db).period_graphs(scale, DEFAULT_PERIODS)
                runs.append((time.perf_counter() - started, dict(spent)))
    print(f"{args.size:,} generated patents, {scale} scale, 4 periods, neo4j engine")
    print("| query | 1st run s | 2nd run s |")
    print("|---|---:|---:|")
    (first_total, first), (second_total, second) = runs
    for name in sorted(second, key=lambda n: -second[n]):
        print(f"| `{name}` | {first.get(name, 0):.1f} | {second[name]:.1f} |")
    print(f"| wall clock | {first_total:.1f} | {second_total:.1f} |")


if __name__ == "__main__":
    main()
