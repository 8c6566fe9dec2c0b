"""The neo4j engine (Cypher + GDS on the real server) against the memory engine (pandas + igraph).

Both run on the same generated sample, loaded once. DESIGN.md "Engines": the edge lists, nodes,
degrees, strengths, betweenness, closeness, clustering, components, path lengths and everything
computed from them agree to 1e-9; Louvain and Leiden partitions may differ, but their
modularity, measured by the same function, agrees within 0.01.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from pandas.testing import assert_frame_equal

from copatent import publish, server
from copatent.analytics import analysis, centrality, indicators, paths
from copatent.analytics.community import modularity
from copatent.analytics.periods import DEFAULT_PERIODS, SCALES, PeriodGraph, Scale
from copatent.db import Database
from copatent.engines.memory import MemoryEngine
from copatent.engines.neo4j import Neo4jEngine
from copatent.loader import pipeline, writer
from copatent.sample import generator as sample
from copatent.sample import statistics as sample_statistics
from tests.integration.conftest import TEST_QUERIES, run_cli

SEED = 11
PATENTS = 8_000  # about 2,600 loaded: a few hundred applicants per period


def _sample_file(factory: pytest.TempPathFactory) -> Path:
    folder = factory.getbasetemp() / "engines"
    if not (folder / "sample.csv").exists():
        folder.mkdir(exist_ok=True)
        sample.write(sample.generate(PATENTS, seed=SEED), folder / "sample.csv")
    return folder / "sample.csv"


@pytest.fixture(scope="module")
def loaded(
    neo4j_server: object, db: Database, tmp_path_factory: pytest.TempPathFactory
) -> pipeline.Prepared:
    """The sample written into the emptied session database; its clean tables for the memory engine."""
    path = _sample_file(tmp_path_factory)
    prepared = pipeline.prepare_files(
        [Path(path)], keywords=pipeline.default_keywords(), drop_policy="patent"
    )
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        admin.run("fixture/delete_all", write=True)
    writer.write(db, prepared, key="engines-sample")
    return prepared


@pytest.fixture(scope="module")
def both(
    loaded: pipeline.Prepared, db: Database
) -> dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]]:
    neo = Neo4jEngine(db, betweenness_sources=None, leiden=True)
    mem = MemoryEngine(loaded, leiden=True)
    return {
        scale: (
            neo.period_graphs(scale, DEFAULT_PERIODS),
            mem.period_graphs(scale, DEFAULT_PERIODS),
        )
        for scale in SCALES
    }


@pytest.mark.parametrize("scale", SCALES)
def test_engines_agree(
    both: dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]], scale: Scale
) -> None:
    for neo, mem in zip(*both[scale], strict=True):
        assert neo.label == mem.label
        assert len(neo.edges) > 10, "the sample should give every period a network"
        assert_frame_equal(neo.edges, mem.edges)
        assert_frame_equal(neo.nodes, mem.nodes, check_dtype=False)
        assert_frame_equal(neo.measures, mem.measures, check_dtype=False, rtol=1e-9, atol=1e-9)
        assert (neo.unplaced, neo.internal) == (mem.unplaced, mem.internal)
        assert neo.diameter == mem.diameter
        assert_allclose(neo.path_length, mem.path_length, rtol=1e-9)
        ours = indicators.indicators(neo.network, communities=neo.communities).as_dict()
        theirs = indicators.indicators(mem.network, communities=mem.communities).as_dict()
        q_neo, q_mem = ours.pop("modularity"), theirs.pop("modularity")
        ours.pop("communities"), theirs.pop("communities")
        assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12)
        assert abs(q_neo - q_mem) <= 0.01, (scale, neo.label, q_neo, q_mem)
        assert neo.leiden is not None
        assert mem.leiden is not None
        q_neo, q_mem = modularity(neo.network, neo.leiden), modularity(mem.network, mem.leiden)
        assert abs(q_neo - q_mem) <= 0.01, ("leiden", scale, neo.label, q_neo, q_mem)
        for graph, labels in ((neo, neo.leiden), (mem, mem.leiden)):
            assert _communities_connected(graph, labels), (graph, scale, neo.label)


def _communities_connected(graph: PeriodGraph, labels: np.ndarray) -> bool:
    """Leiden's guarantee (Traag et al. 2019): each community induces a connected subgraph."""
    undirected = graph.network.graph.as_undirected()
    return all(
        undirected.induced_subgraph(np.flatnonzero(labels == c).tolist()).is_connected()
        for c in np.unique(labels)
    )


