"""Every node's distance sums, out and in, from one bit-parallel breadth-first search per 256 nodes.

Closeness needs, for each node ``v``, the number of nodes it reaches along out-arcs and the sum
of their distances (out-closeness), and the same for the nodes that reach it (in-closeness).
igraph computes each with one breadth-first search per node and direction, ``2n`` searches, which
at 44,505 applicants and 209,122 arcs (1M generated patents, 2016-2020) took about 10 minutes on
two shared cores. Here the searches run 256 sources at a time, each node holding one bit per
source (multi-source BFS, the technique of Then et al. 2014, doi:10.14778/2735496.2735507, which
GDS closeness uses too): a level is one pass over the arcs with bitwise ORs. Each level's newly
reached bits give both directions at once: a source's count of nodes at distance ``d`` (its out
sums) and a node's count of sources at distance ``d`` (its in sums). Exact: the tests hold the
result to igraph's closeness. The same network took 42 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

_WORDS: Final = 4
"""64-bit words per node in a batch: 256 sources at a time."""


@dataclass(frozen=True)
class DistanceSums:
    """Per node (in node order): reached nodes and their distance sums, along out- and in-arcs."""

    out_reached: np.ndarray
    out_sums: np.ndarray
    in_reached: np.ndarray
    in_sums: np.ndarray

    def closeness(self, mode: str) -> np.ndarray:
        """``reached / sum`` along out-arcs (``"out"``) or in-arcs (``"in"``); 0 without any."""
        reached, sums = (
            (self.out_reached, self.out_sums) if mode == "out" else (self.in_reached, self.in_sums)
        )
        found: np.ndarray = np.divide(reached, sums, out=np.zeros(len(sums)), where=sums > 0)
        return found


def distance_sums(n: int, sources: np.ndarray, targets: np.ndarray) -> DistanceSums:
    """Reached counts and hop-distance sums of every node, along out- and in-arcs.

    The directed graph has ``n`` nodes and the arcs ``sources[i] → targets[i]`` (no loops;
    parallel arcs change nothing).

    >>> found = distance_sums(4, np.array([0, 1, 2]), np.array([1, 2, 3]))  # 0 → 1 → 2 → 3
    >>> found.out_sums.tolist(), found.in_sums.tolist(), found.out_reached.tolist()
    ([6.0, 3.0, 1.0, 0.0], [0.0, 1.0, 3.0, 6.0], [3.0, 2.0, 1.0, 0.0])
    >>> found.closeness("out").tolist()
    [0.5, 0.6666666666666666, 1.0, 0.0]
    """
    out_reached, out_sums = np.zeros(n), np.zeros(n)
    in_reached, in_sums = np.zeros(n), np.zeros(n)
    sources = np.asarray(sources, dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64)
    # each node pulls the bits of its in-neighbours: arcs grouped by target
    order = np.argsort(targets, kind="stable")
    pulled = sources[order]
    in_degree = np.bincount(targets, minlength=n)
    pulling = np.flatnonzero(in_degree)
    starts = (np.cumsum(in_degree) - in_degree)[pulling]
    width = 64 * _WORDS
    for first in range(0, n if len(pulled) else 0, width):
        batch = np.arange(first, min(first + width, n))
        bit = np.arange(len(batch))
        frontier = np.zeros((n, _WORDS), dtype=np.uint64)
        frontier[batch, bit // 64] = np.left_shift(np.uint64(1), (bit % 64).astype(np.uint64))
        seen = frontier.copy()
        distance = 0
        while True:
            distance += 1
            reached = np.zeros_like(frontier)
            reached[pulling] = np.bitwise_or.reduceat(frontier[pulled], starts, axis=0)
            reached &= ~seen
            new = np.flatnonzero(reached.any(axis=1))
            if not len(new):
                break
            fresh = reached[new]
            seen[new] |= fresh
            frontier = reached
            # a node's new bits: the sources reaching it at this distance (its in sums) ...
            count = np.bitwise_count(fresh).sum(axis=1)
            in_reached[new] += count
            in_sums[new] += distance * count
            # ... and each source's new nodes (its out sums)
            bits = np.unpackbits(fresh.view(np.uint8), axis=1, bitorder="little")
            per_source = bits[:, : len(batch)].sum(axis=0)
            out_reached[batch] += per_source
            out_sums[batch] += distance * per_source
    return DistanceSums(out_reached, out_sums, in_reached, in_sums)
