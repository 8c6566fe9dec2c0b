"""Loader benchmark: UNWIND batches vs --bulk vs a naive one-patent-per-transaction MERGE loader.

    .venv/bin/python -m bench.load                      # 100k and 1M generated patents
    .venv/bin/python -m bench.load --sizes 20000        # a quick run
    .venv/bin/python -m bench.load --sizes 10000000 --paths unwind bulk

The loader reads the export in chunks of ``--chunk-rows`` rows (its default, 200,000;
``--chunk-rows 0`` reads each file whole, as copatent did before chunked loading).

For each size: generate an incoPat CSV with the sample generator, then, each path in its own
process on its own empty server instance, read + prepare + write it, and report patents/s of the
write, the whole time, and the loader process's peak RSS after the prepare and at the end (the
server's memory is not counted; on Linux the peak is VmHWM, reset when the child starts, since
``ru_maxrss`` would include the parent's memory at the fork).
Beyond the generator's largest export (5M patents) the CSV is written in pieces of 1M generated
patents, each from its own seed, their publication numbers made distinct by a piece number
(``CN`` becomes ``C1``, ``C2``, ...), one piece in memory at a time.
The naive baseline writes only its first ``--naive-patents`` patents (it would take hours at 1M)
and its rate is compared with the others.
Results are printed as a Markdown table to paste into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from copatent import files, server
from copatent.db import Database
from copatent.loader import bulk, pipeline, writer
from copatent.loader.options import DEFAULT_CHUNK_ROWS
from copatent.sample import generator as sample

BENCH_QUERIES = ("bench.cypher",)


PIECE = 1_000_000
"""Patents generated at a time for the CSV of a size beyond one piece."""


def write_sample(size: int, csv_file: Path, seed: int) -> None:
    """The generated export of ``size`` patents as one CSV (in pieces beyond :data:`PIECE`)."""
    if size <= PIECE:
        sample.write(sample.generate(size, seed=seed), csv_file)
        return
    with csv_file.open("w", encoding="utf-8-sig", newline="") as handle:
        for piece, start in enumerate(range(0, size, PIECE)):
            frame = sample.generate(min(PIECE, size - start), seed=seed + piece)
            if piece:
                pub_no = "公开（公告）号"
                frame[pub_no] = frame[pub_no].str.replace("CN", f"C{piece}", n=1, regex=False)
            files.safe_cells(frame).to_csv(
                handle, header=not piece, index=False, lineterminator="\n"
            )
            del frame


_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _reset_peak() -> None:
    """Start this process's peak RSS again from its current RSS (Linux).

    A child's ``ru_maxrss`` counts the memory its parent had when it forked the child (Linux
    keeps the peak across ``exec``): the parent holds the generated export, so without this
    every child reported the parent's RSS at that moment as its own peak.
    """
    if _CLEAR_REFS.exists():
        _CLEAR_REFS.write_text("5")


def _peak_mb() -> int:
    """This process's peak RSS since :func:`_reset_peak`, in MB (not the server's)."""
    if _STATUS.exists():
        peak = re.search(r"VmHWM:\s+(\d+) kB", _STATUS.read_text())
        if peak is not None:
            return round(int(peak.group(1)) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def run_one(
    path: str, csv_file: Path, naive_patents: int, instance: Path, chunk_rows: int | None
) -> dict[str, object]:
    """One path, in this process, on a fresh instance; returns its figures."""
    _reset_peak()
    local = server.LocalServer(
        server.default_installation(), instance, memory=server.Memory("1g", "4g", "2g")
    )
    local.start(bolt_port=server.free_port(), http_port=server.free_port())
    try:
        t0 = time.perf_counter()
        prepared = pipeline.prepare_files(
            [csv_file], keywords=pipeline.default_keywords(), chunk_rows=chunk_rows
        )
        t1 = time.perf_counter()
        prepare_peak = _peak_mb()
        patents = prepared.patent_count
        key = writer.load_key([csv_file], {"bench": path})
        if path == "unwind":
            with Database(local.settings()) as db:
                writer.write(db, prepared, key=key)
        elif path == "bulk":
            bulk.bulk_write(local, prepared, key=key)
        else:
            patents = min(patents, naive_patents)
            with Database(local.settings(), queries=BENCH_QUERIES) as db:
                db.apply_schema()
                db.run(
                    "load/merge_regions",
                    {"provinces": writer._records(prepared.provinces),
                     "cities": writer._records(prepared.cities)},
                    write=True,
                )  # fmt: skip
                first = prepared.patents.iloc[:patents]
                applied = prepared.applied[prepared.applied["pub_no"].isin(first["pub_no"])]
                applied = applied.merge(prepared.applicants, on="name")
                by_patent = dict(tuple(applied.groupby("pub_no")))
                for patent in writer._records(first):
                    rows = writer._records(by_patent[str(patent["pub_no"])])
                    db.run(
                        "bench/naive_merge_patent",
                        {"patent": patent, "applicants": rows},
                        write=True,
                    )
        t2 = time.perf_counter()
        prepared.close()
        with Database(local.settings()) as db:
            written = db.run("graph/count_by_label")
        nodes = int(written.loc[written["kind"] == "node", "count"].sum())
        return {
            "path": path,
            "patents": patents,
            "prepare_s": round(t1 - t0, 2),
            "write_s": round(t2 - t1, 2),
            "patents_per_s": round(patents / (t2 - t1), 1),
            "nodes": nodes,
            # this process only: the Neo4j server it started is not counted
            "prepare_peak_rss_mb": prepare_peak,
            "peak_rss_mb": _peak_mb(),
        }
    finally:
        local.stop()


def measure(
    path: str, csv_file: Path, naive_patents: int, workdir: Path, chunk_rows: int
) -> dict[str, object]:
    """Run one path in a child process (a fresh interpreter, so peak RSS is its own)."""
    instance = Path(tempfile.mkdtemp(prefix=f"{path}-", dir=workdir))
    cmd = [sys.executable, "-m", "bench.load", "--one", path, "--csv", str(csv_file),
           "--naive-patents", str(naive_patents), "--instance", str(instance),
           "--chunk-rows", str(chunk_rows)]  # fmt: skip
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"{path} failed with exit code {proc.returncode}")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--paths", nargs="+", default=["naive", "unwind", "bulk"])
    parser.add_argument("--naive-patents", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS, help="0: each file read whole"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--instance", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        chunk_rows = args.chunk_rows or None
        print(
            json.dumps(run_one(args.one, args.csv, args.naive_patents, args.instance, chunk_rows))
        )
        return
    server.install()
    print(f"# {time.strftime('%Y-%m-%d')} on {platform.node()}: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, Neo4j {server.NEO4J_VERSION}")  # fmt: skip
    chunks = f"chunks of {args.chunk_rows:,} rows" if args.chunk_rows else "files read whole"
    print(f"<!-- the loader reads {chunks} -->")
    print(
        "| generated | path | patents written | prepare s | write s | patents/s | "
        "prepare peak RSS MB | peak RSS MB |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="copatent-bench-") as tmp:
        workdir = Path(tmp)
        for size in args.sizes:
            csv_file = workdir / f"sample-{size}.csv"
            t = time.perf_counter()
            write_sample(size, csv_file, args.seed)
            print(f"<!-- generated {size} rows in {time.perf_counter() - t:.1f} s -->", flush=True)
            for path in args.paths:
                r = measure(path, csv_file, args.naive_patents, workdir, args.chunk_rows)
                print(f"| {size:,} | {r['path']} | {r['patents']:,} | {r['prepare_s']} | "
                      f"{r['write_s']} | {r['patents_per_s']:,} | {r['prepare_peak_rss_mb']} | "
                      f"{r['peak_rss_mb']} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
