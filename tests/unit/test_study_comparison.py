"""The study's printed Table 1 beside copatent's (``analyze --compare-study``)."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from copatent import cli
from copatent.analytics.indicators import Indicators
from copatent.report import study
from copatent.sample import generator as sample
from tests.reference import reference_data

SEED = 3


def _table1(rows: list[tuple[str, str]], **values: float) -> pd.DataFrame:
    """A Table 1 as ``Analysis.table1`` gives it: every indicator column, the same values."""
    base: dict[str, float] = {f.name: 1.0 for f in dataclasses.fields(Indicators)}
    return pd.DataFrame([{"scale": s, "period": p} | base | values for s, p in rows])


def test_packaged_values_are_the_reference_data() -> None:
    shared = reference_data() / "study" / "table1.csv"
    if not shared.exists():
        pytest.skip(f"{shared} is not here")
    expected = pd.read_csv(shared, dtype=str, na_filter=False)
    packaged = study._printed()
    pd.testing.assert_frame_equal(packaged, expected)
    printed = study.printed_table1()
    assert_allclose(printed["value"], expected["value"].astype(float))


def test_every_study_indicator_is_a_table1_column() -> None:
    columns = {f.name for f in dataclasses.fields(Indicators)}
    assert {i.column for i in study.INDICATORS.values()} <= columns
    assert set(study.printed_table1()["indicator"]) == set(study.INDICATORS)
    # DESIGN.md item 6: the study's centralization is UCINET's valued (max-tie) form
    assert study.INDICATORS["out_centralization_pct"].column == "out_centralization_maxtie_pct"
    assert study.INDICATORS["in_centralization_pct"].column == "in_centralization_maxtie_pct"


def test_differences_against_the_study_province_2016_2020() -> None:
    # the study's province 2016-2020 column (reference-data/study/table1.csv): 30 nodes,
    # 157 edges, modularity 0.231, clustering 0.38, path length 2.033, 8.919 % out, 3.794 % in
    computed = _table1(
        [("province", "2016-2020")],
        nodes=30,
        edges=150,
        modularity=0.2314,  # 0.231 to three decimals
        avg_clustering_gephi=0.386,  # 0.39 to two: the study printed 0.38
        avg_path_length_gephi=2.5,
        out_centralization_maxtie_pct=8.9194,  # within half of 0.001 of 8.919
        in_centralization_maxtie_pct=4.0,
        out_centralization_valued_pct=99.0,  # Freeman's valued form: not the study's
        in_centralization_valued_pct=99.0,
    )
    found = study.compare(computed)
    assert found.notes == ()
    table = found.table.set_index("indicator")
    assert list(found.table.columns) == list(study.COLUMNS)
    assert list(table.index) == list(study.INDICATORS)
    assert_allclose(table["study"], [30, 157, 0.231, 0.38, 2.033, 8.919, 3.794])
    assert_allclose(table["copatent"], [30, 150, 0.2314, 0.386, 2.5, 8.9194, 4.0])
    assert_allclose(table["difference"], [0, -7, 0.0004, 0.006, 0.467, 0.0004, 0.206], atol=1e-12)
    assert_allclose(
        table["relative_difference_pct"],
        [0, -700 / 157, 0.04 / 0.231, 0.6 / 0.38, 46.7 / 2.033, 0.04 / 8.919, 20.6 / 3.794],
    )
    assert table["agrees"].tolist() == [True, False, True, False, False, True, False]
    assert table.loc["in_centralization_pct", "copatent_column"] == "in_centralization_maxtie_pct"


def test_rows_only_where_the_study_prints_and_the_run_computed() -> None:
    runs = [
        (scale, period)
        for scale in ("province", "city", "applicant")
        for period in ("2001-2005", "2016-2020", "2021-2025")
    ]
    found = study.compare(_table1(runs))
    pairs = list(dict.fromkeys(zip(found.table["scale"], found.table["period"], strict=True)))
    # the study prints city for 2001-2005 only (in the transcribed copy); no applicant scale
    assert pairs == [("province", "2001-2005"), ("province", "2016-2020"), ("city", "2001-2005")]
    assert len(found.table) == 3 * len(study.INDICATORS)
    assert len(found.notes) == 3
    assert found.notes[0].startswith("applicant: the study's Table 1 has no applicant networks")
    assert found.notes[1].startswith("2021-2025: not a period of the study's Table 1")
    assert found.notes[2].startswith("city 2016-2020: the packaged study Table 1 has no values")


def test_nothing_in_common_gives_an_empty_table_with_the_columns() -> None:
    found = study.compare(_table1([("applicant", "2016-2020"), ("province", "2021-2025")]))
    assert found.table.empty
    assert list(found.table.columns) == list(study.COLUMNS)
    assert len(found.notes) == 2


def test_a_value_copatent_could_not_compute_stays_missing() -> None:
    found = study.compare(_table1([("city", "2001-2005")], avg_path_length_gephi=np.nan))
    row = found.table.set_index("indicator").loc["avg_path_length"]
    assert row["study"] == 2.176  # the study's city 2001-2005 value
    assert math.isnan(row["copatent"])
    assert math.isnan(row["difference"])
    assert math.isnan(row["relative_difference_pct"])
    assert not row["agrees"]


def test_a_table1_without_an_indicator_column_is_refused() -> None:
    table = _table1([("province", "2016-2020")]).drop(columns="in_centralization_maxtie_pct")
    with pytest.raises(ValueError, match="in_centralization_maxtie_pct"):
        study.compare(table)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample.write(
        sample.generate(800, seed=SEED), tmp_path_factory.mktemp("study") / "sample.csv"
    )


def _analyze(export: Path, out: Path, *more: str) -> dict[str, object]:
    args = ["analyze", "--engine", "memory", "--input", str(export), "--restarts", "1",
            "--scale", "province", "--scale", "city", "--period", "2001-2005",
            "--period", "2016-2020", "--out", str(out), "--json", *more]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    found: dict[str, object] = json.loads(result.output)
    return found


def test_analyze_compare_study_writes_study_comparison_csv(export: Path, tmp_path: Path) -> None:
    found = _analyze(export, tmp_path, "--compare-study")
    written = pd.read_csv(tmp_path / "study_comparison.csv", encoding="utf-8-sig")
    assert list(written.columns) == list(study.COLUMNS)
    # province 2001-2005 and 2016-2020, city 2001-2005: the study prints no city 2016-2020
    assert len(written) == 3 * len(study.INDICATORS)
    assert any("city 2016-2020" in str(note) for note in found["notes"])  # type: ignore[attr-defined]
    # copatent's column is table1.csv's value for the same scale and period
    table1 = pd.read_csv(tmp_path / "table1.csv", encoding="utf-8-sig")
    for row in written.to_dict("records"):
        match = table1[(table1["scale"] == row["scale"]) & (table1["period"] == row["period"])]
        assert_allclose(row["copatent"], match[row["copatent_column"]].iloc[0])
    assert found["study_comparison"] == [
        {key: (None if isinstance(v, float) and math.isnan(v) else v) for key, v in row.items()}
        for row in written.to_dict("records")
    ]
    assert str(tmp_path / "study_comparison.csv") in found["files"]  # type: ignore[operator]


def test_analyze_compares_nothing_by_default(export: Path, tmp_path: Path) -> None:
    found = _analyze(export, tmp_path)
    assert "study_comparison" not in found
    assert (tmp_path / "table1.csv").exists()
    assert not (tmp_path / "study_comparison.csv").exists()


def test_analyze_says_when_no_period_is_the_studys(export: Path, tmp_path: Path) -> None:
    args = ["analyze", "--engine", "memory", "--input", str(export), "--restarts", "1",
            "--scale", "province", "--period", "2001-2010", "--out", str(tmp_path),
            "--compare-study"]  # fmt: skip
    result = CliRunner().invoke(cli.app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["study_comparison"] == []
    assert "study comparison: 2001-2010: not a period of the study's Table 1" in " ".join(
        found["notes"]
    )
    written = pd.read_csv(tmp_path / "study_comparison.csv", encoding="utf-8-sig")
    assert written.empty
    assert list(written.columns) == list(study.COLUMNS)
    result = CliRunner().invoke(cli.app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "study comparison: nothing of this run is in the study's Table 1" in result.output


def test_analyze_prints_the_comparison(export: Path, tmp_path: Path) -> None:
    args = ["analyze", "--engine", "memory", "--input", str(export), "--restarts", "1",
            "--scale", "province", "--period", "2016-2020", "--out", str(tmp_path),
            "--compare-study"]  # fmt: skip
    result = CliRunner().invoke(cli.app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "the study's Table 1 beside copatent's" in result.output
    assert "out-centr. %" in result.output
    assert "study: Hu, Shi, Wei" in result.output  # the source, in the caption
