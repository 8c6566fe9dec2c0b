"""Every indicator and node measure of any edge list (``copatent metrics``, issue 4 item 8).

:func:`metrics` takes an edge table (``source``, ``target``, optional ``weight``) and an optional
node table (its first column lists every node in a fixed order, isolates included), checks them,
and computes the study's whole-network indicators (:mod:`~copatent.analytics.indicators`), the
node measures (:mod:`~copatent.analytics.centrality`), Louvain communities
(:mod:`~copatent.analytics.community`), effective flow (:mod:`~copatent.analytics.flow`) and
natural-break tiers of weighted degree (:mod:`~copatent.analytics.breaks`).

Input rules:

- **cells** are text; surrounding whitespace is stripped; header names match after stripping and
  case folding. A missing weight column makes every row weigh 1; a weight must be a finite number
  ``≥ 0``. Rows whose cells are all empty are skipped.
- **node order**: the node table's order, else the order of first appearance (row by row,
  source before target). Every node an edge names must be in the node table.
- **problems** are collected and raised as one :class:`~copatent._errors.InputError` naming the
  table, row and column: rows are numbered as a spreadsheet shows them, the header on row 1, so
  the frame's index ``i`` is row ``i + 2`` (the default index of a frame read from the file).

Directed (the default) follows DESIGN.md items 6–9 as they are: loops are dropped (a note says
how many), repeated arcs are summed, an arc whose weights sum to 0 is no arc.

Undirected: each row is an edge ``{u, v}``; rows ``u,v`` and ``v,u`` name the same edge and their
weights are summed. The edge set is represented as the symmetric directed network (both arcs with
the edge's weight), so the shared functions apply, and the results are reported in the undirected
conventions:

- **edges**: undirected edges (half the arcs); **density** ``m / (n(n−1)/2)`` and
  ``Σw / (n(n−1)/2)``, which equal the directed formulas on the symmetric network;
- **degree centralization**: Freeman's undirected form ``100 · Σ(d_max − d_i) / ((n−1)(n−2))``
  (Freeman 1979, doi:10.1016/0378-8733(78)90021-7; a star is 100), binary on degrees and valued
  on strengths, reported under both the ``out_`` and ``in_`` keys (same value); 0 when ``n < 3``;
- **average clustering** and **path length**: the Gephi conventions on the symmetric network are
  the undirected ones (each edge counted both ways among a node's neighbours; unordered pairs);
- **reciprocity** is 1.0 (every edge reads both ways, as igraph's ``Graph.reciprocity`` says of
  an undirected graph), 0.0 without edges as for a directed network;
- **nodes**: ``out_degree = in_degree`` = the degree and ``out_strength = in_strength`` = the
  strength; ``weighted_degree`` = the strength (not doubled); **betweenness** counts unordered
  pairs (half the directed value on the symmetric network, the networkx/igraph undirected value);
  ``out_closeness = in_closeness``; ``effective_flow`` and ``role`` are null (``O`` and ``I`` are
  the same number for every node, so ``A`` says nothing);
- **modularity** and **communities**: the same as directed (``W + Wᵀ`` is twice the edge weights,
  and Q and Louvain do not change when every weight is doubled).

Tiers: Jenks natural breaks of weighted degree into ``classes`` classes, 1 = lowest
(:func:`~copatent.analytics.breaks.tiers`); with fewer distinct values than classes the tiers are
null and the reason is a note, not an error.

Blocks (issue 5 item 6), on request: a partition, either given (:class:`Groups`: a column of a
node table) or computed by CONCOR (:class:`Concor`), described by
:func:`copatent.analytics.subgroups.describe`: block density and image matrices, E-I per block
and for the whole network, and the partition's modularity. Given groups are numbered 1, 2, ...
in the order of their values (numerically when every value is a number); every node of the
network needs a group, and rows of nodes the network does not have are ignored with a note.
Undirected: the matrices are those of the symmetric network (they equal the undirected
densities) and E-I counts each edge once.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from copatent._errors import InputError
from copatent.analytics import flow, subgroups
from copatent.analytics._validate import native as _native
from copatent.analytics.breaks import Breaks, tiers_where_possible
from copatent.analytics.centrality import MEASURES, node_measures
from copatent.analytics.community import louvain
from copatent.analytics.defaults import (
    DEFAULT_CLASSES,
    DEFAULT_DEPTH,
    DEFAULT_RESTARTS,
    DEFAULT_SEED,
)
from copatent.analytics.indicators import Indicators, indicators
from copatent.analytics.network import Network
from copatent.tables import listing, natural_order, one_line, preview, text_cells

JSON_KEYS: Final[tuple[str, ...]] = (
    "nodes",
    "edges",
    "directed",
    "density_binary",
    "density_valued",
    "modularity",
    "communities",
    "out_centralization_binary_pct",
    "out_centralization_valued_pct",
    "in_centralization_binary_pct",
    "in_centralization_valued_pct",
    "avg_clustering_gephi",
    "avg_path_length_gephi",
    "diameter",
    "reciprocity",
    "weak_components",
    "notes",
    "nodes_table",
)
"""Keys of :meth:`Metrics.as_dict` (the ``--json`` object), in order."""

NODE_COLUMNS: Final[tuple[str, ...]] = (
    "node",
    *MEASURES,
    "community",
    "effective_flow",
    "role",
    "tier",
    "tier_range",
)
"""Columns of :attr:`Metrics.table` and of each ``nodes_table`` entry, in order."""

EDGE_COLUMNS: Final[tuple[str, ...]] = ("source", "target")
"""Columns every edge table needs; ``weight`` is optional."""


@dataclass(frozen=True)
class Groups:
    """A given partition: ``table``'s first column names the node, ``column`` holds its group."""

    table: pd.DataFrame
    column: str
    source: str = "groups"


