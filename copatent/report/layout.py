"""The study's Tables 1-5 laid out as the study lays them out, as data frames.

One frame per printed table, for the HTML report and ``tables.xlsx`` alike: Table 1 indicators ×
periods per scale, Table 2 the top regions by weighted degree with their tiers, Table 3 the block
density and image matrices, Table 4 the E-I index per subgroup, Table 5 the factor detector's q
and p per scale. Values stay numbers; the renderers format them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import numpy as np
import pandas as pd

from copatent.analytics.analysis import Analysis
from copatent.analytics.periods import Scale
from copatent.analytics.regional import RegionalDetection
from copatent.analytics.subgroups import PeriodSubgroups

TABLE1_ROWS: Final[dict[str, str]] = {
    "nodes": "Nodes",
    "edges": "Edges (arcs)",
    "density_binary": "Density",
    "modularity": "Modularity",
    "avg_clustering_gephi": "Average clustering coefficient",
    "avg_path_length_gephi": "Average path length",
    "out_centralization_maxtie_pct": "Out-degree centralization (%)",
    "in_centralization_maxtie_pct": "In-degree centralization (%)",
    "out_centralization_binary_pct": "Out-degree centralization, Freeman binary (%)",
    "in_centralization_binary_pct": "In-degree centralization, Freeman binary (%)",
    "reciprocity": "Reciprocity",
    "weak_components": "Weak components",
}
"""Table 1's rows: the study's seven (its centralization is UCINET's valued form, the
``maxtie`` columns), then the Freeman binary centralization, reciprocity and components."""

Label = Callable[[str, str], str]
"""``(node key, stored name) -> printed name``."""


def _as_given(_node: str, name: str) -> str:
    return name


HOW_ROWS: Final[dict[str, str]] = {
    "path_length": "Average path length: how",
    "betweenness": "Betweenness: how",
}
"""Rows added to Table 1 when a measure of some period is not exact (estimated from sampled
sources, :mod:`copatent.analytics.paths`), saying so for each period."""


def table1(analysis: Analysis, scale: Scale) -> pd.DataFrame:
    """Indicators (rows, :data:`TABLE1_ROWS`) × periods (columns) at ``scale``.

    A measure that is estimated in some period gets a row saying how, period by period
    (:data:`HOW_ROWS`).
    """
    rows = analysis.table1()
    rows = rows[rows["scale"] == scale].set_index("period")
    present = [c for c in TABLE1_ROWS if c in rows.columns]
    present += [c for c in HOW_ROWS if c in rows.columns and (rows[c] != "exact").any()]
    labels = TABLE1_ROWS | HOW_ROWS
    frame = rows.loc[:, present].T
    frame.index = pd.Index([labels[c] for c in present], name="indicator")
    frame.columns.name = None
    return frame


def table2(
    analysis: Analysis, scale: Scale, period: str, *, top: int = 30, label: Label = _as_given
) -> pd.DataFrame:
    """The ``top`` regions of ``period`` by weighted degree: rank, name, measures, tier."""
    centrality = analysis.tables[(scale, period)].centrality.head(top)
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(centrality) + 1),
            "region": [
                label(str(n), str(m))
                for n, m in zip(centrality["node"], centrality["name"], strict=True)
            ],
            "weighted degree": centrality["weighted_degree"].to_numpy(),
            "out-strength": centrality["out_strength"].to_numpy(),
            "in-strength": centrality["in_strength"].to_numpy(),
            "tier": centrality["tier"].to_numpy(),
            "tier range": centrality["tier_range"].to_numpy(),
        }
    )


def table3(part: PeriodSubgroups) -> pd.DataFrame:
    """Block density (valued, as the study prints) with the image cell beside each density.

    Rows ``from block``, columns ``to 1``, ``to 2``, ... for densities and ``image to 1``, ...
    """
    m = part.subgroups.matrices
    blocks = list(range(1, m.density_valued.shape[0] + 1))
    frame = pd.DataFrame(m.density_valued, index=blocks, columns=[f"to {b}" for b in blocks])
    for b, column in zip(blocks, m.image_valued.T, strict=True):
        frame[f"image to {b}"] = column
    frame.index.name = "from block"
    return frame


def table4(part: PeriodSubgroups) -> pd.DataFrame:
    """E-I per subgroup (arcs), then two labelled whole-network rows.

    The sum of the group rows (the study's "entire network") and Krackhardt & Stern's index.
    """
    ei = part.subgroups.ei_binary
    groups = ei.groups.rename(columns={"group": "subgroup"})
    rows = groups.loc[:, ["subgroup", "members", "internal", "external", "ei"]].astype(object)
    extra = pd.DataFrame(
        [
            {
                "subgroup": "sum of the group rows (the study's 'entire network')",
                "members": int(groups["members"].sum()),
                "internal": ei.sum_of_groups_internal,
                "external": ei.sum_of_groups_external,
                "ei": ei.sum_of_groups_ei,
            },
            {
                "subgroup": "whole network (Krackhardt & Stern)",
                "members": int(groups["members"].sum()),
                "internal": ei.whole_internal,
                "external": ei.whole_external,
                "ei": ei.whole_ei,
            },
        ]
    )
    return pd.concat([rows, extra], ignore_index=True).rename(columns={"ei": "E-I"})


def members(part: PeriodSubgroups, *, label: Label = _as_given) -> pd.DataFrame:
    """Each subgroup's members, highest weighted degree first, and the core it is centred on."""
    table = part.subgroups.members.sort_values(
        ["block", "weighted_degree"], ascending=[True, False]
    )
    return pd.DataFrame(
        {
            "subgroup": table["block"].to_numpy(),
            "region": [
                label(str(n), str(m)) for n, m in zip(table["node"], table["name"], strict=True)
            ],
            "weighted degree": table["weighted_degree"].to_numpy(),
            "tier": table["tier"].to_numpy(),
        }
    )


def table5(detections: Sequence[RegionalDetection], period: str) -> pd.DataFrame:
    """Factor detector q and p per factor (rows) and scale (``<scale> q``, ``<scale> p``).

    Factors in the order of the first scale's q, highest first.
    """
    frames = []
    for found in detections:
        if found.period != period:
            continue
        factor = found.detection.factor_table().set_index("x")
        frames.append(
            factor.loc[:, ["q", "p_value"]].rename(
                columns={"q": f"{found.scale} q", "p_value": f"{found.scale} p"}
            )
        )
    if not frames:
        return pd.DataFrame()
    joined = pd.concat(frames, axis=1)
    joined = joined.sort_values(joined.columns[0], ascending=False)
    joined.index.name = "factor"
    return joined


def interaction(detections: Sequence[RegionalDetection], period: str) -> pd.DataFrame:
    """The interaction detector's rows (q1, q2, q12, type) per scale, when it ran."""
    frames = [
        found.detection.tables()["interaction"].assign(scale=found.scale)
        for found in detections
        if found.period == period and found.detection.interaction
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
