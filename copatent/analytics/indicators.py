"""Whole-network indicators (the study's Table 1), each with the convention it follows.

Conventions (DESIGN.md item 6):

- **density**: binary ``m / (n(n−1))`` (the study: 21 / (16·15) = 0.0875) and valued
  ``Σw / (n(n−1))``.
- **average clustering, Gephi's conventions** (:func:`average_clustering`): a node's neighbours
  are its in- and out-neighbours (distinct, itself excluded); ``C_v`` = arcs among them, each
  direction counted, ``/ (k(k−1))``. Directed (Table 1): nodes with ``k < 2`` count as 0 and stay
  in the average, which divides by all ``n``. Undirected (``copatent metrics --undirected``): the
  average is over the nodes with ``k ≥ 2`` only, those without a triangle included (they add 0);
  NaN when there is none. (Gephi's ``ClusteringCoefficient`` statistic, which takes a different
  path for each kind of graph; Watts & Strogatz 1998, doi:10.1038/30918, for the undirected
  original.)
- **average path length, Gephi's convention**: unweighted shortest paths along out-arcs, averaged
  over ordered pairs ``(s, t)``, ``s ≠ t``, with ``t`` reachable from ``s`` (Gephi's
  ``GraphDistance``; Brandes 2001, doi:10.1080/0022250X.2001.9990249, for the traversal).
- **diameter**: the longest of those shortest paths.
- **degree centralization** (Freeman 1979, doi:10.1016/0378-8733(78)90021-7), in percent:
  ``100 · Σ(d_max − d_i) / (n−1)²``, binary on arc counts and valued on strengths (the valued
  form can exceed 100); and UCINET's normalisation of valued data, the strengths first divided by
  the largest arc weight ``w_max``: ``100 · Σ(s_max − s_i) / ((n−1)² · w_max)`` (``maxtie``). The
  study's printed Table 1 fits the last: province 2016–2020, n = 30, w_max = 158 (Beijing →
  Shanghai), 8.919 % out and 3.794 % in give largest strengths of exactly 429 and 202.
- **reciprocity**: the share of arcs whose reverse arc also exists.
- **components**: weakly connected components, isolates included.
- **modularity**: Newman's Q of the Louvain partition on ``W + Wᵀ``
  (:func:`copatent.analytics.community.modularity`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from copatent.analytics.community import Labels, louvain, modularity
from copatent.analytics.network import Network


@dataclass(frozen=True)
class Indicators:
    """Table 1 for one network; :meth:`as_dict` keys are ``copatent metrics`` JSON keys."""

    nodes: int
    edges: int
    density_binary: float
    density_valued: float
    modularity: float
    communities: int
    out_centralization_binary_pct: float
    in_centralization_binary_pct: float
    out_centralization_valued_pct: float
    in_centralization_valued_pct: float
    out_centralization_maxtie_pct: float
    in_centralization_maxtie_pct: float
    avg_clustering_gephi: float
    avg_path_length_gephi: float
    diameter: int
    reciprocity: float
    weak_components: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def indicators(
    net: Network,
    *,
    communities: Labels | None = None,
    paths: tuple[float, int] | None = None,
) -> Indicators:
    """All of Table 1 for ``net``.

    ``communities`` is the partition whose modularity is reported (one label per node); by default
    the memory engine's Louvain (:func:`copatent.analytics.community.louvain`). ``paths`` is the
    average path length and diameter when an engine has computed them already.

    >>> import pandas as pd
    >>> net = Network.from_edges(pd.DataFrame(
    ...     {"source": ["a", "b", "c"], "target": ["b", "c", "a"], "weight": [1, 2, 3]}))
    >>> t = indicators(net)
    >>> t.density_binary, t.avg_path_length_gephi, t.diameter, t.reciprocity
    (0.5, 1.5, 2, 0.0)
    """
    path_length, diameter = average_path_length(net) if paths is None else paths
    partition = louvain(net) if communities is None else communities
    return Indicators(
        nodes=net.n,
        edges=net.m,
        density_binary=density(net, valued=False),
        density_valued=density(net, valued=True),
        modularity=modularity(net, partition),
        communities=len(set(partition)),
        out_centralization_binary_pct=centralization(net.out_sums(valued=False)),
        in_centralization_binary_pct=centralization(net.in_sums(valued=False)),
        out_centralization_valued_pct=centralization(net.out_sums(valued=True)),
        in_centralization_valued_pct=centralization(net.in_sums(valued=True)),
        out_centralization_maxtie_pct=maxtie(centralization(net.out_sums(valued=True)), net),
        in_centralization_maxtie_pct=maxtie(centralization(net.in_sums(valued=True)), net),
        avg_clustering_gephi=average_clustering(net),
        avg_path_length_gephi=path_length,
        diameter=diameter,
        reciprocity=reciprocity(net),
        weak_components=len(net.graph.connected_components(mode="weak")),
    )


def density(net: Network, *, valued: bool) -> float:
    """Arcs (or their total weight) over the ``n(n−1)`` possible arcs; 0 when ``n < 2``."""
    possible = net.n * (net.n - 1)
    if possible == 0:
        return 0.0
    total = float(net.edges["weight"].sum()) if valued else float(net.m)
    return total / possible


def centralization(degrees: np.ndarray) -> float:
    """Freeman's degree centralization in percent: ``100 · Σ(max − d_i) / (n−1)²``.

    >>> centralization(np.array([3, 0, 0, 0]))  # a star's centre sends to all: 100 %
    100.0
    """
    n = len(degrees)
    if n < 2:
        return 0.0
    return float(100.0 * np.sum(degrees.max() - degrees) / (n - 1) ** 2)


def maxtie(valued_pct: float, net: Network) -> float:
    """A valued centralization on strengths divided by the largest arc weight (UCINET); 0 if none.

    >>> import pandas as pd
    >>> net = Network.from_edges(pd.DataFrame(
    ...     {"source": ["a", "a", "a"], "target": ["b", "c", "d"], "weight": [2, 2, 2]}))
    >>> centralization(net.out_sums(valued=True)), maxtie(200.0, net)  # a star of 2s: 100 %
    (200.0, 100.0)
    """
    largest = float(net.edges["weight"].max()) if net.m else 0.0
    return valued_pct / largest if largest > 0 else 0.0


def clustering(net: Network) -> np.ndarray:
    """Each node's clustering coefficient in Gephi's directed convention (see the module).

    With ``L`` the 0/1 matrix of linked pairs (either direction; no loops, as networks have
    none), the arcs among ``v``'s neighbours are ``(L A L)_vv`` and ``k_v`` is row ``v``'s sum
    of ``L``; sparse products, so applicant networks of many thousands of nodes fit. On a
    symmetric network (an undirected one, both arcs of every edge) this is the undirected
    coefficient ``2 T_v / (k_v (k_v − 1))``, ``T_v`` the triangles at ``v``.
    """
    return _local_clustering(net)[0]


def average_clustering(net: Network, *, directed: bool = True) -> float:
    """Gephi's average clustering coefficient: over all nodes (directed) or those with ``k ≥ 2``.

    Gephi (gephi/gephi ``modules/StatisticsPlugin/src/main/java/org/gephi/statistics/plugin/
    ClusteringCoefficient.java``, snapshot 8821311e) averages differently by the kind of graph:

    - directed, ``bruteForce(Graph)``: the coefficients of the nodes with two or more
      neighbours are summed and the sum is divided by ``graph.getNodeCount()``, all ``n``
      (a node with fewer neighbours adds nothing but is counted). Table 1 follows this.
    - undirected, ``computeTriangles`` → ``computeResultValues``: only the nodes with
      ``currentNetwork[v].length() > 1`` (more than one distinct neighbour) are summed and
      counted (``numNodesDegreeGreaterThanOne``); a node of degree ≥ 2 without a triangle is
      counted and adds 0. With no such node Gephi divides 0 by 0 and reports NaN (its
      ``ClusteringCoefficientTest`` asserts NaN for one node, one edge and an edgeless
      graph); so does this function.

    ``directed=False`` expects ``net`` symmetric (both arcs of each edge), where
    :func:`clustering` is the undirected coefficient. The mean over the nodes with ``k ≥ 2`` is
    igraph's ``transitivity_avglocal_undirected(mode="nan")``, and networkx's
    ``average_clustering(count_zeros=False)`` where no node of degree ≥ 2 lacks a triangle.

    >>> import pandas as pd
    >>> tail = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")]
    >>> net = Network.from_edges(pd.DataFrame(
    ...     [(u, v, 1) for u, v in tail] + [(v, u, 1) for u, v in tail],
    ...     columns=["source", "target", "weight"]))
    >>> clustering(net).round(4).tolist()  # e has one neighbour; d two, but no triangle
    [1.0, 1.0, 0.3333, 0.0, 0.0]
    >>> round(average_clustering(net), 4), round(average_clustering(net, directed=False), 4)
    (0.4667, 0.5833)
    """
    local, k = _local_clustering(net)
    counted = local if directed else local[k >= 2]
    if counted.size == 0:
        return 0.0 if directed else math.nan
    return float(np.mean(counted))


def _local_clustering(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """:func:`clustering` and each node's number of distinct neighbours ``k``."""
    a = net.adjacency
    linked = ((a + a.T) > 0).astype(float)
    among = np.asarray((linked @ a).multiply(linked.T).sum(axis=1), dtype=float).ravel()
    k = np.asarray(linked.sum(axis=1), dtype=float).ravel()
    possible = k * (k - 1)
    result = np.zeros(net.n)
    np.divide(among, possible, out=result, where=k >= 2)
    return result, k


def average_path_length(net: Network) -> tuple[float, int]:
    """Gephi's average path length and the diameter (0 and 0 when no pair is connected).

    igraph's ``average_path_length(directed=True, unconn=True)`` is exactly the mean over the
    reachable ordered pairs, computed without an n × n distance matrix.
    """
    if net.m == 0:
        return 0.0, 0
    g = net.graph
    mean = g.average_path_length(directed=True, unconn=True)
    return float(mean), int(g.diameter(directed=True, unconn=True))


def reciprocity(net: Network) -> float:
    """Share of arcs ``i → j`` for which ``j → i`` is an arc too; 0 for an empty network."""
    if net.m == 0:
        return 0.0
    a = net.adjacency
    return float(a.multiply(a.T).sum() / net.m)
