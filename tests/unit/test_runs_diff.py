"""What changed between two runs: two report folders of the memory engine, compared.

The earlier run sees the sample's patents applied for up to 2015 (three periods, baseline
2011-2015), the later one the whole sample (four periods, baseline 2016-2020): the same
patents up to 2015, so only 2016-2020, the edge tier breaks (another baseline) and the
factor q (another period) change.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from copatent import cli
from copatent.runs.diff import KEYS, diff_outputs, summary_lines
from copatent.sample import generator, statistics

SEED = 5
EARLY_PERIODS = ("2001-2005", "2006-2010", "2011-2015")
SCALES = ("province", "city")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two report folders: ``early`` (applications up to 2015) and ``full``."""
    folder = tmp_path_factory.mktemp("runs")
    frame = generator.generate(3_000, seed=SEED)
    year = pd.to_numeric(frame["申请日"].str[:4], errors="coerce")  # 未知 and the like: NaN
    full = generator.write(frame, folder / "full.csv")
    early = generator.write(frame[year <= 2015].reset_index(drop=True), folder / "early.csv")
    factors = statistics.write_beside(full, seed=SEED)
    common = [
        "report", "--engine", "memory", "--scale", "province", "--scale", "city",
        "--factors", str(factors["province"]), "--factors", str(factors["city"]), "--no-figures",
    ]  # fmt: skip
    periods = [arg for p in EARLY_PERIODS for arg in ("--period", p)]
    made = {
        "early": [*common, "--input", str(early), *periods, "--baseline", "2011-2015"],
        "full": [*common, "--input", str(full)],
    }
    out = {}
    for name, args in made.items():
        out[name] = folder / "runs" / name
        result = CliRunner().invoke(cli.app, [*args, "--out", str(out[name])])
        assert result.exit_code == 0, result.output
    return out


def _centrality(folder: Path, scale: str, period: str) -> pd.DataFrame:
    return _csv(folder / "analysis" / f"centrality_{scale}_{period}.csv")


def _rows(diff: dict[str, object], key: str) -> list[dict[str, object]]:
    rows = diff[key]
    assert isinstance(rows, list)
    return rows


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_a_new_period_lists_its_regions_and_its_indicators(runs: dict[str, Path]) -> None:
    found = diff_outputs(runs["early"], runs["full"])
    assert (found["before"], found["after"]) == ("early", "full")
    added = found["regions_added"]
    assert isinstance(added, list)
    for scale in SCALES:
        nodes = _centrality(runs["full"], scale, "2016-2020")
        listed = [r["region"] for r in added if r["scale"] == scale]
        assert listed == nodes["node"].tolist()  # every region of 2016-2020, in the table's order
        assert {r["period"] for r in added if r["scale"] == scale} == {"2016-2020"}
    assert found["regions_removed"] == []
    assert found["tier_changes"] == []  # node tiers are cut per period: the same up to 2015
    table1 = found["table1"]
    assert isinstance(table1, list)
    indicators = list(_csv(runs["full"] / "analysis" / "table1.csv").columns)
    assert len(table1) == len(SCALES) * (len(indicators) - 3)  # but scale, period, betweenness
    assert {(r["scale"], r["period"]) for r in table1} == {(s, "2016-2020") for s in SCALES}
    assert all(r["before"] is None and r["after"] is not None for r in table1)
    # the factor detector ran on each run's baseline: q compared across the two periods
    factors = found["factors"]
    assert isinstance(factors, list)
    assert factors
    assert {(r["before_period"], r["after_period"]) for r in factors} == {
        ("2011-2015", "2016-2020")
    }
    # arcs added: only 2016-2020 is new, and only its two strongest tiers are listed
    arcs = found["arcs_added"]
    assert isinstance(arcs, list)
    assert arcs
    assert all(r["period"] == "2016-2020" and r["tier"] >= 3 for r in arcs)


def test_the_sentences_count_the_regions_added(runs: dict[str, Path]) -> None:
    lines = summary_lines(diff_outputs(runs["early"], runs["full"]))
    for scale in SCALES:
        n = len(_centrality(runs["full"], scale, "2016-2020"))
        assert any(line.startswith(f"{scale} 2016-2020: {n} regions added (") for line in lines)
        assert any(line.startswith(f"{scale} 2016-2020: new period, {n} nodes") for line in lines)
    assert any(line.startswith("q of ") for line in lines)


def test_a_folder_against_itself_has_no_change(runs: dict[str, Path]) -> None:
    found = diff_outputs(runs["full"], runs["full"])
    assert all(found[key] == [] for key in KEYS[2:])
    assert summary_lines(found) == ["no change from full to full"]


