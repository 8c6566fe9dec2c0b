"""CSV exports, and every workaround their pyarrow reader needs.

A CSV is read with pyarrow, block by block, and each block's cells are cleaned, checked and
kept as Arrow text while the file is read: the peak memory stays near the size of the result
(pandas' reader makes a Python str of every cell first, about three times as much). The pandas
reader still reads what pyarrow would read differently: a file with a row longer than its
first (for pandas' message), with a line break in a cell above the header (pyarrow skips
lines, not records), or that pyarrow cannot parse. Both decode with Python's codecs.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]

from copatent.loader.readers._cells import (
    _STRING,
    _TEXT,
    HEADER_SEARCH_ROWS,
    _Collector,
    _finish_chunks,
    _Header,
    _locate_header,
    _missing_columns_problem,
    _Raw,
)
from copatent.loader.readers._problems import _FileProblemsError, _os_reason, _reason
from copatent.loader.readers.columns import ColumnMap

CSV_ENCODINGS: Final[tuple[str, ...]] = ("utf-8-sig", "gb18030")

_CSV_BLOCK_BYTES: Final = 1 << 20  # pyarrow reads a few dozen blocks ahead, so blocks stay small
_CSV_MAX_COLUMNS: Final = 1024  # columns read as text; a wider file goes to the pandas reader


class RereadError(Exception):
    """A file must be read again from its start, whole, after some of its rows were handed out.

    A CSV is read as it streams, and now and then only its end shows that it must be read
    otherwise: a later block that is not UTF-8 (the file is GB18030), or a record pyarrow cannot
    split where the pandas reader must give the message. Rows already handed out cannot be taken
    back, so the reader raises this and the caller starts again, reading ``path`` whole.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: read again, whole")
        self.path = path


def _read_csv(path: Path, column_map: ColumnMap, separator: str) -> pd.DataFrame:
    frames = list(_iter_csv(path, column_map, separator, None))
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _iter_csv(
    path: Path, column_map: ColumnMap, separator: str, chunk_rows: int | None
) -> Iterator[pd.DataFrame]:
    """The file's rows in frames of ``chunk_rows`` (``None``: one frame).

    Raises :class:`RereadError` when, after frames were handed out, the file turns out to need
    another encoding or the pandas reader.
    """
    handed = False
    for encoding in CSV_ENCODINGS:
        try:
            for frame in _read_csv_as(path, column_map, encoding, separator, chunk_rows):
                handed = True
                yield frame
        except UnicodeDecodeError:
            if handed:
                raise RereadError(path) from None
            continue
        return
    raise _FileProblemsError("cannot decode as UTF-8 or GB18030")


def _read_csv_as(
    path: Path, column_map: ColumnMap, encoding: str, separator: str, chunk_rows: int | None
) -> Iterator[pd.DataFrame]:
    try:
        with path.open(encoding=encoding, newline="") as handle:
            head = list(itertools.islice(csv.reader(handle), HEADER_SEARCH_ROWS))
    except csv.Error as exc:
        raise _FileProblemsError(f"malformed CSV: {exc}") from exc
    except OSError as exc:
        raise _FileProblemsError(f"cannot read: {_os_reason(exc)}") from exc
    header = _locate_header(head, column_map)
    if header.missing:
        raise _FileProblemsError(_missing_columns_problem(header, column_map))
    above = head[: header.row + 1]
    if not any("\n" in cell or "\r" in cell for row in above for cell in row):
        handed = False
        try:
            for frame in _read_csv_arrow(path, header, encoding, separator, chunk_rows):
                handed = True
                yield frame
        except _PandasMustReadError:
            if handed:
                raise RereadError(path) from None
        else:
            return
    yield from _finish_chunks(path, _read_csv_pandas(path, header, encoding), separator, chunk_rows)


class _PandasMustReadError(Exception):
    """The file is one the pandas reader must read (see the module docstring)."""


class _ShortRecords:
    """pyarrow's invalid-row handler: keeps the records with fewer fields than the first."""

    def __init__(self) -> None:
        self.records: list[tuple[int, int, str]] = []  # (spreadsheet row, fields, text), in order

    def __call__(self, row: pa_csv.InvalidRow) -> Literal["skip", "error"]:
        if row.number is None or row.actual_columns > row.expected_columns:
            return "error"  # more fields than the first record: the pandas reader reports it
        self.records.append((row.number, row.actual_columns, row.text))
        return "skip"


