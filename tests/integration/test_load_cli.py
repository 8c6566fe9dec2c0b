"""`copatent load` end to end on real files and the real server."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from copatent import server
from copatent.db import Database
from copatent.loader import pipeline, readers, writer
from tests.integration.conftest import dump_graph, run_cli
from tests.reference import reference_data

PATSNAP = reference_data() / "patents/chuanzang_railway/data.csv"
# the applicants the rules classify as natural persons in that file (2-3 character names)
PERSONS = {"张昆", "何满潮", "鲁飞", "张国强", "郑超", "陈海峰", "朱纯", "章和高", "崔凯"}


def test_patsnap_reference_loads_in_applicant_order(fixture_db: Database, db: Database) -> None:
    # what the file says, read independently with the csv module: " | " separates applicants
    with PATSNAP.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 531
    expected = {
        r["公开(公告)号"]: r["当前申请(专利权)人"].split(" | ")
        for r in rows
        if " | " in r["当前申请(专利权)人"]
    }
    expected = {k: v for k, v in expected.items() if not PERSONS & set(v)}

    column_map = readers.builtin_column_map("patsnap")
    raw = readers.read_exports([PATSNAP], columns=column_map)
    prepared = pipeline.prepare(raw, keywords=None)
    writer.write(db, prepared, key="patsnap")

    loaded = fixture_db.run("fixture/patent_applicants")
    got = dict(zip(loaded["pub_no"], loaded["applicants"], strict=True))
    assert got == expected
    assert all(p == list(range(len(p))) for p in loaded["positions"])


def test_cli_load_twice_changes_nothing(
    neo4j_server: server.LocalServer, fixture_db: Database, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    first = run_cli(neo4j_server, "load", str(PATSNAP), "--columns", "patsnap", "--topic", "none",
                 "--report", str(report))  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert "load funnel" in first.stdout
    body = json.loads(report.read_text("utf-8"))
    assert body["funnel"][0] == {"step": "rows read", "count": 531, "removed": 0, "note": ""}
    stats = run_cli(neo4j_server, "graph", "stats", "--json")
    second = run_cli(neo4j_server, "load", str(PATSNAP), "--columns", "patsnap", "--topic", "none",
                  "--json")  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["already_loaded"] is True
    forced = run_cli(neo4j_server, "load", str(PATSNAP), "--columns", "patsnap", "--topic", "none",
                  "--force", "--json")  # fmt: skip
    assert forced.returncode == 0, forced.stderr
    assert run_cli(neo4j_server, "graph", "stats", "--json").stdout == stats.stdout


def test_cli_bad_input_is_one_line(neo4j_server: server.LocalServer, tmp_path: Path) -> None:
    bad = tmp_path / "export.csv"
    bad.write_text("序号,标题\n1,稀土\n", encoding="utf-8")
    proc = run_cli(neo4j_server, "load", str(bad))
    assert proc.returncode == 6
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"copatent: error: {bad}: missing required columns")


def test_sample_killed_midway_resumes_to_the_clean_graph(
    neo4j_server: server.LocalServer, fixture_db: Database, tmp_path: Path
) -> None:
    """SIGKILL `copatent load` after some batches; the rerun equals one clean load, twice over."""
    export = tmp_path / "sample.csv"
    made = run_cli(neo4j_server, "sample", "--patents", "8000", "--seed", "3", "--out", str(export))
    assert made.returncode == 0, made.stderr
    settings = neo4j_server.settings()
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password}
    load = [sys.executable, "-m", "copatent", "load", str(export), "--batch-size", "20", "--json"]
    proc = subprocess.Popen(load, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if int(fixture_db.run("fixture/count_batches").iloc[0]["patent_batches"]) >= 5:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    assert proc.wait(timeout=60) == -signal.SIGKILL, "the load ended before it could be killed"
    state = fixture_db.run("fixture/count_batches").iloc[0]
    committed = int(state["batches"])
    assert int(state["patent_batches"]) >= 5
    # whole batches only: nothing half-written
    assert int(state["patents"]) == 20 * int(state["patent_batches"])

    rerun = run_cli(neo4j_server, "load", str(export), "--batch-size", "20", "--json")
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["batches_resumed"] == committed
    resumed = dump_graph(fixture_db)
    stats = run_cli(neo4j_server, "graph", "stats", "--json").stdout

    again = run_cli(neo4j_server, "load", str(export), "--json")
    assert json.loads(again.stdout)["already_loaded"] is True
    assert run_cli(neo4j_server, "graph", "stats", "--json").stdout == stats

    fixture_db.run("fixture/delete_all", write=True)
    clean = run_cli(neo4j_server, "load", str(export), "--json")
    assert clean.returncode == 0, clean.stderr
    assert dump_graph(fixture_db) == resumed
