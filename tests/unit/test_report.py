"""``copatent report`` with the memory engine: the folder, the workbook, reuse, bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from copatent import cli
from copatent.sample import generator, statistics


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A generated export and its statistics.

    The loader refuses an applicant name that a spreadsheet would run as a formula, so a
    formula-looking name reaches the report only from a graph another tool wrote: the
    integration test of the neo4j engine checks that one (tests/integration/test_report.py).
    """
    folder = tmp_path_factory.mktemp("report-inputs")
    export = generator.write(generator.generate(3_000, seed=5), folder / "export.csv")
    written = statistics.write_beside(export, seed=5)
    return {"export": export, "province": written["province"], "city": written["city"]}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, ["report", "--engine", "memory", *args])
    return result.exit_code, result.output


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point: exit codes and the one-line message of a failure."""
    return subprocess.run(
        [sys.executable, "-m", "copatent", "report", "--engine", "memory", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def report(inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "r"
    code, output = run(
        "--input", str(inputs["export"]), "--scale", "province", "--scale", "applicant",
        "--factors", str(inputs["province"]), "--top", "10", "--no-figures", "--out", str(out),
    )  # fmt: skip
    assert code == 0, output
    return out


def test_the_folder_holds_the_page_the_workbook_and_the_tables(report: Path) -> None:
    assert (report / "report.html").is_file()
    assert (report / "tables.xlsx").is_file()
    assert (report / "analysis" / "table1.csv").is_file()
    assert (report / "analysis" / "edges_province_2016-2020.csv").is_file()
    assert (report / "subgroups" / "summary.csv").is_file()
    assert (report / "detect" / "province_2016-2020_factor.csv").is_file()
    assert not list(report.glob(".copatent-*"))  # no staging folder left behind
    record = json.loads((report / "report.json").read_text("utf-8"))
    assert record["parameters"]["scales"] == "province, applicant"
    assert record["fingerprint"]["inputs"]
    assert any(f["topic"] == "factors" for f in record["findings"])


def test_workbook_has_a_sheet_per_table(report: Path) -> None:
    book = openpyxl.load_workbook(report / "tables.xlsx")
    for sheet in (
        "Table 1 province",
        "Table 1 applicant",
        "Table 2 province",
        "Table 2 applicant",
        "Table 3 province",
        "Table 4 province",
        "Table 5",
        "Load funnel",
        "Parameters",
    ):
        assert sheet in book.sheetnames  # fmt: skip
    table2 = book["Table 2 applicant"]
    assert [c.value for c in table2[3]][:3] == ["rank", "region", "weighted degree"]
    assert table2.max_row == 3 + 10  # the note, a blank row, the header, --top rows


def test_the_page_is_self_contained(report: Path) -> None:
    page = (report / "report.html").read_text("utf-8")
    assert "Content-Security-Policy" in page
    # every reference stays inside the page: data: URIs and #anchors (the browser test checks
    # that nothing is requested when the page is opened)
    assert re.findall(r'(?:src|href)\s*=\s*"(?!data:|#)([^"]*)"', page) == []
    assert re.findall(r"url\((?!data:)", page) == []
    assert "@import" not in page
    assert "Table 1" in page
    assert "Findings" in page


def test_unchanged_inputs_and_options_reuse_the_report(
    inputs: dict[str, Path], report: Path
) -> None:
    before = (report / "report.html").stat().st_mtime_ns
    code, output = run(
        "--input", str(inputs["export"]), "--scale", "province", "--scale", "applicant",
        "--factors", str(inputs["province"]), "--top", "10", "--no-figures", "--out", str(report),
        "--json",
    )  # fmt: skip
    assert code == 0, output
    assert json.loads(output)["unchanged"] is True
    assert (report / "report.html").stat().st_mtime_ns == before


def test_a_period_without_a_network_is_named_and_nothing_is_written(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "r"
    proc = run_process(
        "--input", str(inputs["export"]), "--period", "1990-1995", "--period", "2016-2020",
        "--no-figures", "--out", str(out),
    )  # fmt: skip
    assert proc.returncode == 6
    assert proc.stderr.startswith("copatent: error: no network")
    assert "province 1990-1995, city 1990-1995" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (out / "report.html").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_out_is_one_line(inputs: dict[str, Path], tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    proc = run_process("--input", str(inputs["export"]), "--no-figures", "--out", str(locked / "r"))
    assert proc.returncode == 6
    assert len(proc.stderr.strip().splitlines()) == 1


def test_an_out_that_is_a_file_is_one_line(inputs: dict[str, Path], tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("x")
    proc = run_process("--input", str(inputs["export"]), "--no-figures", "--out", str(taken))
    assert proc.returncode == 2  # a usage error, as for every --out folder option
    assert "--out" in proc.stderr
    assert "Traceback" not in proc.stderr