def _read_csv_arrow(
    path: Path, header: _Header, encoding: str, separator: str, chunk_rows: int | None
) -> Iterator[pd.DataFrame]:
    """The file's output columns, read with pyarrow, in frames of ``chunk_rows`` rows.

    Raises :class:`_PandasMustReadError` when pandas must read the file.
    """
    short = _ShortRecords()
    read_options = pa_csv.ReadOptions(
        skip_rows=header.row + 1,
        autogenerate_column_names=True,  # f0, f1, ...
        use_threads=False,  # batches in order, and short records come with their row numbers
        block_size=_CSV_BLOCK_BYTES,
    )
    parse_options = pa_csv.ParseOptions(
        newlines_in_values=True,
        ignore_empty_lines=False,  # an empty line is a blank row: later rows keep their numbers
        invalid_row_handler=short,
    )
    convert_options = pa_csv.ConvertOptions(
        column_types={f"f{i}": _TEXT for i in range(_CSV_MAX_COLUMNS)},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    beyond: list[int] = []  # rows with text in fields the header does not name
    try:
        with path.open("rb") as handle:
            text = _Utf8Reader(handle, encoding)
            reader = pa_csv.open_csv(text, read_options, parse_options, convert_options)
            if any(field.type != _TEXT for field in reader.schema):
                raise _PandasMustReadError  # more fields than _CSV_MAX_COLUMNS
            width = len(reader.schema)  # the first record's fields, as in the pandas reader
            names = [name for name, position in header.positions.items() if position < width]
            positions = [header.positions[name] for name in names]
            positions += range(len(header.labels), width)
            collector = _Collector(header, names, separator, chunk_rows)
            row = header.row + 2  # the spreadsheet row of the batch's first record
            for batch in itertools.chain(reader, [None]):  # None: short records at the end
                fields = _with_short_records(batch, positions, short.records, row)
                if fields is None:
                    raise _PandasMustReadError
                rows = np.arange(row, row + len(fields[0]) if fields else row, dtype=np.int64)
                row += len(rows)
                for cells in fields[len(names) :]:
                    beyond.extend(rows[_filled(cells)].tolist())
                if len(rows) and not beyond:  # after the first such row, only they matter
                    collector.add(dict(zip(names, fields, strict=False)), rows)
                    yield from collector.ready(path)
    except pa.ArrowInvalid:
        # a record longer than the first, or text pyarrow cannot split into rows
        raise _PandasMustReadError from None
    except OSError as exc:
        raise _FileProblemsError(f"cannot read: {_os_reason(exc)}") from exc
    if text.had_nul and width > len(header.labels):
        # to pandas, a field beyond the header holding only NUL is not empty
        raise _PandasMustReadError
    if beyond:
        named = len(header.labels)
        raise _FileProblemsError(
            *(f"row {n}: more fields than the {named} of the header" for n in sorted(set(beyond)))
        )
    yield from collector.rest(path)


def _with_short_records(
    batch: pa.RecordBatch | None,
    positions: Sequence[int],
    short: list[tuple[int, int, str]],
    row: int,
) -> list[pa.Array] | None:
    """A batch's fields at ``positions``, with the short records from among its rows put back.

    ``row`` is the spreadsheet row of the batch's first record. A short record belongs to the
    batch when one of the batch's records comes after it (to the ``None`` batch: always); those
    records are taken out of ``short``, their missing fields null. ``None`` when the numbers or
    the fields do not add up, and the pandas reader must read the file.
    """
    count = 0 if batch is None else batch.num_rows
    fields = (
        [pa.array([], _TEXT)] * len(positions)
        if batch is None
        else [batch.column(p) for p in positions]
    )
    taken = 0
    while taken < len(short) and (batch is None or short[taken][0] < row + count + taken):
        taken += 1
    if not taken:
        return fields
    places = np.array([number for number, _, _ in short[:taken]], dtype=np.int64) - row
    total = count + taken
    if places[0] < 0 or places[-1] >= total or bool(np.any(np.diff(places) <= 0)):
        return None
    records = [_csv_fields(text, expected) for _, expected, text in short[:taken]]
    complete = [cells for cells in records if cells is not None]
    if len(complete) < taken:
        return None
    del short[:taken]
    order = np.empty(total, dtype=np.int64)  # positions in [batch's records, short records]
    from_batch = np.ones(total, dtype=bool)
    from_batch[places] = False
    order[from_batch] = np.arange(count)
    order[places] = np.arange(count, total)
    merged = []
    for present, position in zip(fields, positions, strict=True):
        missing = pa.array([c[position] if position < len(c) else None for c in complete], _TEXT)
        merged.append(pa.concat_arrays([present, missing]).take(order))
    return merged


def _csv_fields(text: str, expected: int) -> list[str] | None:
    """The fields of one record's text; ``None`` unless it is one record of ``expected``."""
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return None
    fields = records[0] if records else []
    return fields if len(records) <= 1 and len(fields) == expected else None


def _filled(cells: pa.Array) -> npt.NDArray[np.int64]:
    """Positions of the cells that hold more than whitespace."""
    lengths = pc.binary_length(pc.utf8_trim_whitespace(cells))
    return np.asarray(pc.indices_nonzero(lengths).to_numpy(), dtype=np.int64)


class _Utf8Reader(io.RawIOBase):
    """A file decoded with a Python codec (as the pandas reader decodes it), read as UTF-8.

    It keeps from pyarrow (25) two things its splitting of the text into blocks gets wrong:

    - NUL bytes, which make it lose or merge rows; they are removed here (cleaning removes them
      from every cell anyway), and :attr:`had_nul` says whether there were any;
    - a block that ends with a carriage return: pyarrow drops the line feed that starts the
      next block, even inside a quoted cell. A read ends with one only at the end of the file.
    """

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)()
        self._ended = False
        self._ahead = b""  # text read after a carriage return, to see whether the file ended
        self.had_nul = False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        size = size if size is not None and size > 0 else _CSV_BLOCK_BYTES
        text, self._ahead = self._ahead or self._text(size), b""
        while text.endswith(b"\r"):
            ahead = self._text(size)
            if not ahead:
                break  # the end of the file
            if len(text) > 1:
                text, self._ahead = text[:-1], b"\r" + ahead
                break
            text += ahead
        return text

    def _text(self, size: int) -> bytes:
        """The next text, never empty before the end of the file."""
        while not self._ended:
            data = self._raw.read(size)
            self._ended = not data
            text = self._decoder.decode(data, final=self._ended).encode("utf-8")
            if b"\x00" in text:
                text = text.replace(b"\x00", b"")
                self.had_nul = True
            if text:
                return text
        return b""


