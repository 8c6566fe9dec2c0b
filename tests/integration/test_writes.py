"""Whole writes on real file systems: a full disk and a read-only one, through the command line.

Each test mounts its own small tmpfs (the suite runs as root, as CI does); if ``mount`` is not
allowed the test fails and says so, it does not skip. A full disk is a tmpfs filled to the last
byte after a first, complete run; a read-only place is a tmpfs mounted ``ro``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from copatent import server
from copatent.db import Database
from copatent.sample import generator as sample
from tests.integration.conftest import run_cli


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"these tests mount a small tmpfs: {name} is not installed")
    return found


def mount_tmpfs(where: Path, options: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [tool("mount"), "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        pytest.fail(
            f"these tests need to mount a small tmpfs (run as root): mount said "
            f"{proc.stderr.strip() or proc.returncode}"
        )


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs, unmounted after the test."""
    where = tmp_path / "disk"
    mount_tmpfs(where, "size=1m")
    try:
        yield where
    finally:
        subprocess.run([tool("umount"), str(where)], check=True)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A read-only tmpfs (root can write through permission bits, not through ``ro``)."""
    where = tmp_path / "ro"
    mount_tmpfs(where, "ro,size=64k")
    try:
        yield where
    finally:
        subprocess.run([tool("umount"), str(where)], check=True)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "sample.csv"
    sample.write(sample.generate(1_500, seed=2), path)
    return path


def fill(disk: Path) -> None:
    """Write a filler file until the file system says it is full."""
    with (disk / "filler").open("wb", buffering=0) as handle:
        for size in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):  # ENOSPC: try a smaller piece
                while True:
                    handle.write(b"\0" * size)
    assert shutil.disk_usage(disk).free == 0


def copatent(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m copatent ARGS`` with no server (the memory engine, sample)."""
    return subprocess.run(
        [sys.executable, "-m", "copatent", *args],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def one_line_error(proc: subprocess.CompletedProcess[str], *parts: str) -> str:
    assert proc.returncode == 6, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("copatent: error: ")
    for part in parts:
        assert part in lines[0]
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry of ``folder``, hidden ones (a left-over temporary) included."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_analyze_on_a_full_disk_keeps_the_previous_set(export: Path, disk: Path) -> None:
    out = disk / "analysis"
    common = ["analyze", "--engine", "memory", "--input", str(export), "--scale", "province",
              "--scale", "city", "--restarts", "1", "--out", str(out)]  # fmt: skip
    first = copatent(*common)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    assert len(before) == 28  # table1, edge_tiers, per scale 4 periods x 3 tables + decay
    fill(disk)
    second = copatent(*common, "--classes", "3")  # other tiers: every file would change
    one_line_error(second, str(out), "no space left on device", f"{out} is unchanged")
    assert snapshot(out) == before  # the first run's complete set, byte for byte, and nothing else


def test_subgroups_on_a_full_disk_write_nothing(export: Path, disk: Path) -> None:
    fill(disk)
    out = disk / "subgroups"
    proc = copatent("subgroups", "--engine", "memory", "--input", str(export), "--restarts", "1",
                    "--out", str(out))  # fmt: skip
    one_line_error(proc, str(out), "no space left on device")
    assert snapshot(out) == {}


def test_sample_on_a_full_disk_leaves_no_file(disk: Path) -> None:
    fill(disk)
    for name in ("sample.xlsx", "sample.csv"):
        proc = copatent("sample", "--patents", "2000", "--out", str(disk / name))
        one_line_error(proc, str(disk), "no space left on device")
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # no 0-byte or partial file


def test_detect_into_a_read_only_folder_fails_before_the_work(read_only: Path) -> None:
    data = read_only.parent / "table.csv"
    data.write_text("y,x\n" + "".join(f"{i},{i % 3}\n" for i in range(30)), encoding="utf-8")
    proc = copatent("detect", "--data", str(data), "--y", "y", "--x", "x", "--out",
                    str(read_only / "gd"))  # fmt: skip
    one_line_error(proc, str(read_only / "gd"), "read-only file system")


def test_load_report_into_a_read_only_place_fails_before_loading(
    neo4j_server: server.LocalServer,
    fixture_db: Database,
    db: Database,
    export: Path,
    read_only: Path,
) -> None:
    assert int(db.run("graph/count_nodes").iloc[0]["nodes"]) == 0  # emptied by fixture_db
    report = read_only / "report.json"
    proc = run_cli(neo4j_server, "load", str(export), "--topic", "none", "--report", str(report))
    one_line_error(proc, str(report), "read-only file system")
    assert int(db.run("graph/count_nodes").iloc[0]["nodes"]) == 0  # checked before loading
    nested = read_only.parent / "new" / "deeper" / "report.json"  # folders created
    proc = run_cli(neo4j_server, "load", str(export), "--topic", "none", "--report", str(nested))
    assert proc.returncode == 0, proc.stderr
    with export.open(encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    body = json.loads(nested.read_text(encoding="utf-8"))
    assert body["funnel"][0] == {"step": "rows read", "count": rows, "removed": 0, "note": ""}
    assert int(db.run("graph/count_nodes").iloc[0]["nodes"]) > 0
    assert [p.name for p in nested.parent.iterdir()] == ["report.json"]
