"""The study's printed Table 1 beside copatent's (``copatent analyze --compare-study``).

The study copatent generalises (:data:`SOURCE`) prints seven indicators of its Table 1 per
period and scale. They are packaged, as transcribed, in ``copatent/report/data/study_table1.csv``
(the source in the file's header), under the study's names. :func:`compare` sets them beside the
values copatent computed for the same scale and period (:meth:`Analysis.table1
<copatent.analytics.analysis.Analysis.table1>`), one row per value the study prints and the run
computed, so that a researcher replicating the study sees where the two agree.

Each study indicator is compared with the copatent column of the convention that reproduces the
study's printed figures (:data:`INDICATORS`, DESIGN.md item 6): the study's centralization is
UCINET's valued normalisation (``*_centralization_maxtie_pct``), its clustering and path length
Gephi's. A scale or period of the run that the study does not print gets no rows, and a note
saying so.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

import numpy as np
import pandas as pd

SOURCE: Final = (
    'Hu, Shi, Wei, Qiu, Hu, Zhou, Guo, "Structural Evolution and Policy Orientation of '
    "China's Rare Earth Innovation Network: A Social Network Analysis Based on Collaborative "
    'Patents", Polish Journal of Environmental Studies (accepted October 2023; open access), '
    "Table 1"
)
"""Where the packaged values come from."""

_DATA: Final = "copatent.report.data"
_FILE: Final = "study_table1.csv"


@dataclass(frozen=True)
class Indicator:
    """How copatent computes one of the study's Table 1 indicators."""

    column: str
    """copatent's Table 1 column (``table1.csv``, ``analyze --json``)."""
    convention: str
    """The convention of that column, in a few words."""


INDICATORS: Final[Mapping[str, Indicator]] = {
    "nodes": Indicator(
        "nodes", "regions with an arc in the period (with --isolates also internal-only ones)"
    ),
    "edges": Indicator("edges", "arcs with weight > 0, leader's region to participant's"),
    "modularity": Indicator(
        "modularity",
        "Newman Q of the Louvain partition of W + W^T, weighted (Louvain: seed, restarts matter)",
    ),
    "avg_clustering": Indicator(
        "avg_clustering_gephi",
        "Gephi, directed: neighbours in and out, nodes with fewer than 2 count as 0",
    ),
    "avg_path_length": Indicator(
        "avg_path_length_gephi",
        "Gephi: unweighted, along out-arcs, mean over ordered pairs with a path",
    ),
    "out_centralization_pct": Indicator(
        "out_centralization_maxtie_pct",
        "UCINET valued: out-strengths over the largest arc weight, Freeman, in percent",
    ),
    "in_centralization_pct": Indicator(
        "in_centralization_maxtie_pct",
        "UCINET valued: in-strengths over the largest arc weight, Freeman, in percent",
    ),
}
"""The study's indicator name → copatent's column and its convention (DESIGN.md item 6)."""

COLUMNS: Final[tuple[str, ...]] = (
    "scale",
    "period",
    "indicator",
    "copatent_column",
    "study",
    "copatent",
    "difference",
    "relative_difference_pct",
    "agrees",
    "convention",
)
"""Columns of :attr:`StudyComparison.table` (``study_comparison.csv``), in order."""


@dataclass(frozen=True, eq=False)
class StudyComparison:
    """The study's Table 1 beside copatent's, and what could not be compared."""

    table: pd.DataFrame
    """:data:`COLUMNS`: one row per scale × period × indicator that the study prints and the run
    computed, in the run's scale and period order, then the study's indicator order.
    ``difference`` is copatent − study; ``relative_difference_pct`` is 100 · difference / study;
    ``agrees`` is true when copatent's value rounds to the study's (within half a unit of the
    study's last printed decimal). Values copatent could not compute (an empty network's path
    length, say) are missing, and so are their differences."""
    notes: tuple[str, ...] = ()
    """Scales and periods of the run without rows, and why."""


@functools.cache
def _printed() -> pd.DataFrame:
    text = resources.files(_DATA).joinpath(_FILE).read_text("utf-8")
    return pd.read_csv(io.StringIO(text), comment="#", dtype=str, na_filter=False)


