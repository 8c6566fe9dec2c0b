"""Readers for patent exports (incoPat, PatSnap, CNIPA-style tables) in .xlsx, .xls or .csv.

:func:`read_exports` reads one export, a batched export (several files) or a folder of them into
one table with the :data:`CANONICAL_COLUMNS`, every cell text or missing (``pd.NA``, string
dtype), plus where each row came from: ``source_file`` and ``source_row``, the row number a person
sees in the spreadsheet (the header on row 1 makes the first data row 2). A :class:`ColumnMap`
says which headers feed which column; incoPat (Chinese and English headers) is the default,
PatSnap is built in, and ``--columns FILE.toml`` supplies any other.

What reading does, and nothing more (parsing dates, splitting applicants and merging duplicate
publication numbers are the pipeline's work):

- **Header row**: the first of the first 10 rows that holds every required column, so title
  lines above the header are skipped. A blank header cell takes the text of the cell above it,
  which is how a vertically merged header cell (two-row headers with a merged group title such as
  "申请人信息") reads in streaming mode. Headers match after normalisation: NFKC (full-width
  brackets are ASCII ones), whitespace removed, case folded, a trailing "(中文)" dropped.
- **Encodings** (.csv): UTF-8 with or without BOM, else GB18030 (a superset of GBK and GB2312).
  A file that is neither is an error. A single-byte file (Latin-1) can happen to decode as
  GB18030; nothing can tell that from real GB18030 text.
- **Cells** become text: NUL bytes removed, surrounding whitespace stripped, an empty cell is
  missing. Excel dates become ISO ``YYYY-MM-DD`` (``YYYY-MM-DD HH:MM:SS`` when there is a time of
  day), whole numbers lose their ``.0``.
- **Formulas are never evaluated.** A .xlsx is opened with ``data_only=False``, so a formula cell
  reads as its formula text (``=HYPERLINK(...)``), never as the value Excel cached, and a CSV is
  text anyway. The text is kept verbatim, not rewritten (no ``'`` prefix): it is data, and a
  writer that produces spreadsheets must escape it for its own format. In a title or abstract it
  is harmless text; in any other column (publication number, applicants, codes, ...) it cannot
  be a real value, so it is an input error naming file, row and column. A .xls file stores
  formulas in a form xlrd does not expose: there the cell reads as the result Excel saved, which
  copatent did not compute either.
- **Limits**: a cell longer than 32,767 characters (Excel's limit) is an input error. Only the
  columns the map names are read and checked.
- **Blank rows** (every mapped cell empty) are dropped; their numbers are not reused.
- **Sheets**: a workbook's first worksheet is read.

All problems of all files are collected and raised as one :class:`copatent._errors.InputError`
with a one-line message. Which reader runs follows the file's first bytes (a zip is .xlsx, an
OLE2 compound file is .xls), so a workbook saved with the wrong suffix still reads.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import itertools
import operator
import re
import struct
import tomllib
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO, Final, Literal, cast
from xml.etree.ElementTree import ParseError

import numpy as np
import numpy.typing as npt
import openpyxl  # type: ignore[import-untyped]  # no stubs in the dev group yet
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]
import xlrd  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from copatent._errors import InputError
from copatent.loader import _validate

CANONICAL_COLUMNS: Final[tuple[str, ...]] = (
    "pub_no",
    "app_no",
    "app_date",
    "title",
    "abstract",
    "applicants",
    "applicant_addresses",
    "applicant_countries",
    "applicant_provinces",
    "applicant_cities",
    "applicant_counties",
    "applicant_types",
    "ipc_main",
    "kind",
)
"""The columns :func:`read_exports` returns, in order; ``source_file`` and ``source_row`` follow."""

REQUIRED_COLUMNS: Final[frozenset[str]] = frozenset({"pub_no", "app_date", "applicants"})
"""Columns every export must have; the others are missing (all ``NA``) when absent."""

PROVENANCE_COLUMNS: Final[tuple[str, ...]] = ("source_file", "source_row")

FREE_TEXT_COLUMNS: Final[frozenset[str]] = frozenset({"title", "abstract"})
"""Columns where formula text is kept as inert text; elsewhere it is an input error."""

SUFFIXES: Final[tuple[str, ...]] = (".xlsx", ".xls", ".csv")
"""File types read; a folder contributes its files with these suffixes."""

BUILTIN_COLUMN_MAPS: Final[tuple[str, ...]] = ("incopat", "patsnap")

HEADER_SEARCH_ROWS: Final = 10
"""How many rows at the top of a file may hold the header (title lines are skipped)."""

CSV_ENCODINGS: Final[tuple[str, ...]] = ("utf-8-sig", "gb18030")

_COLUMN_PACKAGE: Final = "copatent.loader.columns"
_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_INVISIBLE: Final = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\x00"))
_CHINESE_SUFFIX: Final = re.compile(r"\(中文\)$")
_DIGITS: Final = re.compile(r"(\d+)")
_STRING: Final = pd.StringDtype("pyarrow")  # Arrow text: a fraction of the memory of Python str
_TEXT: Final = pa.large_string()  # how _STRING stores text: columns of this type are not copied
_CSV_BLOCK_BYTES: Final = 1 << 20  # pyarrow reads a few dozen blocks ahead, so blocks stay small
_CSV_MAX_COLUMNS: Final = 1024  # columns read as text; a wider file goes to the pandas reader
_CHUNK_BYTES: Final = 16 << 20  # cells are cleaned, checked and kept in chunks of about this size
_SLICE_ROWS: Final = 1 << 16  # rows of a workbook's cells converted to Arrow at a time

_XLS_VALUE_TYPES: Final = frozenset(
    {xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE, xlrd.XL_CELL_BOOLEAN}
)

Kind = Literal["csv", "xlsx", "xls"]


# --------------------------------------------------------------------------------------------
# column maps


@dataclass(frozen=True)
class ColumnMap:
    """Which export headers feed which canonical column.

    Parameters
    ----------
    name
        A short name for messages, e.g. ``"incopat"``.
    columns
        Canonical column -> accepted header spellings, most preferred first; the first spelling
        present in a file is used. Keys must be in :data:`CANONICAL_COLUMNS` and include the
        :data:`REQUIRED_COLUMNS`. Stored read-only, in canonical order.
    applicant_separator
        Regular expression that separates applicants (and the per-applicant cells aligned with
        them) in one cell; ``None`` leaves the choice to the applicant splitter's default.

    Raises
    ------
    ValueError
        When the columns or the separator are invalid (a map built in code is a programming
        error; :meth:`from_toml` reports a bad file as :class:`~copatent._errors.InputError`).

    Examples
    --------
    >>> m = ColumnMap("mine", {"pub_no": ("PN",), "app_date": ("AD",), "applicants": ("PA",)})
    >>> m.columns["pub_no"], m.applicant_separator
    (('PN',), None)
    """

    name: str
    columns: Mapping[str, tuple[str, ...]]
    applicant_separator: str | None = None

    def __post_init__(self) -> None:
        document: dict[str, object] = {
            "name": self.name,
            "columns": {key: list(value) for key, value in self.columns.items()},
        }
        if self.applicant_separator is not None:
            document["applicant_separator"] = self.applicant_separator
        problems = _validate.column_map_problems(
            document, canonical=CANONICAL_COLUMNS, required=REQUIRED_COLUMNS
        )
        if problems:
            raise ValueError(f"column map {self.name!r}: " + "; ".join(problems))
        frozen = {key: tuple(self.columns[key]) for key in CANONICAL_COLUMNS if key in self.columns}
        object.__setattr__(self, "columns", MappingProxyType(frozen))

    @classmethod
    def from_toml(cls, path: Path) -> ColumnMap:
        """Read a column map from a TOML file (the CLI's ``--columns FILE.toml``).

        The file has the shape of the built-in maps in ``copatent/loader/columns/``::

            name = "my-export"                 # optional, default: the file name
            applicant_separator = "[;；]"      # optional regular expression

            [columns]
            pub_no = ["Publication Number", "公开（公告）号"]
            app_date = "Application Date"      # one spelling may be a plain string
            applicants = ["Applicants"]

        Parameters
        ----------
        path
            The TOML file.

        Returns
        -------
        ColumnMap

        Raises
        ------
        InputError
            When the file cannot be read, is not TOML, or does not describe a valid map; the
            message names the file and every problem.
        """
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot read column map: {_os_reason(exc)}") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: column map is not UTF-8 text") from exc
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: invalid TOML: {exc}") from exc
        return _column_map_from_document(document, default_name=path.stem, source=str(path))


def builtin_column_map(name: str = "incopat") -> ColumnMap:
    """The column map shipped as ``copatent/loader/columns/<name>.toml``.

    Parameters
    ----------
    name
        One of :data:`BUILTIN_COLUMN_MAPS`: ``"incopat"`` (the default; Chinese and English
        headers) or ``"patsnap"``.

    Raises
    ------
    InputError
        For an unknown name.

    Examples
    --------
    >>> builtin_column_map("patsnap").columns["pub_no"][0]
    '公开(公告)号'
    >>> builtin_column_map().applicant_separator
    '[;；]'
    """
    if name not in BUILTIN_COLUMN_MAPS:
        raise InputError(
            f"unknown column map {name!r}: choose {' or '.join(BUILTIN_COLUMN_MAPS)}, "
            "or give a TOML file"
        )
    return _load_builtin(name)


@functools.cache
def _load_builtin(name: str) -> ColumnMap:
    text = resources.files(_COLUMN_PACKAGE).joinpath(f"{name}.toml").read_text("utf-8")
    return _column_map_from_document(tomllib.loads(text), default_name=name, source=name)


def _column_map_from_document(
    document: Mapping[str, object], *, default_name: str, source: str
) -> ColumnMap:
    problems = _validate.column_map_problems(
        document, canonical=CANONICAL_COLUMNS, required=REQUIRED_COLUMNS
    )
    if problems:
        raise InputError(f"{source}: invalid column map: " + "; ".join(problems))
    columns = cast("Mapping[str, str | list[str]]", document["columns"])  # checked above
    separator = document.get("applicant_separator")
    return ColumnMap(
        name=str(document.get("name") or default_name),
        columns={
            key: (spellings,) if isinstance(spellings, str) else tuple(spellings)
            for key, spellings in columns.items()
        },
        applicant_separator=separator if isinstance(separator, str) else None,
    )


def header_key(text: str) -> str:
    """The form in which headers are compared with a map's spellings.

    NFKC (full-width brackets and spaces become ASCII ones), invisible characters and all
    whitespace removed, case folded, a trailing "(中文)" dropped.

    >>> header_key(" 公开（公告）号 ") == header_key("公开(公告)号")
    True
    >>> header_key("标题 （中文）"), header_key("Application  Date")
    ('标题', 'applicationdate')
    """
    key = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    key = "".join(key.split()).casefold().replace("【", "[").replace("】", "]")
    return _CHINESE_SUFFIX.sub("", key)


# --------------------------------------------------------------------------------------------
# paths


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files to read: folders replaced by their export files, files kept as given.

    A folder contributes the entries whose names end in .xlsx, .xls or .csv (any case), in
    natural order (``part2`` before ``part10``), without hidden files and Excel's ``~$`` lock
    files; sub-folders are not searched. A path named twice is read once.

    Parameters
    ----------
    paths
        Files and folders.

    Returns
    -------
    list of Path

    Raises
    ------
    InputError
        When no path is given, a path does not exist, a folder cannot be listed or holds no
        export file; every such path is named.
    """
    if not paths:
        raise InputError("no input files given")
    found: list[Path] = []
    problems: list[tuple[str, list[str]]] = []
    for path in paths:
        if path.is_dir():
            try:
                entries = [entry for entry in path.iterdir() if _is_export_name(entry.name)]
            except OSError as exc:
                problems.append((str(path), [f"cannot list folder: {_os_reason(exc)}"]))
                continue
            if not entries:
                problems.append((str(path), [f"no {', '.join(SUFFIXES)} files in this folder"]))
            found.extend(sorted(entries, key=_natural_key))
        elif path.exists():
            found.append(path)
        else:
            problems.append((str(path), ["no such file or folder"]))
    if problems:
        raise InputError(_validate.one_line(problems))
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _is_export_name(name: str) -> bool:
    return not name.startswith((".", "~$")) and name.lower().endswith(SUFFIXES)


def _natural_key(path: Path) -> tuple[tuple[int, int | str], ...]:
    # (0, number) / (1, text) pairs compare across files whatever the mix of parts
    parts = _DIGITS.split(path.name.casefold())
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)


