"""Provenance on the real server: each patent links FROM the files that brought it; retiring.

The exports are cut from one generated sample (copatent.sample.generator), so a patent two files
share has the same row in both: the graph after retiring a file can be compared with a clean
load of the files that remain (tests/integration/conftest.py ``dump_graph``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from copatent import server
from copatent._errors import InputError, LoadInProgressError
from copatent.cli import app
from copatent.db import Database
from copatent.loader import bulk, pipeline, provenance, readers, sources, writer
from copatent.sample import generator
from tests.integration.conftest import TEST_QUERIES, dump_graph, run_cli

SEED = 11
PUB_NO = "公开（公告）号"


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """600 generated patents (about 200 pass the loader's rules with the topic filter off)."""
    return generator.generate(600, seed=SEED)


def _export(frame: pd.DataFrame, path: Path) -> Path:
    return generator.write(frame.reset_index(drop=True), path)


def _load(db: Database, files: Sequence[Path]) -> writer.WriteResult:
    prepared = pipeline.prepare_files(files, keywords=None)
    return writer.write(db, prepared, key=writer.load_key(files, {"topic": None}), files=files)


def _pub_nos(path: Path) -> set[str]:
    """The publication numbers a CSV export holds, read with the csv module."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {row[PUB_NO] for row in csv.DictReader(fh)}


def _from(fixture_db: Database) -> dict[str, set[str]]:
    """{pub_no: {sha256, ...}} of the FROM links in the graph."""
    brought: dict[str, set[str]] = {}
    for pub_no, sha256 in fixture_db.run("fixture/dump_sources").iloc[0]["from"]:
        brought.setdefault(pub_no, set()).add(sha256)
    return brought


def _sha(path: Path) -> str:
    return sources.identify(path).sha256


def _graph(fixture_db: Database) -> dict[str, object]:
    """The loaded graph and its provenance (file hashes), canonically ordered."""
    dumped = fixture_db.run("fixture/dump_sources").iloc[0]
    return dump_graph(fixture_db) | {
        "from": sorted(map(tuple, dumped["from"])),
        "sources": sorted(map(tuple, dumped["sources"])),
    }


@pytest.fixture
def two_exports(sample: pd.DataFrame, tmp_path: Path) -> tuple[Path, Path]:
    """a.csv: rows 0-399; b.csv: rows 250-601; rows 250-399 in both."""
    return (
        _export(sample.iloc[:400], tmp_path / "a.csv"),
        _export(sample.iloc[250:], tmp_path / "b.csv"),
    )


def test_each_patent_links_to_the_files_it_is_in(
    neo4j_server: server.LocalServer,
    fixture_db: Database,
    db: Database,
    two_exports: tuple[Path, Path],
) -> None:
    a, b = two_exports
    _load(db, [a])
    _load(db, [b])
    brought = _from(fixture_db)
    in_a, in_b = _pub_nos(a), _pub_nos(b)
    sha = {a.name: _sha(a), b.name: _sha(b)}
    expected = {
        p: {sha[f.name] for f, pubs in ((a, in_a), (b, in_b)) if p in pubs} for p in brought
    }
    assert brought == expected
    shared = {p for p, s in brought.items() if len(s) == 2}
    assert len(shared) == len(set(brought) & in_a & in_b) > 20  # the rows both files have

    listed = run_cli(neo4j_server, "graph", "sources", "--json")
    assert listed.returncode == 0, listed.stderr
    body = json.loads(listed.stdout)
    rows = {s["name"]: s for s in body["sources"]}
    assert body["unsourced_patents"] == 0
    for path, pubs in ((a, in_a), (b, in_b)):
        row = rows[path.name]
        assert (row["sha256"], row["bytes"]) == (sha[path.name], path.stat().st_size)
        assert row["path"] == str(path)
        assert row["patents"] == len(set(brought) & pubs)
        assert row["only"] == len(set(brought) & pubs - shared)
    # the table for people, in process (a second subprocess would only repeat the start-up)
    settings = neo4j_server.settings()
    env = {"NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password, "COLUMNS": "250"}
    table = CliRunner().invoke(app, ["graph", "sources"], env=env)
    assert table.exit_code == 0, table.output
    for path in (a, b):
        line = next(ln for ln in table.output.splitlines() if sha[path.name][:12] in ln)
        assert str(path.stat().st_size // 1000) in line.replace(",", "")
        assert f" {rows[path.name]['only']} " in line


def test_loading_again_adds_no_link(
    fixture_db: Database, db: Database, two_exports: tuple[Path, Path]
) -> None:
    a, b = two_exports
    _load(db, [a])
    _load(db, [b])
    before = _graph(fixture_db)
    assert _load(db, [a]).already_loaded  # the same load: nothing written
    prepared = pipeline.prepare_files([a, b], keywords=None)
    both = writer.write(db, prepared, key="k-both", files=[a, b])  # a new load of both files
    assert not both.already_loaded
    forced = writer.write(db, prepared, key="k-both", files=[a, b], force=True)
    assert not forced.already_loaded
    assert _graph(fixture_db) == before
    links = int(fixture_db.run("fixture/dump_sources").iloc[0]["links"])
    assert links == len(prepared.provenance)


def test_a_corrected_export_retires_the_rows_it_dropped(
    fixture_db: Database, db: Database, sample: pd.DataFrame, tmp_path: Path
) -> None:
    a = _export(sample.iloc[:400], tmp_path / "a.csv")
    b = _export(sample.iloc[250:], tmp_path / "b.csv")
    # the corrected a.csv: rows 0-79 and 300-319 gone (the latter are in b.csv as well)
    kept = sample.iloc[:400].drop(index=[*range(80), *range(300, 320)])
    (tmp_path / "corrected").mkdir()
    fixed = _export(kept, tmp_path / "corrected" / "a.csv")
    _load(db, [a])
    _load(db, [b])
    _load(db, [fixed])
    loaded = set(_from(fixture_db))
    only_dropped = loaded - _pub_nos(fixed) - _pub_nos(b)  # counted from the files
    assert len(only_dropped) > 10
    generation = int(fixture_db.run("fixture/dump_generation").iloc[0]["generation"])

    retired = provenance.retire(db, {_sha(fixed), _sha(b)})
    assert retired.sources == 1
    assert retired.files[0].sha256 == _sha(a)
    assert retired.files[0].path == str(a)
    assert retired.patents == len(only_dropped)
    assert retired.loads == 1  # the load of a.csv is forgotten: loading it again writes it
    assert set(_from(fixture_db)) == loaded - only_dropped
    assert int(fixture_db.run("fixture/dump_generation").iloc[0]["generation"]) > generation
    after = _graph(fixture_db)

    fixture_db.run("fixture/delete_all", write=True)
    _load(db, [fixed, b])
    clean = _graph(fixture_db)
    assert after == clean


def test_a_file_leaving_the_study_takes_what_only_it_brought(
    fixture_db: Database, db: Database, two_exports: tuple[Path, Path]
) -> None:
    a, b = two_exports
    _load(db, [a])
    _load(db, [b])
    loaded = set(_from(fixture_db))
    retired = provenance.retire(db, [_sha(b)])
    assert retired.patents == len(loaded - _pub_nos(b))
    after = _graph(fixture_db)
    nothing = provenance.retire(db, [_sha(b)])  # again: nothing left to retire
    assert (nothing.sources, nothing.patents, nothing.applicants) == (0, 0, 0)

    fixture_db.run("fixture/delete_all", write=True)
    clean_load = _load(db, [b])
    assert after == _graph(fixture_db)
    assert clean_load.patents == len(loaded & _pub_nos(b))

    # a.csv back in the study: its load was forgotten when it was retired, so it writes again
    assert not _load(db, [a]).already_loaded
    assert set(_from(fixture_db)) == loaded


def test_retire_leaves_unsourced_patents_unless_asked(
    fixture_db: Database, db: Database, two_exports: tuple[Path, Path]
) -> None:
    """Patents without provenance (prepared from rows, as a copatent that kept none loaded them)."""
    a, b = two_exports
    old = pipeline.prepare(readers.read_exports([a]), keywords=None)  # no sources: no FROM
    writer.write(db, old, key="k-old")
    _load(db, [b])
    unsourced_only = set(old.patents["pub_no"]) - _pub_nos(b)
    before = _graph(fixture_db)
    kept = provenance.retire(db, [_sha(b)])
    assert (kept.sources, kept.patents) == (0, 0)
    assert _graph(fixture_db) == before
    listed, unsourced = provenance.list_sources(db)
    assert (len(listed), unsourced) == (1, len(unsourced_only))

    everything = provenance.retire(db, [_sha(b)], unsourced=True)
    assert (everything.sources, everything.patents, everything.unsourced) == (
        0, len(unsourced_only), len(unsourced_only),
    )  # fmt: skip
    after = _graph(fixture_db)
    fixture_db.run("fixture/delete_all", write=True)
    _load(db, [b])
    assert after == _graph(fixture_db)


def test_retire_refuses_paths_and_unfinished_loads(
    fixture_db: Database, db: Database, two_exports: tuple[Path, Path]
) -> None:
    a, _ = two_exports
    _load(db, [a])
    with pytest.raises(InputError, match="not a SHA-256 of a file"):
        provenance.retire(db, [str(a)])
    prepared = pipeline.prepare_files([a], keywords=None)
    db.run(
        "load/start_load",
        {"load_key": "k-open", "files": [str(a)], "command": None, "batch_size": 10,
         "applicants": 1, "patents": len(prepared.patents)},
        write=True,
    )  # fmt: skip
    before = _graph(fixture_db)
    with pytest.raises(LoadInProgressError, match="unfinished"):
        provenance.retire(db, [])
    assert _graph(fixture_db) == before


def test_bulk_import_records_the_same_provenance(
    spare_server: server.LocalServer,
    fixture_db: Database,
    db: Database,
    two_exports: tuple[Path, Path],
) -> None:
    a, b = two_exports
    prepared = pipeline.prepare_files([a, b], keywords=None)
    writer.write(db, prepared, key="k-unwind", files=[a, b])
    expected = _graph(fixture_db)
    assert len(expected["from"]) == len(prepared.provenance) > len(prepared.patents)

    bulk.bulk_write(spare_server, prepared, key="k-bulk", files=[a, b])
    with Database(spare_server.settings(), queries=TEST_QUERIES) as other:
        assert _graph(other) == expected
        listed, unsourced = provenance.list_sources(other)
        assert unsourced == 0
        assert all(s.loaded_at and s.loaded_at.endswith("Z") for s in listed)
        # and retiring works on the imported graph as on the written one
        retired = provenance.retire(other, [_sha(b)])
    assert retired.patents == len(set(prepared.patents["pub_no"]) - _pub_nos(b))


def test_a_killed_load_resumes_to_the_same_links(
    fixture_db: Database, db: Database, two_exports: tuple[Path, Path]
) -> None:
    """Killed after two patent batches, then rerun: the links of a load that never stopped."""
    a, b = two_exports
    prepared = pipeline.prepare_files([a, b], keywords=None)

    class KilledError(Exception):
        pass

    def on_batch(_n: int, seen: list[int] = []) -> None:  # noqa: B006 - counts the calls
        seen.append(1)
        if len(seen) == 2:
            raise KilledError

    with pytest.raises(KilledError):
        writer.write(db, prepared, key="k-killed", files=[a, b], batch_size=40, on_batch=on_batch)
    partial = fixture_db.run("fixture/dump_sources").iloc[0]
    assert 0 < int(partial["links"]) < len(prepared.provenance)
    resumed = writer.write(db, prepared, key="k-killed", files=[a, b], batch_size=40)
    applicant_batches = -(-len(prepared.applicants) // (40 * writer.APPLICANTS_PER_PATENT_BATCH))
    assert resumed.skipped == applicant_batches + 2  # and the two patent batches
    after = _graph(fixture_db)

    fixture_db.run("fixture/delete_all", write=True)
    writer.write(db, prepared, key="k-clean", files=[a, b], batch_size=40)
    assert after == _graph(fixture_db)
