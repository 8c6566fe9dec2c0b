"""``tables.xlsx``: each table on its own sheet, formatted, no formula among the cells.

A sheet has a bold header row that stays in view (frozen), columns wide enough for their text
(CJK characters count double), whole numbers as ``#,##0`` and other numbers with three
decimals, and an optional note above the table (its source or convention). Text cells go through
:func:`copatent.files.xlsx_row`: a region or applicant name that starts with ``=``, ``+``, ``-``
or ``@`` is written as text, never as a formula (the names come from the exports).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any, Final

import pandas as pd

from copatent import files

MAX_SHEET_NAME: Final = 31
"""Excel's limit on a sheet name's length."""


@dataclass(frozen=True)
class Sheet:
    """A table for one sheet, with a note printed above it (``""``: none)."""

    table: pd.DataFrame
    note: str = ""
    index: bool = False


def _width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def write_workbook(stream: IO[bytes], sheets: Mapping[str, Sheet]) -> None:
    """Write ``sheets`` (name → :class:`Sheet`) as one workbook to ``stream``."""
    from openpyxl import Workbook  # type: ignore[import-untyped]  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]  # noqa: PLC0415

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF4")
    italic = Font(italic=True, color="555555")
    for name, sheet in sheets.items():
        ws = book.create_sheet(title=name[:MAX_SHEET_NAME])
        table = sheet.table.reset_index() if sheet.index else sheet.table
        header_row = 1
        if sheet.note:
            note = WriteOnlyCell(ws, value=files.spreadsheet_text(sheet.note))
            note.font = italic
            note.alignment = Alignment(wrap_text=False)
            ws.append([note])
            ws.append([])
            header_row = 3
        widths = [_width(c) for c in table.columns]
        rows = table.to_numpy(dtype=object).tolist()
        for row in rows:
            for j, value in enumerate(row):
                widths[j] = max(widths[j], _width(_cell_value(value)))
        for j, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = f"A{header_row + 1}"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(ws, value=files.spreadsheet_text(str(column)))
            cell.font = bold
            cell.fill = fill
            header.append(cell)
        ws.append(header)
        for row in rows:
            values = [_cell_value(v) for v in row]
            cells: list[Any] = []
            for value in files.xlsx_row(ws, values):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    cells.append(value)
                    continue
                cell = WriteOnlyCell(ws, value=value)
                whole = isinstance(value, int) or float(value).is_integer()
                cell.number_format = "#,##0" if whole else "0.000"
                cells.append(cell)
            ws.append(cells)
    book.save(stream)
