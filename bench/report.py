"""What ``copatent report`` adds to ``copatent analyze``, on the demo sample, both engines.

Each command runs in its own process (start-up included, as a user runs it) on the default
sample (19,700 generated patents, seed 0; about 6,400 loaded): ``analyze`` at province and city
scale, then ``report`` (with the sample's statistics, so Table 5 is there) with and without the
figures, ``--force`` so that nothing is reused. The neo4j engine reads a fresh instance loaded
with ``--bulk``; the memory engine reads the CSV. Median of ``--repeats`` runs.
Run: ``python -m bench.report`` (``make bench`` runs it with the other benchmarks).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._instance import loaded_instance
from copatent.sample import DEFAULT_PATENTS
from copatent.sample import generator as sample
from copatent.sample import statistics as sample_statistics


def _time(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "copatent", *args],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _runs(
    engine: list[str], factors: list[str], out: Path, env: dict[str, str], repeats: int
) -> dict[str, float]:
    scales = ["--scale", "province", "--scale", "city"]
    commands = {
        "analyze": ["analyze", *engine, *scales, "--out", str(out / "analysis")],
        "report --no-figures": [
            "report", *engine, *factors, "--no-figures", "--force", "--out", str(out / "r1"),
        ],
        "report": ["report", *engine, *factors, "--force", "--out", str(out / "r2")],
    }  # fmt: skip
    return {
        name: statistics.median(_time(cmd, env) for _ in range(repeats))
        for name, cmd in commands.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="copatent-bench-report-") as tmp:
        work = Path(tmp)
        export = sample.write(sample.generate(DEFAULT_PATENTS, seed=0), work / "sample.csv")
        stats = sample_statistics.write_beside(export, seed=0)
        factors = ["--factors", str(stats["province"]), "--factors", str(stats["city"])]
        env = dict(os.environ)
        results["memory"] = _runs(
            ["--engine", "memory", "--input", str(export)], factors, work / "memory", env,
            args.repeats,
        )  # fmt: skip
        with loaded_instance(DEFAULT_PATENTS, seed=0, name="report") as local:
            settings = local.settings()
            env |= {"NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password}
            results["neo4j"] = _runs([], factors, work / "neo4j", env, args.repeats)
    print(f"demo sample ({DEFAULT_PATENTS:,} generated patents), province + city, four periods; "
          f"median of {args.repeats} runs, seconds")  # fmt: skip
    print("| engine | analyze | report --no-figures | report | report − analyze |")
    print("|---|---:|---:|---:|---:|")
    for engine, times in results.items():
        print(
            f"| {engine} | {times['analyze']:.1f} | {times['report --no-figures']:.1f} | "
            f"{times['report']:.1f} | {times['report'] - times['analyze']:.1f} |"
        )


if __name__ == "__main__":
    main()
