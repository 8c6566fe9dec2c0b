"""The neo4j engine (default): Cypher aggregates, Graph Data Science computes.

For one scale:

1. one query (``collab/<scale>_edges``) aggregates the first-applicant collaborations of every
   requested period inside the database (read only: what the analysis writes back for Browser,
   the COLLABORATES relationships among it, is written afterwards by :mod:`copatent.publish`).
   It is the engine's only read of the loaded graph, and it runs between two checks of the load
   journal (:mod:`copatent.loader.journal`): the first read of an engine refuses while a load is
   unfinished, and every read refuses if a load started or finished since the first check. So
   all the scales one engine reads describe one state of the graph, and no partial load.
   The queries that return a value per arc or per node return them as a few records of lists
   (:func:`copatent.db.unfold`): the driver costs about 40 µs a record, seconds at the
   applicant scale;
2. two GDS graphs are projected from those edge lists (Cypher projections, always dropped after
   use), each holding every period as its own node label (``nodeLabels`` picks one), so that
   the quick algorithms run every period in one query and the cost does not grow with round
   trips; betweenness and closeness, which take seconds to minutes a period on large networks,
   run one query a period, the longest first, so that the two sessions share them
   (:func:`_longest_first`). The two graphs' work runs at once, each in its own ``sessions``
   sessions, so that one's Python work and short queries fill the other's idle moments:

   - directed (``collab/project_arcs``): degree and strength out and in, betweenness, out- and
     in-closeness, weakly connected components and all shortest paths;
   - undirected with ``W + Wᵀ`` (``collab/project_pairs``): the local clustering coefficient, and
     Louvain (concurrency 1) on ``restarts`` copies of each period whose nodes are numbered in
     seeded random orders (GDS Louvain visits nodes in id order and has no seed of its own),
     keeping the partition of highest modularity (:mod:`copatent.analytics.community`); on
     request (``leiden=True``) Leiden the same way on the same copies, each run with its own
     ``randomSeed``. Each run leaves its communities in the projection (``mutate``) and returns
     its modularity; only the runs within ``_TIE`` of their period's best stream their
     communities, which are compared by copatent's modularity as before. Streaming every run
     cost about 40 % of Louvain's time at the applicant scale (bench/RESULTS.md).

Betweenness on a network larger than ``betweenness_sources`` nodes is estimated from that many
source nodes sampled with a fixed ``samplingSeed``, single-threaded so that the sample is
reproducible (GDS ``samplingSize``; Brandes & Pich 2007, doi:10.1142/S0218127407018403). GDS
returns the sampled sources' dependencies summed (about k/n of the exact total; measured 0.27
and 0.49 for k = n/4 and n/2 on the demo sample); copatent multiplies by n/k so that the column
estimates the exact value. GDS draws sources with probability proportional to degree, not
uniformly, so the rescaled value is an approximation, good for ranking. The memory engine samples
as many sources with the same seed, uniformly (:mod:`copatent.analytics.centrality`); GDS takes
no list of sources, so there the engines agree within the estimates' error, which
bench/betweenness.py measures. :attr:`PeriodGraph.betweenness_sources` says "estimated from k
sources", and the output repeats it.

Path lengths never stream pairs (:mod:`copatent.analytics.paths`): GDS closeness and its
Wasserman-Faust variant give each node's reached count and distance sum, whose ratio over all
nodes (or over the sources both engines sample, above ``PATHS_EXACT_MAX`` nodes) is the average
path length. The diameter is the maximum over the streamed pairs up to ``DIAMETER_EXACT_MAX``
nodes, and above that the lower bound of breadth-first sweeps (``gds.allShortestPaths.delta``
from one node at a time).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from copatent.analytics import centrality, community, paths
from copatent.analytics.defaults import (
    DEFAULT_BETWEENNESS_SOURCES,
    DEFAULT_RESTARTS,
    DEFAULT_SEED,
)
from copatent.analytics.network import Network
from copatent.analytics.periods import Period, PeriodGraph, Scale
from copatent.db import Database, unfold
from copatent.engines.base import sorted_edges
from copatent.loader import journal

DEFAULT_SESSIONS: Final = 2
"""Algorithm queries of one phase (directed, undirected) run at once, each in its own session
(GDS calls are single-threaded); the two phases run side by side."""

_QUIET: Final[dict[str, Any]] = {"logProgress": False}

_PROJECTED: Final[tuple[str, ...]] = (
    "out_degree",
    "in_degree",
    "out_strength",
    "in_strength",
    "betweenness",
    "out_closeness",
    "in_closeness",
    "component",
)
"""The measures the directed projection gives."""

_EDGE_QUERY: Final[dict[Scale, str]] = {
    "province": "collab/province_edges",
    "city": "collab/city_edges",
    "applicant": "collab/applicant_edges",
}


@dataclass(frozen=True, eq=False)
class _Period:
    """One period's aggregated rows, before GDS: edges, nodes, and the node ids of projections."""

    period: Period
    edges: pd.DataFrame
    nodes: pd.DataFrame
    unplaced: int
    internal: int  # collaborations inside one node, in the network or not
    offset: int  # node i has id offset + i in the directed projection

    @functools.cached_property
    def keys(self) -> list[str]:  # read-only: shared by every caller
        return [str(key) for key in self.nodes["node"].to_numpy(dtype=object)]

    @functools.cached_property
    def position(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.keys)}

    def indices(self, column: str) -> np.ndarray:
        return self.edges[column].map(self.position).to_numpy(dtype=np.int64)


