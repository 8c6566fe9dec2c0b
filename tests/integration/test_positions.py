"""The analysis results in the graph (docs/graph-model.md): Position, Period and ARC, on the real server.

One generated sample (4,000 patents, seed 7, as test_report.py) is loaded once; ``copatent analyze``
(every scale) publishes it, a second ``analyze`` must leave the same graph, and ``copatent
subgroups`` adds the blocks. The guide's and the cookbook's queries then run on that graph.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from copatent import engines, guide, publish, server
from copatent.analytics.periods import SCALES
from copatent.db import Database
from copatent.engines.neo4j import Neo4jEngine
from copatent.loader import pipeline, writer
from copatent.sample import generator as sample
from tests.integration.conftest import TEST_QUERIES, run_cli
from tests.integration.test_consistency import _at_once

SEED = 7
PATENTS = 4_000


@pytest.fixture(scope="module")
def admin(neo4j_server: server.LocalServer) -> Any:
    with Database(neo4j_server.settings(), queries=TEST_QUERIES) as database:
        yield database


@pytest.fixture(scope="module")
def loaded(db: Database, admin: Database, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("positions")
    export = sample.write(sample.generate(PATENTS, seed=SEED), folder / "sample.csv")
    prepared = pipeline.prepare_files([export], keywords=pipeline.default_keywords())
    admin.run("fixture/delete_all", write=True)
    writer.write(db, prepared, key="positions-sample")
    return folder


def counts(admin: Database) -> dict[str, int]:
    row = admin.run("fixture/count_results").iloc[0]
    return {k: int(v) for k, v in row.items()}


@pytest.fixture(scope="module")
def analysed(
    neo4j_server: server.LocalServer, loaded: Path, admin: Database
) -> tuple[Path, dict[str, Any], dict[str, int]]:
    """``copatent analyze`` (every scale, every period): its folder, --json and the graph's counts."""
    out = loaded / "analysis"
    proc = run_cli(neo4j_server, "analyze", "--out", str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    return out, json.loads(proc.stdout), counts(admin)


@pytest.fixture(scope="module")
def subgrouped(
    neo4j_server: server.LocalServer,
    analysed: tuple[Path, dict[str, Any], dict[str, int]],
) -> Path:
    """``copatent subgroups`` (province and city, 2016-2020, every method) after the analysis."""
    out = analysed[0].parent / "subgroups"
    proc = run_cli(neo4j_server, "subgroups", "--method", "all", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_positions_and_arcs_are_the_analysis(
    analysed: tuple[Path, dict[str, Any], dict[str, int]], admin: Database
) -> None:
    out, found, _ = analysed
    table1 = pd.read_csv(out / "table1.csv", encoding="utf-8-sig").set_index(["scale", "period"])
    written = admin.run("fixture/count_positions").set_index(["scale", "period"])
    assert set(found["scales"]) == set(SCALES)
    for scale in SCALES:
        for period in found["periods"]:
            row, t1 = written.loc[(scale, period)], table1.loc[(scale, period)]
            centrality = pd.read_csv(out / f"centrality_{scale}_{period}.csv", encoding="utf-8-sig")
            edges = pd.read_csv(out / f"edges_{scale}_{period}.csv", encoding="utf-8-sig")
            assert row["positions"] == t1["nodes"] == len(centrality), (scale, period)
            assert row["arcs"] == t1["edges"] == len(edges), (scale, period)
            # Table 1's valued density is the total weight over n(n-1)
            total = t1["density_valued"] * t1["nodes"] * (t1["nodes"] - 1)
            assert_allclose(row["weight"], total, rtol=1e-9)
            assert row["weight"] == edges["weight"].sum()


def test_a_regions_position_holds_what_the_csv_says(
    analysed: tuple[Path, dict[str, Any], dict[str, int]], admin: Database
) -> None:
    out, _, _ = analysed
    for scale in ("province", "city"):
        centrality = pd.read_csv(
            out / f"centrality_{scale}_2016-2020.csv", encoding="utf-8-sig", dtype={"node": str}
        )
        flow = pd.read_csv(
            out / f"flow_{scale}_2016-2020.csv", encoding="utf-8-sig", dtype={"node": str}
        )
        beijing = centrality[centrality["node"] == "110000"].iloc[0]
        row = admin.run(
            "fixture/position", {"scale": scale, "period": "2016-2020", "key": "110000"}
        ).iloc[0]
        props = row["properties"]
        assert props["name"] == "北京市"
        assert props["name_en"] == "Beijing"
        assert props["rank"] == 1 + int(centrality.index[centrality["node"] == "110000"][0])
        for column in ("weighted_degree", "in_strength", "out_strength", "out_degree",
                       "in_degree", "betweenness", "out_closeness", "in_closeness",
                       "clustering", "internal", "community", "tier"):  # fmt: skip
            assert_allclose(props[column], beijing[column], rtol=1e-9, err_msg=column)
        f = flow[flow["node"] == "110000"].iloc[0]
        assert_allclose(props["flow_a"], f["effective_flow"], rtol=1e-9)
        assert props["role"] == f["role"]
        assert props["flow_tier"] == f["tier"]
        assert f"Tier{props['tier']}" in row["labels"]
        assert "concor" not in props  # no subgroups yet for this run
        expected = set(centrality.columns) - {"node"} | {
            "scale", "period", "key", "name_en", "rank",
            "flow_a", "role", "flow_tier", "flow_tier_range",
        }  # fmt: skip
        assert set(props) == expected, scale


def test_tier_labels_match_the_tier_property(
    analysed: tuple[Path, dict[str, Any], dict[str, int]], admin: Database
) -> None:
    tiers = admin.run("fixture/position_tiers")
    for tier, labels in zip(tiers["tier"], tiers["tier_labels"], strict=True):
        assert list(labels) == ([] if pd.isna(tier) else [f"Tier{int(tier)}"]), tier
    assert set(tiers["tier"].dropna().astype(int)) == {1, 2, 3, 4}


def test_a_rerun_replaces_and_never_adds(
    neo4j_server: server.LocalServer,
    analysed: tuple[Path, dict[str, Any], dict[str, int]],
    admin: Database,
) -> None:
    out, _, before = analysed
    assert before["positions"] > 0
    assert before["arcs"] > 0
    assert before["of_rels"] == before["in_rels"] == before["positions"]
    assert before["periods"] == 4
    proc = run_cli(neo4j_server, "analyze", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert counts(admin) == before


def test_subgroups_fill_the_blocks_of_the_positions(
    subgrouped: Path,
    analysed: tuple[Path, dict[str, Any], dict[str, int]],
    admin: Database,
) -> None:
    assert counts(admin) == analysed[2]  # the 2016-2020 positions replaced, none added
    for scale in ("province", "city"):
        written = admin.run(
            "fixture/position_blocks", {"scale": scale, "period": "2016-2020"}
        ).set_index("node")
        for method in ("concor", "louvain", "leiden"):
            members = pd.read_csv(
                subgrouped / f"{scale}_2016-2020_{method}_members.csv",
                encoding="utf-8-sig",
                dtype={"node": str},
            )
            expected = dict(zip(members["node"], members["block"], strict=True))
            assert written[method].notna().all(), (scale, method)
            assert written[method].astype(int).to_dict() == expected, (scale, method)
    earlier = admin.run("fixture/position_blocks", {"scale": "province", "period": "2011-2015"})
    assert earlier[["concor", "louvain", "leiden"]].isna().all().all()


CITY_PARAMS = {
    "scale": "city",
    "period": "2016-2020",
    "region": "Beijing",  # an English name
    "other": "310000",  # Shanghai's adcode
    "method": "concor",
}
QUERIES = [name for folder in guide.FOLDERS for name in guide.queries(folder)]


@pytest.mark.parametrize(
    "params", [dict(guide.GUIDE_PARAMS), CITY_PARAMS], ids=["defaults", "city-english-adcode"]
)
def test_every_guide_and_cookbook_query_returns_rows(
    subgrouped: Path, db: Database, params: dict[str, str]
) -> None:
    empty = [name for name in QUERIES if db.run(name, params).empty]
    assert not empty, empty


NOT_AT_THE_APPLICANT_SCALE = {
    "guide/05_subgroup_members",  # subgroups are computed for regions only
    "cookbook/06_block_links",
    "cookbook/07_region_applicants",  # applicants are not located in applicants
    "cookbook/10_distance_bands",  # applicants have no seat
}


def test_the_queries_at_the_applicant_scale(subgrouped: Path, db: Database) -> None:
    """The strongest applicant arc's two ends as $region and $other."""
    params = dict(guide.GUIDE_PARAMS, scale="applicant")
    top = db.run("cookbook/02_strongest_arcs", params).iloc[0]
    params |= {"region": top["leader"], "other": top["partner"]}
    empty = {name for name in QUERIES if db.run(name, params).empty}
    assert empty == NOT_AT_THE_APPLICANT_SCALE


def test_the_drilldown_shows_every_collaboration_of_the_arc(subgrouped: Path, db: Database) -> None:
    """Behind the arc Beijing -> Shanghai: one (first applicant, other applicant) pair per
    collaboration the COLLABORATES weight counts, in every period with at most 25 patents."""
    checked = 0
    for scale in ("province", "city"):
        for period in ("2001-2005", "2006-2010", "2011-2015", "2016-2020"):
            params = dict(guide.GUIDE_PARAMS, scale=scale, period=period)
            shown = db.run("guide/07_drilldown", params)
            pairs = sum(len(p) for p in shown["pairs"])
            arc = db.run("guide/04_pair_over_periods", params).set_index("period")
            assert 0 < len(shown) <= 25
            if len(shown) < 25:
                assert pairs == arc.loc[period, "region_led"], (scale, period)
                checked += 1
    assert checked >= 4


def test_two_publishes_at_once_leave_one_set_of_positions(
    subgrouped: Path, neo4j_server: server.LocalServer, db: Database, admin: Database
) -> None:
    """The publish lock: two analyses publishing together write one after the other."""
    result = engines.analyze(Neo4jEngine(db, restarts=1), scales=["province", "city"])
    publish.analysis(db, result)
    one_run = admin.run("fixture/count_positions")
    with Database(neo4j_server.settings()) as other:
        for _ in range(3):
            _at_once([db, other], lambda runner: publish.analysis(runner, result))
            pd.testing.assert_frame_equal(admin.run("fixture/count_positions"), one_run)