@dataclass(frozen=True)
class Concor:
    """A CONCOR partition (:func:`copatent.analytics.subgroups.concor`)."""

    self_ties: subgroups.SelfTies = "reciprocal"
    depth: int = DEFAULT_DEPTH
    binary: bool = False


@dataclass(frozen=True, eq=False)
class Metrics:
    """Indicators and node table of one network.

    Attributes
    ----------
    directed
        Whether the edges were read as arcs (``True``) or as undirected edges.
    indicators
        Table 1, in the conventions of ``directed`` (see the module).
    table
        One row per node, in node order, with :data:`NODE_COLUMNS`; NaN / None where a value
        does not exist.
    breaks
        The natural breaks of weighted degree, ``None`` when they could not be computed.
    notes
        What was done to the input (loops dropped, rows summed, ...) and why tiers are missing.
    blocks
        The requested partition described (``table`` then has a ``block`` column), or ``None``.
    """

    directed: bool
    indicators: Indicators
    table: pd.DataFrame
    breaks: Breaks | None
    notes: tuple[str, ...]
    blocks: subgroups.Subgroups | None = None

    def as_dict(self) -> dict[str, object]:
        """The ``--json`` object: :data:`JSON_KEYS`, Python types only, NaN as ``None``."""
        values: dict[str, object] = {
            **self.indicators.as_dict(),
            "directed": self.directed,
            "notes": list(self.notes),
            "nodes_table": [
                {key: _native(value) for key, value in row.items()}
                for row in self.table.to_dict("records")
            ],
        }
        result = {key: _native(values[key]) for key in JSON_KEYS}
        if self.blocks is not None:
            result |= self.blocks.as_dict()
        return result