def test_collaborates_relationships_match_the_edges_and_rebuild_idempotently(
    both: dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]], db: Database
) -> None:
    """The engine only reads; publish writes the networks, and a second publish changes nothing."""
    result = analysis.analyze({scale: both[scale][0] for scale in SCALES})
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        publish.collaborations(db, result)
        before = admin.run("fixture/count_collaborates")
        Neo4jEngine(db, restarts=1).period_graphs("city", DEFAULT_PERIODS[-1:])
        untouched = admin.run("fixture/count_collaborates")
        publish.collaborations(db, result)
        after = admin.run("fixture/count_collaborates")
    assert_frame_equal(before, untouched)
    assert_frame_equal(before, after)
    counted = before.set_index(["scale", "period"])
    for scale in SCALES:
        for graph in both[scale][0]:
            row = counted.loc[(scale, graph.label)]
            assert row["edges"] == len(graph.edges)
            assert row["weight"] == graph.edges["weight"].sum()


def test_reruns_give_the_same_partition(
    both: dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]],
    loaded: pipeline.Prepared,
    db: Database,
) -> None:
    again = Neo4jEngine(db, betweenness_sources=None).period_graphs("city", DEFAULT_PERIODS)
    for first, second in zip(both["city"][0], again, strict=True):
        assert first.communities.tolist() == second.communities.tolist()
    again = Neo4jEngine(db, leiden=True).period_graphs("province", DEFAULT_PERIODS)
    for first, second in zip(both["province"][0], again, strict=True):
        assert first.leiden is not None
        assert second.leiden is not None
        assert first.leiden.tolist() == second.leiden.tolist()
    mem = MemoryEngine(loaded, leiden=True).period_graphs("city", DEFAULT_PERIODS)
    for first, second in zip(both["city"][1], mem, strict=True):
        assert first.communities.tolist() == second.communities.tolist()
        assert first.leiden is not None
        assert second.leiden is not None
        assert first.leiden.tolist() == second.leiden.tolist()


def test_sampled_betweenness_is_flagged_and_close(
    both: dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]], db: Database
) -> None:
    """Half the sources: flagged, and rescaled by n/k to the exact value's scale."""
    exact = both["applicant"][0][-1]
    n = len(exact.nodes)
    sampled = Neo4jEngine(db, betweenness_sources=n // 2, restarts=1).period_graphs(
        "applicant", DEFAULT_PERIODS[-1:]
    )[0]
    assert sampled.betweenness_sources == n // 2
    assert exact.betweenness_sources is None
    estimate = sampled.measures["betweenness"].to_numpy()
    truth = exact.measures["betweenness"].to_numpy()
    assert not np.allclose(estimate, truth), "sampling should change the numbers"
    assert 0.8 < estimate.sum() / truth.sum() < 1.25  # unscaled, it was about 0.5
    spearman = pd.Series(estimate).rank().corr(pd.Series(truth).rank())
    assert spearman > 0.8


def test_sampled_betweenness_agrees_across_engines_within_the_estimates_error(
    both: dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]],
    loaded: pipeline.Prepared,
    db: Database,
) -> None:
    """Above the size of exact betweenness (lowered here to three quarters of each period's
    applicants), both engines estimate it from the same number of sources with the same seed,
    and say so. GDS draws its own sources (it takes no list, and favours high degrees), so the
    engines agree only within the estimates' error. Measured when written, on these 194 to 1,299
    nodes: totals 0.94-1.14 of the exact (GDS) and 0.99-1.07 (memory), 0.94-1.07 of each other;
    Spearman 0.966-0.988 with the exact values and 0.958-1.0 with each other; Pearson 0.984-0.998
    with each other. The bounds below leave a margin; bench/betweenness.py measures the error
    on the large networks where the default of 2,000 sources applies."""
    exact = both["applicant"][1]
    for period, truth in zip(DEFAULT_PERIODS, exact, strict=True):
        k = len(truth.nodes) * 3 // 4
        neo = Neo4jEngine(db, betweenness_sources=k, restarts=1).period_graphs(
            "applicant", [period]
        )[0]
        mem = MemoryEngine(loaded, betweenness_sources=k, restarts=1).period_graphs(
            "applicant", [period]
        )[0]
        assert neo.betweenness_sources == mem.betweenness_sources == k
        assert truth.betweenness_sources is None
        ours, theirs = neo.measures["betweenness"], mem.measures["betweenness"]
        exact_values = truth.measures["betweenness"]
        for estimate in (ours, theirs):
            assert 0.75 < estimate.sum() / exact_values.sum() < 1.25, truth.label
            assert estimate.rank().corr(exact_values.rank()) > 0.95, truth.label
        assert 0.8 < ours.sum() / theirs.sum() < 1.25, truth.label
        assert ours.rank().corr(theirs.rank()) > 0.9, truth.label
        assert ours.corr(theirs) > 0.97, truth.label
        for column in centrality.MEASURES:
            if column != "betweenness":
                assert_allclose(neo.measures[column], mem.measures[column], rtol=1e-9)


