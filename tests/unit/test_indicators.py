"""Table 1 indicators on hand-computable graphs and on Gephi's own test graphs."""

from __future__ import annotations

import math

import igraph as ig
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from copatent.analytics.indicators import (
    average_clustering,
    centralization,
    clustering,
    indicators,
)
from copatent.analytics.network import Network
from tests.reference import reference_data

SNA = reference_data() / "sna"


def net_of(arcs: list[tuple[str, str, float]], nodes: list[str] | None = None) -> Network:
    frame = pd.DataFrame(arcs, columns=["source", "target", "weight"])
    return Network.from_edges(frame, nodes)


def undirected(edges: list[tuple[int, int]], n: int) -> Network:
    """Nodes ``0..n-1`` and the undirected ``edges`` as the symmetric network (both arcs)."""
    arcs = [(str(u), str(v), 1.0) for u, v in edges] + [(str(v), str(u), 1.0) for u, v in edges]
    return net_of(arcs, [str(i) for i in range(n)])


def reference(name: str) -> Network:
    edges = pd.read_csv(SNA / f"{name}.csv", dtype={"source": str, "target": str})
    nodes = pd.read_csv(SNA / f"{name}_nodes.csv", dtype=str).iloc[:, 0].tolist()
    return Network.from_edges(edges, nodes)


def test_density_as_the_study_reports_it() -> None:
    # the study's 2001-2005 province network: 21 arcs among 16 provinces -> 21 / (16 * 15)
    nodes = [f"p{i}" for i in range(16)]
    arcs = [(nodes[i], nodes[(i + j) % 16], 2.0) for i in range(7) for j in (1, 2, 3)]
    t = indicators(net_of(arcs, nodes))
    assert (t.nodes, t.edges) == (16, 21)
    assert_allclose(t.density_binary, 0.0875)
    assert_allclose(t.density_valued, 42 / 240)


def test_freeman_centralization_of_an_out_star() -> None:
    # centre sends to three leaves: out-degrees 3,0,0,0 -> 100 * 9 / 9; in-degrees 0,1,1,1 -> 100 * 1 / 9
    t = indicators(net_of([("c", "x", 2), ("c", "y", 2), ("c", "z", 2)]))
    assert_allclose(t.out_centralization_binary_pct, 100.0)
    assert_allclose(t.in_centralization_binary_pct, 100 / 9)
    assert_allclose(t.out_centralization_valued_pct, 100 * 18 / 9)  # strengths: can exceed 100
    assert_allclose(centralization(np.array([1, 1, 1])), 0.0)


def test_gephi_clustering_by_hand() -> None:
    # a->b, b->c, c->a, c->d. a: {b,c} with b->c: 1/2; b: {a,c} with c->a: 1/2;
    # c: {a,b,d} with a->b: 1/6; d: {c}: k < 2 -> 0, still in the average
    net = net_of([("a", "b", 1), ("b", "c", 1), ("c", "a", 1), ("c", "d", 1)])
    assert_allclose(clustering(net), [1 / 2, 1 / 2, 1 / 6, 0.0])
    assert_allclose(indicators(net).avg_clustering_gephi, (1 / 2 + 1 / 2 + 1 / 6) / 4)


def test_gephi_undirected_clustering_by_hand() -> None:
    # a triangle 0-1-2 with a tail 2-3, 3-4. Local: 0 and 1: 1; 2: {0, 1, 3} with 0-1 linked:
    # 1/3; 3: {2, 4} not linked: 0 (degree 2, no triangle); 4: one neighbour.
    # Gephi undirected (ClusteringCoefficient.computeResultValues): nodes 0-3 have degree >= 2,
    # 3 included with its 0 -> (1 + 1 + 1/3 + 0) / 4 = 7/12. Dividing by all 5 (the directed
    # convention) gives 7/15; leaving out every zero (networkx count_zeros=False) gives 7/9.
    net = undirected([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4)], 5)
    assert_allclose(clustering(net), [1.0, 1.0, 1 / 3, 0.0, 0.0])
    assert_allclose(average_clustering(net, directed=False), 7 / 12)
    assert_allclose(average_clustering(net), 7 / 15)  # directed: all n, unchanged
    assert_allclose(indicators(net).avg_clustering_gephi, 7 / 15)