def metrics(
    edges: pd.DataFrame,
    nodes: pd.DataFrame | None = None,
    *,
    directed: bool = True,
    classes: int = DEFAULT_CLASSES,
    seed: int = DEFAULT_SEED,
    restarts: int = DEFAULT_RESTARTS,
    edges_source: str = "edges",
    nodes_source: str = "nodes",
    blocks: Groups | Concor | None = None,
) -> Metrics:
    """Check an edge list (and node list) and compute every indicator and node measure.

    Parameters
    ----------
    edges
        ``source``, ``target`` and optionally ``weight`` (text or numbers); other columns are
        ignored.
    nodes
        Optional; its first column lists every node once, in the order wanted.
    directed
        Read rows as arcs (default) or as undirected edges (see the module for the conventions).
    classes
        Natural-break classes of weighted degree (at least 2).
    seed, restarts
        Louvain's seed and number of runs (:func:`~copatent.analytics.community.louvain`).
    edges_source, nodes_source
        Names of the two tables in error messages (the file names).
    blocks
        A partition to describe (see the module): given :class:`Groups` or :class:`Concor`.

    Returns
    -------
    Metrics

    Raises
    ------
    InputError
        One error naming every problem of the tables with row and column.

    Examples
    --------
    An undirected star: the centre lies on the 3 leaf-to-leaf paths, centralization 100 %.

    >>> star = pd.DataFrame({"source": ["c", "c", "z"], "target": ["x", "y", "c"]})
    >>> m = metrics(star, directed=False, classes=2)
    >>> m.indicators.edges, m.indicators.out_centralization_binary_pct
    (3, 100.0)
    >>> m.table[["node", "out_degree", "weighted_degree", "betweenness", "tier"]].values.tolist()
    [['c', 3, 3.0, 3.0, 2], ['x', 1, 1.0, 0.0, 1], ['y', 1, 1.0, 0.0, 1], ['z', 1, 1.0, 0.0, 1]]
    """
    if classes < 2:
        raise ValueError(f"classes must be at least 2, got {classes}")
    given = blocks if isinstance(blocks, Groups) else None
    clean, names, notes = _checked(edges, nodes, edges_source, nodes_source, given)
    chosen: tuple[np.ndarray, list[str] | None] | None = None
    if isinstance(blocks, Groups):  # checked before anything is computed
        chosen = _groups(blocks, names, notes)
    frame, more = _arcs(clean, names, directed=directed)
    notes += more
    net = Network.from_edges(frame, names)
    total = sum(net.edges["weight"].tolist())  # Python floats: inf on overflow, no warning
    if not math.isfinite(total) or not math.isfinite(2 * total):
        raise InputError(f"{edges_source}: the weights sum to more than a float can hold")

    partition = louvain(net, seed=seed, restarts=restarts)
    table1 = indicators(net, communities=partition)
    table = node_measures(net)
    if directed:
        flows = flow.effective_flow(table, what=edges_source)
        table["effective_flow"] = flows["effective_flow"]
        table["role"] = flows["role"].astype(object)
    else:
        table1 = _undirected(table1, net)
        table["weighted_degree"] = table["out_strength"]
        table["betweenness"] = table["betweenness"] / 2
        table["effective_flow"] = np.nan
        table["role"] = None
    table["community"] = partition
    found = tiers_where_possible(table["weighted_degree"], classes, what="weighted degree")
    if found.reason:
        notes.append(f"{found.reason}: tier and tier_range are null")
    table["tier"] = pd.Series(found.tier, dtype=object)
    table["tier_range"] = pd.Series(found.label, dtype=object)
    table = table.loc[:, list(NODE_COLUMNS)]
    described = None
    if blocks is not None:
        weights = net.weights.toarray()
        if isinstance(blocks, Concor):
            chosen = (
                subgroups.concor(
                    weights, depth=blocks.depth, self_ties=blocks.self_ties, binary=blocks.binary
                ),
                None,
            )
        if chosen is not None:
            labels, block_labels = chosen
            described = subgroups.describe(
                "concor" if isinstance(blocks, Concor) else "groups",
                weights,
                labels,
                table.assign(name=table["node"]),
                undirected=not directed,
                block_labels=block_labels,
            )
            table["block"] = labels
    return Metrics(
        directed=directed,
        indicators=table1,
        table=table,
        breaks=found.breaks,
        notes=tuple(notes),
        blocks=described,
    )