def test_estimated_path_lengths_and_swept_diameters_agree_across_engines(
    both: dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]],
    loaded: pipeline.Prepared,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above the sizes of exact path lengths and diameters (lowered here to the sample's
    applicant networks): both engines estimate the mean from the same sampled sources, and sweep
    the same nodes for the diameter's lower bound, so they agree exactly; the bound is at most
    the exact diameter. (How close the estimate comes with how many sources is measured on large
    networks by bench/paths.py; on these few hundred nodes, half of them as sources, within 25 %.)
    """
    exact = both["applicant"][0]
    smallest = min(len(g.nodes) for g in exact)
    monkeypatch.setattr(paths, "PATHS_EXACT_MAX", smallest // 3)
    monkeypatch.setattr(paths, "PATH_SOURCES", smallest // 2)
    monkeypatch.setattr(paths, "DIAMETER_EXACT_MAX", smallest // 3)
    neo = Neo4jEngine(db, betweenness_sources=None, restarts=1).period_graphs(
        "applicant", DEFAULT_PERIODS
    )
    mem = MemoryEngine(loaded, restarts=1).period_graphs("applicant", DEFAULT_PERIODS)
    for n_graph, m_graph, truth in zip(neo, mem, exact, strict=True):
        assert n_graph.path_sources == m_graph.path_sources == smallest // 2
        assert n_graph.diameter_sweeps == m_graph.diameter_sweeps == paths.SWEEPS
        assert_allclose(n_graph.path_length, m_graph.path_length, rtol=1e-12)
        assert n_graph.diameter == m_graph.diameter
        assert_allclose(n_graph.path_length, truth.path_length, rtol=0.25)
        assert 0 < n_graph.diameter <= truth.diameter
        assert truth.path_sources is None
        assert truth.diameter_sweeps is None


def test_cli_analyze_tables_match_the_memory_engine(
    both: dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]],
    loaded: pipeline.Prepared,
    neo4j_server: server.LocalServer,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """`copatent analyze` with each engine, from the command line: the same Table 1 and files."""
    neo = run_cli(
        neo4j_server, "analyze", "--scale", "city", "--out", str(tmp_path / "neo"), "--json"
    )
    mem = run_cli(neo4j_server, "analyze", "--scale", "city", "--out", str(tmp_path / "mem"),
                  "--json", "--engine", "memory", "--input", str(_sample_file(tmp_path_factory)))  # fmt: skip
    assert neo.returncode == 0, neo.stderr
    assert mem.returncode == 0, mem.stderr
    ours, theirs = json.loads(neo.stdout), json.loads(mem.stdout)
    assert (ours["engine"], theirs["engine"]) == ("neo4j", "memory")
    assert len(ours["table1"]) == len(DEFAULT_PERIODS)
    for a, b in zip(ours["table1"], theirs["table1"], strict=True):
        q_a, q_b = a.pop("modularity"), b.pop("modularity")
        a.pop("communities"), b.pop("communities")
        assert {k: v for k, v in a.items() if isinstance(v, str)} == {
            k: v for k, v in b.items() if isinstance(v, str)
        }
        numbers = {k: v for k, v in a.items() if not isinstance(v, str)}
        assert numbers == pytest.approx({k: b[k] for k in numbers}, rel=1e-9)
        assert abs(q_a - q_b) <= 0.01
    assert ours["edge_tiers"] == theirs["edge_tiers"]
    names = {p.name for p in (tmp_path / "neo").iterdir()}
    assert {"table1.csv", "edge_tiers.csv"} <= names
    for label in ("2001-2005", "2016-2020"):
        assert {f"{kind}_city_{label}.csv" for kind in ("centrality", "flow", "edges")} <= names
    edges = pd.read_csv(tmp_path / "neo" / "edges_city_2016-2020.csv", encoding="utf-8-sig")
    assert len(edges) == len(both["city"][0][-1].edges)
    assert edges["tier"].between(1, 4).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2020-2016"], "period '2020-2016'"),
        (["--engine", "memory"], "--engine memory reads the exports"),
        (["--input", "pyproject.toml"], "--input is for --engine memory"),
    ],
    ids=["reversed-period", "memory-without-input", "input-with-neo4j"],
)
def test_cli_analyze_bad_options_fail_in_one_line(
    neo4j_server: server.LocalServer, tmp_path: Path, args: list[str], message: str
) -> None:
    proc = run_cli(neo4j_server, "analyze", "--out", str(tmp_path / "out"), *args)
    assert proc.returncode == 6
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert message in proc.stderr
    assert not (tmp_path / "out").exists()


def test_cli_subgroups_agree_across_engines_and_reach_the_graph(
    loaded: pipeline.Prepared,
    neo4j_server: server.LocalServer,
    db: Database,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """`copatent subgroups`: CONCOR blocks are the same from both engines (the same network), the
    Leiden blocks are as good by modularity, and the neo4j engine writes each province's blocks
    as the concor, louvain and leiden properties of its 2016-2020 Position. The images are drawn
    with the study's rule (--image-cutoff block-mean) by both."""
    common = ["subgroups", "--scale", "province", "--method", "all", "--json",
              "--image-cutoff", "block-mean"]  # fmt: skip
    neo = run_cli(neo4j_server, *common, "--out", str(tmp_path / "neo"))
    mem = run_cli(neo4j_server, *common, "--out", str(tmp_path / "mem"), "--engine", "memory",
                  "--input", str(_sample_file(tmp_path_factory)))  # fmt: skip
    assert neo.returncode == 0, neo.stderr
    assert mem.returncode == 0, mem.stderr
    ours = {g["blocks_method"]: g for g in json.loads(neo.stdout)["subgroups"]}
    theirs = {g["blocks_method"]: g for g in json.loads(mem.stdout)["subgroups"]}
    assert set(ours) == set(theirs) == {"concor", "louvain", "leiden"}
    for key in ("members", "blocks", "density_matrix_binary", "image_matrix_valued", "ei_groups",
                "image_cutoff_rule", "image_cutoff_binary", "image_cutoff_valued"):  # fmt: skip
        assert ours["concor"][key] == theirs["concor"][key], key
    assert ours["concor"]["image_cutoff_rule"] == "block-mean"
    assert 2 <= len(ours["concor"]["blocks"]) <= 4
    for method in ("louvain", "leiden"):
        assert abs(ours[method]["block_modularity"] - theirs[method]["block_modularity"]) <= 0.01
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        written = admin.run(
            "fixture/position_blocks", {"scale": "province", "period": "2016-2020"}
        ).set_index("node")
    for method, found in ours.items():
        expected = {m["node"]: m["block"] for m in found["members"]}
        assert written[method].astype(int).to_dict() == expected, method
    assert (tmp_path / "neo" / "province_2016-2020_leiden_ei.csv").exists()
    summary = pd.read_csv(tmp_path / "neo" / "summary.csv", encoding="utf-8-sig")
    assert summary["method"].tolist() == ["concor", "louvain", "leiden"]
    assert_allclose(summary["modularity"], [ours[m]["block_modularity"] for m in summary["method"]])
    assert summary["image_cutoff_rule"].tolist() == ["block-mean"] * 3


