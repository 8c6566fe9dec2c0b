"""What an engine delivers for one period and scale, whichever engine it is.

An engine (``neo4j``: Cypher + Graph Data Science; ``memory``: pandas + python-igraph) turns the
loaded patents into :class:`PeriodGraph` objects: the edge list of the first-applicant rule, the
nodes with their internal collaboration, the graph algorithms' per-node results, the Louvain
partition (and the Leiden one on request) and the shortest-path summary. Everything after that
(Table 1, tiers, flow, subgroups) is computed from these by the same Python functions, so the
two engines differ only where they should.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from copatent.analytics.collab import Scale
from copatent.analytics.network import Network


def period_label(period: tuple[int, int]) -> str:
    """``(2016, 2020)`` → ``"2016-2020"``: the name of a period in files, tables and the graph."""
    return f"{period[0]}-{period[1]}"


@dataclass(frozen=True, eq=False)
class PeriodGraph:
    """One period's network at one scale, with the engine's algorithm results.

    Attributes
    ----------
    edges
        ``source``, ``target`` (node keys), ``weight`` (float), sorted by source then target.
    nodes
        ``node`` (key: adcode or applicant name), ``name``, ``internal`` (collaborations inside
        the node), sorted by key: the nodes incident to at least one edge (DESIGN.md item 5), and
        with ``isolates`` also the regions whose collaborations were all internal.
    measures
        ``node`` and :data:`copatent.analytics.centrality.MEASURES`, in ``nodes`` order.
    communities
        Louvain labels, 1, 2, ... in node order.
    leiden
        Leiden labels in the same form, when the engine was asked for them (``leiden=True``),
        else ``None``.
    path_length, diameter
        Gephi's average path length and the longest shortest path (DESIGN.md item 6).
    unplaced
        Collaborations of the period left out because an end has no place at this scale.
    internal
        Collaborations of the period inside one node, nodes of the network or not.
    betweenness_sources
        ``None`` when betweenness is exact, else the number of sampled source nodes.
    """

    scale: Scale
    period: tuple[int, int]
    edges: pd.DataFrame
    nodes: pd.DataFrame
    measures: pd.DataFrame
    communities: np.ndarray
    path_length: float
    diameter: int
    unplaced: int
    internal: int = 0
    betweenness_sources: int | None = None
    leiden: np.ndarray | None = None

    @property
    def label(self) -> str:
        return period_label(self.period)

    @functools.cached_property
    def network(self) -> Network:
        return Network.from_edges(self.edges, self.nodes["node"].tolist())


class Engine(Protocol):
    """Computes :class:`PeriodGraph` objects for one scale and several periods."""

    name: str

    def period_graphs(
        self, scale: Scale, periods: Sequence[tuple[int, int]]
    ) -> list[PeriodGraph]: ...


def sorted_edges(edges: pd.DataFrame) -> pd.DataFrame:
    """``source``, ``target``, ``weight`` (float), sorted, with a fresh index."""
    frame = edges.loc[:, ["source", "target", "weight"]].astype(
        {"source": str, "target": str, "weight": float}
    )
    return frame.sort_values(["source", "target"], ignore_index=True)
