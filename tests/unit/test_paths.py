"""Path lengths and diameters of large networks: the closeness identity, sampling, sweeps."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd
import pytest

from copatent.analytics import paths
from copatent.analytics.network import Network


def random_network(n: int, m: int, seed: int) -> Network:
    rng = np.random.default_rng(seed)
    s, t = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = s != t
    edges = pd.DataFrame(
        {"source": [f"a{x:05d}" for x in s[keep]], "target": [f"a{x:05d}" for x in t[keep]],
         "weight": 1.0}
    ).drop_duplicates(["source", "target"])  # fmt: skip
    return Network.from_edges(edges)


def test_sums_from_closeness_recovers_reach_and_distance_sums() -> None:
    """GDS closeness is r/S and its Wasserman-Faust form r²/((n-1)S) (GDS documentation,
    closeness centrality); from the two, each source's r and S come back whole."""
    net = random_network(400, 700, seed=1)
    hops = np.asarray(net.graph.distances(mode="out"), dtype=float)
    hops[~np.isfinite(hops)] = 0
    sums, reached = hops.sum(axis=1), (hops > 0).sum(axis=1)
    n = net.n
    closeness = np.divide(reached, sums, out=np.zeros(n), where=sums > 0)
    wf = np.divide(reached**2, (n - 1) * sums, out=np.zeros(n), where=sums > 0)
    got_sums, got_reached = paths.sums_from_closeness(closeness, wf, n)
    assert got_sums.tolist() == sums.tolist()
    assert got_reached.tolist() == reached.tolist()
    mean, pairs = paths.mean_of(got_sums, got_reached, None)
    assert mean == pytest.approx(net.graph.average_path_length(directed=True, unconn=True))
    assert pairs == int(reached.sum())


@pytest.mark.parametrize(
    ("edges", "diameter"),
    [
        ([(0, 1), (1, 2), (2, 3), (3, 4)], 4),  # a directed path, swept from its middle
        ([(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)], 4),  # a directed cycle
        ([(0, 1), (0, 2), (0, 3), (3, 4), (4, 5)], 3),  # a star with a tail
    ],
)
def test_sweeps_find_the_diameter_of_simple_networks(
    edges: list[tuple[int, int]], diameter: int
) -> None:
    g = ig.Graph(n=1 + max(max(e) for e in edges), edges=edges, directed=True)
    keys = [f"k{i}" for i in range(g.vcount())]
    start = paths.start_node(np.asarray(g.outdegree()), np.asarray(g.indegree()), keys)
    assert paths.sweep(paths._igraph_bfs(g), start, keys) == diameter == g.diameter(directed=True)


def test_the_bound_never_exceeds_the_diameter() -> None:
    for seed in range(5):
        net = random_network(300, 450, seed=seed)
        g = net.graph
        start = paths.start_node(np.asarray(g.outdegree()), np.asarray(g.indegree()), net.nodes)
        bound = paths.sweep(paths._igraph_bfs(g), start, net.nodes)
        assert 0 < bound <= g.diameter(directed=True, unconn=True)


def test_above_the_sizes_the_mean_is_estimated_and_the_diameter_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    net = random_network(3000, 9000, seed=7)
    exact = paths.path_stats(net, seed=42)
    assert (exact.sources, exact.sweeps) == (None, None)
    assert exact.mean_note == "exact"
    monkeypatch.setattr(paths, "PATHS_EXACT_MAX", 1000)
    monkeypatch.setattr(paths, "DIAMETER_EXACT_MAX", 1000)
    estimated = paths.path_stats(net, seed=42)
    assert estimated.sources == paths.PATH_SOURCES
    assert estimated.mean_note == f"estimated from {paths.PATH_SOURCES} sources"
    assert estimated.diameter_note == f"lower bound from {paths.SWEEPS} sweeps"
    assert estimated.mean == pytest.approx(exact.mean, rel=0.01)  # 1,000 of 3,000 sources
    assert 0 < estimated.diameter <= exact.diameter
    assert paths.path_stats(net, seed=42) == estimated  # seeded