class Neo4jEngine:
    """Period networks from the loaded graph, measured by Graph Data Science.

    One engine reads one state of the graph (see the module docstring): to analyse the graph
    after a later load, make a new engine.
    """

    name = "neo4j"

    def __init__(
        self,
        db: Database,
        *,
        seed: int = DEFAULT_SEED,
        restarts: int = DEFAULT_RESTARTS,
        betweenness_sources: int | None = DEFAULT_BETWEENNESS_SOURCES,
        sessions: int = DEFAULT_SESSIONS,
        isolates: bool = False,
        leiden: bool = False,
    ) -> None:
        self.db = db
        self.leiden = leiden
        self.seed = seed
        self.restarts = restarts
        self.betweenness_sources = betweenness_sources
        self.sessions = sessions
        self.isolates = isolates
        self._generation: int | None = None  # the load generation of the first read

    def _read_edges(self, scale: Scale, periods: list[dict[str, Any]]) -> pd.DataFrame:
        """``collab/<scale>_edges``, refused if the graph holds part of a load or has changed."""
        if self._generation is None:
            self._generation = journal.require_complete(self.db)
        rows = self._run(_EDGE_QUERY[scale], {"periods": periods})
        journal.require_unchanged(self.db, self._generation)
        if "source_name" not in rows:  # applicants: the key is the name (collab/applicant_edges)
            rows = rows.assign(source_name=rows["source"], target_name=rows["target"])
        return rows

    def _run(self, name: str, params: dict[str, Any]) -> pd.DataFrame:
        """The named read query's rows, its list columns unfolded (:func:`copatent.db.unfold`)."""
        return unfold(self.db.run(name, params))

    def _in_parallel(self, jobs: list[tuple[str, dict[str, Any]]]) -> list[pd.DataFrame]:
        """Run the named read queries, ``sessions`` at a time; results in the order of ``jobs``."""
        return self._all_of([functools.partial(self._run, *job) for job in jobs])

    def _all_of(self, tasks: Sequence[Callable[[], Any]]) -> list[Any]:
        """Call ``tasks``, ``sessions`` at a time, taken in order; results in the same order."""
        with ThreadPoolExecutor(max_workers=self.sessions) as pool:
            return list(pool.map(lambda task: task(), tasks))

    def period_graphs(self, scale: Scale, periods: Sequence[Period]) -> list[PeriodGraph]:
        periods = [Period.of(p) for p in periods]
        labels = [p.label for p in periods]
        rows = self._read_edges(
            scale,
            [
                {"label": label, "start": start, "end": end}
                for label, (start, end) in zip(labels, periods, strict=True)
            ],
        )
        parts: list[_Period] = []
        offset = 0
        for label, period in zip(labels, periods, strict=True):
            part = _aggregate(period, rows[rows["period"] == label], offset, isolates=self.isolates)
            parts.append(part)
            offset += len(part.nodes)
        live = [j for j, part in enumerate(parts) if len(part.edges)]
        stem = f"copatent-{uuid.uuid4().hex[:12]}-{scale}"  # unique: a name in use would be dropped
        # the two phases at once: each leaves the other's idle moments to it (projecting,
        # building the copies in Python, the short queries at the end of a phase)
        with ThreadPoolExecutor(max_workers=2) as phases:
            directed = phases.submit(self._directed, f"{stem}-directed", parts, live)
            undirected = phases.submit(self._undirected, f"{stem}-undirected", parts, live)
            measures, stats, sampled = directed.result()
            clustering, partitions = undirected.result()
        result = []
        for j, part in enumerate(parts):
            frame = measures.get(j, pd.DataFrame(columns=list(_PROJECTED), dtype=float))
            frame = frame.assign(clustering=clustering.get(j, pd.Series(dtype=float)))
            frame = frame.reindex(part.keys)
            # nodes without arcs (isolates: --isolates) are in no projection: every measure is 0,
            # and each is its own component and community, as igraph has it
            alone = frame["out_degree"].isna().to_numpy()
            frame = frame.fillna({c: 0.0 for c in (*_PROJECTED, "clustering") if c != "component"})
            frame["weighted_degree"] = frame["out_strength"] + frame["in_strength"]
            frame["component"] = community.canonical_labels(_own_group(frame["component"], alone))
            frame = frame.reset_index(names="node")[["node", *centrality.MEASURES]]
            for column in ("out_degree", "in_degree", "component"):
                frame[column] = frame[column].astype(int)
            found_paths = stats.get(j, paths.PathStats(0.0, 0))
            net = Network.from_edges(part.edges, part.keys)
            result.append(
                PeriodGraph(
                    scale=scale,
                    period=part.period,
                    edges=part.edges,
                    nodes=part.nodes,
                    measures=frame,
                    communities=_best(net, partitions["louvain"].get(j, []), alone),
                    path_length=found_paths.mean,
                    diameter=found_paths.diameter,
                    path_sources=found_paths.sources,
                    diameter_sweeps=found_paths.sweeps,
                    unplaced=part.unplaced,
                    internal=part.internal,
                    betweenness_sources=sampled.get(j),
                    leiden=(
                        _best(net, partitions["leiden"].get(j, []), alone) if self.leiden else None
                    ),
                )
            )
        return result

    # ----------------------------------------------------------------------------------------
    # the directed graph: degree, strength, betweenness, closeness, components, paths

    def _directed(
        self, graph_name: str, parts: list[_Period], live: list[int]
    ) -> tuple[dict[int, pd.DataFrame], dict[int, paths.PathStats], dict[int, int]]:
        if not live:
            return {}, {}, {}
        arcs: list[list[Any]] = []
        for j in live:
            part = parts[j]
            src = (part.indices("source") + part.offset).tolist()
            dst = (part.indices("target") + part.offset).tolist()
            weights = part.edges["weight"].tolist()
            arcs += [[s, t, w, f"P{j}"] for s, t, w in zip(src, dst, weights, strict=True)]
        runs: dict[str, list[dict[str, Any]]] = {
            "degree": [],
            "betweenness": [],
            "closeness": [],
            "wcc": [],
            "diameter": [],
        }
        sampled: dict[int, int] = {}
        for j in live:
            # one thread a call: the calls already run two sessions at a time, and a saturated GDS
            # pool refuses tasks ("ran out of time") when several multi-threaded calls meet
            base: dict[str, Any] = {"nodeLabels": [f"P{j}"], "concurrency": 1} | _QUIET
            arc = base | {"relationshipTypes": ["ARC"]}
            rev = base | {"relationshipTypes": ["REVERSED"]}
            weighted: dict[str, Any] = {"relationshipWeightProperty": "weight"}
            runs["degree"] += [
                {"run": f"out_degree|{j}", "config": arc},
                {"run": f"in_degree|{j}", "config": rev},
                {"run": f"out_strength|{j}", "config": arc | weighted},
                {"run": f"in_strength|{j}", "config": rev | weighted},
            ]
            runs["closeness"] += [
                {"run": f"out_closeness|{j}", "config": rev},
                {"run": f"in_closeness|{j}", "config": arc},
                # with the above, each node's reached count and distance sum: the path lengths
                {"run": f"out_reach|{j}", "config": rev | {"useWassermanFaust": True}},
            ]
            between = arc
            n = len(parts[j].nodes)
            if self.betweenness_sources is not None and n > self.betweenness_sources:
                sampled[j] = self.betweenness_sources
                between = arc | {
                    "samplingSize": self.betweenness_sources,
                    "samplingSeed": self.seed,  # reproducible with concurrency 1 (base)
                }
            runs["betweenness"].append({"run": f"betweenness|{j}", "config": between})
            runs["wcc"].append({"run": f"component|{j}", "config": arc})
            if n <= paths.DIAMETER_EXACT_MAX:
                runs["diameter"].append({"run": str(j), "config": arc})
        jobs = _longest_first(graph_name, runs, {j: len(parts[j].edges) for j in live})
        large = [j for j in live if len(parts[j].nodes) > paths.DIAMETER_EXACT_MAX]
        sweepers = [functools.partial(self._sweep, graph_name, parts[j], j) for j in large]
        with self.db.projection(graph_name, "collab/project_arcs", {"arcs": arcs}):
            # the sweeps (short queries one after another) go last, beside the other session's
            # last queries, rather than after all of them
            *found, swept_found = self._all_of(
                [
                    *(functools.partial(self._run, *job) for job in jobs),
                    lambda: [sweep() for sweep in sweepers],
                ]
            )
        results = list(zip((query for query, _ in jobs), found, strict=True))
        swept = dict(zip(large, swept_found, strict=True))
        diameters = [found for query, found in results if query == "collab/gds_diameter"]
        measured = [found for query, found in results if query != "collab/gds_diameter"]
        columns = _measures(measured, parts, sampled)
        longest = {
            int(row["run"]): int(row["longest"] or 0)
            for found in diameters
            for row in found.to_dict("records")
        }
        stats = {}
        for j in live:
            part, period_columns = parts[j], columns[j]
            scored = period_columns["out_closeness"]
            closeness = scored.reindex(part.keys).fillna(0.0).to_numpy()
            reach = period_columns["out_reach"].reindex(part.keys).fillna(0.0).to_numpy()
            sums, reached = paths.sums_from_closeness(closeness, reach, len(scored))
            sources = paths.sample_sources(len(part.keys), self.seed)
            mean, _ = paths.mean_of(sums, reached, sources)
            diameter, sweeps = (longest.get(j, 0), None) if j not in swept else swept[j]
            stats[j] = paths.PathStats(
                mean, diameter, None if sources is None else len(sources), sweeps
            )
        return {j: pd.DataFrame(columns[j]) for j in live}, stats, sampled

    def _sweep(self, graph_name: str, part: _Period, j: int) -> tuple[int, int]:
        """The diameter's lower bound of a large period: breadth-first sweeps through GDS."""
        keys = list(part.keys)
        n = len(keys)

        def bfs(node: int, direction: paths.Direction) -> np.ndarray:
            config = {
                "sourceNode": node + part.offset,
                "nodeLabels": [f"P{j}"],
                "relationshipTypes": ["ARC" if direction == "out" else "REVERSED"],
                "concurrency": 1,
            } | _QUIET
            found = self._run("collab/gds_hops", {"graph_name": graph_name, "config": config})
            hops = np.full(n, -1.0)
            hops[found["nodeId"].to_numpy(dtype=np.int64) - part.offset] = found["hops"]
            return hops

        out_degree = np.zeros(n)
        in_degree = np.zeros(n)
        sources = part.indices("source")
        targets = part.indices("target")
        np.add.at(out_degree, sources, 1)
        np.add.at(in_degree, targets, 1)
        start = paths.start_node(out_degree, in_degree, keys)
        return paths.sweep(bfs, start, keys), paths.SWEEPS

    # ----------------------------------------------------------------------------------------
    # the undirected graph: local clustering, and Louvain (and Leiden) on seeded node orders

    def _undirected(
        self, graph_name: str, parts: list[_Period], live: list[int]
    ) -> tuple[dict[int, pd.Series], dict[str, dict[int, list[list[object]]]]]:
        """Local clustering per period, and per method the candidate partitions of each period."""
        if not live:
            return {}, {"louvain": {}, "leiden": {}}
        columns: list[dict[str, Any]] = []  # one a copy: collab/project_pairs's $copies
        copies: dict[str, tuple[int, int, np.ndarray]] = {}  # label -> (period, base, order)
        base = 0
        for j in live:
            part = parts[j]
            a, b = part.indices("source"), part.indices("target")
            low, high = np.minimum(a, b), np.maximum(a, b)
            summed = (
                pd.DataFrame({"low": low, "high": high, "w": part.edges["weight"].to_numpy()})
                .groupby(["low", "high"], sort=True)["w"]
                .sum()
                .reset_index()
            )
            n = len(part.nodes)
            for r in range(self.restarts):
                order = np.random.default_rng(self.seed + r).permutation(n)
                rank = np.empty(n, dtype=np.int64)
                rank[order] = np.arange(n)
                label = f"P{j}R{r}"
                copies[label] = (j, base, order)
                columns.append(
                    {
                        "label": label,
                        "first": base,
                        "n": n,
                        "low": (rank[summed["low"].to_numpy()] + base).tolist(),
                        "high": (rank[summed["high"].to_numpy()] + base).tolist(),
                        "weight": summed["w"].tolist(),
                    }
                )
                base += n
        methods = ("louvain", "leiden") if self.leiden else ("louvain",)
        community_runs: list[tuple[str, dict[str, Any]]] = []
        for method in methods:
            for label in copies:
                config: dict[str, Any] = {
                    "nodeLabels": [label],
                    "relationshipWeightProperty": "weight",
                    "mutateProperty": _community_property(method, label),
                    "concurrency": 1,  # GDS Louvain is deterministic single-threaded
                } | _QUIET
                if method == "leiden":
                    config["randomSeed"] = self.seed + int(label.rsplit("R", 1)[1])
                community_runs.append((method, {"run": f"{method}|{label}", "config": config}))
        clustering_runs = [
            {"run": f"P{j}R0", "config": {"nodeLabels": [f"P{j}R0"], "concurrency": 1} | _QUIET}
            for j in live
        ]
        jobs: list[tuple[str, dict[str, Any]]] = [
            ("collab/gds_local_clustering", {"graph_name": graph_name, "runs": clustering_runs})
        ]
        for method in methods:
            runs = [run for m, run in community_runs if m == method]
            chunks = [runs[i :: self.sessions] for i in range(self.sessions)]
            jobs += [
                (f"collab/gds_{method}", {"graph_name": graph_name, "runs": chunk})
                for chunk in chunks
                if chunk
            ]
        with self.db.projection(graph_name, "collab/project_pairs", {"copies": columns}):
            found_lcc, *found_scores = self._in_parallel(jobs)
            # every run kept its communities in the projection; only the runs whose modularity
            # comes near their period's best are streamed and compared (_contenders)
            contenders = _contenders(pd.concat(found_scores, ignore_index=True), copies)
            found_communities = self._run(
                "collab/gds_communities",
                {
                    "graph_name": graph_name,
                    "runs": [
                        {
                            "run": run,
                            "property": _community_property(*run.split("|")),
                            "label": run.split("|")[1],
                        }
                        for run in contenders
                    ],
                },
            )

        def by_key(label: str, frame: pd.DataFrame) -> pd.Series:
            j, first, order = copies[label]
            keys = np.asarray(parts[j].keys, dtype=object)
            rank = frame["nodeId"].to_numpy(dtype=np.int64) - first
            return pd.Series(frame["value"].to_numpy(), index=keys[order[rank]])

        clustering = {
            copies[str(label)][0]: by_key(str(label), frame)
            for label, frame in found_lcc.groupby("run", sort=False)
        }
        partitions: dict[str, dict[int, list[list[object]]]] = {
            method: {j: [] for j in live} for method in ("louvain", "leiden")
        }
        streamed = dict(tuple(found_communities.groupby("run", sort=False)))
        for run in contenders:  # in restart order: the first of equal candidates wins
            method, copy = run.split("|")
            period = copies[copy][0]
            found = by_key(copy, streamed[run]).reindex(parts[period].keys)
            partitions[method][period].append(found.tolist())
        return clustering, partitions


