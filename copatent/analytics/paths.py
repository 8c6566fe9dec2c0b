"""Path lengths and the diameter of large networks: exact where affordable, else stated.

Both engines follow the same rules, so they agree exactly (the neo4j engine gets the numbers
from GDS, the memory engine from igraph):

- **Average path length** (Gephi's: the mean over the reachable ordered pairs). Exact up to
  :data:`PATHS_EXACT_MAX` nodes. Above, estimated from :data:`PATH_SOURCES` source nodes drawn
  without replacement by :func:`sample_sources` (seeded; the same nodes in both engines): the
  distances from each sampled source to every node it reaches, summed, over the number of such
  pairs. That is the ratio estimator of the mean over all reachable pairs; its error shrinks like
  ``1/√k`` (``bench/paths.py`` measures it against the exact value). The neo4j engine never
  streams pairs: GDS closeness gives, per source ``s``, the number of nodes it reaches ``r(s)``
  and their distance sum ``S(s)`` (:func:`sums_from_closeness`).
- **Diameter** (the longest of those shortest paths). Exact up to :data:`DIAMETER_EXACT_MAX`
  nodes. Above, a lower bound from :data:`SWEEPS` breadth-first sweeps (:func:`sweep`): from the
  node of highest degree forward to the farthest node it reaches, from there backward to the
  farthest node that reaches it, and so on, alternating; each sweep's farthest distance is a
  shortest-path length of the network, so the largest is a lower bound, and on many networks
  the diameter itself (Magnien, Latapy & Habib 2009, doi:10.1145/1412228.1455266, for the
  double sweep).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import igraph as ig
import numpy as np

from copatent.analytics.network import Network

PATHS_EXACT_MAX: Final = 20_000
"""Largest network (nodes) whose average path length is exact: every source, n·m steps."""
DIAMETER_EXACT_MAX: Final = 3_000
"""Largest network (nodes) whose diameter is exact (the neo4j engine streams its pairs)."""
PATH_SOURCES: Final = 1_000
"""Sampled sources of the average path length above :data:`PATHS_EXACT_MAX` nodes."""
SWEEPS: Final = 4
"""Breadth-first sweeps of the diameter's lower bound above :data:`DIAMETER_EXACT_MAX` nodes."""

Direction = Literal["out", "in"]
BFS = Callable[[int, Direction], np.ndarray]
"""``bfs(node, direction)``: hops from ``node`` along out-arcs (or to it along in-arcs) to every
node, -1 where unreachable."""


@dataclass(frozen=True)
class PathStats:
    """A network's average path length and diameter, and how exact each is."""

    mean: float
    diameter: int
    sources: int | None = None  # None: every source (exact); else the number sampled
    sweeps: int | None = None  # None: exact diameter; else the sweeps of its lower bound

    @property
    def mean_note(self) -> str:
        return "exact" if self.sources is None else f"estimated from {self.sources} sources"

    @property
    def diameter_note(self) -> str:
        return "exact" if self.sweeps is None else f"lower bound from {self.sweeps} sweeps"


def sample_sources(n: int, seed: int, k: int | None = None) -> np.ndarray | None:
    """The sampled source nodes (indices into the sorted node keys), or None for all of them.

    >>> picked, again = sample_sources(30_000, seed=42), sample_sources(30_000, seed=42)
    >>> sample_sources(10, seed=42) is None, len(set(picked)), bool((picked == again).all())
    (True, 1000, True)
    """
    k = PATH_SOURCES if k is None else k
    if n <= PATHS_EXACT_MAX or k >= n:
        return None
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=k, replace=False))


def mean_of(sums: np.ndarray, reached: np.ndarray, sources: np.ndarray | None) -> tuple[float, int]:
    """The mean path length from per-source distance sums and reached counts.

    >>> mean_of(np.array([3.0, 1.0, 0.0]), np.array([2, 1, 0]), None)
    (1.3333333333333333, 3)
    """
    if sources is not None:
        sums, reached = sums[sources], reached[sources]
    pairs = int(reached.sum())
    return (float(sums.sum()) / pairs if pairs else 0.0), pairs


