"""The neo4j engine (Cypher + GDS on the real server) against the memory engine (pandas + igraph).

Both run on the same generated sample, loaded once. DESIGN.md "Engines": the edge lists, nodes,
degrees, strengths, betweenness, closeness, clustering, components, path lengths and everything
computed from them agree to 1e-9; Louvain partitions may differ, but their modularity, measured
by the same function, agrees within 0.01.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from pandas.testing import assert_frame_equal

from copatent.analytics import community, indicators
from copatent.analytics.collab import DEFAULT_PERIODS, SCALES, Scale
from copatent.analytics.engines.base import PeriodGraph
from copatent.analytics.engines.memory import MemoryEngine
from copatent.analytics.engines.neo4j import Neo4jEngine
from copatent.db import Database
from copatent.loader import pipeline, sample, writer
from tests.integration.conftest import TEST_QUERIES

SEED = 11
PATENTS = 8_000  # about 2,600 loaded: a few hundred applicants per period


@pytest.fixture(scope="module")
def loaded(
    neo4j_server: object, db: Database, tmp_path_factory: pytest.TempPathFactory
) -> pipeline.Prepared:
    """The sample written into the emptied session database; its clean tables for the memory engine."""
    path = sample.write(
        sample.generate(PATENTS, seed=SEED), tmp_path_factory.mktemp("engines") / "sample.csv"
    )
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
    neo = Neo4jEngine(db, betweenness_sources=None)
    mem = MemoryEngine(loaded)
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
        assert neo.unplaced == mem.unplaced
        assert neo.diameter == mem.diameter
        assert_allclose(neo.path_length, mem.path_length, rtol=1e-9)
        ours = indicators.indicators(neo.network, communities=neo.communities).as_dict()
        theirs = indicators.indicators(mem.network, communities=mem.communities).as_dict()
        q_neo, q_mem = ours.pop("modularity"), theirs.pop("modularity")
        ours.pop("communities"), theirs.pop("communities")
        assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12)
        assert abs(q_neo - q_mem) <= 0.01, (scale, neo.label, q_neo, q_mem)


def test_collaborates_relationships_match_the_edges_and_rebuild_idempotently(
    both: dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]], db: Database
) -> None:
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        before = admin.run("fixture/count_collaborates")
        Neo4jEngine(db, restarts=1).period_graphs("city", DEFAULT_PERIODS[-1:])
        after = admin.run("fixture/count_collaborates")
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
    mem = MemoryEngine(loaded).period_graphs("city", DEFAULT_PERIODS)
    for first, second in zip(both["city"][1], mem, strict=True):
        assert first.communities.tolist() == second.communities.tolist()


def test_restarts_never_lose_modularity(
    both: dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]], db: Database
) -> None:
    """The best of ten seeded runs is at least as good as the first run alone."""
    single = Neo4jEngine(db, restarts=1, betweenness_sources=None).period_graphs(
        "province", DEFAULT_PERIODS
    )
    for one, best in zip(single, both["province"][0], strict=True):
        q_one = community.modularity(one.network, one.communities)
        assert community.modularity(best.network, best.communities) >= q_one


def test_sampled_betweenness_is_flagged_and_close(
    both: dict[Scale, tuple[list[PeriodGraph], list[PeriodGraph]]], db: Database
) -> None:
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
    spearman = pd.Series(estimate).rank().corr(pd.Series(truth).rank())
    assert spearman > 0.8