# --------------------------------------------------------------------------------------------
# reading


def read_exports(paths: Sequence[Path], *, columns: ColumnMap | None = None) -> pd.DataFrame:
    """Read export files into one table of the :data:`CANONICAL_COLUMNS`.

    Parameters
    ----------
    paths
        Files (.xlsx, .xls, .csv) and folders of them (see :func:`expand_paths`); a batched
        export is read as one table, in the order of the files.
    columns
        The header map; default :func:`builtin_column_map` ``("incopat")``.

    Returns
    -------
    pandas.DataFrame
        :data:`CANONICAL_COLUMNS` (string dtype; a cell that is empty, or a column the file
        lacks, is ``pd.NA``), then ``source_file`` (the path as given or found in a folder,
        string dtype) and ``source_row`` (int64, the 1-based spreadsheet row). The index is
        a fresh ``RangeIndex``. Unparseable dates and duplicate publication numbers pass through.

    Raises
    ------
    InputError
        One error naming every problem of every file (file, and row and column where they
        apply): a missing, empty, unreadable or undecodable file, missing required columns, no
        data rows, an over-long cell, formula text outside titles and abstracts, malformed CSV.
    """
    column_map = columns if columns is not None else builtin_column_map("incopat")
    frames: list[pd.DataFrame] = []
    problems: list[tuple[str, list[str]]] = []
    for path in expand_paths(paths):
        try:
            frames.append(_read_file(path, column_map))
        except _FileProblemsError as exc:
            problems.append((str(path), list(exc.problems)))
    if problems:
        raise InputError(_validate.one_line(problems))
    return pd.concat(frames, ignore_index=True)


