"""Communities: modularity, Louvain and Leiden (DESIGN.md items 6 and 10)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from copatent.analytics import community
from copatent.analytics.network import Network
from tests.reference import reference_data

SNA = reference_data() / "sna"


def karate(*, weighted: bool) -> Network:
    edges = pd.read_csv(SNA / "karate_weighted.csv", dtype={"source": str, "target": str})
    nodes = pd.read_csv(SNA / "karate_weighted_nodes.csv", dtype=str).iloc[:, 0].tolist()
    if not weighted:
        edges = edges.assign(weight=1.0)
    return Network.from_edges(edges, nodes)


def optimum(net: Network) -> float:
    """The exact maximum of Q (igraph's integer programme, Brandes et al. 2008)."""
    g = community.undirected_weights(net)
    return float(g.community_optimal_modularity(weights="weight").q)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_leiden_reaches_the_karate_optimum(weighted: bool) -> None:
    # Zachary's karate club: the maximum modularity is 0.4197896 unweighted (Brandes et al.
    # 2008, doi:10.1109/TKDE.2007.190689, 4 clusters) and 0.4449036 with the interaction counts
    # as weights; both are recomputed here exactly by igraph's integer programme
    net = karate(weighted=weighted)
    best = optimum(net)
    assert_allclose(best, 0.4449035812672174 if weighted else 0.4197896120973046, rtol=1e-9)
    q = community.modularity(net, community.leiden(net))
    assert best - 0.002 <= q <= best + 1e-12


def test_modularity_matches_igraph_on_the_undirected_view() -> None:
    net = karate(weighted=True)
    labels = community.louvain(net, restarts=1)
    g = community.undirected_weights(net)
    assert_allclose(
        community.modularity(net, labels),
        g.modularity(labels.tolist(), weights="weight"),
        rtol=1e-12,
    )
    # the dense weight matrix gives the same Q as the Network
    assert community.modularity(net.weights.toarray(), labels) == pytest.approx(
        community.modularity(net, labels), rel=1e-12
    )


@st.composite
def directed_networks(draw: st.DrawFn) -> Network:
    n = draw(st.integers(2, 14))
    arcs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 5)),
            min_size=1,
            max_size=40,
        )
    )
    frame = pd.DataFrame(arcs, columns=["source", "target", "weight"]).astype(
        {"source": str, "target": str}
    )
    return Network.from_edges(frame, [str(i) for i in range(n)])


@settings(max_examples=60, deadline=None)
@given(directed_networks(), st.integers(0, 1000))
def test_leiden_communities_are_connected_and_canonical(net: Network, seed: int) -> None:
    # Leiden's guarantee (Traag, Waltman & van Eck 2019): every community is connected; Louvain
    # does not have it
    labels = community.leiden(net, seed=seed, restarts=2)
    assert labels.tolist() == community.canonical_labels(labels).tolist()
    undirected = community.undirected_weights(net)
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c).tolist()
        assert undirected.induced_subgraph(members).is_connected(), (c, members)


@settings(max_examples=40, deadline=None)
@given(directed_networks(), st.integers(0, 1000))
def test_seeded_runs_repeat(net: Network, seed: int) -> None:
    first = community.leiden(net, seed=seed, restarts=3)
    assert community.leiden(net, seed=seed, restarts=3).tolist() == first.tolist()
    assert community.louvain(net, seed=seed, restarts=3).tolist() == (
        community.louvain(net, seed=seed, restarts=3).tolist()
    )
    # the best of more restarts is never worse than the best of fewer (the same first runs)
    more = community.leiden(net, seed=seed, restarts=5)
    assert community.modularity(net, more) >= community.modularity(net, first) - 1e-12