def undirected_centralization(degrees: np.ndarray) -> float:
    """Freeman's degree centralization of an undirected graph, in percent.

    ``100 · Σ(max − d_i) / ((n−1)(n−2))``: the sum over the star, the most centralized graph, is
    ``(n−1)(n−2)`` (Freeman 1979, doi:10.1016/0378-8733(78)90021-7). 0 when ``n < 3``.

    >>> undirected_centralization(np.array([3, 1, 1, 1]))  # a star
    100.0
    >>> undirected_centralization(np.array([2, 2, 2]))  # a triangle
    0.0
    """
    n = len(degrees)
    if n < 3:
        return 0.0
    return float(100.0 * np.sum(degrees.max() - degrees) / ((n - 1) * (n - 2)))


# -- checks


def _checked(
    edges: pd.DataFrame,
    nodes: pd.DataFrame | None,
    edges_source: str,
    nodes_source: str,
    groups: Groups | None = None,
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Clean edges (``source``, ``target``, ``weight`` float), the node order, notes; or raise.

    When the edges or nodes have problems, the groups table's own problems (those that need no
    network) are named in the same error.
    """
    problems: list[tuple[str, list[str]]] = []
    names: list[str] | None = None
    if nodes is not None:
        names, node_problems = _node_list(nodes)
        if node_problems:
            problems.append((nodes_source, node_problems))
    clean, edge_problems, notes = _edge_table(edges, names, nodes_source)
    if edge_problems:  # after the node file's problems, which may explain these
        problems.append((edges_source, edge_problems))
    if problems and groups is not None:
        group_problems = _group_rows(groups)[2]
        if group_problems:
            problems.append((groups.source, group_problems))
    if problems:
        raise InputError(one_line(problems))
    if names is None:
        pairs = clean[["source", "target"]].to_numpy().ravel()  # row by row: source, target
        names = [str(name) for name in pd.unique(pairs)]
    return clean, names, notes


def _node_list(nodes: pd.DataFrame) -> tuple[list[str], list[str]]:
    if nodes.shape[1] == 0:
        return [], ["no columns"]
    column = f"column {_header(nodes.columns[0])}"
    keep = ~_blank_rows(nodes)
    rows = _rows(nodes)[keep]
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


def _group_rows(groups: Groups) -> tuple[list[tuple[int, str, str]], str, list[str]]:
    """The groups table's rows, group column and the problems that need no network.

    Returns ``(row, node, group)`` of every row with a node name, the group column's label, and
    the problems: no such column, a row without a node, a node twice.
    """
    table = groups.table
    headers: dict[str, int] = {}
    for position, label in enumerate(table.columns[1:], start=1):  # after the node column
        headers.setdefault(_header(label).casefold(), position)  # the first of equal headers
    wanted = groups.column.strip().casefold()
    if wanted not in headers:
        found = [_header(c) for c in table.columns[1:] if _header(c)]
        listed = listing(found) if found else "none besides the node column"
        problem = f"no group column {preview(groups.column)} after the node column; "
        return [], "", [problem + f"columns found: {listed}"]
    column = f"column {_header(table.columns[headers[wanted]])}"
    keep = ~_blank_rows(table)
    nodes = text_cells(table.iloc[:, 0])[keep].tolist()
    values = text_cells(table.iloc[:, headers[wanted]])[keep].tolist()
    node_column = f"column {_header(table.columns[0])}"
    problems: list[str] = []
    found_rows: list[tuple[int, str, str]] = []
    first: dict[str, int] = {}
    for row, node, value in zip(_rows(table)[keep].tolist(), nodes, values, strict=True):
        if not node:
            problems.append(f"row {row}, {node_column}: no node name")
        elif node in first:
            problems.append(
                f"row {row}, {node_column}: node {preview(node)} repeats row {first[node]}"
            )
        else:
            first[node] = row
            found_rows.append((row, node, value))
    return found_rows, column, problems


def _groups(groups: Groups, names: Sequence[str], notes: list[str]) -> tuple[np.ndarray, list[str]]:
    """Block numbers 1, 2, ... of the nodes ``names`` and the value of each block; or raise."""
    found_rows, column, problems = _group_rows(groups)
    in_network = set(names)
    group: dict[str, str] = {}
    extra = 0
    for row, node, value in found_rows:
        if node not in in_network:
            extra += 1  # not in the network: its group does not matter
        elif not value:
            problems.append(f"row {row}, {column}: no group for node {preview(node)}")
        else:
            group[node] = value
    listed = {node for _, node, _ in found_rows}
    missing = [name for name in names if name not in listed]
    if missing and column:
        problems.append(f"no row for node(s) {listing([preview(m) for m in missing])}")
    if problems:
        raise InputError(one_line([(groups.source, problems)]))
    if extra:
        notes.append(
            f"{_count(extra, 'row')} of {groups.source} for nodes not in the network ignored"
        )
    ordered = [str(v) for v in natural_order({group[name] for name in names})]
    number = {value: b for b, value in enumerate(ordered, start=1)}
    return np.array([number[group[name]] for name in names], dtype=np.int64), ordered


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
    keep = ~_blank_rows(edges)
    frame = edges.loc[keep]
    rows = _rows(edges)[keep]
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


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty (blank lines of a file)."""
    blank = np.ones(len(frame), dtype=bool)
    for j in range(frame.shape[1]):
        blank &= (text_cells(frame.iloc[:, j]) == "").to_numpy()
    return blank


