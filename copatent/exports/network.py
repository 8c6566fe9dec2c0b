"""One period's network at one scale as two tables, the input of every export format.

:func:`period_networks` takes the tables :func:`copatent.analytics.analysis.analyze` computed and
gives, per period, a :class:`PeriodNetwork`: the nodes with every measure and the arcs with their
weight, tier and geography. The formats (:mod:`copatent.exports`) only translate these two tables.

Nodes (``nodes``), in the order of the engine's node table (by key), columns:

- ``node`` (adcode, or the applicant's name), ``label`` (the name the format shows: the Chinese
  name, or with ``labels="en"`` the English one of :func:`copatent.geo.names.names`),
  ``name`` (the Chinese name of the analysis tables), ``name_en`` (regions only);
- ``longitude``, ``latitude`` (regions only; degrees, WGS 84): the region's seat of government
  from :func:`copatent.analytics.geography.region_places`, the points ``distance_km`` is measured
  between. A province is placed at its capital's seat. Missing when the region has no seat;
- ``internal`` and the measures of :data:`copatent.analytics.centrality.MEASURES` (weighted
  degree, in/out strength and degree, betweenness, in/out closeness, clustering, component),
  ``community`` (Louvain), ``leiden`` (when the engine computed it);
- ``degree_tier``, ``degree_tier_range``: the natural-break tier of weighted degree (Table 2);
- ``effective_flow`` (A), ``flow_role``, ``flow_tier``, ``flow_tier_range``
  (:mod:`copatent.analytics.flow`).

Arcs (``arcs``), sorted by weight, highest first: ``source``, ``source_name``, ``target``,
``target_name``, ``weight``, ``tier``, ``tier_range`` (the baseline period's breaks), and at the
regional scales ``distance_km``, ``bordering`` and (city scale) ``same_province``
(:mod:`copatent.analytics.geography`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

from copatent._errors import InputError
from copatent.analytics import geography
from copatent.analytics.analysis import Analysis
from copatent.analytics.periods import Period, Scale
from copatent.geo.names import Lang

GEOGRAPHY: Final = geography.EDGE_COLUMNS
"""The arc columns that only the regional scales have."""

POSITION: Final = ("longitude", "latitude")
"""The node columns that place a region (regional scales only)."""


@dataclass(frozen=True, eq=False)
class PeriodNetwork:
    """One period's network at one scale: ``nodes`` and ``arcs`` (see the module)."""

    scale: Scale
    period: Period
    nodes: pd.DataFrame
    arcs: pd.DataFrame

    @property
    def weight(self) -> float:
        """The arcs' total weight (collaborations between different nodes)."""
        return float(self.arcs["weight"].sum())

    @property
    def placed(self) -> bool:
        """Whether the nodes have coordinates (the regional scales)."""
        return "longitude" in self.nodes.columns

    def summary(self) -> dict[str, object]:
        """``period``, ``nodes``, ``arcs``, ``weight``: what a command prints."""
        weight = self.weight
        return {
            "period": self.period.label,
            "nodes": len(self.nodes),
            "arcs": len(self.arcs),
            "weight": int(weight) if weight.is_integer() else weight,
        }


def period_networks(
    result: Analysis, scale: Scale, *, labels: Lang = "zh"
) -> tuple[PeriodNetwork, ...]:
    """The network of ``scale`` in each period of ``result``, in its order.

    ``labels="en"`` labels the regions with their English names; the applicant scale has none
    (an :class:`~copatent._errors.InputError`).
    """
    if scale == "applicant" and labels == "en":
        raise InputError(
            "--labels en: applicants have no English names; use --labels zh at the applicant scale"
        )
    return tuple(_network(result, scale, p, labels) for p in result.periods)


def long_table(networks: Sequence[PeriodNetwork], table: Literal["nodes", "arcs"]) -> pd.DataFrame:
    """The ``nodes`` or ``arcs`` of every period, one below the other, ``period`` first."""
    frames = []
    for network in networks:
        frame: pd.DataFrame = getattr(network, table).copy()
        frame.insert(0, "period", network.period.label)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def require_arcs(networks: Sequence[PeriodNetwork]) -> None:
    """One line when no network of ``networks`` has an arc: nothing to export."""
    if all(n.arcs.empty for n in networks):
        scale = networks[0].scale if networks else "?"
        periods = ", ".join(n.period.label for n in networks)
        raise InputError(
            f"{scale} {periods}: no collaborations between different {_PLURAL[scale]} (no "
            "arcs), so no network to export; choose another --period or --scale, or load "
            "multi-applicant patents of those years"
        )


_PLURAL: Final[dict[str, str]] = {
    "province": "provinces",
    "city": "cities",
    "applicant": "applicants",
    "?": "nodes",
}


def _network(result: Analysis, scale: Scale, period: Period, labels: Lang) -> PeriodNetwork:
    tables = result.tables[(scale, period.label)]
    graph = tables.graph
    centrality = tables.centrality.rename(
        columns={"tier": "degree_tier", "tier_range": "degree_tier_range"}
    )
    flows = tables.flow[["node", "effective_flow", "role", "tier", "tier_range"]].rename(
        columns={"role": "flow_role", "tier": "flow_tier", "tier_range": "flow_tier_range"}
    )
    nodes = graph.nodes[["node"]].merge(centrality, on="node", how="left", validate="one_to_one")
    nodes = nodes.merge(flows, on="node", how="left", validate="one_to_one")
    if graph.leiden is not None:
        nodes.insert(list(nodes.columns).index("community") + 1, "leiden", graph.leiden)
    keys = nodes["node"].astype(str)
    if scale == "applicant":
        nodes.insert(1, "label", nodes["name"])
        arcs = tables.edges.drop(columns=list(GEOGRAPHY), errors="ignore")
    else:
        from copatent.geo import names  # noqa: PLC0415 (pypinyin)

        english = names.names(scale, "en")
        name_en = [english.get(k, n) for k, n in zip(keys, nodes["name"], strict=True)]
        nodes.insert(1, "label", name_en if labels == "en" else nodes["name"])
        nodes.insert(3, "name_en", name_en)
        points = geography.region_places(scale).points
        nan = (math.nan, math.nan)
        nodes.insert(4, "longitude", [points.get(k, nan)[0] for k in keys])
        nodes.insert(5, "latitude", [points.get(k, nan)[1] for k in keys])
        # same_province is a city-scale question: at the province scale it is always missing
        arcs = tables.edges.drop(columns=["same_province"]) if scale == "province" else tables.edges
    return PeriodNetwork(
        scale=scale,
        period=period,
        nodes=nodes.reset_index(drop=True),
        arcs=arcs.reset_index(drop=True),
    )
