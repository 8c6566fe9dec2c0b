"""The neo4j engine (default): Cypher aggregates, Graph Data Science computes.

For one scale, one query (``collab/<scale>_edges``) aggregates the first-applicant collaborations
of every requested period inside the database; the edges are written back as
``(:City|Province|Applicant)-[:COLLABORATES {scale, period, weight}]->()`` (replacing those of the
same scale and periods, in one transaction) so that Neo4j Browser shows the networks the tables
describe. Each period is then projected twice, always dropped after use:

- directed (``collab/project_directed``): degree and strength out and in, betweenness, closeness,
  weakly connected components and all shortest paths;
- undirected with ``W + Wᵀ`` (``collab/project_undirected``): local clustering coefficient and
  Louvain, concurrency 1, ``restarts`` times with the nodes numbered in seeded random orders (GDS
  Louvain visits nodes in id order and has no seed of its own), keeping the partition of highest
  modularity (:mod:`copatent.analytics.community`).

Betweenness on a network larger than ``betweenness_sources`` nodes is estimated from that many
sampled source nodes (GDS ``samplingSize``, fixed ``samplingSeed``; Brandes & Pich 2007,
doi:10.1142/S0218127407018403); :attr:`PeriodGraph.betweenness_sources` says so, and the
output repeats it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from copatent.analytics import centrality, community
from copatent.analytics.collab import Scale
from copatent.analytics.engines.base import PeriodGraph, period_label, sorted_edges
from copatent.analytics.network import Network
from copatent.db import Database, Projection

DEFAULT_BETWEENNESS_SOURCES: Final = 2000
"""Above this many nodes betweenness is sampled from this many source nodes."""

_EDGE_QUERY: Final[dict[Scale, str]] = {
    "province": "collab/province_edges",
    "city": "collab/city_edges",
    "applicant": "collab/applicant_edges",
}


class Neo4jEngine:
    """Period networks from the loaded graph, measured by Graph Data Science."""

    name = "neo4j"

    def __init__(
        self,
        db: Database,
        *,
        seed: int = community.DEFAULT_SEED,
        restarts: int = community.DEFAULT_RESTARTS,
        betweenness_sources: int | None = DEFAULT_BETWEENNESS_SOURCES,
    ) -> None:
        self.db = db
        self.seed = seed
        self.restarts = restarts
        self.betweenness_sources = betweenness_sources
        self._keys: dict[int, str] = {}

    def period_graphs(self, scale: Scale, periods: Sequence[tuple[int, int]]) -> list[PeriodGraph]:
        labels = [period_label(p) for p in periods]
        rows = self.db.run(
            _EDGE_QUERY[scale],
            {
                "periods": [
                    {"label": label, "start": start, "end": end}
                    for label, (start, end) in zip(labels, periods, strict=True)
                ]
            },
        )
        placed = rows[rows["source"].notna() & rows["target"].notna()]
        links = placed[placed["source"] != placed["target"]]
        self.db.run(
            "collab/write_collaborates",
            {
                "scale": scale,
                "periods": labels,
                "edges": links[["source_id", "target_id", "period", "weight"]].to_dict("records"),
            },
            write=True,
        )
        return [
            self._period_graph(scale, period, label, rows[rows["period"] == label])
            for label, period in zip(labels, periods, strict=True)
        ]

    def _period_graph(
        self, scale: Scale, period: tuple[int, int], label: str, rows: pd.DataFrame
    ) -> PeriodGraph:
        placed = rows[rows["source"].notna() & rows["target"].notna()]
        inside = placed["source"] == placed["target"]
        edges = sorted_edges(placed[~inside])
        keys = sorted(set(edges["source"]) | set(edges["target"]))
        names = dict(zip(placed["source"], placed["source_name"], strict=True)) | dict(
            zip(placed["target"], placed["target_name"], strict=True)
        )
        internal = placed[inside].groupby("source")["weight"].sum()
        nodes = pd.DataFrame(
            {
                "node": keys,
                "name": [str(names[k]) for k in keys],
                "internal": internal.reindex(keys, fill_value=0).astype(int).to_numpy(),
            }
        )
        unplaced = int(rows.loc[rows["source"].isna() | rows["target"].isna(), "weight"].sum())
        if not keys:
            return PeriodGraph(
                scale=scale,
                period=period,
                edges=edges,
                nodes=nodes,
                measures=pd.DataFrame(columns=["node", *centrality.MEASURES]),
                communities=np.zeros(0, dtype=int),
                path_length=0.0,
                diameter=0,
                unplaced=unplaced,
            )
        params = {"scale": scale, "period": label}
        stem = f"copatent-{os.getpid()}-{scale}-{label}"
        with self.db.projection(f"{stem}-directed", "collab/project_directed", params) as graph:
            measures, sources = self._directed_measures(graph, len(keys))
            paths = self.db.run("collab/path_lengths", {"graph_name": graph.graph.name()})
        element_ids = dict(zip(placed["source"], placed["source_id"], strict=True)) | dict(
            zip(placed["target"], placed["target_id"], strict=True)
        )
        net = Network.from_edges(edges, keys)
        partitions = []
        for r in range(self.restarts):
            order = np.random.default_rng(self.seed + r).permutation(len(keys))
            with self.db.projection(
                f"{stem}-undirected-{r}",
                "collab/project_undirected",
                params | {"node_ids": [element_ids[keys[i]] for i in order]},
            ) as graph:
                if r == 0:
                    measures["clustering"] = self._by_node(
                        graph, "local_clustering_coefficient", "localClusteringCoefficient"
                    )
                louvain = self._by_node(
                    graph,
                    "louvain",
                    "communityId",
                    relationship_weight_property="weight",
                    concurrency=1,
                )
            partitions.append(louvain.reindex(keys).tolist())
        communities, _ = community.best_partition(net, partitions)
        measures = measures.reindex(keys)
        measures["component"] = community.canonical_labels(measures["component"].tolist())
        measures = measures.reset_index(names="node")[["node", *centrality.MEASURES]]
        for column in ("out_degree", "in_degree", "component"):
            measures[column] = measures[column].astype(int)
        row = paths.iloc[0]
        return PeriodGraph(
            scale=scale,
            period=period,
            edges=edges,
            nodes=nodes,
            measures=measures,
            communities=communities,
            path_length=float(row["mean"]) if row["pairs"] else 0.0,
            diameter=int(row["longest"]) if row["pairs"] else 0,
            unplaced=unplaced,
            betweenness_sources=sources,
        )

    def _directed_measures(self, graph: Projection, n: int) -> tuple[pd.DataFrame, int | None]:
        def by(algorithm: str, column: str, types: str = "ARC", **config: Any) -> pd.Series:
            return self._by_node(graph, algorithm, column, relationship_types=[types], **config)

        weight = {"relationship_weight_property": "weight"}
        frame = pd.DataFrame(
            {
                "out_degree": by("degree", "score"),
                "in_degree": by("degree", "score", "REVERSED"),
                "out_strength": by("degree", "score", **weight),
                "in_strength": by("degree", "score", "REVERSED", **weight),
            }
        )
        frame["weighted_degree"] = frame["out_strength"] + frame["in_strength"]
        sources = self.betweenness_sources
        if sources is not None and n > sources:
            frame["betweenness"] = by(
                "betweenness",
                "score",
                sampling_size=sources,
                sampling_seed=self.seed,
                concurrency=1,  # the sample is reproducible from the seed only single-threaded
            )
        else:
            frame["betweenness"] = by("betweenness", "score")
            sources = None
        frame["out_closeness"] = by("closeness", "score", "REVERSED")
        frame["in_closeness"] = by("closeness", "score")
        frame["component"] = by("wcc", "componentId")
        return frame, sources

    def _by_node(self, graph: Projection, algorithm: Any, column: str, **config: Any) -> pd.Series:
        """One algorithm's result column, indexed by node key."""
        frame = graph.stream(algorithm, **config)
        ids = frame["nodeId"].astype(int).tolist()
        missing = [i for i in ids if i not in self._keys]
        if missing:  # GDS node ids are the database's: stable across this run's projections
            found = self.db.run("collab/node_keys", {"ids": missing})
            self._keys.update(
                zip(found["nodeId"].astype(int), found["node"].astype(str), strict=True)
            )
        values = frame[column].to_numpy()
        return pd.Series(values, index=[self._keys[i] for i in ids], name=column)
