"""The command line as a whole: start-up cost, shared options, options given twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from copatent import cli
from copatent._errors import InputError
from copatent.commands._options import RegionScale, ScaleChoice, chosen_scales
from copatent.sample import generator as sample

HEAVY = ("pandas", "numpy", "scipy", "igraph", "pyarrow", "openpyxl", "xlrd", "neo4j",
         "graphdatascience", "matplotlib", "shapely", "pyproj", "jinja2", "pypinyin",
         "geopandas", "pyogrio", "croniter", "watchfiles")  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [["--help"], ["analyze", "--help"], ["detect", "--help"], ["load", "--help"],
     ["metrics", "--help"], ["subgroups", "--help"], ["report", "--help"],
     ["export", "--help"], ["db", "start", "--help"], ["browser", "--help"],
     ["study", "check", "--help"], ["runs", "diff", "--help"], ["runs", "list", "--help"],
     ["schedule", "--help"], ["run", "--help"], ["places", "list", "--help"],
     ["places", "explain", "--help"]],
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


def test_subgroups_image_cutoff_reaches_the_json_and_the_csv_set(tmp_path: Path) -> None:
    """--image-cutoff block-mean on the memory engine: each partition's image is 1 exactly where
    its density reaches the mean of its block densities; summary.csv records rule and cutoffs."""
    export = tmp_path / "sample.csv"
    sample.write(sample.generate(800, seed=3), export)
    args = ["subgroups", "--engine", "memory", "--input", str(export), "--restarts", "1",
            "--scale", "province", "--method", "concor", "--method", "louvain", "--json"]  # fmt: skip
    runs = {}
    for cutoff in ("density", "block-mean"):
        out = tmp_path / cutoff
        result = CliRunner().invoke(cli.app, [*args, "--image-cutoff", cutoff, "--out", str(out)])
        assert result.exit_code == 0, result.output
        runs[cutoff] = json.loads(result.stdout)["subgroups"]
        summary = pd.read_csv(out / "summary.csv", encoding="utf-8-sig")
        assert summary["image_cutoff_rule"].tolist() == [cutoff, cutoff]
        for kind in ("binary", "valued"):
            assert summary[f"image_cutoff_{kind}"].tolist() == pytest.approx(
                [g[f"image_cutoff_{kind}"] for g in runs[cutoff]]
            )
        image = pd.read_csv(out / "province_2016-2020_concor_image_valued.csv",
                            encoding="utf-8-sig", index_col="from")  # fmt: skip
        assert image.to_numpy().tolist() == runs[cutoff][0]["image_matrix_valued"]
    whole = pd.read_csv(tmp_path / "density" / "summary.csv", encoding="utf-8-sig")
    for g, default in zip(runs["block-mean"], runs["density"], strict=True):
        assert g["blocks_method"] == default["blocks_method"]
        assert g["density_matrix_valued"] == default["density_matrix_valued"]  # only the image
        for kind in ("binary", "valued"):
            density = np.array(g[f"density_matrix_{kind}"], dtype=float)  # None (no cells): NaN
            mean = np.nanmean(density)
            assert g[f"image_cutoff_{kind}"] == pytest.approx(mean)
            assert g[f"image_cutoff_{kind}"] != pytest.approx(default[f"image_cutoff_{kind}"])
            expected = np.where(np.isnan(density), 0, density >= mean).astype(int).tolist()
            assert g[f"image_matrix_{kind}"] == expected
            # the default: the whole network's density (summary.csv's density_ columns)
            assert default[f"image_cutoff_{kind}"] == pytest.approx(
                whole.loc[whole["method"] == g["blocks_method"], f"density_{kind}"].item()
            )


@pytest.mark.parametrize("value", ["median", "-2"])
def test_subgroups_bad_image_cutoff_fails_before_any_work(tmp_path: Path, value: str) -> None:
    export = tmp_path / "never-read.csv"
    export.write_text("not an export\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["subgroups", "--engine", "memory", "--input", str(export), "--image-cutoff", value,
            "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert isinstance(result.exception, InputError)
    assert str(result.exception) == (
        f"--image-cutoff {value!r}: expected density, block-mean or a number >= 0"
    )
    assert not out.exists()


def test_image_cutoff_rule_names_match_the_analytics() -> None:
    """The command line keeps its own copy of the names (it starts without numpy)."""
    from copatent.analytics import subgroups
    from copatent.commands import _blocks

    assert _blocks.CUTOFF_RULES == subgroups.CUTOFF_RULES
