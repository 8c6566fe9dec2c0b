"""``copatent run`` with the neo4j engine: a study kept up to date as exports arrive and change.

One study, run after run against the session's server (the issue's scenario): the sample's
exports up to 2015, then a file with 2016-2020 patents, then nothing new, then a corrected copy
with rows removed, then a file taken out of the study. After each change the graph must equal a
clean load of the study's current inputs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from copatent import server
from copatent.db import Database
from copatent.sample import generator as sample
from copatent.sample import statistics as sample_statistics
from tests.integration.conftest import TEST_QUERIES, dump_graph, run_cli

STUDY = """
[study]
name = "{name}"
[inputs]
paths = ["exports/"]
[analysis]
scales = ["province", "city"]
engine = "neo4j"
restarts = 2
[detector]
statistics = {{ province = "statistics/province.csv", city = "statistics/city.csv" }}
[report]
figures = false
[output]
dir = "runs"
"""


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's exports split by application year, and its statistics."""
    folder = tmp_path_factory.mktemp("run-parts")
    export = sample.write(sample.generate(2_500, seed=13), folder / "sample.csv")
    stats = sample_statistics.write_beside(export, seed=13)
    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    year = pd.to_numeric(frame["申请日"].str[:4], errors="coerce")
    found = {"province": stats["province"], "city": stats["city"]}
    for name, rows in (("early", frame[year <= 2015]), ("late", frame[~(year <= 2015)])):
        found[name] = folder / f"{name}.csv"
        rows.to_csv(found[name], index=False)
    corrected = frame[year <= 2015].iloc[::7]  # every 7th row of the early export goes
    found["corrected"] = folder / "early-corrected.csv"
    frame[year <= 2015].drop(corrected.index).to_csv(found["corrected"], index=False)
    return found


def _study(folder: Path, parts: dict[str, Path], name: str) -> Path:
    (folder / "exports").mkdir(parents=True)
    (folder / "statistics").mkdir()
    for scale in ("province", "city"):
        (folder / "statistics" / f"{scale}.csv").write_bytes(parts[scale].read_bytes())
    path = folder / "study.toml"
    path.write_text(STUDY.format(name=name), encoding="utf-8")
    return path


def _run(local: server.LocalServer, study: Path, *args: str) -> dict[str, object]:
    proc = run_cli(local, "run", str(study), "--json", *args)
    assert proc.returncode == 0, proc.stderr
    record: dict[str, object] = json.loads(proc.stdout)
    return record


def _clean_load(local: server.LocalServer, db: Database, files: list[Path]) -> dict[str, list[str]]:
    """The graph a clean load of ``files`` gives (the database is emptied first)."""
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        admin.run("fixture/delete_all", write=True)
        proc = run_cli(local, "load", *map(str, files))
        assert proc.returncode == 0, proc.stderr
        return dump_graph(admin)


def test_a_study_follows_its_exports_run_after_run(
    neo4j_server: server.LocalServer,
    db: Database,
    parts: dict[str, Path],
    tmp_path: Path,
) -> None:
    study = _study(tmp_path / "study", parts, "follows")
    exports = study.parent / "exports"
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        admin.run("fixture/delete_all", write=True)

        (exports / "early.csv").write_bytes(parts["early"].read_bytes())
        first = _run(neo4j_server, study)
        assert first["status"] == "succeeded"
        assert {h["period"] for h in first["headline"]} == {  # type: ignore[attr-defined]
            "2001-2005",
            "2006-2010",
            "2011-2015",
        }  # fmt: skip
        # (2016-2020 has not arrived: left out, not refused)

        (exports / "late.csv").write_bytes(parts["late"].read_bytes())
        second = _run(neo4j_server, study)
        assert second["status"] == "succeeded"
        assert "2016-2020" in {h["period"] for h in second["headline"]}  # type: ignore[attr-defined]
        diff = run_cli(neo4j_server, "runs", "diff", "1", "2", "--study", str(study), "--json")
        assert diff.returncode == 0, diff.stderr
        changed = json.loads(diff.stdout)
        added = {(r["scale"], r["period"]) for r in changed["regions_added"]}
        assert ("province", "2016-2020") in added
        assert ("city", "2016-2020") in added
        late = [r for r in changed["table1"] if r["period"] == "2016-2020"]
        assert late
        assert all(r["before"] is None for r in late)
        assert second["changes"]["since"] == 1  # type: ignore[index]
        assert (study.parent / "runs" / "2" / "changes.json").is_file()
        assert "What changed since run 1" in (
            study.parent / "runs" / "2" / "report.html"
        ).read_text(encoding="utf-8")

        third = _run(neo4j_server, study)
        assert third["status"] == "skipped"
        assert third["same_as"] == 2
        runs = admin.run("fixture/run_nodes", {"study": "follows"})
        assert runs["status"].tolist() == ["succeeded", "succeeded", "skipped"]

        # a corrected export replaces the early one: the rows it dropped leave the graph
        (exports / "early.csv").unlink()
        (exports / "early-corrected.csv").write_bytes(parts["corrected"].read_bytes())
        fourth = _run(neo4j_server, study)
        assert fourth["status"] == "succeeded"
        assert fourth["retired"]["files"] == 1  # type: ignore[index]
        assert fourth["retired"]["patents"] > 0  # type: ignore[index]
        after_fourth = dump_graph(admin)

        # the late export leaves the study
        (exports / "late.csv").unlink()
        fifth = _run(neo4j_server, study)
        assert fifth["status"] == "succeeded"
        after_fifth = dump_graph(admin)

    assert after_fourth == _clean_load(neo4j_server, db, [parts["corrected"], parts["late"]])
    assert after_fifth == _clean_load(neo4j_server, db, [parts["corrected"]])


def test_two_runs_at_once_one_runs_and_the_other_refuses_in_one_line(
    neo4j_server: server.LocalServer, db: Database, parts: dict[str, Path], tmp_path: Path
) -> None:
    study = _study(tmp_path / "study", parts, "twice")
    (study.parent / "exports" / "early.csv").write_bytes(parts["early"].read_bytes())
    settings = neo4j_server.settings()
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password}
    command = [sys.executable, "-m", "copatent", "run", str(study)]
    procs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    errors = [p.communicate(timeout=600)[1] for p in procs]
    results = [(p.returncode, err) for p, err in zip(procs, errors, strict=True)]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 8], results
    refusal = next(err for code, err in results if code == 8)
    assert refusal.count("\n") == 1
    assert "another run holds" in refusal
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        assert admin.run("fixture/run_nodes", {"study": "twice"})["status"].tolist() == [
            "succeeded"
        ]
    assert sorted(p.name for p in (study.parent / "runs").iterdir()) == [".lock", "1"]
