"""Text tables from users: reading them as text cells, and saying what is wrong in one line.

Every text table a user gives (edge lists, node and group files, statistics and factor tables;
the exports have their own readers in :mod:`copatent.loader`) is read here as text cells, and
every check returns its problems instead of raising, so that all of a file's problems are named in
one error: file, row and column (STYLE.md rule 8). :func:`one_line` turns them into the single
line the command line prints; the commands add which option the file came from.

Here: reading a CSV as text cells, and the message helpers. The checks of one kind of table are
in the submodules: :mod:`copatent.tables.numbers` (numeric columns: statistics for the
geographical detector) and :mod:`copatent.tables.edges` (edge lists, node lists, node groups).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

MAX_LISTED: Final = 10
"""How many problems one error message lists before it says ``(+N more)``."""

_PARSER_ERROR: Final = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def preview(text: str, width: int = 40) -> str:
    """Quoted, shortened ``text`` for an error message.

    >>> preview("=HYPERLINK(" + "x" * 50 + ")", width=12)
    "'=HYPERLINK(x…'"
    """
    short = text if len(text) <= width else text[:width] + "…"
    return repr(short)


def listing(items: Sequence[str], limit: int = 15) -> str:
    """``items`` joined with commas, cut after ``limit`` with ``(+N more)``.

    >>> listing(["a", "b", "c"], limit=2)
    'a, b (+1 more)'
    """
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} (+{len(items) - limit} more)"


def one_line(problems: Sequence[tuple[str, Sequence[str]]], limit: int = MAX_LISTED) -> str:
    """One line naming each file and its problems, at most ``limit`` problems, then ``(+N more)``.

    >>> one_line([("a.csv", ["row 2: x", "row 3: y"]), ("b.csv", ["empty file"])], limit=2)
    'a.csv: row 2: x; row 3: y (+1 more)'
    """
    parts: list[str] = []
    listed = total = 0
    for source, items in problems:
        total += len(items)
        room = limit - listed
        if room <= 0:
            continue
        shown = list(items[:room])
        listed += len(shown)
        parts.append(f"{source}: " + "; ".join(shown))
    text = "; ".join(parts)
    return text if total <= listed else f"{text} (+{total - listed} more)"


def read_table(path: Path, sep: str = ",") -> tuple[pd.DataFrame | None, list[str]]:
    """A CSV as text cells (UTF-8, with or without BOM), header on row 1; or its problems.

    ``sep``: the delimiter (a tab for a tab-separated file).

    Every cell is a string (``""`` where empty: a node called ``NA`` stays ``NA``). The index is
    ``0, 1, ...`` from the first data row, so row ``i`` of the frame is the file's row ``i + 2``
    for a file without line breaks inside cells; blank lines keep their numbers.
    """
    try:
        raw = pd.read_csv(
            path,
            header=None,
            sep=sep,
            dtype=str,
            encoding="utf-8-sig",
            na_filter=False,
            skip_blank_lines=False,
        )
    except pd.errors.EmptyDataError:
        return None, ["empty file (no header row)"]
    except UnicodeDecodeError as exc:
        return None, [f"cannot decode as UTF-8 (byte {exc.object[exc.start]:#04x} at {exc.start})"]
    except pd.errors.ParserError as exc:
        match = _PARSER_ERROR.search(str(exc))
        if match:
            width, line, seen = match.groups()
            return None, [f"row {line}: {seen} fields, more than the {width} of the header"]
        return None, [f"malformed CSV: {' '.join(str(exc).split())}"]
    except OSError as exc:
        return None, [f"cannot read: {exc.strerror or exc}"]
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = pd.Index([str(label) for label in raw.iloc[0].tolist()])
    return frame, []


def text_cells(column: pd.Series) -> pd.Series:
    """Cells as stripped text, missing as ``""``, on a fresh 0..n-1 index."""
    text = column.astype("string").str.strip().fillna("")
    return pd.Series(text.to_numpy(dtype=object), dtype=object)


def blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty (blank lines of a file).

    >>> blank_rows(pd.DataFrame({"a": ["x", "", None], "b": ["", " ", ""]})).tolist()
    [False, True, True]
    """
    blank = np.ones(len(frame), dtype=bool)
    for j in range(frame.shape[1]):
        blank &= (text_cells(frame.iloc[:, j]) == "").to_numpy()
    return blank


def spreadsheet_rows(frame: pd.DataFrame) -> np.ndarray:
    """The spreadsheet row of each row of ``frame``: index + 2 (header on row 1).

    A frame whose index is not made of integers is numbered from its first row.

    >>> spreadsheet_rows(pd.DataFrame({"a": [1, 2, 3]}).iloc[1:]).tolist()
    [3, 4]
    """
    if pd.api.types.is_integer_dtype(frame.index.dtype):
        return np.asarray(frame.index, dtype=np.int64) + 2
    return np.arange(len(frame), dtype=np.int64) + 2


def natural_order(labels: Iterable[object]) -> list[object]:
    """Labels in numeric order when every one is a number, else in text order.

    Numeric order puts "2" before "10", and equal numbers spelt apart by their text.

    >>> natural_order(["10", "2", "1.0", "1"]), natural_order(["b", "a"]), natural_order([3, 1])
    (['1', '1.0', '2', '10'], ['a', 'b'], [1, 3])
    """
    found = list(labels)
    numbers = pd.to_numeric(pd.Series(found, dtype=object), errors="coerce")
    if numbers.notna().all():
        ranked = sorted(zip(numbers, map(str, found), range(len(found)), strict=True))
        return [found[i] for _, _, i in ranked]
    return sorted(found, key=str)
