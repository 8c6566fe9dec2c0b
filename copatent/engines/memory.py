"""The memory engine: the loader's clean tables, pandas and python-igraph, no server.

It is the quick path on a laptop and the independent oracle the tests compare the neo4j engine
against (DESIGN.md, "Engines"). Betweenness on a network of more than ``betweenness_sources``
nodes is estimated from that many seeded sources (:mod:`copatent.analytics.centrality`), as in
the neo4j engine; path lengths and diameters follow :mod:`copatent.analytics.paths`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from copatent.analytics import centrality, community, paths
from copatent.analytics.collab import collaborations, period_network
from copatent.analytics.defaults import (
    DEFAULT_BETWEENNESS_SOURCES,
    DEFAULT_RESTARTS,
    DEFAULT_SEED,
)
from copatent.analytics.network import Network
from copatent.analytics.periods import Period, PeriodGraph, Scale
from copatent.engines.base import sorted_edges
from copatent.loader.pipeline import Prepared


class MemoryEngine:
    """Period networks and their measures from a :class:`~copatent.loader.pipeline.Prepared`."""

    name = "memory"

    def __init__(
        self,
        prepared: Prepared,
        *,
        seed: int = DEFAULT_SEED,
        restarts: int = DEFAULT_RESTARTS,
        betweenness_sources: int | None = DEFAULT_BETWEENNESS_SOURCES,
        isolates: bool = False,
        leiden: bool = False,
    ) -> None:
        self.prepared = prepared
        self.betweenness_sources = betweenness_sources
        self.isolates = isolates
        self.leiden = leiden
        self.seed = seed
        self.restarts = restarts
        self.collabs = collaborations(prepared.applied, prepared.patents, prepared.applicants)

    def names(self, scale: Scale) -> dict[str, str]:
        """Node key → display name at ``scale``."""
        if scale == "applicant":
            return {}
        table = self.prepared.cities if scale == "city" else self.prepared.provinces
        return dict(zip(table["adcode"].astype(str), table["name"].astype(str), strict=True))

    def period_graphs(self, scale: Scale, periods: Sequence[Period]) -> list[PeriodGraph]:
        names = self.names(scale)
        result = []
        for period in periods:
            aggregated = period_network(self.collabs, scale=scale, period=period)
            edges = sorted_edges(aggregated.edges)
            ends = set(edges["source"]) | set(edges["target"])
            if self.isolates:  # regions with only internal collaboration (DESIGN.md item 5)
                ends |= set(aggregated.internal.index[aggregated.internal > 0].astype(str))
            keys = sorted(ends)
            net = Network.from_edges(edges, keys)
            nodes = pd.DataFrame(
                {
                    "node": keys,
                    "name": [names.get(k, k) for k in keys],
                    "internal": aggregated.internal.reindex(keys, fill_value=0)
                    .astype(int)
                    .to_numpy(),
                }
            )
            found = paths.path_stats(net, self.seed)
            sources = centrality.sample_sources(net.n, self.seed, self.betweenness_sources)
            result.append(
                PeriodGraph(
                    scale=scale,
                    period=Period.of(period),
                    edges=edges,
                    nodes=nodes,
                    measures=centrality.node_measures(net, sources=sources),
                    communities=community.louvain(net, seed=self.seed, restarts=self.restarts),
                    path_length=found.mean,
                    diameter=found.diameter,
                    path_sources=found.sources,
                    diameter_sweeps=found.sweeps,
                    unplaced=aggregated.unplaced,
                    internal=int(aggregated.internal.sum()),
                    betweenness_sources=None if sources is None else len(sources),
                    leiden=(
                        community.leiden(net, seed=self.seed, restarts=self.restarts)
                        if self.leiden
                        else None
                    ),
                )
            )
        return result
