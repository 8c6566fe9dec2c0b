"""Node centrality (the study's Table 2) and the Louvain partition, computed with python-igraph.

This is the memory engine's implementation; the neo4j engine gets the same measures from Graph
Data Science, and the tests hold the two to 1e-9. Conventions, chosen to be what both compute:

- **degree** and **strength**: arcs and summed weights, out (led) and in (participated);
  **weighted degree** = out-strength + in-strength (DESIGN.md item 7; Beijing 578 in 2016–2020).
- **betweenness**: Freeman's, directed, on hops (weights are collaboration counts, not distances),
  not normalised: the number of shortest ``s → t`` paths through ``v`` summed over ordered pairs,
  ties split evenly (Freeman 1977, doi:10.2307/3033543; Brandes 2001,
  doi:10.1080/0022250X.2001.9990249). GDS ``gds.betweenness`` and igraph ``betweenness`` agree.
- **closeness**, out and in, on hops: out-closeness is ``r / Σ d(v, t)`` over the ``r`` nodes
  ``v`` reaches along out-arcs, in-closeness the same over the nodes that reach ``v``; 0 when
  there are none (UCINET reports both; Freeman 1979, doi:10.1016/0378-8733(78)90021-7, with
  Wasserman & Faust's handling of unreachable nodes left out). GDS's default closeness is the
  in-closeness, and on the reversed arcs the out-closeness; igraph's ``closeness(mode=...)``
  gives both, its NaN for a node without reachable nodes becoming 0.
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

import numpy as np
import pandas as pd

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


def node_measures(net: Network) -> pd.DataFrame:
    """Every per-node measure of :data:`MEASURES`, one row per node in ``net.nodes`` order.

    >>> net = Network.from_edges(pd.DataFrame(
    ...     {"source": ["a", "b"], "target": ["b", "c"], "weight": [2, 5]}))
    >>> m = node_measures(net).set_index("node")
    >>> m["weighted_degree"].tolist(), m["betweenness"].tolist(), m["out_closeness"].tolist()
    ([2.0, 7.0, 5.0], [0.0, 1.0, 0.0], [0.6666666666666666, 1.0, 0.0])
    """
    g = net.graph
    out_strength, in_strength = net.out_sums(valued=True), net.in_sums(valued=True)

    def closeness(mode: str) -> np.ndarray:
        values = np.array(g.closeness(mode=mode), dtype=float)
        return np.where(np.isnan(values), 0.0, values)

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
            "betweenness": np.array(g.betweenness(directed=True), dtype=float),
            "out_closeness": closeness("out"),
            "in_closeness": closeness("in"),
            "clustering": clustering,
            "component": canonical_labels(components),
        }
    )
