"""Distance sums by bit-parallel search: the closeness of igraph, out and in, on random networks."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest
from numpy.testing import assert_allclose

from copatent.analytics import centrality, distances
from tests.unit.test_paths import random_network


@pytest.mark.parametrize(
    ("n", "m", "seed"),
    [(5, 0, 0), (40, 30, 1), (300, 600, 2), (700, 2_500, 3)],
    ids=["no arcs", "sparse, many components", "more than one batch", "three batches, dense"],
)
def test_closeness_equals_igraphs(n: int, m: int, seed: int) -> None:
    g = ig.Graph(n=n, directed=True) if m == 0 else random_network(n, m, seed).graph
    arcs = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    found = distances.distance_sums(g.vcount(), arcs[:, 0], arcs[:, 1])
    for mode in ("out", "in"):
        expected = np.nan_to_num(np.array(g.closeness(mode=mode), dtype=float))
        assert_allclose(found.closeness(mode), expected, rtol=1e-12, atol=0)
    hops = np.asarray(g.distances(mode="out"), dtype=float)
    hops[~np.isfinite(hops)] = 0
    assert found.out_sums.tolist() == hops.sum(axis=1).tolist()
    assert found.in_sums.tolist() == hops.sum(axis=0).tolist()
    assert found.out_reached.tolist() == (hops > 0).sum(axis=1).tolist()
    assert found.in_reached.tolist() == (hops > 0).sum(axis=0).tolist()


def test_node_measures_closeness_is_igraphs() -> None:
    net = random_network(600, 1_500, seed=4)
    measures = centrality.node_measures(net)
    for mode in ("out", "in"):
        expected = np.nan_to_num(np.array(net.graph.closeness(mode=mode), dtype=float))
        assert_allclose(measures[f"{mode}_closeness"], expected, rtol=1e-12)