def _measures(
    found: list[pd.DataFrame], parts: list[_Period], sampled: dict[int, int]
) -> dict[int, dict[str, pd.Series]]:
    """The directed phase's streamed ``run, nodeId, value`` rows as period -> measure -> values."""
    columns: dict[int, dict[str, pd.Series]] = {}
    for frame_of_runs in found:
        for run, frame in frame_of_runs.groupby("run", sort=False):
            measure, period = str(run).split("|")
            part = parts[int(period)]
            keys = np.asarray(part.keys, dtype=object)
            index = keys[frame["nodeId"].to_numpy(dtype=np.int64) - part.offset]
            values = frame["value"].to_numpy()
            if measure == "betweenness" and int(period) in sampled:
                # GDS sums the dependencies of the sampled sources only; n/k puts the
                # estimate on the scale of the exact value (Brandes & Pich 2007)
                values = values * len(part.nodes) / sampled[int(period)]
            columns.setdefault(int(period), {})[measure] = pd.Series(values, index=index)
    return columns


_ONE_BY_ONE: Final = ("betweenness", "closeness")
"""Algorithms whose runs are queries of their own: each takes seconds to minutes on a large
period (at a million patents, 2016-2020's betweenness 113 s and its closeness runs 24-50 s)."""


def _longest_first(
    graph_name: str, runs: dict[str, list[dict[str, Any]]], arcs: dict[int, int]
) -> list[tuple[str, dict[str, Any]]]:
    """The directed phase's queries, the probably longest first, so the sessions share the work.

    Betweenness and closeness runs go one to a query, the other algorithms' runs (linear and
    quick) together; the sessions take queries in this order as they free up (longest processing
    time first). A run's expected time is its period's arcs, betweenness counting as two
    closeness runs; the order does not change any result.
    """
    jobs: list[tuple[float, str, list[dict[str, Any]]]] = []
    for name, found in runs.items():
        if not found:
            continue
        if name in _ONE_BY_ONE:
            weight = 2.0 if name == "betweenness" else 1.0
            for run in found:
                period = int(str(run["run"]).split("|")[-1])
                jobs.append((weight * arcs[period], name, [run]))
        else:
            jobs.append((0.0, name, found))
    jobs.sort(key=lambda job: -job[0])  # stable: equal costs keep the algorithms' order
    return [
        (f"collab/gds_{name}", {"graph_name": graph_name, "runs": chunk}) for _, name, chunk in jobs
    ]


