"""The command line as a whole: start-up cost, shared options, options given twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copatent import cli
from copatent._errors import InputError
from copatent.commands._options import RegionScale, ScaleChoice, chosen_scales
from copatent.sample import generator as sample

HEAVY = ("pandas", "numpy", "scipy", "igraph", "pyarrow", "openpyxl", "xlrd", "neo4j",
         "graphdatascience")  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [["--help"], ["analyze", "--help"], ["detect", "--help"], ["load", "--help"],
     ["metrics", "--help"], ["subgroups", "--help"], ["db", "start", "--help"]],
    ids=" ".join,
)  # fmt: skip
def test_help_imports_no_heavy_library(args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "copatent", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    assert "copatent.cli" in imported, "importtime output not understood"
    assert sorted(set(HEAVY) & imported) == []


def test_connecting_commands_show_their_environment_variables() -> None:
    for command in (["analyze"], ["load"], ["graph", "stats"], ["db", "ping"]):
        result = CliRunner().invoke(cli.app, [*command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0
        for variable in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "COPATENT_HOME"):
            assert variable in result.output, (command, variable)


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "--engine", "memory", "--engine", "neo4j"],
        ["analyze", "--out", "a", "--out", "b"],
        ["subgroups", "--depth", "1", "--depth", "3"],
        ["detect", "--data", "pyproject.toml", "--data", "pyproject.toml"],
        ["metrics", "--edges", "pyproject.toml", "--edges", "pyproject.toml"],
    ],
    ids=lambda a: a[0] + " " + a[1],
)
def test_an_option_given_twice_is_refused(args: list[str]) -> None:
    result = CliRunner().invoke(cli.app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "given more than once" in result.output
    assert args[1] in result.output


def test_repeated_scales_accumulate(tmp_path: Path) -> None:
    export = tmp_path / "sample.csv"
    sample.write(sample.generate(800, seed=3), export)
    args = ["analyze", "--engine", "memory", "--input", str(export), "--restarts", "1",
            "--period", "2016-2020", "--out", str(tmp_path / "out"), "--json"]  # fmt: skip
    result = CliRunner().invoke(cli.app, [*args, "--scale", "province", "--scale", "city"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["scales"] == ["province", "city"]
    assert {row["scale"] for row in found["table1"]} == {"province", "city"}


def test_chosen_scales_in_order_without_repeats() -> None:
    assert chosen_scales([ScaleChoice.city, ScaleChoice.province, ScaleChoice.city]) == (
        "city",
        "province",
    )
    assert chosen_scales([ScaleChoice.all]) == ("province", "city", "applicant")
    assert chosen_scales([RegionScale.all, RegionScale.city]) == ("province", "city")


def test_a_baseline_without_collaborations_is_refused(tmp_path: Path) -> None:
    # before: accepted, every edge tier empty, exit 0
    export = tmp_path / "sample.csv"
    sample.write(sample.generate(800, seed=3), export)
    args = ["analyze", "--engine", "memory", "--input", str(export), "--restarts", "1",
            "--scale", "province", "--baseline", "2030-2035", "--out", str(tmp_path / "out")]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert isinstance(result.exception, InputError)
    assert str(result.exception).startswith("--baseline 2030-2035: no collaborations")
    assert not (tmp_path / "out" / "table1.csv").exists()


def test_detect_says_when_no_statistics_row_names_a_region(tmp_path: Path) -> None:
    # before: "0 complete row(s); the detector needs at least 3"
    export = tmp_path / "sample.csv"
    sample.write(sample.generate(800, seed=3), export)
    statistics = tmp_path / "statistics.csv"
    statistics.write_text("region,gdp\nAtlantis,1\nLemuria,2\nMu,3\nOz,4\n", encoding="utf-8")
    args = ["detect", "--engine", "memory", "--input", str(export), "--restarts", "1",
            "--factors", str(statistics)]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert isinstance(result.exception, InputError)
    assert "no row of column region names a province" in str(result.exception)
    assert "row 2: 'Atlantis'" in str(result.exception)