# Gephi's undirected path, gephi/gephi
# modules/StatisticsPlugin/src/test/java/org/gephi/statistics/plugin/ClusteringCoefficientTest.java
# (ClusteringCoefficientNGTest.java before 2021), snapshot 8821311e: each case names the test and
# the value it asserts. Where a node has fewer than 2 neighbours, dividing by all n would differ.
@pytest.mark.parametrize(
    ("edges", "n", "expected"),
    [
        # testSpecial3UndirectedGraphClusteringCoefficient: a triangle 0-1-2 with a pendant at
        # each corner (0-3, 1-4, 2-5); it asserts node 0's coefficient 0.333 (1 link among
        # {1, 2, 3} of 3 pairs). Its average, by computeResultValues: the corners' 3 x 1/3 over
        # the 3 nodes of degree >= 2 = 1/3 (all n: 1/6)
        ([(0, 1), (1, 2), (2, 0), (0, 3), (1, 4), (2, 5)], 6, 1 / 3),
        # testTwoConectedNodesClusteringCoefficient: NaN (0/0; all n: 0)
        ([(0, 1)], 2, math.nan),
        # testOneNodeClusteringCoefficient: NaN
        ([], 1, math.nan),
        # testNullGraphClusteringCoefficient: 5 isolates, NaN
        ([], 5, math.nan),
        # testStarGraphClusteringCoefficient: centre 0 with 5 leaves, 0.0
        ([(0, i) for i in range(1, 6)], 6, 0.0),
        # testCompleteGraphClusteringCoefficient: K5, 1.0
        ([(i, j) for i in range(5) for j in range(i + 1, 5)], 5, 1.0),
        # testSpecial2UndirectedGraphClusteringCoefficient: three triangles sharing node 0,
        # 0.8857 within 0.01 (node 0: 3/15, the others 1: 6.2/7)
        ([(0, 1), (1, 2), (2, 0), (0, 3), (3, 4), (4, 0), (0, 5), (5, 6), (6, 0)], 7, 6.2 / 7),
    ],
    ids=["special3", "two-nodes", "one-node", "null-graph", "star", "complete", "special2"],
)
def test_gephi_undirected_known_answers(
    edges: list[tuple[int, int]], n: int, expected: float
) -> None:
    assert_allclose(average_clustering(undirected(edges, n), directed=False), expected)


def test_gephi_special3_local_coefficient() -> None:
    # ClusteringCoefficientTest.testSpecial3UndirectedGraphClusteringCoefficient: node 0, 0.333
    net = undirected([(0, 1), (1, 2), (2, 0), (0, 3), (1, 4), (2, 5)], 6)
    assert_allclose(clustering(net)[0], 0.333, atol=0.01)


def test_networkx_average_clustering_without_zeros() -> None:
    # networkx/algorithms/tests/test_cluster.py, test_average_clustering (networkx/networkx
    # @05d7418c): cycle_graph(3) plus edge 2-3, count_zeros=False -> (1 + 1 + 1/3) / 3.
    # Its only zero is node 3 of degree 1, so Gephi's degree >= 2 rule leaves out the same node
    # (count_zeros=True, over all 4: (1 + 1 + 1/3) / 4, the directed convention)
    net = undirected([(0, 1), (1, 2), (2, 0), (2, 3)], 4)
    assert_allclose(average_clustering(net, directed=False), (1 + 1 + 1 / 3) / 3)
    assert_allclose(average_clustering(net), (1 + 1 + 1 / 3) / 4)


@st.composite
def undirected_graphs(draw: st.DrawFn) -> tuple[list[tuple[int, int]], int]:
    n = draw(st.integers(1, 9))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    return chosen, n


@settings(max_examples=80, deadline=None)
@given(undirected_graphs())
def test_undirected_average_agrees_with_igraph(graph: tuple[list[tuple[int, int]], int]) -> None:
    # igraph's transitivity_avglocal_undirected(mode="nan") leaves out the nodes of degree < 2,
    # Gephi's undirected rule; NaN when no node is left
    edges, n = graph
    expected = ig.Graph(n=n, edges=edges).transitivity_avglocal_undirected(mode="nan")
    found = average_clustering(undirected(edges, n), directed=False)
    assert_allclose(found, expected, equal_nan=True)


@pytest.mark.parametrize(
    ("name", "apl", "diameter"),
    [
        # 0->1->2->3: distances 1,2,3,1,2,1 over the 6 reachable ordered pairs
        ("gephi_apl_path4_directed", 10 / 6, 3),
        # directed 5-cycle: every node reaches the other four at 1, 2, 3, 4
        ("gephi_apl_cycle5_directed", 2.5, 4),
    ],
    ids=["path4", "cycle5"],
)
def test_gephi_path_length_by_hand(name: str, apl: float, diameter: int) -> None:
    t = indicators(reference(name))
    assert_allclose(t.avg_path_length_gephi, apl)
    assert t.diameter == diameter


