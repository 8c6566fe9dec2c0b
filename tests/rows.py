"""Raw export rows for tests, shaped as copatent.loader.readers.read_exports returns them."""

from __future__ import annotations

import pandas as pd

from copatent.loader.readers import CANONICAL_COLUMNS


def raw_rows(rows: list[dict[str, str]], source_file: str = "export.csv") -> pd.DataFrame:
    """Canonical columns as Arrow-backed text (missing: NA), with file and spreadsheet row."""
    frame = pd.DataFrame([{c: r.get(c) or None for c in CANONICAL_COLUMNS} for r in rows])
    frame = frame.astype(pd.StringDtype("pyarrow"))
    frame["source_file"] = pd.Series([source_file] * len(frame), dtype=pd.StringDtype("pyarrow"))
    frame["source_row"] = range(2, len(frame) + 2)
    return frame
