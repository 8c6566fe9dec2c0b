"""What every format shares: the header's location, cells as text, and their cleaning.

A reader finds the header among the first :data:`HEADER_SEARCH_ROWS` rows
(:func:`_locate_header`) and returns the mapped columns' raw cells (:class:`_Raw`), or feeds them
to a :class:`_Collector` as it reads; :func:`_finish` and the collector clean, check and shape
them into the output columns, kept as Arrow text. :func:`_render` writes a cell value as text.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from copatent.loader import _validate
from copatent.loader.readers._problems import _FileProblemsError
from copatent.loader.readers.columns import (
    CANONICAL_COLUMNS,
    FREE_TEXT_COLUMNS,
    KEY_COLUMNS,
    NAMES_COLUMN,
    REQUIRED_COLUMNS,
    ColumnMap,
    header_key,
)
from copatent.tables import listing

HEADER_SEARCH_ROWS: Final = 10
"""How many rows at the top of a file may hold the header (title lines are skipped)."""

_STRING: Final = pd.StringDtype("pyarrow")  # Arrow text: a fraction of the memory of Python str
_TEXT: Final = pa.large_string()  # how _STRING stores text: columns of this type are not copied
_CHUNK_BYTES: Final = 16 << 20  # cells are cleaned, checked and kept in chunks of about this size
_SLICE_ROWS: Final = 1 << 16  # rows of a workbook's cells converted to Arrow at a time


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
        f"{listing(found) if found else '(none)'}"
    )


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


def _finish(path: Path, raw: _Raw, separator: str) -> pd.DataFrame:
    """Clean, check and shape one file's cells into the output columns.

    ``separator`` is the regular expression between applicant names (they are checked one by one).
    """
    return next(_finish_chunks(path, raw, separator, None))


def _finish_chunks(
    path: Path, raw: _Raw, separator: str, chunk_rows: int | None
) -> Iterator[pd.DataFrame]:
    """:func:`_finish` in frames of ``chunk_rows`` rows (``None``: one frame)."""
    names = [str(name) for name in raw.cells.columns]
    collector = _Collector(raw.header, names, separator, chunk_rows)
    for start in range(0, len(raw.cells), _SLICE_ROWS):
        part = raw.cells.iloc[start : start + _SLICE_ROWS]
        first = raw.first_row + start
        collector.add(
            {name: _arrow_text(part[name]) for name in names},
            np.arange(first, first + len(part), dtype=np.int64),
        )
    yield from collector.rest(path)


def _arrow_text(cells: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column of str and missing values as Arrow text (``None``, ``NaN``, ``NA`` are null)."""
    return pa.array(cells, type=_TEXT, from_pandas=True)


class _Collector:
    """One file's cells, cleaned, checked and kept as Arrow text while they are read.

    Cells arrive in batches of rows (:meth:`add`) and are processed in chunks of about
    ``_CHUNK_BYTES`` (or ``chunk_rows`` rows, if fewer): NUL characters removed, surrounding
    whitespace stripped, an empty cell made missing, blank rows dropped, over-long cells, formula
    text, keys too long to index and bad applicant names (split with ``separator``) collected as
    problems. Only the cleaned chunks are kept, so the peak memory is the result plus one chunk.

    With ``chunk_rows``, :meth:`ready` hands out the cleaned rows in frames of that many rows as
    they are read, and the collector keeps only what is not handed out yet: a file's memory is
    then one frame, not the file. Once a problem is found no frame is handed out any more (the
    file will not be loaded), but the cells are still checked, so that the error at the end names
    every problem of the file, as a whole read does.
    """

    def __init__(
        self,
        header: _Header,
        names: Sequence[str],
        separator: str,
        chunk_rows: int | None = None,
    ) -> None:
        self._header = header
        self._separator = separator
        self._chunk_rows = chunk_rows
        self._labels = {name: header.labels[header.positions[name]] for name in names}
        self._pending: dict[str, list[pa.Array]] = {name: [] for name in names}
        self._pending_rows: list[npt.NDArray[np.int64]] = []
        self._pending_count = 0
        self._pending_bytes = 0
        self._chunks: dict[str, list[pa.Array]] = {name: [] for name in names}
        self._rows: list[npt.NDArray[np.int64]] = []
        self._held = 0  # cleaned rows not handed out yet
        self._seen = 0  # cleaned rows in all
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
        self._pending_count += len(rows)
        full = self._chunk_rows is not None and self._pending_count >= self._chunk_rows
        if full or self._pending_bytes >= _CHUNK_BYTES:
            self._flush()

    def ready(self, path: Path) -> Iterator[pd.DataFrame]:
        """The frames of ``chunk_rows`` rows cleaned so far (none after a problem)."""
        while self._chunk_rows is not None and self._held >= self._chunk_rows:
            if self._problems:
                self._drop()
                return
            yield self._take(path, self._chunk_rows)

    def rest(self, path: Path) -> Iterator[pd.DataFrame]:
        """The frames left at the end of the file; raises the file's problems, if any."""
        self._flush()
        if not self._seen:
            raise _FileProblemsError(f"no data rows below the header on row {self._header.row + 1}")
        if self._problems:
            raise _FileProblemsError(*self._problems)
        yield from self.ready(path)
        if self._held:
            yield self._take(path, self._held)

    def frame(self, path: Path) -> pd.DataFrame:
        """The output columns for the whole file; raises the file's problems, if any."""
        frames = list(self.rest(path))
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    def _take(self, path: Path, count: int) -> pd.DataFrame:
        """The first ``count`` cleaned rows held, as a frame of the output columns."""
        held = np.concatenate(self._rows)
        rows, rest = held[:count], held[count:]
        self._rows = [rest] if len(rest) else []
        self._held = len(rest)
        columns: dict[str, pd.api.extensions.ExtensionArray] = {}
        for name in CANONICAL_COLUMNS:
            chunks = self._chunks.get(name)
            if not chunks:
                columns[name] = pd.arrays.ArrowStringArray(
                    pa.chunked_array([pa.nulls(count, _TEXT)])
                )
                continue
            cells = pa.chunked_array(chunks, type=_TEXT)
            left = cells.slice(count)
            chunks[:] = left.chunks if len(left) else []
            columns[name] = pd.arrays.ArrowStringArray(cells.slice(0, count))
        source = pa.repeat(pa.scalar(str(path), _TEXT), count)
        columns["source_file"] = pd.arrays.ArrowStringArray(pa.chunked_array([source]))
        frame = pd.DataFrame(columns, copy=False)
        frame["source_row"] = rows
        return frame

    def _drop(self) -> None:
        """Forget the cleaned rows (a file with a problem is not loaded)."""
        for chunks in self._chunks.values():
            chunks.clear()
        self._rows, self._held = [], 0

    def _flush(self) -> None:
        if not self._pending_rows:
            return
        rows = np.concatenate(self._pending_rows)
        self._pending_rows, self._pending_bytes, self._pending_count = [], 0, 0
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
            cleaned,
            rows,
            self._labels,
            inert=FREE_TEXT_COLUMNS,
            keys=KEY_COLUMNS,
            names=NAMES_COLUMN,
            separator=self._separator,
        )
        self._seen += len(rows)
        if self._problems:
            self._drop()  # nothing of the file will be loaded: keep nothing
        else:
            for name, cells in cleaned.items():
                self._chunks[name].append(cells)
            self._rows.append(rows)
            self._held += len(rows)
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
