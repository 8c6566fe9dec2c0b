"""Checks on export cells and column maps.

Every check returns the problems it found instead of raising, so that a file's problems can all be
reported in one error (STYLE.md rule 8); :func:`one_line` turns them into the single line the CLI
prints.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]  # no stubs in the dev group yet
import pyarrow.compute as pc  # type: ignore[import-untyped]

from copatent.tables import preview

MAX_CELL_CHARS: Final = 32_767
"""Excel's limit on the characters in one cell; a longer cell is not a real export."""

FORMULA_PATTERN: Final = r"(?s)=.|[+\-@].*[(|]"
"""Text that a spreadsheet would run as a formula when the cell is typed or pasted.

``=`` followed by anything (``=1+1``, ``=HYPERLINK(...)``), or ``+``, ``-``, ``@`` followed by a
function call or a DDE link (``@SUM(A1)``, ``+cmd|' /C calc'!A0``): the OWASP "CSV injection"
prefixes, narrowed so that plain values such as ``-`` or ``+86`` are not flagged.
"""

_FORMULA: Final = re.compile(FORMULA_PATTERN)
_ARROW_FORMULA: Final = f"^({FORMULA_PATTERN})"  # RE2 (Arrow) spelling of a match at the start


def is_formula(text: str) -> bool:
    """Whether ``text`` would be run as a formula by a spreadsheet (see :data:`FORMULA_PATTERN`).

    >>> [is_formula(t) for t in ("=1+1", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0")]
    [True, True, True]
    >>> [is_formula(t) for t in ("-", "=", "+86 10 1234", "CN1234567A")]
    [False, False, False, False]
    """
    return _FORMULA.match(text) is not None


def cell_problems(
    columns: Mapping[str, pa.Array],
    rows: npt.NDArray[np.int64],
    labels: Mapping[str, str],
    *,
    inert: Collection[str],
) -> list[str]:
    """Over-long cells anywhere, and formula text outside the ``inert`` (free-text) columns.

    One column at a time, with Arrow kernels: the only temporaries are a number and a flag per
    cell of one column.

    Parameters
    ----------
    columns
        Cleaned cells (Arrow text, null where missing), one array per canonical name, all of the
        same length.
    rows
        The spreadsheet row number of each position of the arrays.
    labels
        Canonical name -> the header the file uses for it, for the messages.
    inert
        Columns where formula text is kept as text (titles, abstracts); elsewhere it is an error.

    Returns
    -------
    list of str
        ``"row R, column C (header): what is wrong"``, in row order, then column order.

    Examples
    --------
    >>> cells = {"pub_no": pa.array(["CN1A", "=1+1"]), "title": pa.array(["=1+1", None])}
    >>> labels = {"pub_no": "公开（公告）号", "title": "标题"}
    >>> cell_problems(cells, np.array([2, 3]), labels, inert={"title"})
    ["row 3, column pub_no (公开（公告）号): spreadsheet formula '=1+1' where a value belongs"]
    """
    found: list[tuple[int, int, str]] = []
    for order, (name, cells) in enumerate(columns.items()):
        column = f"column {name} ({labels[name]})"
        # a character takes at least one byte: only a cell of more bytes can have too many
        for i in _positions(pc.greater(pc.binary_length(cells), MAX_CELL_CHARS)):
            length = len(cells[i].as_py())
            if length > MAX_CELL_CHARS:
                found.append(
                    (
                        int(rows[i]),
                        order,
                        (
                            f"row {rows[i]}, {column}: cell has {length:,} characters, "
                            f"over Excel's limit of {MAX_CELL_CHARS:,}"
                        ),
                    )
                )
        if name in inert:
            continue
        found.extend(
            (
                int(rows[i]),
                order,
                (
                    f"row {rows[i]}, {column}: spreadsheet formula {preview(cells[i].as_py())} "
                    "where a value belongs"
                ),
            )
            for i in _positions(pc.match_substring_regex(cells, _ARROW_FORMULA))
        )
    return [message for *_, message in sorted(found)]


def _positions(flags: pa.Array) -> list[int]:
    """Positions where ``flags`` is true (null is false)."""
    return [int(i) for i in pc.indices_nonzero(flags).to_numpy()]


def column_map_problems(
    document: Mapping[str, object], *, canonical: Sequence[str], required: Collection[str]
) -> list[str]:
    """Problems of a column-map document (the parsed TOML), each a short phrase.

    Parameters
    ----------
    document
        The parsed TOML: ``name`` (str), ``applicant_separator`` (str, optional) and a
        ``columns`` table, canonical name -> spelling or list of spellings.
    canonical
        The canonical column names, in order.
    required
        The canonical columns every map must name.
    """
    problems = [
        f"unknown key {key!r} (expected name, applicant_separator, columns)"
        for key in document
        if key not in {"name", "applicant_separator", "columns"}
    ]
    name = document.get("name")
    if name is not None and not (isinstance(name, str) and name.strip()):
        problems.append("name must be a non-empty string")
    separator = document.get("applicant_separator")
    if separator is not None:
        problems.extend(_separator_problems(separator))
    columns = document.get("columns")
    if not isinstance(columns, Mapping):
        problems.append("missing [columns] table")
        return problems
    for key, spellings in columns.items():
        if key not in canonical:
            problems.append(f"unknown column {key!r} (expected one of {', '.join(canonical)})")
        elif isinstance(spellings, str):
            if not spellings.strip():
                problems.append(f"column {key}: empty header spelling")
        elif not (
            isinstance(spellings, list)
            and spellings
            and all(isinstance(s, str) and s.strip() for s in spellings)
        ):
            problems.append(f"column {key}: expected a header or a list of non-empty headers")
    missing = [name for name in canonical if name in required and name not in columns]
    if missing:
        problems.append(f"missing required columns {', '.join(missing)}")
    return problems


def _separator_problems(separator: object) -> list[str]:
    if not isinstance(separator, str):
        return ["applicant_separator must be a string (a regular expression)"]
    try:
        pattern = re.compile(separator)
    except re.error as exc:
        return [f"applicant_separator {separator!r} is not a regular expression: {exc}"]
    if pattern.fullmatch(""):
        return [f"applicant_separator {separator!r} matches the empty string"]
    return []
