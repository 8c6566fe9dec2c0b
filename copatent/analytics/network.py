"""A directed, weighted network with a fixed node order: the input of every indicator.

Nodes are kept in the order given (isolates included), arcs are ``source → target`` with a
positive weight; loops are not arcs (DESIGN.md item 2: collaboration inside a region is counted as
the node's ``internal``, not as an edge). Parallel rows of the same arc are summed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd
from scipy import sparse

from copatent._errors import InputError


@dataclass(frozen=True, eq=False)
class Network:
    """Directed weighted network.

    Attributes
    ----------
    nodes
        Node names in their fixed order.
    edges
        One row per arc: ``source``, ``target`` (names), ``weight`` (> 0).
    """

    nodes: tuple[str, ...]
    edges: pd.DataFrame

    @classmethod
    def from_edges(cls, edges: pd.DataFrame, nodes: Sequence[str] | None = None) -> Network:
        """Build from an edge list (``source``, ``target``, ``weight``) and an optional node list.

        Without ``nodes`` the nodes are those incident to an arc, in order of appearance. Loops
        and non-positive weights are dropped; repeated arcs are summed.

        >>> net = Network.from_edges(pd.DataFrame(
        ...     {"source": ["a", "a", "b"], "target": ["b", "b", "b"], "weight": [1, 2, 5]}))
        >>> net.nodes, net.edges.to_dict("records")
        (('a', 'b'), [{'source': 'a', 'target': 'b', 'weight': 3.0}])
        """
        frame = edges.loc[:, ["source", "target", "weight"]].copy()
        frame["source"] = frame["source"].astype(str)
        frame["target"] = frame["target"].astype(str)
        frame["weight"] = pd.to_numeric(frame["weight"], errors="raise").astype(float)
        if nodes is None:
            order = pd.unique(pd.concat([frame["source"], frame["target"]], ignore_index=True))
            names = tuple(str(n) for n in order)
        else:
            names = tuple(str(n) for n in nodes)
            unknown = set(frame["source"]).union(frame["target"]) - set(names)
            if unknown:
                listed = ", ".join(sorted(unknown)[:10])
                raise InputError(f"edges name nodes missing from the node list: {listed}")
        frame = frame[(frame["source"] != frame["target"]) & (frame["weight"] > 0)]
        summed = frame.groupby(["source", "target"], sort=False)["weight"].sum().reset_index()
        return cls(names, summed)

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        """Number of arcs (weight > 0)."""
        return len(self.edges)

    @functools.cached_property
    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.nodes)}

    @functools.cached_property
    def weights(self) -> sparse.csr_array:
        """The weight matrix, n × n, sparse (no entry where there is no arc)."""
        src = self.edges["source"].map(self.index).to_numpy(dtype=np.int64)
        dst = self.edges["target"].map(self.index).to_numpy(dtype=np.int64)
        values = self.edges["weight"].to_numpy(dtype=float)
        return sparse.csr_array((values, (src, dst)), shape=(self.n, self.n))

    @functools.cached_property
    def adjacency(self) -> sparse.csr_array:
        """The 0/1 arc matrix, n × n, sparse."""
        a = self.weights.copy()
        a.data[:] = 1.0
        return a

    def out_sums(self, *, valued: bool) -> np.ndarray:
        """Out-degree (``valued=False``) or out-strength of every node."""
        return np.asarray((self.weights if valued else self.adjacency).sum(axis=1)).ravel()

    def in_sums(self, *, valued: bool) -> np.ndarray:
        """In-degree (``valued=False``) or in-strength of every node."""
        return np.asarray((self.weights if valued else self.adjacency).sum(axis=0)).ravel()

    @functools.cached_property
    def graph(self) -> ig.Graph:
        """The network as a directed igraph graph (vertex ``name``, edge ``weight``)."""
        g = ig.Graph(n=self.n, directed=True)
        g.vs["name"] = list(self.nodes)
        src = self.edges["source"].map(self.index).tolist()
        dst = self.edges["target"].map(self.index).tolist()
        g.add_edges(list(zip(src, dst, strict=True)))
        g.es["weight"] = self.edges["weight"].tolist()
        return g
