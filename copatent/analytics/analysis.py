"""From an engine's period networks to the study's tables: Table 1, Table 2, flows, edge tiers.

:func:`analyze` takes the period networks an engine computed for the requested scales and periods
(:class:`~copatent.analytics.periods.PeriodGraph`, the baseline period among them) and derives,
with the same functions whichever engine ran:

- Table 1 (:meth:`Analysis.table1`): the indicators of every period × scale
  (:mod:`copatent.analytics.indicators`), modularity from the engine's Louvain partition;
- Table 2 (:attr:`PeriodTables.centrality`): every node's measures, its community, and its
  natural-break tier of weighted degree (Jenks, ``classes`` classes, class 1 = lowest);
- effective flow (:attr:`PeriodTables.flow`, :mod:`copatent.analytics.flow`) with tiers of ``A``;
- edge tiers (DESIGN.md item 8): the breaks of the baseline period's edge weights (default
  2016–2020) applied to every period, and the number of edges per tier and period
  (:meth:`Analysis.edge_tiers`), so early periods can lack the top tiers;
- the geography of the edges (:mod:`copatent.analytics.geography`): each edge's great-circle
  distance between the regions' seats, whether both cities are in one province, whether the
  regions border, and the distance decay per scale and period
  (:meth:`Analysis.distance_decay`).

A tier that cannot be computed (fewer distinct values than classes, as in a small early network)
is left empty and the reason is kept in :attr:`PeriodTables.notes`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from copatent._errors import InputError
from copatent.analytics import breaks, flow, geography
from copatent.analytics.defaults import DEFAULT_CLASSES
from copatent.analytics.indicators import Indicators, indicators
from copatent.analytics.periods import (
    DEFAULT_BASELINE,
    DEFAULT_PERIODS,
    Period,
    PeriodGraph,
    Scale,
)
from copatent.analytics.periods import (
    periods as distinct_periods,
)


@dataclass(frozen=True, eq=False)
class PeriodTables:
    """The tables of one period at one scale."""

    graph: PeriodGraph
    indicators: Indicators
    centrality: pd.DataFrame
    """``node``, ``name``, ``internal``, the measures, ``community``, ``tier``, ``tier_range``;
    sorted by weighted degree, highest first (the study's Table 2)."""
    flow: pd.DataFrame
    """``node``, ``name``, ``out_strength``, ``in_strength``, ``effective_flow``, ``role``,
    ``tier``, ``tier_range`` (tiers of ``effective_flow``), sorted by ``effective_flow``."""
    edges: pd.DataFrame
    """``source``, ``source_name``, ``target``, ``target_name``, ``weight``, ``tier``,
    ``tier_range`` (baseline breaks), ``distance_km``, ``same_province`` (city scale),
    ``bordering`` (:func:`~copatent.analytics.geography.edge_geography`; missing at the
    applicant scale), sorted by weight, highest first."""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything :func:`analyze` computed, keyed by ``(scale, period label)``."""

    engine: str
    scales: tuple[Scale, ...]
    periods: tuple[Period, ...]
    baseline: Period
    classes: int
    tables: dict[tuple[Scale, str], PeriodTables]
    edge_breaks: dict[Scale, breaks.Breaks | None] = field(default_factory=dict)
    graphs: dict[Scale, tuple[PeriodGraph, ...]] = field(default_factory=dict)
    """Every period network the tables came from, the baseline's among them."""

    def __iter__(self) -> Iterator[PeriodTables]:
        for scale in self.scales:
            for period in self.periods:
                yield self.tables[(scale, period.label)]

    def table1(self) -> pd.DataFrame:
        """One row per scale × period: the indicators, the unplaced collaborations, notes."""
        rows = []
        for t in self:
            g = t.graph
            sampled = g.betweenness_sources
            rows.append(
                {"scale": g.scale, "period": g.label}
                | t.indicators.as_dict()
                | {
                    "internal": g.internal,
                    "unplaced": g.unplaced,
                    "betweenness": "exact"
                    if sampled is None
                    else f"estimated from {sampled} sources",
                    "path_length": "exact"
                    if g.path_sources is None
                    else f"estimated from {g.path_sources} sources",
                    "diameter_bound": "exact"
                    if g.diameter_sweeps is None
                    else f"lower bound from {g.diameter_sweeps} sweeps",
                }
            )
        return pd.DataFrame(rows)

    def edge_tiers(self) -> pd.DataFrame:
        """Edges per tier and period at each scale, with the baseline ranges."""
        rows = []
        for scale in self.scales:
            found = self.edge_breaks.get(scale)
            if found is None:
                continue
            for tier, low, high in found.ranges():
                row: dict[str, object] = {
                    "scale": scale,
                    "tier": tier,
                    "low": low,
                    "high": high,
                    "range": found.label(tier, open_ends=True),
                }
                for period in self.periods:
                    edges = self.tables[(scale, period.label)].edges
                    row[period.label] = int((edges["tier"] == tier).sum())
                rows.append(row)
        return pd.DataFrame(rows)

    def distance_decay(self) -> pd.DataFrame:
        """Per province and city scale, period and distance band: arcs, weight and shares.

        Columns ``scale``, ``period``, then those of
        :func:`~copatent.analytics.geography.distance_decay` (bands of
        :data:`~copatent.analytics.geography.BANDS_KM`), and ``unplaced_arcs``: the period's arcs
        without a distance (a region without coordinates), left out of the bands. The applicant
        scale has no places and no rows.
        """
        frames = []
        for scale in self.scales:
            if scale == "applicant":
                continue
            for period in self.periods:
                edges = self.tables[(scale, period.label)].edges
                decay = geography.distance_decay(edges)
                decay.insert(0, "period", period.label)
                decay.insert(0, "scale", scale)
                decay["unplaced_arcs"] = int(edges["distance_km"].isna().sum())
                frames.append(decay)
        if not frames:
            return pd.DataFrame(columns=["scale", "period", "band"])
        return pd.concat(frames, ignore_index=True)

    def notes(self) -> list[str]:
        return [note for t in self for note in t.notes]


def needed_periods(
    periods: Sequence[tuple[int, int]], baseline: tuple[int, int]
) -> tuple[Period, ...]:
    """The periods an engine computes for :func:`analyze`: ``periods``, then the baseline."""
    wanted = distinct_periods(periods)
    base = Period.of(baseline)
    return wanted if base in wanted else (*wanted, base)


def analyze(
    graphs: Mapping[Scale, Sequence[PeriodGraph]],
    *,
    periods: Sequence[tuple[int, int]] = DEFAULT_PERIODS,
    baseline: tuple[int, int] = DEFAULT_BASELINE,
    classes: int = DEFAULT_CLASSES,
    engine: str = "",
    places: Mapping[Scale, geography.Places] | None = None,
) -> Analysis:
    """Derive every table from the period networks of each scale (``periods`` and the baseline).

    ``graphs`` maps each scale to its networks of :func:`needed_periods`; ``engine`` names the
    engine that computed them, for the record. ``places``: where each scale's nodes are, for the
    geography of the edges; a scale not in it gets
    :func:`~copatent.analytics.geography.region_places` (the seats of
    :mod:`copatent.regions`, the borders of :mod:`copatent.geo`).
    """
    wanted = distinct_periods(periods)
    baseline = Period.of(baseline)
    tables: dict[tuple[Scale, str], PeriodTables] = {}
    edge_breaks: dict[Scale, breaks.Breaks | None] = {}
    for scale, found in graphs.items():
        by_period = {g.period: g for g in found}
        missing = [p.label for p in (*wanted, baseline) if p not in by_period]
        if missing:
            raise ValueError(f"no {scale} network for {', '.join(missing)}")
        base = by_period[baseline]
        what = f"edge weights of {scale} {base.label} (the baseline of the edge tiers)"
        try:
            edge_breaks[scale] = breaks.jenks(base.edges["weight"], classes, what=what)
        except InputError as exc:
            edge_breaks[scale] = None
            base_note = str(exc)
        else:
            base_note = ""
        where = (places or {}).get(scale) or geography.region_places(scale)
        for period in wanted:
            tables[(scale, period.label)] = _period_tables(
                by_period[period], edge_breaks[scale], base_note, classes, where
            )
    return Analysis(
        engine=engine,
        scales=tuple(graphs),
        periods=wanted,
        baseline=baseline,
        classes=classes,
        tables=tables,
        edge_breaks=edge_breaks,
        graphs={scale: tuple(found) for scale, found in graphs.items()},
    )


def _period_tables(
    graph: PeriodGraph,
    edge_breaks: breaks.Breaks | None,
    edge_note: str,
    classes: int,
    places: geography.Places,
) -> PeriodTables:
    notes: list[str] = []
    names = graph.nodes.set_index("node")["name"]
    nodes = graph.nodes.merge(graph.measures, on="node", validate="one_to_one")
    nodes["community"] = graph.communities
    where = f"{graph.scale} {graph.label}"
    _add_tiers(nodes, "weighted_degree", classes, f"weighted degrees of {where}", notes)
    centrality = nodes.sort_values(
        ["weighted_degree", "node"], ascending=[False, True], ignore_index=True
    )

    flows = flow.effective_flow(nodes[["node", "out_strength", "in_strength"]], what=where)
    flows.insert(1, "name", nodes["name"].to_numpy())
    _add_tiers(flows, "effective_flow", classes, f"effective flows of {where}", notes)
    flows = flows.sort_values(
        ["effective_flow", "node"], ascending=[False, True], ignore_index=True
    )

    edges = graph.edges.copy()
    edges.insert(1, "source_name", edges["source"].map(names))
    edges.insert(3, "target_name", edges["target"].map(names))
    if edge_breaks is None:
        edges["tier"] = pd.array([pd.NA] * len(edges), dtype="Int64")
        edges["tier_range"] = ""
        if edge_note and len(edges):
            notes.append(edge_note)
    else:
        edges["tier"] = edge_breaks.classify(edges["weight"].to_numpy(), what=where)
        edges["tier_range"] = [edge_breaks.label(t, open_ends=True) for t in edges["tier"]]
    edges = geography.with_geography(edges, places)
    edges = edges.sort_values(
        ["weight", "source", "target"], ascending=[False, True, True], ignore_index=True
    )
    return PeriodTables(
        graph=graph,
        indicators=indicators(
            graph.network,
            communities=graph.communities,
            paths=(graph.path_length, graph.diameter),  # the engine's (GDS or igraph)
        ),
        centrality=centrality,
        flow=flows,
        edges=edges,
        notes=tuple(notes),
    )


def _add_tiers(frame: pd.DataFrame, column: str, classes: int, what: str, notes: list[str]) -> None:
    """Add ``tier`` and ``tier_range`` for the non-missing values of ``column`` (in place)."""
    found = breaks.tiers_where_possible(frame[column].to_numpy(dtype=float), classes, what=what)
    if found.reason:
        notes.append(found.reason)
    frame["tier"] = pd.array(found.tier, dtype="Int64")
    frame["tier_range"] = [label or "" for label in found.label]
