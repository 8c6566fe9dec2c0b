"""Readers for patent exports (incoPat, PatSnap, CNIPA-style tables) in .xlsx, .xls or .csv.

:func:`read_exports` reads one export, a batched export (several files) or a folder of them into
one table with the :data:`CANONICAL_COLUMNS`, every cell text or missing (``pd.NA``, string
dtype), plus where each row came from: ``source_file`` and ``source_row``, the row number a person
sees in the spreadsheet (the header on row 1 makes the first data row 2). A :class:`ColumnMap`
says which headers feed which column; incoPat (Chinese and English headers) is the default,
PatSnap is built in, and ``--columns FILE.toml`` supplies any other.

What reading does, and nothing more (parsing dates, splitting applicants into the tables and
merging duplicate publication numbers are the pipeline's work):

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
  is harmless text; in any other column (publication number, codes, ...) it cannot be a real
  value, so it is an input error naming file, row and column. A .xls file stores
  formulas in a form xlrd does not expose: there the cell reads as the result Excel saved, which
  copatent did not compute either.
- **Applicant names** are checked one by one as the loader will store them: split with the
  applicant separator the pipeline uses (:func:`applicant_separator`) and normalised
  (full-width to half-width, ...). A name that then begins with ``=``, ``+``, ``-`` or ``@``
  and goes on (``＝HYPERLINK(…)`` and ``-A1*10`` included, wherever it stands in the cell) is a
  spreadsheet formula, not a name: an input error naming file, row, column and the applicant's
  position. The character alone (``-``, an export's "none") is left as it was.
- **Limits**: a cell longer than 32,767 characters (Excel's limit) is an input error; so is a
  key longer than Neo4j can index (8,164 UTF-8 bytes, ``_validate.KEY_MAX_BYTES``): a
  publication number, or an applicant name once normalised. Only the columns the map names are
  read and checked.
- **Blank rows** (every mapped cell empty) are dropped; their numbers are not reused.
- **Sheets**: a workbook's first worksheet is read.

All problems of all files are collected and raised as one :class:`copatent._errors.InputError`
with a one-line message. Which reader runs follows the file's first bytes (a zip is .xlsx, an
OLE2 compound file is .xls), so a workbook saved with the wrong suffix still reads.

One concept per module: :mod:`~copatent.loader.readers.columns` (the canonical columns, column
maps, header matching), :mod:`~copatent.loader.readers.paths` (which files, in which order),
``_cells`` (the header's location and the cell cleaning every format shares),
:mod:`~copatent.loader.readers.delimited` (CSV, with every pyarrow workaround),
:mod:`~copatent.loader.readers.excel` (.xlsx and .xls) and ``_problems`` (a file's problems and
how exceptions read in them). This module sniffs each file and reads them all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Final, Literal

import pandas as pd

from copatent._errors import InputError
from copatent.loader.readers._cells import _finish
from copatent.loader.readers._problems import _FileProblemsError, _os_reason
from copatent.loader.readers.columns import (
    BUILTIN_COLUMN_MAPS,
    CANONICAL_COLUMNS,
    FREE_TEXT_COLUMNS,
    KEY_COLUMNS,
    NAMES_COLUMN,
    PROVENANCE_COLUMNS,
    REQUIRED_COLUMNS,
    ColumnMap,
    applicant_separator,
    builtin_column_map,
    header_key,
)
from copatent.loader.readers.delimited import RereadError, _iter_csv, _read_csv
from copatent.loader.readers.excel import _iter_xlsx, _read_xls, _read_xlsx
from copatent.loader.readers.paths import SUFFIXES, expand_paths
from copatent.tables import one_line

_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Kind = Literal["csv", "xlsx", "xls"]


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
    frames = list(iter_exports(paths, columns=columns, chunk_rows=None, whole=True))
    return pd.concat(frames, ignore_index=True)


def iter_exports(
    paths: Sequence[Path],
    *,
    columns: ColumnMap | None = None,
    chunk_rows: int | None = None,
    whole: bool | Collection[Path] = False,
) -> Iterator[pd.DataFrame]:
    """:func:`read_exports` in frames of at most ``chunk_rows`` rows, read as the files stream.

    The frames have :func:`read_exports`'s columns, rows and row numbers; a frame never spans
    two files, and its index is a fresh ``RangeIndex``. A .csv streams in pyarrow's blocks and
    a .xlsx in openpyxl's read-only rows, so only about one frame of a file is held at a time.
    A .xls (xlrd reads a whole workbook), and a CSV that the pandas reader must read, are read
    whole and then cut into frames. ``chunk_rows=None`` gives one frame per file.

    ``whole``: ``True``, or the files, to read whole and then cut. A CSV that shows only after
    some of its frames that it must be read otherwise (another encoding, the pandas reader)
    raises :class:`RereadError` naming it: read again with it among ``whole``.

    Every problem of every file is still raised as one :class:`InputError` with the message
    :func:`read_exports` gives, after the last file: once a file has a problem no more frames
    come (its rows and every later file's are only checked), so a consumer sees some frames and
    then the error, and must discard what it made of them.
    """
    column_map = columns if columns is not None else builtin_column_map("incopat")
    separator = applicant_separator(columns)
    problems: list[tuple[str, list[str]]] = []
    for path in expand_paths(paths):
        read_whole = whole is True or (whole is not False and path in whole)
        try:
            for frame in _read_file(path, column_map, separator, chunk_rows, whole=read_whole):
                if not problems:
                    yield frame.reset_index(drop=True)
        except _FileProblemsError as exc:
            problems.append((str(path), list(exc.problems)))
    if problems:
        raise InputError(one_line(problems))


def _read_file(
    path: Path, column_map: ColumnMap, separator: str, chunk_rows: int | None, *, whole: bool
) -> Iterator[pd.DataFrame]:
    kind = _sniff(path)
    if kind == "xls" or whole:
        if kind == "csv":
            frame = _read_csv(path, column_map, separator)  # cleans and checks as it reads
        else:
            raw = _read_xlsx(path, column_map) if kind == "xlsx" else _read_xls(path, column_map)
            frame = _finish(path, raw, separator)
        step = chunk_rows or max(len(frame), 1)
        for start in range(0, len(frame), step):
            yield frame.iloc[start : start + step]
    elif kind == "csv":
        yield from _iter_csv(path, column_map, separator, chunk_rows)
    else:
        yield from _iter_xlsx(path, column_map, separator, chunk_rows)


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


__all__ = [
    "BUILTIN_COLUMN_MAPS",
    "CANONICAL_COLUMNS",
    "FREE_TEXT_COLUMNS",
    "KEY_COLUMNS",
    "NAMES_COLUMN",
    "PROVENANCE_COLUMNS",
    "REQUIRED_COLUMNS",
    "SUFFIXES",
    "ColumnMap",
    "RereadError",
    "applicant_separator",
    "builtin_column_map",
    "expand_paths",
    "header_key",
    "iter_exports",
    "read_exports",
]
