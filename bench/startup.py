"""Start-up of the command line: ``copatent --help`` beside ``python -c "import typer"``.

Each command runs ``--runs`` times in a fresh process; the table gives the median and the best wall
time, the peak resident memory (each run measured in its own wrapper process), and which of the
heavy libraries ``python -X importtime`` shows being imported (none should be, for ``--help``).
Run: ``python -m bench.startup`` (``make bench`` runs it with the other benchmarks).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

HEAVY = ("pandas", "numpy", "scipy", "igraph", "pyarrow", "openpyxl", "xlrd", "neo4j",
         "graphdatascience")  # fmt: skip

COMMANDS = {
    'python -c "import typer"': [sys.executable, "-c", "import typer"],
    "copatent --help": [sys.executable, "-m", "copatent", "--help"],
    "copatent analyze --help": [sys.executable, "-m", "copatent", "analyze", "--help"],
    "copatent detect --help": [sys.executable, "-m", "copatent", "detect", "--help"],
}

_PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
    "check=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _peak_mb(cmd: list[str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip()) / 1024


def _heavy(cmd: list[str]) -> list[str]:
    out = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True, text=True, check=True
    )
    found = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines()}
    return [name for name in HEAVY if name in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    print("| command | median s | best s | peak RSS MB | heavy imports |")
    print("|---|---:|---:|---:|---|")
    for name, cmd in COMMANDS.items():
        _wall(cmd)  # warm the file cache
        times = [_wall(cmd) for _ in range(runs)]
        heavy = ", ".join(_heavy(cmd)) or "none"
        print(
            f"| `{name}` | {statistics.median(times):.3f} | {min(times):.3f} | "
            f"{_peak_mb(cmd):.0f} | {heavy} |"
        )


if __name__ == "__main__":
    main()