class _FileProblemsError(Exception):
    """Why one file cannot be used: collected, then reported with every other file's."""

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class _Header:
    """Where the header is (0-based row among the file's rows) and which column feeds which."""

    row: int
    labels: tuple[str, ...]
    positions: Mapping[str, int]

    @property
    def missing(self) -> list[str]:
        absent = REQUIRED_COLUMNS - self.positions.keys()
        return [name for name in CANONICAL_COLUMNS if name in absent]


@dataclass(frozen=True)
class _Raw:
    """What a reader returns: the header and one column of raw cell text per mapped column."""

    header: _Header
    cells: pd.DataFrame  # columns: canonical names; values str or None/NaN/""
    first_row: int  # spreadsheet row number of cells' first row


def _read_file(path: Path, column_map: ColumnMap) -> pd.DataFrame:
    kind = _sniff(path)
    if kind == "csv":
        return _read_csv(path, column_map)  # cleans and checks as it reads
    raw = _read_xlsx(path, column_map) if kind == "xlsx" else _read_xls(path, column_map)
    return _finish(path, raw)


def _sniff(path: Path) -> Kind:
    """The reader for ``path``: by content for workbooks, else by suffix."""
    if path.is_dir():
        raise _FileProblemsError("is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _FileProblemsError(
            f"unsupported file type {suffix or '(no suffix)'!r}: use {', '.join(SUFFIXES)}"
        )
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(_OLE2_MAGIC))
    except OSError as exc:
        raise _FileProblemsError(f"cannot read: {_os_reason(exc)}") from exc
    if not magic:
        raise _FileProblemsError("empty file (0 bytes)")
    if magic.startswith(_ZIP_MAGIC):
        return "xlsx"
    if magic.startswith(_OLE2_MAGIC):
        return "xls"
    return "csv" if suffix == ".csv" else "xlsx" if suffix == ".xlsx" else "xls"


