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

from copatent.loader.applicants import DEFAULT_SEPARATOR, split_parts
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

KEY_MAX_BYTES: Final = 8_164
"""The longest text Neo4j can index as a key, in UTF-8 bytes.

The uniqueness constraints on ``Patent.pub_no`` and ``Applicant.name`` are backed by RANGE
indexes (``range-1.0``). On Neo4j 5.26 a key of 8,164 UTF-8 bytes is accepted and one of 8,165
is refused with "Property value is too large to index", whatever the mix of 1- to 4-byte
characters (2,721 CJK characters fit, 2,722 do not). Measured on the server;
``tests/integration/test_load_graph.py::test_key_limit_is_the_servers`` checks the boundary. A
longer key would end a load half-way, so the readers refuse it.
"""

NAME_FORMULA_LEADS: Final = "=+-@"
"""A name that begins, once normalised, with one of these and goes on is a spreadsheet formula.

Excel runs a cell typed or opened as ``=…``, ``+…``, ``-…`` or ``@…`` (``-A1*10``,
``@SUM(1)``, ``+cmd|' /C calc'!A0``); no organisation's or person's name begins so. The
character alone is no formula: exports write ``-`` for "none", and it stays what it was.
"""

_NAME_LEADS_BEFORE_NFKC: Final = "=+-@⁺⁼₊₌⩵⩶﬩﹢﹣﹦﹫＋－＝＠"
"""Every character whose NFKC form begins with one of :data:`NAME_FORMULA_LEADS` (a unit test
scans Unicode for them): a cell without any cannot hold a name that begins with one."""

_NFKC_GROWTH: Final = 11
"""NFKC makes no text longer than 11 times its UTF-8 bytes (U+FDFA: 3 bytes become 33; a unit
test scans Unicode): a cell of fewer bytes than ``KEY_MAX_BYTES / 11`` holds no over-long name."""

_ARROW_MAYBE_FORMULA_NAME: Final = "[" + re.escape(_NAME_LEADS_BEFORE_NFKC) + "]"


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
    keys: Collection[str] = (),
    names: str | None = None,
    separator: str = DEFAULT_SEPARATOR,
) -> list[str]:
    """Over-long cells, formula text outside the ``inert`` columns, keys Neo4j cannot index.

    One column at a time, with Arrow kernels: the only temporaries are a number and a flag per
    cell of one column. The ``names`` column is checked name by name (:func:`name_problems`)
    instead of cell by cell; only its cells that could hold a bad name are split in Python.

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
    keys
        Columns whose cell is stored as it is as an indexed key: longer than
        :data:`KEY_MAX_BYTES` is an error.
    names
        The column of applicant names, split with ``separator``.
    separator
        The regular expression that separates the names.

    Returns
    -------
    list of str
        ``"row R, column C (header): what is wrong"``, in row order, then column order, then
        the applicant's position.

    Examples
    --------
    >>> cells = {"pub_no": pa.array(["CN1A", "=1+1"]), "title": pa.array(["=1+1", None])}
    >>> labels = {"pub_no": "公开（公告）号", "title": "标题"}
    >>> cell_problems(cells, np.array([2, 3]), labels, inert={"title"})
    ["row 3, column pub_no (公开（公告）号): spreadsheet formula '=1+1' where a value belongs"]
    >>> cells = {"pub_no": pa.array(["CN1A"]), "applicants": pa.array(["甲公司；＠SUM(1)"])}
    >>> labels = {"pub_no": "公开（公告）号", "applicants": "申请人"}
    >>> cell_problems(cells, np.array([2]), labels, inert=(), names="applicants")
    ["row 2, column applicants (申请人), applicant 2: '＠SUM(1)' begins with '@' once normalised: a spreadsheet formula, not a name"]
    """  # noqa: E501 (a doctest's output is one line)
    found: list[tuple[int, int, int, str]] = []
    for order, (name, cells) in enumerate(columns.items()):
        column = f"column {name} ({labels[name]})"
        if name in keys:
            found.extend(
                (
                    int(rows[i]),
                    order,
                    0,
                    f"row {rows[i]}, {column}: {_key_problem(cells[i].as_py())}",
                )
                for i in _positions(pc.greater(pc.binary_length(cells), KEY_MAX_BYTES))
            )
        else:
            found.extend(
                (int(rows[i]), order, 0, f"row {rows[i]}, {column}: {problem}")
                for i, problem in _over_long(cells)
            )
        if name == names:
            for i in _positions(_may_hold_bad_names(cells)):
                found.extend(
                    (int(rows[i]), order, position, f"row {rows[i]}, {column}, {problem}")
                    for position, problem in name_problems(cells[i].as_py(), separator)
                )
        elif name not in inert:
            found.extend(
                (
                    int(rows[i]),
                    order,
                    0,
                    (
                        f"row {rows[i]}, {column}: spreadsheet formula "
                        f"{preview(cells[i].as_py())} where a value belongs"
                    ),
                )
                for i in _positions(pc.match_substring_regex(cells, _ARROW_FORMULA))
            )
    return [message for *_, message in sorted(found)]


