"""Analyses read one state of the graph, never a partial load, and publish one set of results.

On the real server: an unfinished (killed) load makes ``analyze``, ``subgroups`` and ``detect``
refuse in one line until it is finished or discarded; a load that starts between two scales of one
analysis makes it refuse; two publishes at the same moment leave one set of COLLABORATES.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from copatent import engines, publish, server
from copatent._errors import LoadInProgressError
from copatent.analytics.periods import DEFAULT_PERIODS, PeriodGraph
from copatent.db import Database
from copatent.engines.neo4j import Neo4jEngine
from copatent.loader import journal, pipeline, readers, writer
from copatent.loader.exports import prepare_exports
from copatent.loader.options import ExportOptions
from copatent.sample import generator as sample
from copatent.sample import statistics as sample_statistics
from tests.integration.conftest import dump_graph, kill_load, run_cli

UNFINISHED_EXIT = 7  # LoadInProgressError.exit_code


def _sample(folder: Path, patents: int, seed: int) -> Path:
    """A generated export, with the regional statistics tables beside it as `copatent sample`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sample.csv"
    sample.write(sample.generate(patents, seed=seed), path)
    sample_statistics.write_beside(path, seed=seed)
    return path


def _key(export: Path) -> str:
    """The load key `copatent load EXPORT` (default options) journals its batches under."""
    files, _, options = prepare_exports([export], ExportOptions())
    return writer.load_key(files, options)


def _killed_load(local: server.LocalServer, admin: Database, export: Path) -> int:
    """``copatent load EXPORT --batch-size 10`` SIGKILLed after 5 patent batches; batches left."""
    kill_load(local, admin, export, batch_size=10)
    return int(admin.run("fixture/count_batches").iloc[0]["batches"])


def _one_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def _collaborations(graphs: list[PeriodGraph]) -> int:
    """Every first-applicant collaboration of the periods: between nodes, inside one, unplaced."""
    return sum(int(g.edges["weight"].sum()) + g.internal + g.unplaced for g in graphs)


def test_analyses_refuse_an_unfinished_load_until_it_is_finished(
    neo4j_server: server.LocalServer, fixture_db: Database, tmp_path: Path
) -> None:
    export = _sample(tmp_path / "in", 4000, seed=5)
    statistics = tmp_path / "in" / "sample-statistics-province.csv"
    committed = _killed_load(neo4j_server, fixture_db, export)
    key = _key(export)
    commands = {
        "analyze": ["analyze", "--scale", "province", "--scale", "city", "--out", str(tmp_path / "a")],
        "subgroups": ["subgroups", "--method", "louvain", "--out", str(tmp_path / "s")],
        "detect": ["detect", "--factors", str(statistics)],
    }  # fmt: skip
    for name, args in commands.items():
        proc = run_cli(neo4j_server, *args)
        assert proc.returncode == UNFINISHED_EXIT, (name, proc.stderr)
        line = _one_line(proc)
        # the load, how far it got, and the two ways out: the same command again, or discard
        assert line.startswith(f"copatent: error: load {key[:12]} ({export}) is unfinished: "), line
        assert f"{committed} of " in line
        assert f"`copatent load {export}`" in line
        assert f"`copatent graph discard-load {key[:12]}`" in line
    assert not (tmp_path / "a" / "table1.csv").exists()

    # the remedy as the message gives it (no --batch-size: the rerun keeps the journal's 10)
    finished = run_cli(neo4j_server, "load", str(export), "--json")
    assert finished.returncode == 0, finished.stderr
    assert json.loads(finished.stdout)["batches_resumed"] == committed
    resumed = dump_graph(fixture_db)
    for name, args in commands.items():
        proc = run_cli(neo4j_server, *args)
        assert proc.returncode == 0, (name, proc.stderr)

    # and the finished graph is the graph of one clean load
    fixture_db.run("fixture/delete_all", write=True)
    assert run_cli(neo4j_server, "load", str(export), "--json").returncode == 0
    assert dump_graph(fixture_db) == resumed