def _locate_header(head: Sequence[Sequence[object]], column_map: ColumnMap) -> _Header:
    """The first of ``head``'s rows that has every required column, else the best match."""
    wanted = {
        name: [header_key(spelling) for spelling in spellings]
        for name, spellings in column_map.columns.items()
    }
    best: _Header | None = None
    above: Sequence[object] = ()
    for index, row in enumerate(head[:HEADER_SEARCH_ROWS]):
        labels = tuple(
            _label(row[i] if i < len(row) else None) or _label(above[i] if i < len(above) else None)
            for i in range(max(len(row), len(above)))
        )
        above = row
        first: dict[str, int] = {}
        for position, label in enumerate(labels):
            first.setdefault(header_key(label), position)
        positions = {
            name: next(first[key] for key in keys if key in first)
            for name, keys in wanted.items()
            if any(key in first for key in keys)
        }
        candidate = _Header(index, labels, positions)
        if not candidate.missing:
            return candidate
        if best is None or _score(candidate) > _score(best):
            best = candidate
    return best if best is not None else _Header(0, (), {})


def _score(header: _Header) -> tuple[int, bool]:
    return len(header.positions), any(header.labels)


def _label(value: object) -> str:
    text = _render(value)
    return "" if text is None else text.strip()


def _missing_columns_problem(header: _Header, column_map: ColumnMap) -> str:
    missing = ", ".join(f"{name} ({column_map.columns[name][0]})" for name in header.missing)
    found = [label for label in header.labels if label]
    return (
        f"missing required columns {missing}; columns found: "
        f"{_validate.listing(found) if found else '(none)'}"
    )


