"""Numeric columns of a user's table: missing cells, numbers written as text, one line.

A table of statistics (the geographical detector's ``--data``, a regional statistics table) is read
as text cells (:func:`copatent.tables.read_table`); this module finds the columns asked for,
leaves out the rows with a missing cell, parses the numbers and names every cell that is not one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from copatent._errors import InputError
from copatent.tables import listing, text_cells

MISSING: Final = frozenset({"", "na", "n/a", "nan", "null", "none"})
"""Cells read as missing (case-folded, stripped)."""


class RepeatedColumnError(InputError):
    """``y`` is also among the ``xs``, or a column is among them twice (case-folded).

    The message names the parameters (``y``, ``xs``); a command line names its own options from
    :attr:`source` and :attr:`columns`.
    """

    def __init__(self, source: str, columns: Sequence[str]) -> None:
        self.source = source
        self.columns = tuple(columns)
        super().__init__(f"{source}: a column is named twice in y and xs: {', '.join(columns)}")


class CategoricalColumnError(InputError):
    """A column to use as categories is not one of the ``xs``.

    The message names the parameters (``categorical``, ``xs``); a command line names its own
    options from :attr:`source` and :attr:`categorical`.
    """

    def __init__(self, source: str, categorical: Sequence[str]) -> None:
        self.source = source
        self.categorical = tuple(categorical)
        super().__init__(f"{source}: categorical {', '.join(categorical)} must be xs columns")


@dataclass(frozen=True)
class NumericColumns:
    """The complete rows of the wanted columns: numeric ones parsed, every one as text.

    ``numbers``: the columns whose every cell is a finite number (but those named categorical),
    as floats; ``cells``: every wanted column as stripped text; both on the complete rows, indexed
    ``0 ... n-1``, keyed by the names asked for. ``notes``: the rows left out.
    """

    numbers: dict[str, pd.Series]
    cells: dict[str, pd.Series]
    notes: tuple[str, ...]


def numeric_columns(
    table: pd.DataFrame,
    y: str,
    xs: Sequence[str],
    *,
    categorical: Sequence[str] = (),
    source: str = "data",
) -> NumericColumns:
    """The explained column ``y`` (numbers) and the factor columns ``xs`` of ``table``; or raise.

    Columns are found by their stripped, case-folded header. Cells in :data:`MISSING` are
    missing: rows missing ``y`` or any factor are left out (complete cases; a note lists them),
    and at least 3 rows must be left. ``y`` must be numeric. A factor is numeric when every
    present cell is a finite number, unless it is listed in ``categorical``; a factor of mostly
    numbers with some text cells is an error naming them (a typo would otherwise make every value
    a category), and so is a text factor with many distinct values (numbers written with
    thousands separators or ``%``) unless it is listed in ``categorical``.

    Raises
    ------
    InputError
        One line naming ``source``, the rows and columns at fault
        (:class:`RepeatedColumnError` and :class:`CategoricalColumnError` when the columns asked
        for contradict each other).
    """
    wanted = [y, *xs]
    folded = [c.strip().casefold() for c in wanted]
    headers = _headers(table, wanted, categorical, source)
    as_is = {c.strip().casefold() for c in categorical}
    cells = {c: text_cells(table[headers[f]]) for c, f in zip(wanted, folded, strict=True)}
    rows = np.arange(len(table)) + 2  # spreadsheet rows: the header is row 1
    absent = np.zeros(len(table), dtype=bool)
    for column in wanted:
        absent |= cells[column].str.casefold().isin(MISSING).to_numpy()
    kept = {c: v[~absent].reset_index(drop=True) for c, v in cells.items()}
    n = int((~absent).sum())
    if n < 3:
        raise InputError(f"{source}: {n} complete row(s); the detector needs at least 3")
    numbers: dict[str, pd.Series] = {}
    problems: list[str] = []
    where = rows[~absent]
    for column, key in zip(wanted, folded, strict=True):
        parsed = pd.to_numeric(kept[column], errors="coerce")
        bad = parsed.isna().to_numpy()
        if not bad.any():
            infinite = ~np.isfinite(parsed.to_numpy(dtype=float))
            problems += _listed(where[infinite], kept[column][infinite], column, "not finite")
            if key not in as_is:
                numbers[column] = parsed.astype(float)
        elif column == y or (key not in as_is and bad.mean() < 0.5):
            problems += _listed(where[bad], kept[column][bad], column, "not a number")
        elif key not in as_is and kept[column].nunique() > len(kept[column]) / 2:
            problems.append(
                f"column {column}: text with {kept[column].nunique()} distinct values in "
                f"{len(kept[column])} rows, e.g. {kept[column].iloc[0]!r}: write plain numbers "
                "(no thousands separators or %), or name it with --categorical"
            )
    if problems:
        raise InputError(f"{source}: " + "; ".join(problems))
    notes = []
    if absent.any():
        shown = listing([str(r) for r in rows[absent]], limit=10)
        notes.append(f"{int(absent.sum())} row(s) with a missing value left out: {shown}")
    return NumericColumns(numbers, kept, tuple(notes))


def numeric_cells(cells: pd.Series) -> bool:
    """Whether every present cell of text ``cells`` is a number (and some cell is present).

    >>> numeric_cells(pd.Series(["1", "2.5", "NA", ""])), numeric_cells(pd.Series(["1", "x"]))
    (True, False)
    """
    present = cells[~cells.str.casefold().isin(MISSING)]
    return bool(len(present)) and bool(pd.to_numeric(present, errors="coerce").notna().all())


def _listed(rows: np.ndarray, cells: pd.Series, column: str, what: str) -> list[str]:
    """``row r, column c: 'v' is <what>`` for the first five, then a count of the rest."""
    found = [
        f"row {r}, column {column}: {v!r} is {what}"
        for r, v in zip(rows[:5].tolist(), cells[:5].tolist(), strict=True)
    ]
    if len(rows) > 5:
        found.append(f"(+{len(rows) - 5} more in column {column})")
    return found


def _headers(
    table: pd.DataFrame, wanted: list[str], categorical: Sequence[str], source: str
) -> dict[str, object]:
    """Case-folded header → column label, after checking the wanted columns."""
    headers: dict[str, object] = {}
    repeated: set[str] = set()
    for label in table.columns:
        key = str(label).strip().casefold()
        if key in headers:
            repeated.add(key)
        headers.setdefault(key, label)
    folded = [c.strip().casefold() for c in wanted]
    twice = [c for c, f in zip(wanted, folded, strict=True) if f in repeated]
    if twice:
        raise InputError(
            f"{source}: more than one column is headed {', '.join(map(repr, twice))} "
            "(headers are matched without case)"
        )
    absent = [c for c, f in zip(wanted, folded, strict=True) if f not in headers]
    if absent:
        found = listing([str(c).strip() for c in table.columns])
        raise InputError(
            f"{source}: no column {', '.join(repr(c) for c in absent)}; columns found: {found}"
        )
    if len(wanted) < 2:
        raise InputError(f"{source}: no factor given")
    if len(set(folded)) < len(folded):
        raise RepeatedColumnError(source, wanted)
    if {c.strip().casefold() for c in categorical} - set(folded[1:]):
        raise CategoricalColumnError(source, categorical)
    return headers
