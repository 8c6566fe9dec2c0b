"""Workbooks: .xlsx read with openpyxl (streaming), .xls with xlrd; the first worksheet."""

from __future__ import annotations

import contextlib
import itertools
import operator
import struct
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final
from xml.etree.ElementTree import ParseError

import numpy as np
import openpyxl  # type: ignore[import-untyped]  # no stubs in the dev group yet
import pandas as pd
import xlrd  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from copatent.loader.readers._cells import (
    _SLICE_ROWS,
    HEADER_SEARCH_ROWS,
    _arrow_text,
    _Collector,
    _Header,
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
    """The whole first worksheet's mapped cells (for :func:`_iter_xlsx` in one piece)."""
    with _first_sheet(path) as rows:
        header, batches = _from_rows(rows, column_map, None)
        parts = list(batches)
    cells = pd.concat(parts, ignore_index=True) if parts else _no_cells(header)
    return _Raw(header, cells, first_row=header.row + 2)


def _iter_xlsx(
    path: Path, column_map: ColumnMap, separator: str, chunk_rows: int | None
) -> Iterator[pd.DataFrame]:
    """The file's output columns in frames of ``chunk_rows`` rows, read as the sheet streams.

    openpyxl's read-only mode parses the sheet row by row, so only one batch of rows is held.
    """
    with _first_sheet(path) as rows:
        header, batches = _from_rows(rows, column_map, chunk_rows)
        names = list(header.positions)
        collector = _Collector(header, names, separator, chunk_rows)
        first = header.row + 2
        for cells in batches:
            collector.add(
                {name: _arrow_text(cells[name]) for name in names},
                np.arange(first, first + len(cells), dtype=np.int64),
            )
            first += len(cells)
            yield from collector.ready(path)
        yield from collector.rest(path)


@contextlib.contextmanager
def _first_sheet(path: Path) -> Iterator[Iterator[tuple[object, ...]]]:
    """The rows of a workbook's first worksheet, as tuples of cell values (maybe ragged)."""
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
                yield sheet.iter_rows(values_only=True)
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


def _from_rows(
    rows: Iterator[tuple[object, ...]], column_map: ColumnMap, chunk_rows: int | None
) -> tuple[_Header, Iterator[pd.DataFrame]]:
    """Header, and the mapped columns' cells in batches of rows (rows may be ragged)."""
    head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    header = _locate_header(head, column_map)
    if header.missing:
        raise _FileProblemsError(_missing_columns_problem(header, column_map))
    names = list(header.positions)
    indices = [header.positions[name] for name in names]
    width = max(indices) + 1
    pick = operator.itemgetter(*indices, width)  # one extra item, so it always returns a tuple
    padding = (None,) * (width + 1)
    size = min(chunk_rows or _SLICE_ROWS, _SLICE_ROWS)
    body = itertools.chain(head[header.row + 1 :], rows)

    def batches() -> Iterator[pd.DataFrame]:
        while records := [
            pick(row) if len(row) > width else pick((*row, *padding))
            for row in itertools.islice(body, size)
        ]:
            by_column = list(zip(*records, strict=True))
            yield pd.DataFrame(
                {
                    name: pd.Series(_texts(by_column[i]), dtype=object)
                    for i, name in enumerate(names)
                }
            )

    return header, batches()


def _no_cells(header: _Header) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in header.positions})


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