# -- csv
#
# A CSV is read with pyarrow, block by block, and each block's cells are cleaned, checked and
# kept as Arrow text while the file is read: the peak memory stays near the size of the result
# (pandas' reader makes a Python str of every cell first, about three times as much). The pandas
# reader still reads what pyarrow would read differently: a file with a row longer than its
# first (for pandas' message), with a line break in a cell above the header (pyarrow skips
# lines, not records), or that pyarrow cannot parse. Both decode with Python's codecs.


def _read_csv(path: Path, column_map: ColumnMap) -> pd.DataFrame:
    for encoding in CSV_ENCODINGS:
        try:
            return _read_csv_as(path, column_map, encoding)
        except UnicodeDecodeError:
            continue
    raise _FileProblemsError("cannot decode as UTF-8 or GB18030")


def _read_csv_as(path: Path, column_map: ColumnMap, encoding: str) -> pd.DataFrame:
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
    one_line_each = not any("\n" in cell or "\r" in cell for row in above for cell in row)
    frame = _read_csv_arrow(path, header, encoding) if one_line_each else None
    return frame if frame is not None else _finish(path, _read_csv_pandas(path, header, encoding))


class _ShortRecords:
    """pyarrow's invalid-row handler: keeps the records with fewer fields than the first."""

    def __init__(self) -> None:
        self.records: list[tuple[int, int, str]] = []  # (spreadsheet row, fields, text), in order

    def __call__(self, row: pa_csv.InvalidRow) -> Literal["skip", "error"]:
        if row.number is None or row.actual_columns > row.expected_columns:
            return "error"  # more fields than the first record: the pandas reader reports it
        self.records.append((row.number, row.actual_columns, row.text))
        return "skip"