def _read_csv_pandas(path: Path, header: _Header, encoding: str) -> _Raw:
    try:
        # every column is read: with ``usecols`` pandas silently drops the surplus fields of a
        # row that is too long (an unquoted comma), which would shift that row's values
        frame = pd.read_csv(
            path,
            encoding=encoding,
            header=None,
            skiprows=header.row + 1,
            dtype=_STRING,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame()
    except pd.errors.ParserError as exc:
        raise _FileProblemsError(f"malformed CSV: {_parser_reason(exc)}") from exc
    except OSError as exc:
        raise _FileProblemsError(f"cannot read: {_os_reason(exc)}") from exc
    first_row = header.row + 2
    width = len(header.labels)
    surplus = frame.iloc[:, width:].apply(lambda column: column.fillna("").str.strip().ne(""))
    if surplus.to_numpy().any():
        rows = (frame.index[surplus.any(axis=1)] + first_row).tolist()
        raise _FileProblemsError(
            *(f"row {row}: more fields than the {width} of the header" for row in rows)
        )
    empty = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    cells = pd.DataFrame(
        {
            name: frame[position] if position in frame.columns else empty
            for name, position in header.positions.items()
        }
    )
    return _Raw(header, cells, first_row=first_row)


_TOO_MANY_FIELDS: Final = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _parser_reason(exc: pd.errors.ParserError) -> str:
    text = " ".join(str(exc).split())
    match = _TOO_MANY_FIELDS.search(text)
    if match is None:
        return _reason(exc)
    expected, line, seen = match.groups()
    return f"line {line} has {seen} fields where the rows above have {expected}"