def test_discarding_an_unfinished_load_keeps_what_it_wrote(
    neo4j_server: server.LocalServer, fixture_db: Database, tmp_path: Path
) -> None:
    export = _sample(tmp_path / "in", 4000, seed=6)
    _killed_load(neo4j_server, fixture_db, export)
    patents = int(fixture_db.run("fixture/count_batches").iloc[0]["patents"])
    key = _key(export)

    unknown = run_cli(neo4j_server, "graph", "discard-load", "ffff")
    assert unknown.returncode == 6
    assert _one_line(unknown) == (
        f"copatent: error: no unfinished load with a key starting 'ffff' (unfinished: {key[:12]})"
    )
    discarded = run_cli(neo4j_server, "graph", "discard-load", key[:12], "--json")
    assert discarded.returncode == 0, discarded.stderr
    assert json.loads(discarded.stdout)["load_key"] == key
    state = fixture_db.run("fixture/count_batches").iloc[0]
    assert (int(state["batches"]), int(state["patents"])) == (0, patents)
    analysed = run_cli(neo4j_server, "analyze", "--scale", "province", "--out", str(tmp_path / "a"))
    assert analysed.returncode == 0, analysed.stderr


def test_a_load_between_two_scales_of_one_analysis_is_refused(
    fixture_db: Database, db: Database, tmp_path: Path
) -> None:
    export = _sample(tmp_path, 3000, seed=7)
    raw = readers.read_exports([export])
    keywords = pipeline.default_keywords()
    first_half = pipeline.prepare(raw.iloc[: len(raw) // 2], keywords=keywords)
    everything = pipeline.prepare(raw, keywords=keywords)
    writer.write(db, first_half, key="half")

    engine = Neo4jEngine(db, restarts=1)
    engine.period_graphs("province", DEFAULT_PERIODS)  # the first scale reads the half
    writer.write(db, everything, key="all")  # a whole load, started and finished in between
    with pytest.raises(LoadInProgressError, match="started or finished while this analysis"):
        engine.period_graphs("city", DEFAULT_PERIODS)

    # a load opened (its journal written) but not finished when the second scale reads
    engine = Neo4jEngine(db, restarts=1)
    engine.period_graphs("province", DEFAULT_PERIODS)
    _open_journal(db, everything, key="opened")
    with pytest.raises(LoadInProgressError, match=r"load opened .* being written while this"):
        engine.period_graphs("city", DEFAULT_PERIODS)
    journal.discard(db, "opened")

    # unchanged, every scale of one engine counts the same collaborations (the symptom
    # was 18,308 at province scale against 19,534 at city scale, read while a load wrote)
    engine = Neo4jEngine(db, restarts=1)
    province = engine.period_graphs("province", DEFAULT_PERIODS)
    city = engine.period_graphs("city", DEFAULT_PERIODS)
    assert _collaborations(province) == _collaborations(city) > 0


def test_two_publishes_at_once_leave_one_set_of_collaborates(
    fixture_db: Database, db: Database, neo4j_server: server.LocalServer, tmp_path: Path
) -> None:
    export = _sample(tmp_path, 3000, seed=8)
    writer.write(
        db, pipeline.prepare_files([export], keywords=pipeline.default_keywords()), key="p"
    )
    result = engines.analyze(Neo4jEngine(db, restarts=1), scales=["province", "city"])
    one_run = pd.DataFrame(
        [
            {"scale": g.scale, "period": g.label, "edges": len(g.edges)}
            for graphs in result.graphs.values()
            for g in graphs
        ]
    ).sort_values(["scale", "period"], ignore_index=True)
    one_run = one_run[one_run["edges"] > 0].reset_index(drop=True)  # none written: no row
    assert len(one_run) > 0
    # before the lock, 3 rounds in 5 of this left more relationships than one run writes
    with Database(neo4j_server.settings()) as other:
        for _ in range(10):
            _at_once([db, other], lambda runner: publish.collaborations(runner, result))
            counts = fixture_db.run("fixture/count_collaborates")
            assert_frame_equal(counts[["scale", "period", "edges"]], one_run, check_dtype=False)


def _at_once(runners: list[Database], action: Callable[[Database], object]) -> None:
    """``action`` on every runner, each in its own thread, released together; errors re-raised."""
    barrier = threading.Barrier(len(runners))

    def run(runner: Database) -> object:
        barrier.wait()
        return action(runner)

    with ThreadPoolExecutor(max_workers=len(runners)) as pool:
        list(pool.map(run, runners))


def _open_journal(db: Database, prepared: pipeline.Prepared, *, key: str) -> None:
    """What a load writes before its first batch: its journal (the load then stops)."""
    db.run(
        "load/start_load",
        {
            "load_key": key,
            "files": [],
            "command": None,
            "batch_size": 10,
            "applicants": len(prepared.applicants),
            "patents": len(prepared.patents),
        },
        write=True,
    )