def _read_csv_arrow(path: Path, header: _Header, encoding: str) -> pd.DataFrame | None:
    """The file's output columns, read with pyarrow; ``None`` when pandas must read the file."""
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
                return None  # more fields than _CSV_MAX_COLUMNS
            width = len(reader.schema)  # the first record's fields, as in the pandas reader
            names = [name for name, position in header.positions.items() if position < width]
            positions = [header.positions[name] for name in names]
            positions += range(len(header.labels), width)
            collector = _Collector(header, names)
            row = header.row + 2  # the spreadsheet row of the batch's first record
            for batch in itertools.chain(reader, [None]):  # None: short records at the end
                fields = _with_short_records(batch, positions, short.records, row)
                if fields is None:
                    return None
                rows = np.arange(row, row + len(fields[0]) if fields else row, dtype=np.int64)
                row += len(rows)
                for cells in fields[len(names) :]:
                    beyond.extend(rows[_filled(cells)].tolist())
                if len(rows) and not beyond:  # after the first such row, only they matter
                    collector.add(dict(zip(names, fields, strict=False)), rows)
    except pa.ArrowInvalid:
        return None  # a record longer than the first, or text pyarrow cannot split into rows
    except OSError as exc:
        raise _FileProblemsError(f"cannot read: {_os_reason(exc)}") from exc
    if text.had_nul and width > len(header.labels):
        return None  # to pandas, a field beyond the header holding only NUL is not empty
    if beyond:
        named = len(header.labels)
        raise _FileProblemsError(
            *(f"row {n}: more fields than the {named} of the header" for n in sorted(set(beyond)))
        )
    return collector.frame(path)


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


def _render(value: object) -> str | None:  # noqa: PLR0911 (one return per cell type)
    """Cell value as text: ISO dates, whole numbers without ``.0``, formulas as their text."""
    match value:
        case None:
            return None
        case str():
            return value
        case bool():
            return "TRUE" if value else "FALSE"
        case int():
            return str(value)
        case float() if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        case float():
            return repr(value)
        case dt.datetime() if value.time() == dt.time():
            return value.date().isoformat()
        case dt.datetime():
            return value.isoformat(sep=" ")
        case dt.date() | dt.time():
            return value.isoformat()
    text = getattr(value, "text", None)  # openpyxl ArrayFormula / DataTableFormula
    return text if isinstance(text, str) else str(value)


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


# -- common


def _finish(path: Path, raw: _Raw) -> pd.DataFrame:
    """Clean, check and shape one file's cells into the output columns."""
    names = [str(name) for name in raw.cells.columns]
    collector = _Collector(raw.header, names)
    for start in range(0, len(raw.cells), _SLICE_ROWS):
        part = raw.cells.iloc[start : start + _SLICE_ROWS]
        first = raw.first_row + start
        collector.add(
            {name: _arrow_text(part[name]) for name in names},
            np.arange(first, first + len(part), dtype=np.int64),
        )
    return collector.frame(path)


