"""What every engine does: turn the loaded patents into period networks and their measures.

An engine (``neo4j``: Cypher + Graph Data Science; ``memory``: pandas + python-igraph) turns the
loaded patents into :class:`~copatent.analytics.periods.PeriodGraph` objects: the edge list of the
first-applicant rule, the nodes with their internal collaboration, the graph algorithms' per-node
results, the Louvain partition (and the Leiden one on request) and the shortest-path summary.
Everything after that (Table 1, tiers, flow, subgroups) is computed from these by the same pure
functions of :mod:`copatent.analytics`, so the two engines differ only where they should.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pandas as pd

from copatent.analytics.periods import Period, PeriodGraph, Scale


class Engine(Protocol):
    """Computes :class:`PeriodGraph` objects for one scale and several periods."""

    name: str

    def period_graphs(self, scale: Scale, periods: Sequence[Period]) -> list[PeriodGraph]: ...


def sorted_edges(edges: pd.DataFrame) -> pd.DataFrame:
    """``source``, ``target``, ``weight`` (float), sorted, with a fresh index."""
    frame = edges.loc[:, ["source", "target", "weight"]].astype(
        {"source": str, "target": str, "weight": float}
    )
    return frame.sort_values(["source", "target"], ignore_index=True)
