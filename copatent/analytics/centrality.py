"""Node centrality (the study's Table 2) and the Louvain partition, computed with python-igraph.

This is the memory engine's implementation; the neo4j engine gets the same measures from Graph
Data Science, and the tests hold the two to 1e-9. Conventions, chosen to be what both compute:

- **degree** and **strength**: arcs and summed weights, out (led) and in (participated);
  **weighted degree** = out-strength + in-strength (DESIGN.md item 7; Beijing 578 in 2016–2020).
- **betweenness**: Freeman's, directed, on hops (weights are collaboration counts, not distances),
  not normalised: the number of shortest ``s → t`` paths through ``v`` summed over ordered pairs,
  ties split evenly (Freeman 1977, doi:10.2307/3033543; Brandes 2001,
  doi:10.1080/0022250X.2001.9990249). GDS ``gds.betweenness`` and igraph ``betweenness`` agree.
  On a network of more than ``k`` nodes (``betweenness_sources``, default
  :data:`~copatent.analytics.defaults.DEFAULT_BETWEENNESS_SOURCES`) it is **estimated from k
  sources**: the dependencies of ``k`` source nodes drawn uniformly without replacement with the
  analysis seed (:func:`sample_sources`), summed and multiplied by ``n / k`` (Brandes & Pich
  2007, doi:10.1142/S0218127407018403; unbiased for uniform sources). The neo4j engine asks GDS
  for the same ``k`` and seed, but GDS draws its own sources (with probability growing with
  degree) and cannot be given a list, so there the two engines agree only within the estimate's
  error, which bench/betweenness.py measures against the exact values.
- **closeness**, out and in, on hops: out-closeness is ``r / Σ d(v, t)`` over the ``r`` nodes
  ``v`` reaches along out-arcs, in-closeness the same over the nodes that reach ``v``; 0 when
  there are none (UCINET reports both; Freeman 1979, doi:10.1016/0378-8733(78)90021-7, with
  Wasserman & Faust's handling of unreachable nodes left out). GDS's default closeness is the
  in-closeness, and on the reversed arcs the out-closeness; here both come from one bit-parallel
  search (:mod:`copatent.analytics.distances`), equal to igraph's ``closeness(mode=...)`` (its
  NaN for a node without reachable nodes being 0) and an order of magnitude faster on large
  networks.
- **clustering** (per node): the undirected local clustering coefficient on the network with its
  arcs taken as edges, ``triangles / (k(k−1)/2)``, 0 when ``k < 2`` (GDS
  ``localClusteringCoefficient``; Watts & Strogatz 1998, doi:10.1038/30918). Table 1's average
  clustering follows Gephi's directed convention instead (:func:`indicators.clustering`).
- **component**: weakly connected component, numbered 1, 2, ... in node order
  (:func:`~copatent.analytics.community.canonical_labels`), so that both engines give the same
  labels.
"""

from __future__ import annotations

from typing import Final

import igraph as ig
import numpy as np
import pandas as pd

from copatent.analytics import distances
from copatent.analytics.community import canonical_labels
from copatent.analytics.network import Network

MEASURES: Final[tuple[str, ...]] = (
    "out_degree",
    "in_degree",
    "out_strength",
    "in_strength",
    "weighted_degree",
    "betweenness",
    "out_closeness",
    "in_closeness",
    "clustering",
    "component",
)
"""Per-node columns of :func:`node_measures`, in order, after ``node``."""


def sample_sources(n: int, seed: int, k: int | None) -> np.ndarray | None:
    """The sources of estimated betweenness (sorted node indices), or None: exact (``n <= k``).

    ``k`` None means always exact.

    >>> picked = sample_sources(5_000, seed=42, k=2_000)
    >>> sample_sources(2_000, seed=42, k=2_000) is None, len(set(picked)), bool(
    ...     (picked == sample_sources(5_000, seed=42, k=2_000)).all())
    (True, 2000, True)
    """
    if k is None or n <= k:
        return None
    return np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))


def betweenness(g: ig.Graph, sources: np.ndarray | None = None) -> np.ndarray:
    """Directed betweenness on hops, exact, or estimated from ``sources`` (rescaled by n/k).

    With every node as a source the estimate is the exact value.

    >>> g = ig.Graph(n=4, edges=[(0, 1), (1, 2), (2, 3)], directed=True)
    >>> betweenness(g).tolist(), betweenness(g, np.arange(4)).tolist()
    ([0.0, 2.0, 2.0, 0.0], [0.0, 2.0, 2.0, 0.0])
    >>> betweenness(g, np.array([0, 1])).tolist()  # from 0: 1 on 2 paths, 2 on 1; from 1: 2 on 1
    [0.0, 4.0, 4.0, 0.0]
    """
    if sources is None:
        return np.array(g.betweenness(directed=True), dtype=float)
    if len(sources) == 0:
        return np.zeros(g.vcount())
    found = np.array(g.betweenness(directed=True, sources=sources.tolist()), dtype=float)
    scaled: np.ndarray = found * (g.vcount() / len(sources))
    return scaled


def node_measures(net: Network, *, sources: np.ndarray | None = None) -> pd.DataFrame:
    """Every per-node measure of :data:`MEASURES`, one row per node in ``net.nodes`` order.

    ``sources``: betweenness estimated from these nodes (:func:`sample_sources`), else exact.

    >>> net = Network.from_edges(pd.DataFrame(
    ...     {"source": ["a", "b"], "target": ["b", "c"], "weight": [2, 5]}))
    >>> m = node_measures(net).set_index("node")
    >>> m["weighted_degree"].tolist(), m["betweenness"].tolist(), m["out_closeness"].tolist()
    ([2.0, 7.0, 5.0], [0.0, 1.0, 0.0], [0.6666666666666666, 1.0, 0.0])
    """
    g = net.graph
    out_strength, in_strength = net.out_sums(valued=True), net.in_sums(valued=True)

    arcs = net.adjacency.tocoo()
    sums = distances.distance_sums(net.n, arcs.row, arcs.col)
    simple = g.as_undirected(mode="collapse")
    clustering = np.array(simple.transitivity_local_undirected(mode="zero"), dtype=float)
    components = g.connected_components(mode="weak").membership
    return pd.DataFrame(
        {
            "node": list(net.nodes),
            "out_degree": net.out_sums(valued=False).astype(int),
            "in_degree": net.in_sums(valued=False).astype(int),
            "out_strength": out_strength,
            "in_strength": in_strength,
            "weighted_degree": out_strength + in_strength,
            "betweenness": betweenness(g, sources),
            "out_closeness": sums.closeness("out"),
            "in_closeness": sums.closeness("in"),
            "clustering": clustering,
            "component": canonical_labels(components),
        }
    )
