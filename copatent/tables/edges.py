"""A network a user gives as text tables: an edge list, a node list, a table of node groups.

Rules (``copatent metrics``; :func:`copatent.analytics.metrics.metrics` computes on the result):

- **cells** are text; surrounding whitespace is stripped; header names match after stripping and
  case folding (the first of equal headers counts). Rows whose cells are all empty are skipped.
- **edges**: columns ``source`` and ``target`` (:data:`EDGE_COLUMNS`), optionally ``weight``; a
  missing weight column makes every row weigh 1; a weight must be a finite number ``≥ 0``.
- **nodes**: the first column lists every node once; an edge may name only those nodes.
- **groups**: the first column names the node, a column after it (found by its header) holds its
  group; a node once.
- **problems** are collected and raised as one :class:`~copatent._errors.InputError` naming the
  table, row and column: rows are numbered as a spreadsheet shows them, the header on row 1, so
  the frame's index ``i`` is row ``i + 2`` (the default index of a frame read from the file).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from copatent._errors import InputError
from copatent.tables import (
    blank_rows,
    listing,
    one_line,
    preview,
    spreadsheet_rows,
    text_cells,
)

EDGE_COLUMNS: Final[tuple[str, ...]] = ("source", "target")
"""Columns every edge table needs; ``weight`` is optional."""


@dataclass(frozen=True)
class EdgeList:
    """A checked edge list: the rows as they are, the node order, and what was assumed.

    ``edges``: ``source``, ``target`` (text) and ``weight`` (float), one row per non-blank row
    of the file, in its order; loops and repeated rows are left to the caller. ``nodes``: the
    node list's order, else the order of first appearance (row by row, source before target).
    ``notes``: what was assumed (no weight column).
    """

    edges: pd.DataFrame
    nodes: list[str]
    notes: list[str]


@dataclass(frozen=True)
class GroupRows:
    """The rows of a groups table, before they are matched to a network's nodes.

    ``rows``: ``(row, node, group)`` of every row with a node (the first row of a node);
    ``column``: the group column as messages name it (``column <header>``), ``""`` when the table
    has none; ``problems``: those that need no network (no such column, a row without a node, a
    node twice).
    """

    source: str
    rows: list[tuple[int, str, str]]
    column: str
    problems: list[str]


def edge_list(
    edges: pd.DataFrame,
    nodes: pd.DataFrame | None = None,
    *,
    edges_source: str = "edges",
    nodes_source: str = "nodes",
    groups: GroupRows | None = None,
) -> EdgeList:
    """Check an edge list (and node list); or raise one error naming every problem.

    When the edges or nodes have problems, the problems of ``groups`` (those that need no
    network) are named in the same error.

    >>> found = edge_list(pd.DataFrame({"Source ": ["b", "a"], "target": ["a", "c"]}))
    >>> found.nodes, found.edges["weight"].tolist(), found.notes
    (['b', 'a', 'c'], [1.0, 1.0], ['no weight column: every row weighs 1'])
    """
    problems: list[tuple[str, list[str]]] = []
    names: list[str] | None = None
    if nodes is not None:
        names, node_problems = node_list(nodes)
        if node_problems:
            problems.append((nodes_source, node_problems))
    clean, edge_problems, notes = _edge_table(edges, names, nodes_source)
    if edge_problems:  # after the node file's problems, which may explain these
        problems.append((edges_source, edge_problems))
    if problems and groups is not None and groups.problems:
        problems.append((groups.source, groups.problems))
    if problems:
        raise InputError(one_line(problems))
    if names is None:
        pairs = clean[["source", "target"]].to_numpy().ravel()  # row by row: source, target
        names = [str(name) for name in pd.unique(pairs)]
    return EdgeList(clean, names, notes)


def node_list(nodes: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The nodes of a node table's first column in their order, and its problems.

    >>> nodes = pd.DataFrame({"node": ["a", "b", "a", ""], "kind": ["x", "x", "y", "y"]})
    >>> names, problems = node_list(nodes)
    >>> names
    ['a', 'b']
    >>> problems
    ["row 4, column node: node 'a' repeats row 2", 'row 5, column node: no node name']
    """
    if nodes.shape[1] == 0:
        return [], ["no columns"]
    column = f"column {_header(nodes.columns[0])}"
    keep = ~blank_rows(nodes)
    rows = spreadsheet_rows(nodes)[keep]
    cells = text_cells(nodes.iloc[:, 0])[keep]
    if cells.empty:
        return [], ["no data rows below the header"]
    problems: list[tuple[int, str]] = [
        (row, f"row {row}, {column}: no node name") for row in rows[(cells == "").to_numpy()]
    ]
    first: dict[str, int] = {}
    named = (cells != "").to_numpy()
    for row, name in zip(rows[named].tolist(), cells[named].tolist(), strict=True):
        if name in first:
            problems.append(
                (row, f"row {row}, {column}: node {preview(name)} repeats row {first[name]}")
            )
        else:
            first[name] = row
    return list(first), [message for _, message in sorted(problems)]