def sums_from_closeness(
    closeness: np.ndarray, wasserman_faust: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per source: distance sum ``S`` and reached nodes ``r``, from GDS's two closeness scores.

    GDS's closeness is ``r / S`` and its Wasserman-Faust variant ``r² / ((n − 1) S)`` on a graph
    of ``n`` nodes, so ``r = wf · (n − 1) / c`` and ``S = r / c`` (0 and 0 for a node that reaches
    nothing). Both are whole numbers; rounding removes the floating-point error.

    >>> S, r = sums_from_closeness(np.array([2 / 3, 0.0]), np.array([(4 / 3) / 3, 0.0]), 4)
    >>> S.tolist(), r.tolist()
    ([3.0, 0.0], [2.0, 0.0])
    """
    reached = np.zeros_like(closeness, dtype=float)
    sums = np.zeros_like(closeness, dtype=float)
    some = closeness > 0
    reached[some] = np.round(wasserman_faust[some] * (n - 1) / closeness[some])
    sums[some] = np.round(reached[some] / closeness[some])
    return sums, reached


def sweep(bfs: BFS, start: int, keys: Sequence[str], sweeps: int = SWEEPS) -> int:
    """The diameter's lower bound from ``sweeps`` alternating breadth-first sweeps.

    Ties between farthest nodes go to the smallest key, so both engines sweep the same nodes.

    >>> import igraph as ig
    >>> g = ig.Graph(n=5, edges=[(0, 1), (1, 2), (2, 3), (4, 0)], directed=True)
    >>> def bfs(node, direction):
    ...     d = np.array(g.distances(source=[node], mode=direction)[0], dtype=float)
    ...     return np.where(np.isfinite(d), d, -1)
    >>> sweep(bfs, 0, ["a", "b", "c", "d", "e"])
    4
    """
    order = np.argsort(np.asarray(keys, dtype=object), kind="stable")
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    best = 0
    node = start
    direction: Direction = "out"
    for _ in range(sweeps):
        hops = bfs(node, direction)
        far = int(hops.max()) if len(hops) else 0
        if far <= 0:
            direction = "in" if direction == "out" else "out"
            continue
        best = max(best, far)
        ties = np.flatnonzero(hops == far)
        node = int(ties[np.argmin(rank[ties])])
        direction = "in" if direction == "out" else "out"
    return best


def start_node(out_degree: np.ndarray, in_degree: np.ndarray, keys: Sequence[str]) -> int:
    """The sweeps' first node: the highest degree (in + out arcs), ties to the smallest key.

    >>> start_node(np.array([1, 2, 2]), np.array([0, 1, 1]), ["c", "b", "a"])
    2
    """
    total = np.asarray(out_degree) + np.asarray(in_degree)
    ties = [int(i) for i in np.flatnonzero(total == total.max())]
    return min(ties, key=lambda i: keys[i])


_CHUNK: Final = 100
"""Sources whose distances igraph computes at a time (a chunk × n matrix of floats)."""


def path_stats(net: Network, seed: int) -> PathStats:
    """The average path length and diameter of a network by the rules above, with igraph."""
    if net.m == 0:
        return PathStats(0.0, 0)
    g = net.graph
    n = net.n
    sources = sample_sources(n, seed)
    if sources is None:
        # igraph's mean over the reachable ordered pairs, without an n × n matrix
        mean = float(g.average_path_length(directed=True, unconn=True))
    else:
        mean = sampled_mean(g, sources)
    if n <= DIAMETER_EXACT_MAX:
        diameter, sweeps = int(g.diameter(directed=True, unconn=True)), None
    else:
        start_at = start_node(np.asarray(g.outdegree()), np.asarray(g.indegree()), net.nodes)
        diameter, sweeps = sweep(_igraph_bfs(g), start_at, net.nodes), SWEEPS
    return PathStats(mean, diameter, None if sources is None else len(sources), sweeps)


def sampled_mean(g: ig.Graph, sources: np.ndarray) -> float:
    """The mean path length from the given source nodes, with igraph, a chunk at a time."""
    sums = np.zeros(g.vcount())
    reached = np.zeros(g.vcount())
    for start in range(0, len(sources), _CHUNK):
        chunk = sources[start : start + _CHUNK]
        hops = np.asarray(g.distances(source=chunk.tolist(), mode="out"), dtype=float)
        hops[~np.isfinite(hops)] = 0.0
        sums[chunk] = hops.sum(axis=1)
        reached[chunk] = (hops > 0).sum(axis=1)
    return mean_of(sums, reached, sources)[0]


def _igraph_bfs(g: ig.Graph) -> BFS:
    def bfs(node: int, direction: Direction) -> np.ndarray:
        hops = np.asarray(g.distances(source=[node], mode=direction)[0], dtype=float)
        return np.where(np.isfinite(hops), hops, -1.0)

    return bfs
