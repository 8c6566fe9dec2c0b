"""``copatent run`` with the memory engine: runs recorded, skipped, failed, killed, locked.

The neo4j engine's runs (loading, provenance, the (:Run) node) are tested against the real server
in tests/integration/test_run.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from copatent.runs import lock
from copatent.sample import generator as sample
from copatent.sample import statistics as sample_statistics

STUDY = """
[inputs]
paths = ["exports/"]
[analysis]
scales = ["province", "city"]
periods = ["2011-2015", "2016-2020"]
engine = "memory"
restarts = 2
[detector]
statistics = {{ province = "{province}", city = "{city}" }}
[report]
figures = false
[output]
dir = "runs"
"""


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("study")
    (folder / "exports").mkdir()
    export = sample.write(sample.generate(1_500, seed=3), folder / "exports" / "sample.csv")
    stats = sample_statistics.write_beside(export, seed=3)
    (folder / "statistics").mkdir()
    moved = {}
    for scale, path in stats.items():
        moved[scale] = path.rename(folder / "statistics" / path.name)
    for extra in (folder / "exports").glob("*.txt"):
        extra.unlink()
    path = folder / "study.toml"
    path.write_text(
        STUDY.format(
            province=moved["province"].relative_to(folder), city=moved["city"].relative_to(folder)
        ),
        encoding="utf-8",
    )
    return path


def _run(study: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "copatent", "run", str(study), *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def _record(study: Path, run_id: int) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (study.parent / "runs" / str(run_id) / "run.json").read_text(encoding="utf-8")
    )
    return data


def _tree(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_a_run_then_an_unchanged_run_is_skipped_and_force_runs_again(study: Path) -> None:
    first = _run(study)
    assert first.returncode == 0, first.stderr
    runs = study.parent / "runs"
    record = _record(study, 1)
    assert record["status"] == "succeeded"
    assert record["engine"] == "memory"
    assert [i["path"] for i in record["inputs"]] == [  # type: ignore[attr-defined]
        str(study.parent / "exports" / "sample.csv")
    ]
    assert len(record["inputs"][0]["sha256"]) == 64  # type: ignore[index]
    assert record["parameters"]["analysis"]["periods"] == ["2011-2015", "2016-2020"]  # type: ignore[index]
    headline = record["headline"]
    assert {(h["scale"], h["period"]) for h in headline} == {  # type: ignore[attr-defined]
        (s, p) for s in ("province", "city") for p in ("2011-2015", "2016-2020")
    }
    for name in ("report.html", "report.json", "analysis/table1.csv", "detect", "subgroups"):
        assert (runs / "1" / name).exists(), name
    assert not [p.name for p in runs.iterdir() if p.name.startswith(".") and p.name != ".lock"]

    again = _run(study, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["status"] == "skipped"
    assert _record(study, 2)["same_as"] == 1
    assert sorted(p.name for p in (runs / "2").iterdir()) == ["run.json"]

    forced = _run(study, "--force")
    assert forced.returncode == 0, forced.stderr
    assert _record(study, 3)["status"] == "succeeded"
    # the same inputs and parameters give the same tables
    assert (runs / "1" / "analysis" / "table1.csv").read_bytes() == (
        runs / "3" / "analysis" / "table1.csv"
    ).read_bytes()


def test_a_failed_run_keeps_its_record_only_and_touches_no_earlier_run(study: Path) -> None:
    runs = study.parent / "runs"
    if not (runs / "1").exists():
        assert _run(study).returncode == 0
    before = _tree(runs / "1")
    broken = study.with_name("broken.toml")
    statistics = study.parent / "statistics" / "broken.csv"
    statistics.write_text("region,gdp\n北京市,not a number\n", encoding="utf-8")
    # simpler and explicit: the same study with a statistics file the detector refuses
    good = study.read_text(encoding="utf-8")
    start = good.index("statistics = {")
    end = good.index("}", start) + 1
    city = good[start:end].split("city = ")[1].rstrip(" }")
    broken.write_text(
        good[:start]
        + f'statistics = {{ province = "statistics/broken.csv", city = {city} }}'
        + good[end:],
        encoding="utf-8",
    )
    proc = _run(broken)
    assert proc.returncode != 0
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "broken.csv" in proc.stderr
    failed = max(int(p.name) for p in runs.iterdir() if p.name.isdigit())
    record = _record(study, failed)
    assert record["status"] == "failed"
    assert "broken.csv" in str(record["error"])
    assert sorted(p.name for p in (runs / str(failed)).iterdir()) == ["run.json"]
    assert not [p.name for p in runs.iterdir() if p.name.startswith(".") and p.name != ".lock"]
    assert _tree(runs / "1") == before


def test_a_killed_run_is_recorded_as_failed_by_the_next_one(study: Path) -> None:
    runs = study.parent / "runs"
    if not (runs / "1").exists():
        assert _run(study).returncode == 0
    before = _tree(runs / "1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "copatent", "run", str(study), "--force"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(runs.glob(".*.running")):
        time.sleep(0.05)  # until the report writes into the run's working folder
    assert list(runs.glob(".*.running")), "the run never started writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    killed = int(next(runs.glob(".*.json")).name.split(".")[1])
    after = _run(study, "--force")
    assert after.returncode == 0, after.stderr
    assert f"run {killed} had stopped without ending: recorded as failed" in after.stdout
    assert _record(study, killed)["status"] == "failed"
    assert _record(study, killed + 1)["status"] == "succeeded"
    assert not [p.name for p in runs.iterdir() if p.name.startswith(".") and p.name != ".lock"]
    assert _tree(runs / "1") == before


def test_a_second_run_refuses_in_one_line_while_one_holds_the_study(study: Path) -> None:
    runs = study.parent / "runs"
    runs.mkdir(exist_ok=True)
    count = len(list(runs.iterdir()))
    with lock.held(runs / ".lock", "the study", wait=False):
        proc = _run(study, "--force")
    assert proc.returncode == 8
    assert proc.stderr.count("\n") == 1
    assert f"pid {os.getpid()}" in proc.stderr
    assert "--wait" in proc.stderr
    assert len(list(runs.iterdir())) == count  # nothing recorded, nothing written


def test_report_skip_empty_leaves_out_a_period_without_network(tmp_path: Path, study: Path) -> None:
    """A study's later periods may not have arrived: the run's report leaves them out."""
    import pandas as pd

    frame = pd.read_csv(study.parent / "exports" / "sample.csv", dtype=str)
    year = pd.to_numeric(frame["申请日"].str[:4], errors="coerce")
    early = tmp_path / "early.csv"
    frame[year <= 2015].to_csv(early, index=False)
    base = [sys.executable, "-m", "copatent", "report", "--engine", "memory", "--input",
            str(early), "--period", "2011-2015", "--period", "2016-2020", "--no-figures"]  # fmt: skip
    refused = subprocess.run(
        [*base, "--out", str(tmp_path / "a")], capture_output=True, text=True, check=False
    )
    assert refused.returncode == 6
    assert "no network" in refused.stderr
    assert "2016-2020" in refused.stderr
    proc = subprocess.run(
        [*base, "--skip-empty", "--out", str(tmp_path / "b")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    record = json.loads((tmp_path / "b" / "report.json").read_text(encoding="utf-8"))
    assert record["parameters"]["left out"] == "2016-2020 (baseline 2011-2015 instead)"
    table1 = pd.read_csv(tmp_path / "b" / "analysis" / "table1.csv", encoding="utf-8-sig")
    assert set(table1["period"]) == {"2011-2015"}
