"""A chunked load writes the graph of a whole-file load, through both write paths.

The export is the sample generator's with the first patent repeated at its end (another title:
the first row wins across chunks), and a second file repeating its first 30 rows (both files
brought those patents: the FROM links). Chunks of 37 rows and patent batches of 50 cut across
each other, and the batches of the chunked load are the whole load's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from copatent import server
from copatent.db import Database
from copatent.loader import bulk, pipeline, writer
from copatent.sample import generator
from tests.integration.conftest import TEST_QUERIES, dump_graph, run_cli

SEED = 0
CHUNK_ROWS = 37
PUB_NO, TITLE = "公开（公告）号", "标题"


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("chunked-exports")
    frame = generator.generate(400, seed=SEED)
    repeated = frame.iloc[[0]].assign(**{TITLE: "a later row of the first patent"})
    frame = pd.concat([frame, repeated], ignore_index=True)
    return [
        generator.write(frame, folder / "export.csv"),
        generator.write(frame.iloc[:30], folder / "again.csv"),
    ]


def _graph(db: Database) -> dict[str, object]:
    """What the loader wrote: nodes, relationships, FROM links, and the counts by label."""
    dumped = db.run("fixture/dump_sources").iloc[0]
    counts = db.run("graph/count_by_label")
    return dump_graph(db) | {
        "from": sorted(map(tuple, dumped["from"])),
        "counts": sorted(
            (k, n, int(c))
            for k, n, c in zip(counts["kind"], counts["name"], counts["count"], strict=True)
            if n not in {"Load", "LoadJournal", "LoadBatch", "Lock"}
        ),
    }


def _load(local: server.LocalServer, files: list[Path], *options: str) -> dict[str, object]:
    done = run_cli(local, "load", *map(str, files), "--batch-size", "50", "--json", *options)
    assert done.returncode == 0, done.stderr
    body: dict[str, object] = json.loads(done.stdout)
    return body


def test_a_chunked_load_writes_the_whole_load_s_graph(
    neo4j_server: server.LocalServer, fixture_db: Database, exports: list[Path]
) -> None:
    whole = _load(neo4j_server, exports, "--chunk-rows", "1000000")
    expected = _graph(fixture_db)
    assert ("relationship", "FROM", len(expected["from"])) in expected["counts"]  # type: ignore[operator]
    title = fixture_db.run("fixture/patent_applicants")  # the first row's patent is there
    assert len(title) == whole["funnel"][-1]["count"]  # type: ignore[index]

    fixture_db.run("fixture/delete_all", write=True)
    chunked = _load(neo4j_server, exports, "--chunk-rows", str(CHUNK_ROWS))
    assert _graph(fixture_db) == expected
    assert chunked["funnel"] == whole["funnel"]
    assert chunked["quarantined_rows"] == whole["quarantined_rows"]
    assert chunked["applicant_places"] == whole["applicant_places"]
    assert chunked["batches"] == whole["batches"]

    again = _load(neo4j_server, exports, "--chunk-rows", str(CHUNK_ROWS))
    assert again["already_loaded"] is True
    assert _graph(fixture_db) == expected


def test_a_chunked_bulk_import_writes_the_whole_load_s_graph(
    spare_server: server.LocalServer, fixture_db: Database, db: Database, exports: list[Path]
) -> None:
    whole = pipeline.prepare_files(exports, keywords=pipeline.default_keywords(), chunk_rows=None)
    writer.write(db, whole, key="k-whole", files=exports, batch_size=50)
    expected = _graph(fixture_db)
    whole.close()

    chunked = pipeline.prepare_files(exports, keywords=pipeline.default_keywords(), chunk_rows=37)
    bulk.bulk_write(spare_server, chunked, key="k-chunked", files=exports)
    with Database(spare_server.settings(), queries=TEST_QUERIES) as other:
        assert _graph(other) == expected
        rerun = writer.write(other, chunked, key="k-chunked", files=exports, batch_size=50)
        assert rerun.already_loaded
        assert _graph(other) == expected
    chunked.close()