def _arrow_text(cells: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column of str and missing values as Arrow text (``None``, ``NaN``, ``NA`` are null)."""
    return pa.array(cells, type=_TEXT, from_pandas=True)


class _Collector:
    """One file's cells, cleaned, checked and kept as Arrow text while they are read.

    Cells arrive in batches of rows (:meth:`add`) and are processed in chunks of about
    ``_CHUNK_BYTES``: NUL characters removed, surrounding whitespace stripped, an empty cell made
    missing, blank rows dropped, over-long cells and formula text collected as problems. Only the
    cleaned chunks are kept, so the peak memory is the result plus one chunk.
    """

    def __init__(self, header: _Header, names: Sequence[str]) -> None:
        self._header = header
        self._labels = {name: header.labels[header.positions[name]] for name in names}
        self._pending: dict[str, list[pa.Array]] = {name: [] for name in names}
        self._pending_rows: list[npt.NDArray[np.int64]] = []
        self._pending_bytes = 0
        self._chunks: dict[str, list[pa.Array]] = {name: [] for name in names}
        self._rows: list[npt.NDArray[np.int64]] = []
        self._problems: list[str] = []

    def add(
        self, columns: Mapping[str, pa.Array | pa.ChunkedArray], rows: npt.NDArray[np.int64]
    ) -> None:
        """Raw cells of consecutive rows (text or null), one array per name, and their rows."""
        for name, pending in self._pending.items():
            cells = columns[name]
            pending.extend(cells.chunks if isinstance(cells, pa.ChunkedArray) else [cells])
            self._pending_bytes += cells.nbytes
        self._pending_rows.append(rows)
        if self._pending_bytes >= _CHUNK_BYTES:
            self._flush()

    def frame(self, path: Path) -> pd.DataFrame:
        """The output columns for the file; raises the file's problems, if any."""
        self._flush()
        rows = np.concatenate(self._rows) if self._rows else np.empty(0, dtype=np.int64)
        if not len(rows):
            raise _FileProblemsError(f"no data rows below the header on row {self._header.row + 1}")
        if self._problems:
            raise _FileProblemsError(*self._problems)
        columns: dict[str, pd.api.extensions.ExtensionArray] = {}
        for name in CANONICAL_COLUMNS:
            chunks = self._chunks.pop(name, None) or [pa.nulls(len(rows), _TEXT)]
            columns[name] = pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=_TEXT))
        source = pa.repeat(pa.scalar(str(path), _TEXT), len(rows))
        columns["source_file"] = pd.arrays.ArrowStringArray(pa.chunked_array([source]))
        frame = pd.DataFrame(columns, copy=False)
        frame["source_row"] = rows
        return frame

    def _flush(self) -> None:
        if not self._pending_rows:
            return
        rows = np.concatenate(self._pending_rows)
        self._pending_rows, self._pending_bytes = [], 0
        cleaned: dict[str, pa.Array] = {}
        for name, pending in self._pending.items():
            cleaned[name] = _clean(pa.chunked_array(pending, type=_TEXT))
            pending.clear()  # the raw text can go now
        if cleaned:
            keep = functools.reduce(pc.or_, [pc.is_valid(cells) for cells in cleaned.values()])
        else:
            keep = pa.repeat(pa.scalar(value=False), len(rows))
        if not pc.all(keep).as_py():
            cleaned = {name: cells.filter(keep) for name, cells in cleaned.items()}
            rows = rows[np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)]
        self._problems += _validate.cell_problems(
            cleaned, rows, self._labels, inert=FREE_TEXT_COLUMNS
        )
        for name, cells in cleaned.items():
            self._chunks[name].append(cells)
        self._rows.append(rows)
        # hand the freed raw text back to the system now: the allocator would otherwise keep
        # much of it (chunks of other sizes do not reuse it), and the peak would grow with it
        pa.default_memory_pool().release_unused()


def _clean(cells: pa.ChunkedArray) -> pa.Array:
    """Cells without NUL characters and surrounding whitespace, as one array; empty is null."""
    if any(_has_nul(chunk) for chunk in cells.chunks):
        cells = pc.replace_substring(cells, "\x00", "")
    cells = pc.utf8_trim_whitespace(cells).combine_chunks()
    empty = pc.equal(pc.binary_length(cells), 0)
    return pc.if_else(empty, pa.scalar(None, _TEXT), cells) if pc.any(empty).as_py() else cells


def _has_nul(cells: pa.Array) -> bool:
    """Whether the text buffer behind ``cells`` holds a NUL byte (a scan of bytes, no copy)."""
    text = cells.buffers()[2]  # validity, offsets, text; a slice's buffer may hold more text
    return text is not None and not np.frombuffer(text, dtype=np.uint8).all()


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:120] + "…"


__all__ = [
    "BUILTIN_COLUMN_MAPS",
    "CANONICAL_COLUMNS",
    "FREE_TEXT_COLUMNS",
    "PROVENANCE_COLUMNS",
    "REQUIRED_COLUMNS",
    "SUFFIXES",
    "ColumnMap",
    "builtin_column_map",
    "expand_paths",
    "header_key",
    "read_exports",
]
