"""Betweenness estimated from sampled sources (memory engine): exact with every source, scaled by
n/k, seeded, unbiased, and said in Table 1."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest
from numpy.testing import assert_allclose

from copatent import engines
from copatent.analytics import centrality
from copatent.analytics.periods import DEFAULT_PERIODS
from copatent.engines.memory import MemoryEngine
from copatent.loader import pipeline
from copatent.sample import generator as sample
from tests.unit.test_paths import random_network

SEED = 42


def test_every_node_as_a_source_is_the_exact_value() -> None:
    g = random_network(300, 900, seed=1).graph
    exact = centrality.betweenness(g)
    assert_allclose(exact, g.betweenness(directed=True))
    assert_allclose(centrality.betweenness(g, np.arange(g.vcount())), exact, rtol=1e-12)


def test_the_sampled_sum_is_scaled_by_n_over_k() -> None:
    """The directed path 0 → 1 → 2 → 3 → 4, sources 0 and 1, counted by hand: from 0, node 1
    lies on 3 shortest paths (to 2, 3, 4), node 2 on 2, node 3 on 1; from 1, node 2 on 2 and
    node 3 on 1. The sums 0, 3, 4, 2, 0 times n/k = 5/2."""
    g = ig.Graph(n=5, edges=[(0, 1), (1, 2), (2, 3), (3, 4)], directed=True)
    found = centrality.betweenness(g, np.array([0, 1]))
    assert found.tolist() == [0.0, 7.5, 10.0, 5.0, 0.0]


@pytest.mark.parametrize(
    ("n", "k", "sampled"),
    [(2_000, 2_000, False), (1_999, 2_000, False), (2_001, 2_000, True), (10, None, False)],
    ids=["n equal to k: exact", "fewer nodes: exact", "more nodes: sampled", "k None: exact"],
)
def test_sources_are_drawn_above_k_nodes_only(n: int, k: int | None, sampled: bool) -> None:
    found = centrality.sample_sources(n, SEED, k)
    assert (found is not None) == sampled
    if found is not None:
        assert k is not None
        assert len(found) == len(set(found.tolist())) == k
        assert found.min() >= 0
        assert found.max() < n


def test_the_draw_is_seeded() -> None:
    first = centrality.sample_sources(5_000, SEED, 500)
    again = centrality.sample_sources(5_000, SEED, 500)
    other = centrality.sample_sources(5_000, SEED + 1, 500)
    assert first is not None
    assert again is not None
    assert other is not None
    assert first.tolist() == again.tolist()
    assert first.tolist() != other.tolist()


def test_the_estimate_is_unbiased() -> None:
    """Uniform sources make the n/k-scaled sum an unbiased estimate (Brandes & Pich 2007): over
    400 seeded draws of 30 sources of 299, the mean estimate of the whole network's betweenness
    comes within 2 % of the exact total (0.1 % when written; single draws were off by up to 17 %)."""
    g = random_network(300, 900, seed=2).graph
    exact = centrality.betweenness(g)
    totals = []
    for seed in range(400):
        sources = centrality.sample_sources(g.vcount(), seed, 30)
        assert sources is not None
        totals.append(centrality.betweenness(g, sources).sum())
    assert np.mean(totals) == pytest.approx(exact.sum(), rel=0.02)


def test_the_memory_engine_estimates_large_networks_and_says_so(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    path = sample.write(sample.generate(4_000, seed=3), tmp_path_factory.mktemp("bc") / "s.csv")
    prepared = pipeline.prepare_files([path], keywords=pipeline.default_keywords())
    exact = MemoryEngine(prepared, restarts=1, betweenness_sources=None)
    truth = exact.period_graphs("applicant", DEFAULT_PERIODS[-1:])[0]
    k = len(truth.nodes) // 2
    engine = MemoryEngine(prepared, restarts=1, betweenness_sources=k)
    graph = engine.period_graphs("applicant", DEFAULT_PERIODS[-1:])[0]
    assert truth.betweenness_sources is None
    assert graph.betweenness_sources == k
    estimate = graph.measures["betweenness"].to_numpy()
    exact_values = truth.measures["betweenness"].to_numpy()
    assert not np.allclose(estimate, exact_values)
    assert estimate.sum() == pytest.approx(exact_values.sum(), rel=0.25)
    again = engine.period_graphs("applicant", DEFAULT_PERIODS[-1:])[0]
    assert again.measures["betweenness"].tolist() == estimate.tolist()  # seeded
    result = engines.analyze(engine, scales=["applicant"], periods=DEFAULT_PERIODS[-1:])
    table = result.table1()
    assert table["betweenness"].tolist() == [f"estimated from {k} sources"]
