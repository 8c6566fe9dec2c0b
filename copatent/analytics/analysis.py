"""From an engine's period networks to the study's tables: Table 1, Table 2, flows, edge tiers.

One :func:`analyse` call runs an engine for the requested scales and periods and derives, with the
same functions whichever engine ran:

- Table 1 (:meth:`Analysis.table1`): the indicators of every period × scale
  (:mod:`copatent.analytics.indicators`), modularity from the engine's Louvain partition;
- Table 2 (:attr:`PeriodTables.centrality`): every node's measures, its community, and its
  natural-break tier of weighted degree (Jenks, ``classes`` classes, class 1 = lowest);
- effective flow (:attr:`PeriodTables.flow`, :mod:`copatent.analytics.flow`) with tiers of ``A``;
- edge tiers (DESIGN.md item 8): the breaks of the baseline period's edge weights (default
  2016–2020) applied to every period, and the number of edges per tier and period
  (:meth:`Analysis.edge_tiers`), so early periods can lack the top tiers.

A tier that cannot be computed (fewer distinct values than classes, as in a small early network)
is left empty and the reason is kept in :attr:`PeriodTables.notes`.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pandas as pd

from copatent._errors import InputError
from copatent.analytics import breaks, flow
from copatent.analytics.collab import DEFAULT_PERIODS, Scale
from copatent.analytics.engines.base import Engine, PeriodGraph, period_label
from copatent.analytics.indicators import Indicators, indicators

DEFAULT_BASELINE: Final = (2016, 2020)
"""The period whose edge-weight breaks define the edge tiers of every period."""


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
    ``tier_range`` (baseline breaks), sorted by weight, highest first."""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything :func:`analyse` computed, keyed by ``(scale, period label)``."""

    engine: str
    scales: tuple[Scale, ...]
    periods: tuple[tuple[int, int], ...]
    baseline: tuple[int, int]
    classes: int
    tables: dict[tuple[Scale, str], PeriodTables]
    edge_breaks: dict[Scale, breaks.Breaks | None] = field(default_factory=dict)

    def __iter__(self) -> Iterator[PeriodTables]:
        for scale in self.scales:
            for period in self.periods:
                yield self.tables[(scale, period_label(period))]

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
                    "betweenness": "exact" if sampled is None else f"sampled from {sampled}",
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
                    edges = self.tables[(scale, period_label(period))].edges
                    row[period_label(period)] = int((edges["tier"] == tier).sum())
                rows.append(row)
        return pd.DataFrame(rows)

    def notes(self) -> list[str]:
        return [note for t in self for note in t.notes]

    def write(self, out: Path) -> list[Path]:
        """Write the CSV files into ``out`` (created); each file appears whole or not at all."""
        writable_folder(out)
        written = [
            write_csv(self.table1(), out / "table1.csv"),
            write_csv(self.edge_tiers(), out / "edge_tiers.csv"),
        ]
        for t in self:
            stem = f"{t.graph.scale}_{t.graph.label}"
            written.append(write_csv(t.centrality, out / f"centrality_{stem}.csv"))
            written.append(write_csv(t.flow, out / f"flow_{stem}.csv"))
            written.append(write_csv(t.edges, out / f"edges_{stem}.csv"))
        return written


def writable_folder(out: Path) -> Path:
    """Create ``out`` if needed and check that files can be written in it (one-line errors)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".copatent-"):
            pass
    except OSError as exc:
        raise InputError(f"{out}: cannot write the tables there: {exc.strerror or exc}") from None
    return out


def parse_period(text: str) -> tuple[int, int]:
    """``"2016-2020"`` → ``(2016, 2020)``; a clear error for anything else.

    >>> parse_period("2001-2005")
    (2001, 2005)
    """
    found = re.fullmatch(r"\s*([0-9]{4})\s*-\s*([0-9]{4})\s*", text)
    if found:
        start, end = int(found[1]), int(found[2])
        if start <= end:
            return start, end
    raise InputError(f"period {text!r}: expected two years START-END with START <= END")


def analyse(
    engine: Engine,
    *,
    scales: Sequence[Scale],
    periods: Sequence[tuple[int, int]] = DEFAULT_PERIODS,
    baseline: tuple[int, int] = DEFAULT_BASELINE,
    classes: int = breaks.DEFAULT_CLASSES,
) -> Analysis:
    """Run ``engine`` for ``scales`` × ``periods`` (plus the baseline) and derive every table."""
    wanted = tuple(dict.fromkeys(periods))
    computed = wanted if baseline in wanted else (*wanted, baseline)
    tables: dict[tuple[Scale, str], PeriodTables] = {}
    edge_breaks: dict[Scale, breaks.Breaks | None] = {}
    for scale in scales:
        graphs = {g.period: g for g in engine.period_graphs(scale, computed)}
        base = graphs[baseline]
        what = f"edge weights of {scale} {base.label} (the baseline of the edge tiers)"
        try:
            edge_breaks[scale] = breaks.jenks(base.edges["weight"], classes, what=what)
        except InputError as exc:
            edge_breaks[scale] = None
            base_note = str(exc)
        else:
            base_note = ""
        for period in wanted:
            tables[(scale, period_label(period))] = _period_tables(
                graphs[period], edge_breaks[scale], base_note, classes
            )
    return Analysis(
        engine=engine.name,
        scales=tuple(scales),
        periods=wanted,
        baseline=baseline,
        classes=classes,
        tables=tables,
        edge_breaks=edge_breaks,
    )


def _period_tables(
    graph: PeriodGraph, edge_breaks: breaks.Breaks | None, edge_note: str, classes: int
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


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """UTF-8 with BOM (opens correctly in Excel), written to a temporary file and renamed."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    try:
        frame.to_csv(temporary, index=False, encoding="utf-8-sig")
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
