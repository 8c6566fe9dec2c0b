"""Workbooks: .xlsx read with openpyxl (streaming), .xls with xlrd; the first worksheet."""

from __future__ import annotations

import itertools
import operator
import struct
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final
from xml.etree.ElementTree import ParseError

import openpyxl  # type: ignore[import-untyped]  # no stubs in the dev group yet
import pandas as pd
import xlrd  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from copatent.loader.readers._cells import (
    HEADER_SEARCH_ROWS,
    _locate_header,
    _missing_columns_problem,
    _Raw,
    _render,
)
from copatent.loader.readers._problems import _FileProblemsError, _os_reason, _reason
from copatent.loader.readers.columns import ColumnMap

_XLS_VALUE_TYPES: Final = frozenset(
    {xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE, xlrd.XL_CELL_BOOLEAN}
)


# -- xlsx


def _read_xlsx(path: Path, column_map: ColumnMap) -> _Raw:
    try:
        with warnings.catch_warnings(), path.open("rb") as handle:
            # style and extension warnings say nothing about the data
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
            try:
                if not book.worksheets:
                    raise _FileProblemsError("workbook has no worksheet")
                sheet = book.worksheets[0]
                sheet.reset_dimensions()  # trust the cells, not the stored (often wrong) size
                return _from_rows(sheet.iter_rows(values_only=True), column_map)
            finally:
                book.close()
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ParseError,
        ValueError,
        EOFError,
    ) as exc:
        raise _FileProblemsError(f"cannot read as an .xlsx workbook ({_reason(exc)})") from exc
    except OSError as exc:
        raise _FileProblemsError(f"cannot read: {_os_reason(exc)}") from exc


def _from_rows(rows: Iterator[tuple[object, ...]], column_map: ColumnMap) -> _Raw:
    """Header and mapped columns from an iterator of row tuples (rows may be ragged)."""
    head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    header = _locate_header(head, column_map)
    if header.missing:
        raise _FileProblemsError(_missing_columns_problem(header, column_map))
    names = list(header.positions)
    indices = [header.positions[name] for name in names]
    width = max(indices) + 1
    pick = operator.itemgetter(*indices, width)  # one extra item, so it always returns a tuple
    padding = (None,) * (width + 1)
    records = [
        pick(row) if len(row) > width else pick((*row, *padding))
        for row in itertools.chain(head[header.row + 1 :], rows)
    ]
    by_column: list[tuple[object, ...]] = list(zip(*records, strict=True)) or [()] * len(names)
    cells = pd.DataFrame(
        {name: pd.Series(_texts(by_column[i]), dtype=object) for i, name in enumerate(names)}
    )
    return _Raw(header, cells, first_row=header.row + 2)


def _texts(values: Iterable[object]) -> list[str | None]:
    return [value if isinstance(value, str) else _render(value) for value in values]


# -- xls


def _read_xls(path: Path, column_map: ColumnMap) -> _Raw:
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
        try:
            return _from_xls_book(book, column_map)
        finally:
            book.release_resources()
    except OSError as exc:
        raise _FileProblemsError(f"cannot read: {_os_reason(exc)}") from exc
    except _XLRD_FAILURES as exc:
        raise _FileProblemsError(f"cannot read as an .xls workbook ({_reason(exc)})") from exc


# what xlrd raises on files it cannot parse, beyond its own XLRDError
_XLRD_FAILURES: Final = (
    xlrd.XLRDError,
    xlrd.compdoc.CompDocError,
    struct.error,
    ValueError,
    IndexError,
    KeyError,
    AssertionError,
    EOFError,
)


def _from_xls_book(book: xlrd.Book, column_map: ColumnMap) -> _Raw:
    if book.nsheets == 0:
        raise _FileProblemsError("workbook has no worksheet")
    sheet = book.sheet_by_index(0)
    head = [
        _xls_texts(sheet.row_values(i), sheet.row_types(i), book.datemode)
        for i in range(min(HEADER_SEARCH_ROWS, sheet.nrows))
    ]
    header = _locate_header(head, column_map)
    if header.missing:
        raise _FileProblemsError(_missing_columns_problem(header, column_map))
    start = header.row + 1
    cells = pd.DataFrame(
        {
            name: pd.Series(
                _xls_texts(
                    sheet.col_values(position, start_rowx=start),
                    sheet.col_types(position, start_rowx=start),
                    book.datemode,
                ),
                dtype=object,
            )
            for name, position in header.positions.items()
        }
    )
    return _Raw(header, cells, first_row=header.row + 2)


def _xls_texts(values: Sequence[object], types: Sequence[int], datemode: int) -> list[str | None]:
    return [_xls_text(value, kind, datemode) for value, kind in zip(values, types, strict=True)]


def _xls_text(value: object, kind: int, datemode: int) -> str | None:
    if kind == xlrd.XL_CELL_DATE and isinstance(value, float):
        try:
            return _render(xlrd.xldate.xldate_as_datetime(value, datemode))
        except xlrd.xldate.XLDateError:
            return _render(value)
    if kind == xlrd.XL_CELL_ERROR and isinstance(value, int):
        return str(xlrd.error_text_from_code.get(value, "#ERROR"))
    if kind == xlrd.XL_CELL_BOOLEAN:
        value = bool(value)
    return _render(value) if kind in _XLS_VALUE_TYPES else None  # empty, blank