def test_reciprocity_components_and_isolates() -> None:
    net = net_of([("a", "b", 1), ("b", "a", 3), ("b", "c", 1)], nodes=["a", "b", "c", "z"])
    t = indicators(net)
    assert_allclose(t.reciprocity, 2 / 3)
    assert t.weak_components == 2  # {a, b, c} and the isolate z
    assert t.nodes == 4


def test_loops_are_not_arcs() -> None:
    net = net_of([("a", "a", 5), ("a", "b", 1), ("a", "b", 2)])
    assert net.edges.to_dict("records") == [{"source": "a", "target": "b", "weight": 3.0}]


# Expected values asserted by Gephi's own tests for the same graphs (gephi/gephi,
# modules/StatisticsPlugin/src/test/java/org/gephi/statistics/plugin/, commit 1fba8c1a):
# GraphDistanceNGTest.testDirectedSpecial1GraphAvPathLength = 1.5, testDirectedCyclic* (APL 2.5,
# diameter 4), testDirectedPath* (APL 1.6667, diameter 3); ClusteringCoefficientNGTest (commit
# 7f1ee43f): testSpecial1DirectedGraphClusteringCoefficient = 0.5,
# testSpecial2DirectedGraphClusteringCoefficient = 0.4167 (within 0.01),
# testTriangleNonCompleteDirectedGraphClusteringCoefficient = 0.833 (within 0.01).
@pytest.mark.parametrize(
    ("name", "quantity", "expected", "tolerance"),
    [
        ("gephi_apl_special1_directed", "avg_path_length_gephi", 1.5, 1e-12),
        ("gephi_apl_cycle5_directed", "avg_path_length_gephi", 2.5, 1e-12),
        ("gephi_apl_path4_directed", "avg_path_length_gephi", 1.6667, 1e-4),
        ("gephi_cc_special1_directed", "avg_clustering_gephi", 0.5, 1e-12),
        ("gephi_cc_special2_directed", "avg_clustering_gephi", 0.4167, 0.01),
        ("gephi_cc_triangle_noncomplete_directed", "avg_clustering_gephi", 0.833, 0.01),
    ],
    ids=["apl-special1", "apl-cycle5", "apl-path4", "cc-special1", "cc-special2", "cc-triangle"],
)
def test_gephi_known_answers(name: str, quantity: str, expected: float, tolerance: float) -> None:
    value = indicators(reference(name)).as_dict()[quantity]
    assert_allclose(value, expected, atol=tolerance)


def _study_province_2016_2020() -> Network:
    """A network with what the study's Table 1 and Table 2 fix for province 2016-2020.

    n = 30 provinces, total weight 1,019 (Table 2's column sums are 2 x 1,019), the strongest arc
    158 (Beijing -> Shanghai), the largest out-strength 429 and in-strength 202 (what 8.919 % and
    3.794 % give back under UCINET's valued normalisation: whole numbers, as strengths are). The
    rest of the arcs are made up; centralization depends only on these figures.
    """
    arcs = [(0, 1, 158), (0, 2, 100), (0, 3, 100), (0, 4, 71), (5, 1, 44)]  # out 429, in 202
    ring = list(range(5, 30))
    arcs += [(a, b, 21) for a, b in zip(ring, ring[1:] + ring[:1], strict=True)]
    arcs.append((6, 8, 21))
    frame = pd.DataFrame(arcs, columns=["source", "target", "weight"]).astype({"source": str})
    frame["target"] = frame["target"].astype(str)
    return Network.from_edges(frame, [str(i) for i in range(30)])


def test_ucinet_valued_centralization_gives_the_studys_printed_values() -> None:
    net = _study_province_2016_2020()
    assert (net.n, net.edges["weight"].sum(), net.edges["weight"].max()) == (30, 1019, 158)
    assert (net.out_sums(valued=True).max(), net.in_sums(valued=True).max()) == (429, 202)
    t = indicators(net)
    printed = pd.read_csv(reference_data() / "study" / "table1.csv")
    row = printed[(printed["scale"] == "province") & (printed["period"] == "2016-2020")]
    value = row.set_index("indicator")["value"].astype(float)
    # the study's Table 1: 8.919 out, 3.794 in (../shared/reference-data/study/table1.csv)
    assert round(t.out_centralization_maxtie_pct, 3) == value["out_centralization_pct"]
    assert round(t.in_centralization_maxtie_pct, 3) == value["in_centralization_pct"]
    # the formula: 100 * sum(s_max - s_i) / ((n - 1)^2 * w_max)
    assert_allclose(t.out_centralization_maxtie_pct, 100 * (30 * 429 - 1019) / (29**2 * 158))
    # Freeman's valued figure is the same sum without w_max: 158 times larger
    assert_allclose(t.out_centralization_valued_pct, 158 * t.out_centralization_maxtie_pct)