def _rows(frame: pd.DataFrame) -> np.ndarray:
    """The spreadsheet row of each row of ``frame``: index + 2 (header on row 1)."""
    if pd.api.types.is_integer_dtype(frame.index.dtype):
        return np.asarray(frame.index, dtype=np.int64) + 2
    return np.arange(len(frame), dtype=np.int64) + 2


# -- computing


def _arcs(
    clean: pd.DataFrame, names: Sequence[str], *, directed: bool
) -> tuple[pd.DataFrame, list[str]]:
    """The arcs for :class:`Network`, and notes on what was dropped or summed."""
    notes: list[str] = []
    loops = clean["source"] == clean["target"]
    if loops.any():
        notes.append(
            f"{_count(int(loops.sum()), 'loop row')} (source = target) dropped: "
            "a network has no loops"
        )
    frame = clean.loc[~loops]
    if not directed:
        position = {name: i for i, name in enumerate(names)}
        swap = frame["source"].map(position) > frame["target"].map(position)
        frame = pd.DataFrame(
            {
                "source": frame["source"].where(~swap, frame["target"]),
                "target": frame["target"].where(~swap, frame["source"]),
                "weight": frame["weight"],
            }
        )
    what = "arc" if directed else "edge"
    summed = frame.groupby(["source", "target"], sort=False)["weight"].sum().reset_index()
    repeated = len(frame) - len(summed)
    if repeated:
        same = "arc" if directed else "edge (u,v and v,u are one edge)"
        notes.append(
            f"weights of {_count(repeated, 'row')} added to an earlier row of the same {same}"
        )
    zero = int((summed["weight"] == 0).sum())
    if zero:
        notes.append(f"{_count(zero, what)} of total weight 0 dropped")
    summed = summed.loc[summed["weight"] > 0]
    if directed:
        return summed, notes
    backwards = summed.rename(columns={"source": "target", "target": "source"})
    return pd.concat([summed, backwards], ignore_index=True), notes


def _undirected(table1: Indicators, net: Network) -> Indicators:
    """Table 1 of the symmetric network, in the undirected conventions (see the module)."""
    binary = undirected_centralization(net.out_sums(valued=False))
    valued = undirected_centralization(net.out_sums(valued=True))
    return dataclasses.replace(
        table1,
        edges=net.m // 2,
        out_centralization_binary_pct=binary,
        in_centralization_binary_pct=binary,
        out_centralization_valued_pct=valued,
        in_centralization_valued_pct=valued,
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
