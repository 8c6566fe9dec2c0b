"""``copatent report`` with the neo4j engine: the real server, the graph's own names and loads."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from copatent import server
from copatent.db import Database
from copatent.loader import pipeline, writer
from copatent.sample import generator as sample
from copatent.sample import statistics as sample_statistics
from tests.integration.conftest import TEST_QUERIES, run_cli

FORMULA = '=HYPERLINK("http://example.invalid","稀土")'
"""A name the loader refuses, but that a graph written by another tool can hold."""


@pytest.fixture(scope="module")
def loaded(
    neo4j_server: server.LocalServer, db: Database, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """A sample in the emptied database, its busiest applicant renamed to a formula."""
    folder = tmp_path_factory.mktemp("report-neo4j")
    export = sample.write(sample.generate(4_000, seed=7), folder / "sample.csv")
    stats = sample_statistics.write_beside(export, seed=7)
    prepared = pipeline.prepare_files([export], keywords=pipeline.default_keywords())
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        admin.run("fixture/delete_all", write=True)
        writer.write(db, prepared, key="report-sample")
        admin.run("fixture/rename_busiest_applicant", {"name": FORMULA}, write=True)
    return {"export": export, **stats}


@pytest.fixture(scope="module")
def report(
    neo4j_server: server.LocalServer,
    loaded: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    out = tmp_path_factory.mktemp("report-out") / "report"
    proc = run_cli(
        neo4j_server, "report", "--scale", "province", "--scale", "city", "--scale", "applicant",
        "--factors", str(loaded["province"]), "--factors", str(loaded["city"]), "--out", str(out),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return out


def test_a_formula_looking_name_from_the_graph_is_a_text_cell(report: Path) -> None:
    book = openpyxl.load_workbook(report / "tables.xlsx")
    cells = [
        cell
        for name in book.sheetnames
        for row in book[name].iter_rows()
        for cell in row
        if cell.value == FORMULA
    ]
    assert cells, "the renamed applicant leads the applicant scale"
    assert all(cell.data_type == "s" for cell in cells)
    assert "Table 2 applicant" in {cell.parent.title for cell in cells}


def test_the_funnel_comes_from_the_graphs_load_record(report: Path) -> None:
    book = openpyxl.load_workbook(report / "tables.xlsx")
    steps = [row[0].value for row in book["Load funnel"].iter_rows(min_row=4)]
    assert "rows read" in steps
    assert "patents loaded" in steps
    record = json.loads((report / "report.json").read_text("utf-8"))
    assert record["fingerprint"]["graph"]["loads"]
    parameters = {row[0].value: row[1].value for row in book["Parameters"].iter_rows(min_row=4)}
    assert parameters["neo4j"].startswith("5.26")
    assert parameters["gds"].startswith("2.13")


def test_an_unchanged_graph_reuses_the_report_and_a_new_load_does_not(
    neo4j_server: server.LocalServer, loaded: dict[str, Path], report: Path
) -> None:
    args = ["report", "--scale", "province", "--scale", "city", "--scale", "applicant",
            "--factors", str(loaded["province"]), "--factors", str(loaded["city"]),
            "--out", str(report), "--json"]  # fmt: skip
    proc = run_cli(neo4j_server, *args)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["unchanged"] is True
    other = sample.write(sample.generate(300, seed=8), report.parent / "more.csv")
    assert run_cli(neo4j_server, "load", str(other)).returncode == 0
    proc = run_cli(neo4j_server, *args)
    assert proc.returncode == 0, proc.stderr
    assert "unchanged" not in json.loads(proc.stdout)
