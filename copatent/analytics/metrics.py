"""Every indicator and node measure of any edge list (``copatent metrics``, issue 4 item 8).

:func:`metrics` takes an edge table (``source``, ``target``, optional ``weight``) and an optional
node table (its first column lists every node in a fixed order, isolates included), checks them,
and computes the study's whole-network indicators (:mod:`~copatent.analytics.indicators`), the
node measures (:mod:`~copatent.analytics.centrality`), Louvain communities
(:mod:`~copatent.analytics.community`), effective flow (:mod:`~copatent.analytics.flow`) and
natural-break tiers of weighted degree (:mod:`~copatent.analytics.breaks`).

Input rules (:mod:`copatent.tables.edges`, which checks the tables): cells are text, stripped,
headers matched without case; a missing weight column makes every row weigh 1, a weight is a
finite number ``≥ 0``; the **node order** is the node table's order, else the order of first
appearance (row by row, source before target), and every node an edge names must be in the node
table; all problems are raised as one :class:`~copatent._errors.InputError` naming the table,
row and column.

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
- **average clustering**: Gephi's undirected convention, the mean of the local coefficients
  ``2T / (k(k−1))`` over the nodes with 2 or more neighbours only (a node of degree ≥ 2 without
  a triangle counts, with 0); NaN, and a note, when no node has 2 neighbours
  (:func:`~copatent.analytics.indicators.average_clustering`). Directed networks average over
  all nodes instead, those with fewer than 2 neighbours counting 0: Gephi takes a different path
  for each kind of graph;
- **path length**: Gephi's convention on the symmetric network is the undirected one (unordered
  pairs);
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
:func:`copatent.analytics.subgroups.describe`: block density and image matrices (the image's
cutoff the whole network's density, the mean of the block densities, or a fixed number), E-I
per block and for the whole network, and the partition's modularity. Given groups are numbered
1, 2, ... in the order of their values (numerically when every value is a number); every node
of the network needs a group, and rows of nodes the network does not have are ignored with a
note.
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
from copatent.analytics.breaks import Breaks, tiers_where_possible
from copatent.analytics.centrality import MEASURES, node_measures
from copatent.analytics.community import louvain
from copatent.analytics.defaults import (
    DEFAULT_CLASSES,
    DEFAULT_DEPTH,
    DEFAULT_RESTARTS,
    DEFAULT_SEED,
)
from copatent.analytics.indicators import Indicators, average_clustering, indicators, maxtie
from copatent.analytics.network import Network
from copatent.tables import natural_order
from copatent.tables.edges import GroupRows, edge_list, group_rows, node_groups

NODE_COLUMNS: Final[tuple[str, ...]] = (
    "node",
    *MEASURES,
    "community",
    "effective_flow",
    "role",
    "tier",
    "tier_range",
)
"""Columns of :attr:`Metrics.table` (and of each ``nodes_table`` entry of ``metrics --json``)."""


@dataclass(frozen=True)
class Groups:
    """A given partition: ``table``'s first column names the node, ``column`` holds its group.

    Checked as :func:`copatent.tables.edges.group_rows` and
    :func:`~copatent.tables.edges.node_groups` say.
    """

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
    image_cutoff: subgroups.ImageCutoff = "density",
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
    image_cutoff
        The cutoff of the blocks' image matrices: ``"density"`` (the whole network's, default),
        ``"block-mean"`` or a fixed number (:func:`~copatent.analytics.subgroups.image_alpha`).

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
    subgroups.image_alpha(np.empty(0), image_cutoff, whole=0.0)  # raises for a bad cutoff
    given = (
        group_rows(blocks.table, blocks.column, blocks.source)
        if isinstance(blocks, Groups)
        else None
    )
    checked = edge_list(
        edges, nodes, edges_source=edges_source, nodes_source=nodes_source, groups=given
    )
    names, notes = checked.nodes, list(checked.notes)
    chosen: tuple[np.ndarray, list[str] | None] | None = None
    if given is not None:  # checked before anything is computed
        chosen = _given_blocks(given, names, notes)
    frame, more = _arcs(checked.edges, names, directed=directed)
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
        if math.isnan(table1.avg_clustering_gephi):
            notes.append(
                "no node has 2 or more neighbours, the nodes an undirected average clustering "
                "is taken over (Gephi): avg_clustering_gephi is null"
            )
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
                image_cutoff=image_cutoff,
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


# -- computing


def _given_blocks(
    groups: GroupRows, names: Sequence[str], notes: list[str]
) -> tuple[np.ndarray, list[str]]:
    """Block numbers 1, 2, ... of the nodes ``names`` and the value of each block; or raise."""
    group, more = node_groups(groups, names)
    notes += more
    ordered = [str(v) for v in natural_order({group[name] for name in names})]
    number = {value: b for b, value in enumerate(ordered, start=1)}
    return np.array([number[group[name]] for name in names], dtype=np.int64), ordered


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
    largest = maxtie(valued, net)
    return dataclasses.replace(
        table1,
        edges=net.m // 2,
        avg_clustering_gephi=average_clustering(net, directed=False),
        out_centralization_binary_pct=binary,
        in_centralization_binary_pct=binary,
        out_centralization_valued_pct=valued,
        in_centralization_valued_pct=valued,
        out_centralization_maxtie_pct=largest,
        in_centralization_maxtie_pct=largest,
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
