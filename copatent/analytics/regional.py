"""Regional statistics joined to the networks' nodes, and the geographical detector on them.

:func:`join_regions` matches a regional statistics table (first column the region, by name or
adcode: :func:`copatent.regions.match_regions`) to one period's nodes and their centrality;
:func:`detect_regions` runs :func:`copatent.analytics.detection.detect` on every network of an
:class:`~copatent.analytics.analysis.Analysis`, the explained variable a node measure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Unpack

import numpy as np
import pandas as pd

from copatent._errors import InputError
from copatent.analytics.analysis import Analysis
from copatent.analytics.detection import Detection, DetectOptions, detect
from copatent.analytics.periods import Scale
from copatent.regions import match_regions
from copatent.tables import listing, text_cells
from copatent.tables.numbers import numeric_cells


class UnknownMeasureError(InputError):
    """The explained variable asked for is not a node measure of the network.

    The message starts with the name asked for; a command line puts its option before it.
    """

    def __init__(self, y: str, measures: Sequence[str]) -> None:
        self.y = y
        self.measures = tuple(measures)
        super().__init__(f"{y!r} is not a node measure; choose one of: {', '.join(measures)}")


def join_regions(
    centrality: pd.DataFrame,
    factors: pd.DataFrame,
    *,
    scale: str,
    y: str,
    xs: Sequence[str] = (),
    source: str = "factors",
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The network's nodes with their ``y`` (a centrality column) and their statistics.

    ``factors``' first column names the region (name or adcode, matched as
    :func:`copatent.regions.match_regions` does); ``xs`` are its factor columns (default:
    every other column whose present cells are all numbers). Returns the joined table (``node``,
    ``name``, ``y``, the factors, one row per node with statistics), the factor names, and notes
    listing the rows that match no region, the regions outside the network and the nodes
    without statistics.

    Raises
    ------
    UnknownMeasureError
        ``y`` is not a node measure of ``centrality``.
    InputError
        No row names a region of ``scale``, a region named twice, no factor column, a factor
        column that ``factors`` lacks.
    """
    codes_not_measures = ("node", "name", "tier_range", "role", "component", "community", "tier")
    measures = [c for c in centrality.columns if c not in codes_not_measures]
    if y not in measures:
        raise UnknownMeasureError(y, measures)
    if factors.shape[1] < 2:
        raise InputError(f"{source}: needs a region column and at least one factor column")
    key = str(factors.columns[0]).strip()
    names = text_cells(factors.iloc[:, 0])
    codes = match_regions(names, scale)
    rows = np.arange(len(factors)) + 2
    notes: list[str] = []
    unmatched = (codes.isna() & (names != "")).to_numpy()
    if unmatched.any():
        listed = listing(
            [f"row {r} {v!r}" for r, v in zip(rows[unmatched], names[unmatched], strict=True)],
            limit=10,
        )
        notes.append(f"{source}: {int(unmatched.sum())} row(s) name no {scale}: {listed}")
    if codes.notna().sum() == 0:
        given = [(int(r), v) for r, v in zip(rows, names, strict=True) if v]
        example = f", e.g. row {given[0][0]}: {given[0][1]!r}" if given else ""
        raise InputError(
            f"{source}: no row of column {key} names a {scale} by name or 6-digit adcode"
            f"{example}; the first column must name the {scale}s"
        )
    repeated = (codes.notna() & codes.duplicated(keep="first")).to_numpy()
    if repeated.any():
        r = int(rows[repeated][0])
        raise InputError(
            f"{source}: row {r}, column {key}: {names.iloc[r - 2]!r} is a {scale} named before"
        )
    cells = {str(c).strip(): text_cells(factors[c]) for c in factors.columns[1:]}
    if not xs:
        xs = [name for name, column in cells.items() if numeric_cells(column)]
        skipped = [name for name in cells if name not in xs]
        if skipped:
            notes.append(f"{source}: text column(s) {', '.join(skipped)} not used as factors")
        if not xs:
            raise InputError(f"{source}: no numeric factor column besides {key!r}")
    folded = {name.casefold(): name for name in cells}
    absent = [x for x in xs if x.strip().casefold() not in folded]
    if absent:
        raise InputError(
            f"{source}: no column {', '.join(map(repr, absent))}; columns: {', '.join(cells)}"
        )
    stats = pd.DataFrame(
        {x: cells[folded[x.strip().casefold()]].to_numpy() for x in xs}, index=codes.to_numpy()
    )
    stats = stats[stats.index.notna()]
    nodes = centrality.loc[:, ["node", "name", y]]
    present = nodes["node"].isin(set(stats.index)).to_numpy()
    if (~present).any():
        missing = nodes.loc[~present, "name"].astype(str).tolist()
        notes.append(
            f"{len(missing)} node(s) of the network have no row in {source}: "
            f"{listing(missing, limit=10)}"
        )
    outside = int((~stats.index.isin(set(nodes["node"]))).sum())
    if outside:
        notes.append(f"{outside} row(s) of {source} are regions outside the network: left out")
    joined = nodes[present].reset_index(drop=True)
    for x in xs:
        joined[x] = stats.loc[joined["node"], x].to_numpy()
    return joined, list(xs), notes


@dataclass(frozen=True)
class Statistics:
    """A regional statistics table (text cells) and its name in messages (the file)."""

    table: pd.DataFrame
    source: str = "factors"


@dataclass(frozen=True, eq=False)
class RegionalDetection:
    """The detectors on one period's network at one scale."""

    scale: Scale
    period: str
    """The period's label, ``2016-2020``."""
    detection: Detection


def detect_regions(
    analysis: Analysis,
    statistics: Mapping[Scale, Statistics],
    *,
    y: str,
    xs: Sequence[str] = (),
    **options: Unpack[DetectOptions],
) -> list[RegionalDetection]:
    """The detectors on every network of ``analysis``, by scale then period, ``y`` a node measure.

    Each period's centrality table (:attr:`~copatent.analytics.analysis.PeriodTables.centrality`)
    is joined to the statistics of its scale (:func:`join_regions`, ``xs`` as there) and
    :func:`~copatent.analytics.detection.detect` runs on the joined table with ``options``; the
    join's notes come first in the detection's notes. A period without a network at a scale
    (no node) is left out.

    Raises
    ------
    InputError
        As :func:`join_regions` and :func:`~copatent.analytics.detection.detect` raise, naming
        the statistics' ``source``.
    """
    found = []
    for scale in analysis.scales:
        given = statistics[scale]
        for period in analysis.periods:
            centrality = analysis.tables[(scale, period.label)].centrality
            if centrality.empty:
                continue  # no network in this period at this scale
            joined, factors, notes = join_regions(
                centrality, given.table, scale=scale, y=y, xs=xs, source=given.source
            )
            result = detect(joined, y, factors, source=given.source, **options)
            result = dataclasses.replace(result, notes=(*notes, *result.notes))
            found.append(RegionalDetection(scale, period.label, result))
    return found