def printed_table1() -> pd.DataFrame:
    """The study's Table 1 as packaged, one row per value it prints.

    Columns ``scale``, ``period``, ``indicator`` (the study's name), ``value`` (a float) and
    ``decimals`` (the decimals of the transcribed value, taken as the printed precision).

    >>> t = printed_table1()
    >>> len(t), sorted(set(t["scale"])), list(dict.fromkeys(t["indicator"])) == list(INDICATORS)
    (35, ['city', 'province'], True)
    >>> last = t[(t["scale"] == "province") & (t["period"] == "2016-2020")].tail(2)
    >>> last[["indicator", "value", "decimals"]].to_numpy().tolist()
    [['out_centralization_pct', 8.919, 3], ['in_centralization_pct', 3.794, 3]]
    """
    text = _printed()
    table = text[["scale", "period", "indicator"]].copy()
    table["value"] = text["value"].astype(float)
    table["decimals"] = [len(v.partition(".")[2]) for v in text["value"]]
    return table


def compare(table1: pd.DataFrame, *, printed: pd.DataFrame | None = None) -> StudyComparison:
    """The study's values beside ``table1``'s for the same scale, period and indicator.

    Parameters
    ----------
    table1
        copatent's Table 1: one row per ``scale`` and ``period`` (label ``START-END``), with the
        columns of :data:`INDICATORS` (:meth:`Analysis.table1
        <copatent.analytics.analysis.Analysis.table1>`, or ``table1.csv`` read back).
    printed
        The study's values in the form of :func:`printed_table1` (its default).

    Returns
    -------
    StudyComparison
        The rows, and a note for each scale, period, or scale × period of ``table1`` that the
        study does not print.
    """
    study = printed_table1() if printed is None else printed
    missing = [i.column for i in INDICATORS.values() if i.column not in table1.columns]
    if missing:
        raise ValueError(f"Table 1 lacks the column(s) {', '.join(missing)}")
    scales = list(dict.fromkeys(study["scale"]))
    periods = list(dict.fromkeys(study["period"]))
    notes = [
        f"{scale}: the study's Table 1 has no {scale} networks (only {', '.join(scales)}); "
        "no comparison rows"
        for scale in dict.fromkeys(table1["scale"])
        if scale not in scales
    ]
    notes += [
        f"{period}: not a period of the study's Table 1 ({', '.join(periods)}); no comparison rows"
        for period in dict.fromkeys(table1["period"])
        if period not in periods
    ]
    rows: list[dict[str, object]] = []
    for record in table1.to_dict("records"):
        scale, period = str(record["scale"]), str(record["period"])
        if scale not in scales or period not in periods:
            continue
        here = study[(study["scale"] == scale) & (study["period"] == period)]
        if here.empty:
            there = ", ".join(dict.fromkeys(study.loc[study["scale"] == scale, "period"]))
            notes.append(
                f"{scale} {period}: the packaged study Table 1 has no values for it "
                f"({scale}: {there} only); no comparison rows"
            )
        printed_rows = {str(row["indicator"]): row for row in here.to_dict("records")}
        rows += [
            _row(printed_rows[name], indicator, record[indicator.column])
            for name, indicator in INDICATORS.items()
            if name in printed_rows
        ]
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    table = table.astype(
        {
            "study": float,
            "copatent": float,
            "difference": float,
            "relative_difference_pct": float,
            "agrees": bool,
        }
    )
    return StudyComparison(table=table, notes=tuple(notes))


def _row(
    printed: Mapping[Hashable, Any], indicator: Indicator, computed: object
) -> dict[str, object]:
    """One row of :data:`COLUMNS`: the study's ``printed`` row beside copatent's value."""
    study = float(printed["value"])
    ours = float(computed) if isinstance(computed, int | float | np.number) else np.nan
    difference = ours - study
    # half a unit of the last printed decimal, and a little for binary fractions
    agrees = bool(abs(difference) <= 0.5 * 10.0 ** -int(printed["decimals"]) + 1e-9)
    return {
        "scale": printed["scale"],
        "period": printed["period"],
        "indicator": printed["indicator"],
        "copatent_column": indicator.column,
        "study": study,
        "copatent": ours,
        "difference": difference,
        "relative_difference_pct": 100 * difference / abs(study) if study else np.nan,
        "agrees": agrees,
        "convention": indicator.convention,
    }