def group_rows(table: pd.DataFrame, column: str, source: str = "groups") -> GroupRows:
    """The rows of a groups table: its first column names the node, ``column`` holds its group.

    ``column`` is looked for after the node column, by its stripped, case-folded header.
    """
    headers: dict[str, int] = {}
    for position, label in enumerate(table.columns[1:], start=1):  # after the node column
        headers.setdefault(_header(label).casefold(), position)  # the first of equal headers
    wanted = column.strip().casefold()
    if wanted not in headers:
        found = [_header(c) for c in table.columns[1:] if _header(c)]
        listed = listing(found) if found else "none besides the node column"
        problem = f"no group column {preview(column)} after the node column; "
        return GroupRows(source, [], "", [problem + f"columns found: {listed}"])
    where = f"column {_header(table.columns[headers[wanted]])}"
    keep = ~blank_rows(table)
    nodes = text_cells(table.iloc[:, 0])[keep].tolist()
    values = text_cells(table.iloc[:, headers[wanted]])[keep].tolist()
    node_column = f"column {_header(table.columns[0])}"
    problems: list[str] = []
    found_rows: list[tuple[int, str, str]] = []
    first: dict[str, int] = {}
    for row, node, value in zip(spreadsheet_rows(table)[keep].tolist(), nodes, values, strict=True):
        if not node:
            problems.append(f"row {row}, {node_column}: no node name")
        elif node in first:
            problems.append(
                f"row {row}, {node_column}: node {preview(node)} repeats row {first[node]}"
            )
        else:
            first[node] = row
            found_rows.append((row, node, value))
    return GroupRows(source, found_rows, where, problems)


def node_groups(groups: GroupRows, names: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """The group of every node of ``names``, and a note on rows of other nodes; or raise.

    Every node of ``names`` needs a row with a group; rows of nodes not in ``names`` are ignored
    (the note counts them). One error names every problem, those of :func:`group_rows` first.
    """
    problems = list(groups.problems)
    in_network = set(names)
    group: dict[str, str] = {}
    extra = 0
    for row, node, value in groups.rows:
        if node not in in_network:
            extra += 1  # not in the network: its group does not matter
        elif not value:
            problems.append(f"row {row}, {groups.column}: no group for node {preview(node)}")
        else:
            group[node] = value
    listed = {node for _, node, _ in groups.rows}
    missing = [name for name in names if name not in listed]
    if missing and groups.column:
        problems.append(f"no row for node(s) {listing([preview(m) for m in missing])}")
    if problems:
        raise InputError(one_line([(groups.source, problems)]))
    notes = []
    if extra:
        notes.append(
            f"{_count(extra, 'row')} of {groups.source} for nodes not in the network ignored"
        )
    return group, notes


def _edge_table(
    edges: pd.DataFrame, names: Sequence[str] | None, nodes_source: str
) -> tuple[pd.DataFrame, list[str], list[str]]:
    headers: dict[str, int] = {}
    for position, label in enumerate(edges.columns):
        headers.setdefault(_header(label).casefold(), position)  # the first of equal headers
    missing = [c for c in EDGE_COLUMNS if c not in headers]
    if missing:
        found = [_header(c) for c in edges.columns if _header(c)]
        listed = listing(found) if found else "(none)"
        return (
            pd.DataFrame(),
            [f"missing column(s) {', '.join(missing)}; columns found: {listed}"],
            [],
        )
    keep = ~blank_rows(edges)
    frame = edges.loc[keep]
    rows = spreadsheet_rows(edges)[keep]
    if frame.empty:
        return pd.DataFrame(), ["no data rows below the header"], []
    notes: list[str] = []
    problems: list[tuple[int, int, str]] = []  # (row, column order, message), sorted at the end
    ends: dict[str, pd.Series] = {}
    for order, name in enumerate(EDGE_COLUMNS):
        cells = ends[name] = text_cells(frame.iloc[:, headers[name]])
        empty = (cells == "").to_numpy()
        problems.extend(
            (row, order, f"row {row}, column {name}: no node name") for row in rows[empty]
        )
        if names is not None:
            unknown = ~empty & ~cells.isin(set(names)).to_numpy()
            problems.extend(
                (
                    row,
                    order,
                    f"row {row}, column {name}: node {preview(cell)} is not in {nodes_source}",
                )
                for row, cell in zip(rows[unknown], cells[unknown], strict=True)
            )
    if "weight" in headers:
        weights, weight_problems = _weights(text_cells(frame.iloc[:, headers["weight"]]), rows)
        problems.extend((row, len(EDGE_COLUMNS), message) for row, message in weight_problems)
    else:
        weights = np.ones(len(frame))
        notes.append("no weight column: every row weighs 1")
    clean = pd.DataFrame(
        {
            "source": ends["source"].to_numpy(),
            "target": ends["target"].to_numpy(),
            "weight": weights,
        }
    )
    return clean, [message for *_, message in sorted(problems)], notes


def _weights(cells: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """Weights as floats, and ``(row, message)`` for every cell that is not a number ``>= 0``."""
    values = pd.to_numeric(cells.where(cells != ""), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    empty = (cells == "").to_numpy()
    spelled_nan = cells.str.casefold().str.lstrip("+-").eq("nan").to_numpy()
    bad = empty | ~np.isfinite(values) | (values < 0)
    problems: list[tuple[int, str]] = []
    for row, cell, value, blank, nan in zip(
        rows[bad], cells[bad], values[bad], empty[bad], spelled_nan[bad], strict=True
    ):
        where = f"row {row}, column weight"
        if blank:
            problems.append((row, f"{where}: no value"))
        elif math.isnan(value) and not nan:
            problems.append((row, f"{where}: {preview(cell)} is not a number"))
        elif not math.isfinite(value):
            problems.append((row, f"{where}: {preview(cell)} is not a finite number"))
        else:
            problems.append((row, f"{where}: negative weight {preview(cell)}"))
    return values, problems


def _header(label: object) -> str:
    return str(label).strip()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
