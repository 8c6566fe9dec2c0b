"""The CSV tables of ``copatent analyze``.

Table 1, edge tiers, per scale and period the centrality (Table 2), effective-flow and edge
tables (with each edge's distance, same province and bordering), per province and city scale
the distance decay (``distance_decay_<scale>.csv``: one row per period and distance band); on
request the study's Table 1 beside copatent's (:mod:`copatent.report.study`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from copatent import files
from copatent.analytics.analysis import Analysis
from copatent.report.study import StudyComparison


def write_analysis(
    result: Analysis, out: Path, *, comparison: StudyComparison | None = None
) -> list[Path]:
    """Write the CSV files into ``out`` (created): the whole set appears, or none of it.

    With ``comparison`` also ``study_comparison.csv`` (its table, the header alone when the run
    has nothing the study prints).
    """
    return files.write_tables(out, analysis_tables(result, comparison=comparison))


def analysis_tables(
    result: Analysis, *, comparison: StudyComparison | None = None
) -> dict[str, pd.DataFrame]:
    """The tables of :func:`write_analysis`, by file name."""
    tables: dict[str, pd.DataFrame] = {
        "table1.csv": result.table1(),
        "edge_tiers.csv": result.edge_tiers(),
    }
    if comparison is not None:
        tables["study_comparison.csv"] = comparison.table
    decay = result.distance_decay()
    for scale in result.scales:
        if scale != "applicant":
            tables[f"distance_decay_{scale}.csv"] = decay[decay["scale"] == scale]
    for t in result:
        stem = f"{t.graph.scale}_{t.graph.label}"
        tables[f"centrality_{stem}.csv"] = t.centrality
        tables[f"flow_{stem}.csv"] = t.flow
        tables[f"edges_{stem}.csv"] = t.edges
    return tables