def test_cli_detect_on_the_network_agrees_across_engines(
    loaded: pipeline.Prepared,
    neo4j_server: server.LocalServer,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """`copatent detect --factors`: the sample's synthetic statistics joined to the 2016-2020
    nodes at both scales; both engines give the same nodes, so the same q and p."""
    files = sample_statistics.write_beside(tmp_path / "sample.xlsx")
    common = ["detect", "--scale", "all", "--factors", str(files["province"]),
              "--factors", str(files["city"]), "--interaction", "--json",
              "--period", "2011-2015", "--period", "2016-2020"]  # fmt: skip
    neo = run_cli(neo4j_server, *common, "--out", str(tmp_path / "gd"))
    mem = run_cli(neo4j_server, *common, "--engine", "memory",
                  "--input", str(_sample_file(tmp_path_factory)))  # fmt: skip
    assert neo.returncode == 0, neo.stderr
    assert mem.returncode == 0, mem.stderr
    ours, theirs = json.loads(neo.stdout)["detections"], json.loads(mem.stdout)["detections"]
    assert [(d["scale"], d["period"]) for d in ours] == [
        ("province", "2011-2015"), ("province", "2016-2020"),
        ("city", "2011-2015"), ("city", "2016-2020"),
    ]  # fmt: skip
    assert len(json.loads(neo.stdout)["files"]) == 4 * 3  # factor, strata, interaction
    for a, b in zip(ours, theirs, strict=True):
        assert a["n"] == b["n"] > 10
        assert a["factor"] == b["factor"]
        assert a["notes"] == b["notes"]
        assert {f["x"] for f in a["factor"]} == set(sample_statistics.INDICATORS)
        assert len(a["interaction"]) == 28  # 8 factors, every pair
        best = max(a["factor"], key=lambda f: f["q"])
        assert best["x"] in {"patents_granted", "st_expenditure"}  # the generated structure