def name_problems(cell: str, separator: str = DEFAULT_SEPARATOR) -> list[tuple[int, str]]:
    """What is wrong with each applicant name of ``cell``, as it will be stored.

    The names are split and normalised as the loader stores them
    (:func:`copatent.loader.applicants.split_parts`). A name that begins with one of
    :data:`NAME_FORMULA_LEADS` and goes on is a spreadsheet formula; a name longer than
    :data:`KEY_MAX_BYTES` cannot be indexed.

    Returns
    -------
    list of (int, str)
        The applicant's 1-based position in the cell and ``"applicant N: what is wrong"``.

    Examples
    --------
    >>> name_problems("北京稀土甲公司;-A1*10")
    [(2, "applicant 2: '-A1*10' begins with '-': a spreadsheet formula, not a name")]
    >>> name_problems("Shin-Etsu Chemical Co., Ltd.;北京稀土甲公司;-")
    []
    """
    found: list[tuple[int, str]] = []
    for position, (text, name) in enumerate(split_parts(cell, separator), start=1):
        where = f"applicant {position}"
        if name[0] in NAME_FORMULA_LEADS and len(name) > 1:
            how = "" if text[:1] == name[0] else " once normalised"
            problem = (
                f"{preview(text)} begins with {name[0]!r}{how}: a spreadsheet formula, not a name"
            )
            found.append((position, f"{where}: {problem}"))
        size = len(name.encode())
        if size > KEY_MAX_BYTES:
            problem = (
                f"name of {len(name):,} characters and {size:,} bytes (UTF-8), "
                f"over the {KEY_MAX_BYTES:,} bytes Neo4j can index"
            )
            found.append((position, f"{where}: {problem}"))
    return found


def _key_problem(text: str) -> str:
    size = len(text.encode())
    return (
        f"{len(text):,} characters and {size:,} bytes (UTF-8), over the {KEY_MAX_BYTES:,} bytes "
        "Neo4j can index as a key"
    )


def _over_long(cells: pa.Array) -> list[tuple[int, str]]:
    """Positions and messages of cells over Excel's limit of characters."""
    found = []
    # a character takes at least one byte: only a cell of more bytes can have too many
    for i in _positions(pc.greater(pc.binary_length(cells), MAX_CELL_CHARS)):
        length = len(cells[i].as_py())
        if length > MAX_CELL_CHARS:
            found.append(
                (i, f"cell has {length:,} characters, over Excel's limit of {MAX_CELL_CHARS:,}")
            )
    return found


def _may_hold_bad_names(cells: pa.Array) -> pa.Array:
    """True for the cells that could hold a formula name or an over-long one (Arrow kernels)."""
    formula = pc.match_substring_regex(cells, _ARROW_MAYBE_FORMULA_NAME)
    long = pc.greater(pc.binary_length(cells), KEY_MAX_BYTES // _NFKC_GROWTH)
    return pc.or_(formula, long)


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