_TIE: Final = 1e-9
"""Runs whose GDS modularity is this close to their period's best are compared by copatent's."""


def _community_property(method: str, label: str) -> str:
    """The projection's node property where ``method``'s run on copy ``label`` leaves its result."""
    return f"{method}_{label}"


def _contenders(scores: pd.DataFrame, copies: dict[str, tuple[int, int, np.ndarray]]) -> list[str]:
    """The runs (``method|label``) whose modularity is within :data:`_TIE` of their period's best.

    GDS reports each run's modularity of ``W + Wᵀ``, the Q that
    :func:`~copatent.analytics.community.best_partition` ranks by, to floating-point error (far
    below :data:`_TIE`). The best of the contenders by copatent's own Q is therefore the best of
    all runs, and only the contenders' communities need to stream. Restart order is kept.
    """
    runs = scores.assign(
        method=[str(r).split("|")[0] for r in scores["run"]],
        period=[copies[str(r).split("|")[1]][0] for r in scores["run"]],
        restart=[int(str(r).rsplit("R", 1)[1]) for r in scores["run"]],
    )
    best = runs.groupby(["method", "period"])["modularity"].transform("max")
    near = runs[runs["modularity"] >= best - _TIE]
    return [str(r) for r in near.sort_values(["method", "period", "restart"])["run"]]