def test_one_edited_tier_and_one_dropped_arc_are_what_changed(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    edited = tmp_path / "edited"
    shutil.copytree(runs["full"], edited)
    # one region's weighted-degree tier, city 2016-2020
    path = edited / "analysis" / "centrality_city_2016-2020.csv"
    nodes = _csv(path)
    row = nodes.iloc[5]
    tier = int(row["tier"])
    nodes.loc[nodes.index[5], "tier"] = str(1 if tier > 1 else 2)
    nodes.to_csv(path, index=False, encoding="utf-8-sig")
    # a top-tier arc and a tier-1 arc dropped, province 2016-2020: only the first is listed
    path = edited / "analysis" / "edges_province_2016-2020.csv"
    arcs = _csv(path)
    tiers = arcs["tier"].astype(int)
    top = arcs[tiers == tiers.max()].index[0]
    weak = arcs[tiers == 1].index[0]
    gone = arcs.loc[top]
    arcs.drop(index=[top, weak]).to_csv(path, index=False, encoding="utf-8-sig")

    found = diff_outputs(runs["full"], edited)

    assert found["tier_changes"] == [
        {
            "scale": "city",
            "period": "2016-2020",
            "region": row["node"],
            "name": row["name"],
            "before": tier,
            "after": 1 if tier > 1 else 2,
        }
    ]
    assert found["arcs_removed"] == [
        {
            "scale": "province",
            "period": "2016-2020",
            "source": gone["source"],
            "source_name": gone["source_name"],
            "target": gone["target"],
            "target_name": gone["target_name"],
            "weight": float(gone["weight"]),
            "tier": int(gone["tier"]),
        }
    ]
    others = set(KEYS[2:]) - {"tier_changes", "arcs_removed"}
    assert {key: found[key] for key in others} == {key: [] for key in others}
    lines = summary_lines(found)
    assert len(lines) == 2
    assert lines[1].startswith(f"{gone['source_name']} → {gone['target_name']} left tier")


def test_the_json_has_the_keys_of_the_contract(runs: dict[str, Path]) -> None:
    found = diff_outputs(runs["early"], runs["full"])
    assert list(found) == [
        "before", "after", "table1", "regions_added", "regions_removed", "tier_changes",
        "arcs_added", "arcs_removed", "arc_tier_changes", "edge_tier_breaks", "factors",
    ]  # fmt: skip
    fields = {
        "table1": {"scale", "period", "indicator", "before", "after"},
        "regions_added": {"scale", "period", "region", "name"},
        "regions_removed": {"scale", "period", "region", "name"},
        "tier_changes": {"scale", "period", "region", "name", "before", "after"},
        "arcs_added": {
            "scale", "period", "source", "source_name", "target", "target_name", "weight", "tier",
        },
        "arc_tier_changes": {
            "scale", "period", "source", "source_name", "target", "target_name",
            "weight_before", "weight_after", "before", "after",
        },
        "edge_tier_breaks": {"scale", "before", "after"},
        "factors": {"scale", "factor", "before", "after", "before_period", "after_period"},
    }  # fmt: skip
    back = diff_outputs(runs["full"], runs["early"])  # what was added is removed
    for key, names in fields.items():
        rows = [r for diff in (found, back) for r in _rows(diff, key)]
        assert all(set(r) == names for r in rows), key
        assert rows or key == "tier_changes", key  # tier changes: test_one_edited_tier_...
    for diff in (found, back):
        assert json.loads(json.dumps(diff, allow_nan=False)) == diff  # plain values, no NaN


def test_a_period_gone_has_null_after_values(runs: dict[str, Path]) -> None:
    found = diff_outputs(runs["full"], runs["early"])
    table1 = found["table1"]
    assert isinstance(table1, list)
    assert table1
    assert all(r["period"] == "2016-2020" and r["after"] is None for r in table1)
    removed = found["regions_removed"]
    assert isinstance(removed, list)
    assert len(removed) == sum(len(_centrality(runs["full"], s, "2016-2020")) for s in SCALES)
    assert found["regions_added"] == []
    n = len(_centrality(runs["full"], "province", "2016-2020"))
    lines = summary_lines(found)
    assert any(line.startswith(f"province 2016-2020: period gone (had {n} nodes") for line in lines)


def test_runs_diff_json_on_the_command_line(runs: dict[str, Path]) -> None:
    result = CliRunner().invoke(
        cli.app, ["runs", "diff", str(runs["early"]), str(runs["full"]), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["after"] == "full"
    result = CliRunner().invoke(cli.app, ["runs", "diff", str(runs["early"]), str(runs["full"])])
    assert result.exit_code == 0, result.output
    assert "regions added" in result.output


def test_a_folder_that_is_no_report_is_one_line(runs: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "analysis").mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "copatent", "runs", "diff", str(tmp_path), str(runs["full"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 6
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"copatent: error: {tmp_path}: not a copatent report output (no analysis/table1.csv)"
    ]
