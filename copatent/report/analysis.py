"""The CSV tables of ``copatent analyze``.

Table 1, edge tiers, and per scale and period the centrality (Table 2), effective-flow and edge
tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from copatent import files
from copatent.analytics.analysis import Analysis


def write_analysis(result: Analysis, out: Path) -> list[Path]:
    """Write the CSV files into ``out`` (created): the whole set appears, or none of it."""
    tables: dict[str, pd.DataFrame] = {
        "table1.csv": result.table1(),
        "edge_tiers.csv": result.edge_tiers(),
    }
    for t in result:
        stem = f"{t.graph.scale}_{t.graph.label}"
        tables[f"centrality_{stem}.csv"] = t.centrality
        tables[f"flow_{stem}.csv"] = t.flow
        tables[f"edges_{stem}.csv"] = t.edges
    return files.write_tables(out, tables)
