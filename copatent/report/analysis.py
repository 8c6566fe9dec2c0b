"""The CSV tables of ``copatent analyze``.

Table 1, edge tiers, and per scale and period the centrality (Table 2), effective-flow and edge
tables.
"""

from __future__ import annotations

from pathlib import Path

from copatent.analytics.analysis import Analysis
from copatent.report.files import writable_folder, write_csv


def write_analysis(result: Analysis, out: Path) -> list[Path]:
    """Write the CSV files into ``out`` (created); each file appears whole or not at all."""
    writable_folder(out)
    written = [
        write_csv(result.table1(), out / "table1.csv"),
        write_csv(result.edge_tiers(), out / "edge_tiers.csv"),
    ]
    for t in result:
        stem = f"{t.graph.scale}_{t.graph.label}"
        written.append(write_csv(t.centrality, out / f"centrality_{stem}.csv"))
        written.append(write_csv(t.flow, out / f"flow_{stem}.csv"))
        written.append(write_csv(t.edges, out / f"edges_{stem}.csv"))
    return written