def _best(net: Network, candidates: list[list[object]], alone: np.ndarray) -> np.ndarray:
    """The candidate of highest modularity, nodes without arcs alone; all alone without arcs."""
    keys = list(net.nodes)
    if not candidates:
        return community.canonical_labels(keys)
    return community.best_partition(
        net, [_own_group(pd.Series(c, index=keys), alone) for c in candidates]
    )[0]


def _own_group(labels: pd.Series, alone: np.ndarray) -> list[object]:
    """``labels`` with every ``alone`` node in a group of its own."""
    return [
        ("alone", key) if a else value
        for key, value, a in zip(labels.index, labels, alone, strict=True)
    ]


def _aggregate(period: Period, rows: pd.DataFrame, offset: int, *, isolates: bool) -> _Period:
    """Edges, nodes (with internal counts and names) and unplaced count of one period's rows."""
    placed = rows[rows["source"].notna() & rows["target"].notna()]
    inside = placed["source"] == placed["target"]
    edges = sorted_edges(placed[~inside])
    ends = set(edges["source"]) | set(edges["target"])
    keys = sorted(ends | set(placed.loc[inside, "source"]) if isolates else ends)
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
    return _Period(period, edges, nodes, unplaced, int(placed.loc[inside, "weight"].sum()), offset)
