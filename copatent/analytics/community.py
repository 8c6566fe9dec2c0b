"""Communities: Louvain and Leiden partitions and their modularity, one yardstick for both engines.

- **modularity**: Newman's Q of a partition (Newman 2006, doi:10.1073/pnas.0601602103) on the
  undirected view with reciprocal weights summed, ``A = W + Wᵀ`` (DESIGN.md item 6):
  ``Q = (1/2m) Σ_ij [A_ij − k_i k_j / 2m] δ(c_i, c_j)`` with ``k_i = Σ_j A_ij`` and
  ``2m = Σ_ij A_ij``.
- **Louvain** (Blondel et al. 2008, doi:10.1088/1742-5468/2008/10/P10008) is a heuristic whose
  result depends on the order in which it visits the nodes; on the study's small regional
  networks single runs differ by up to 0.03 in Q. Both engines therefore run it ``restarts``
  times (default :data:`DEFAULT_RESTARTS`) with node orders drawn from ``seed, seed + 1, ...``
  and keep the partition with the highest Q (the first on ties): reruns give the same partition,
  and the two engines' Q agree closely although their partitions may differ.
- **Leiden** (Traag, Waltman & van Eck 2019, doi:10.1038/s41598-019-41695-z) refines Louvain so
  that every community is connected; it is run the same way (``restarts`` seeded runs, the best
  Q kept), by python-igraph with the modularity objective here and by GDS ``gds.leiden`` in the
  neo4j engine.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from typing import TypeAlias

import igraph as ig
import numpy as np
import pandas as pd
from scipy import sparse

from copatent.analytics.defaults import DEFAULT_RESTARTS, DEFAULT_SEED
from copatent.analytics.network import Network

Labels: TypeAlias = Sequence[object] | np.ndarray
"""One group label per node, in node order."""


def canonical_labels(labels: Labels) -> np.ndarray:
    """Renumber group labels 1, 2, ... in order of first appearance.

    >>> canonical_labels([7, 7, 3, 9, 3]).tolist()
    [1, 1, 2, 3, 2]
    """
    seen: dict[object, int] = {}
    return np.array([seen.setdefault(label, len(seen) + 1) for label in labels], dtype=int)


def modularity(net: Network | np.ndarray, membership: Labels) -> float:
    """Newman's weighted Q of ``membership`` (one label per node) on ``W + Wᵀ``; 0 without arcs.

    ``net`` is a :class:`Network` or a dense weight matrix ``W`` (its diagonal ignored).

    Two triangles joined by one edge, split at the bridge: Q = 5/14.

    >>> arcs = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"), ("c", "d")]
    >>> net = Network.from_edges(pd.DataFrame(arcs, columns=["source", "target"]).assign(weight=1))
    >>> round(modularity(net, [1, 1, 1, 2, 2, 2]), 6) == round(5 / 14, 6)
    True
    >>> modularity(net.weights.toarray(), [1, 1, 1, 2, 2, 2]) == modularity(net, [1, 1, 1, 2, 2, 2])
    True
    """
    w = sparse.coo_array(net.weights if isinstance(net, Network) else np.asarray(net, dtype=float))
    if len(membership) != w.shape[0]:
        raise ValueError(f"{len(membership)} labels for {w.shape[0]} nodes")
    off = w.row != w.col  # loops are not ties (a Network has none)
    w = sparse.coo_array((w.data[off], (w.row[off], w.col[off])), shape=w.shape)
    a = (w + w.T).tocoo()
    total = float(a.sum())
    if total == 0:
        return 0.0
    labels = pd.factorize(pd.Series(list(membership), dtype=object))[0]
    inside = float(a.data[labels[a.row] == labels[a.col]].sum())
    k = np.asarray(a.sum(axis=1)).ravel()
    k_group = np.bincount(labels, weights=k)
    return inside / total - float(np.sum((k_group / total) ** 2))


def best_partition(net: Network, candidates: Iterable[Labels]) -> tuple[np.ndarray, float]:
    """The candidate partition with the highest :func:`modularity` (the first on ties).

    Returns the partition in :func:`canonical_labels` form and its Q.
    """
    best: tuple[np.ndarray, float] | None = None
    for candidate in candidates:
        q = modularity(net, candidate)
        if best is None or q > best[1]:
            best = (canonical_labels(candidate), q)
    if best is None:
        raise ValueError("no candidate partition")
    return best


def undirected_weights(net: Network) -> ig.Graph:
    """The undirected view: one edge per linked pair, weight ``w_ij + w_ji``."""
    return net.graph.as_undirected(mode="collapse", combine_edges={"weight": "sum"})


def louvain(
    net: Network, *, seed: int = DEFAULT_SEED, restarts: int = DEFAULT_RESTARTS
) -> np.ndarray:
    """Louvain communities of ``W + Wᵀ`` with python-igraph, best of ``restarts`` seeded runs.

    Isolates are their own communities. Labels as :func:`canonical_labels`.

    >>> arcs = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"), ("c", "d")]
    >>> net = Network.from_edges(pd.DataFrame(arcs, columns=["source", "target"]).assign(weight=1))
    >>> louvain(net).tolist()
    [1, 1, 1, 2, 2, 2]
    """
    return _best_of_runs(net, lambda g, w: g.community_multilevel(weights=w), seed, restarts)


def leiden(
    net: Network, *, seed: int = DEFAULT_SEED, restarts: int = DEFAULT_RESTARTS
) -> np.ndarray:
    """Leiden communities of ``W + Wᵀ`` (modularity objective, python-igraph), best of ``restarts``.

    Each run iterates until the partition no longer changes. Isolates are their own communities.
    Labels as :func:`canonical_labels`.

    >>> arcs = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"), ("c", "d")]
    >>> net = Network.from_edges(pd.DataFrame(arcs, columns=["source", "target"]).assign(weight=1))
    >>> leiden(net).tolist()
    [1, 1, 1, 2, 2, 2]
    """
    return _best_of_runs(
        net,
        lambda g, w: g.community_leiden(
            objective_function="modularity", weights=w, n_iterations=-1
        ),
        seed,
        restarts,
    )


def _best_of_runs(
    net: Network,
    detect: Callable[[ig.Graph, str | None], ig.VertexClustering],
    seed: int,
    restarts: int,
) -> np.ndarray:
    """``detect(W + Wᵀ, weight attribute)`` in ``restarts`` seeded runs; the best by Q."""
    if net.n == 0:
        return np.zeros(0, dtype=int)
    g = undirected_weights(net)
    weights = "weight" if g.ecount() else None
    runs = seeded_runs(lambda: list(detect(g, weights).membership), seed, restarts)
    return best_partition(net, runs)[0]


def seeded_runs(run: Callable[[], list[int]], seed: int, restarts: int) -> Iterable[list[int]]:
    """``run()`` ``restarts`` times, igraph's random generator seeded ``seed``, ``seed + 1``, ..."""
    for r in range(restarts):
        ig.set_random_number_generator(random.Random(seed + r))  # noqa: S311 (not crypto)
        try:
            yield run()
        finally:
            ig.set_random_number_generator(random)  # igraph's default: the random module
