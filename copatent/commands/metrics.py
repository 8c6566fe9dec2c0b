"""``copatent metrics``: every indicator and node measure of any edge list, no server."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from copatent._errors import InputError
from copatent.analytics.defaults import (
    DEFAULT_CLASSES,
    DEFAULT_DEPTH,
    DEFAULT_RESTARTS,
    DEFAULT_SEED,
)
from copatent.commands._blocks import (
    ConcorTies,
    ConcorTiesOption,
    DepthOption,
    ImageCutoffOption,
    SelfTies,
    SelfTiesOption,
    image_cutoff,
)
from copatent.commands._options import JsonOption

if TYPE_CHECKING:
    import pandas as pd

    from copatent.analytics import metrics as measures

TOP: int = 20
"""Nodes listed in the human-readable table (by weighted degree); ``--json`` lists all."""

_ROWS = {
    "nodes": "nodes",
    "edges": "edges",
    "density_binary": "density (binary)",
    "density_valued": "density (valued)",
    "modularity": "modularity (Louvain)",
    "communities": "communities",
    "out_centralization_binary_pct": "out-degree centralization %",
    "out_centralization_valued_pct": "out-strength centralization %",
    "in_centralization_binary_pct": "in-degree centralization %",
    "in_centralization_valued_pct": "in-strength centralization %",
    "out_centralization_maxtie_pct": "out centralization % (UCINET valued, max tie)",
    "in_centralization_maxtie_pct": "in centralization % (UCINET valued, max tie)",
    "avg_clustering_gephi": "avg clustering (Gephi: all nodes)",
    "avg_path_length_gephi": "avg path length (Gephi)",
    "diameter": "diameter",
    "reciprocity": "reciprocity",
    "weak_components": "weak components",
}

_UNDIRECTED_ROWS = {
    "out_centralization_binary_pct": "degree centralization %",
    "out_centralization_valued_pct": "strength centralization %",
    "out_centralization_maxtie_pct": "centralization % (UCINET valued, max tie)",
    "avg_clustering_gephi": "avg clustering (Gephi: degree ≥ 2)",
}

_DIRECTED_COLUMNS = {
    "node": "node",
    "out_degree": "out deg",
    "in_degree": "in deg",
    "out_strength": "O",
    "in_strength": "I",
    "weighted_degree": "O+I",
    "betweenness": "betw.",
    "community": "comm.",
    "effective_flow": "A",
    "role": "role",
    "tier": "tier",
}

_UNDIRECTED_COLUMNS = {
    "node": "node",
    "out_degree": "degree",
    "weighted_degree": "strength",
    "betweenness": "betw.",
    "out_closeness": "closeness",
    "clustering": "clustering",
    "community": "comm.",
    "tier": "tier",
}

_LEFT = frozenset({"node", "role"})


def metrics(
    ctx: typer.Context,
    edges: Annotated[
        Path,
        typer.Option(
            "--edges",
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
            help="Edge list CSV: header source,target[,weight] (no weight column: each row 1).",
        ),
    ],
    nodes: Annotated[
        Path | None,
        typer.Option(
            "--nodes",
            exists=True,
            dir_okay=False,
            readable=True,
            help="Node list CSV: its first column lists every node in the order wanted, "
            "isolates included; other columns are ignored. Default: order of first appearance.",
        ),
    ] = None,
    directed: Annotated[
        bool,
        typer.Option(
            "--directed/--undirected",
            help="Rows are arcs source -> target, or undirected edges (u,v and v,u are one edge).",
        ),
    ] = True,
    classes: Annotated[
        int, typer.Option(min=2, help="Natural-break classes (Jenks) of weighted degree.")
    ] = DEFAULT_CLASSES,
    seed: Annotated[int, typer.Option(help="Seed of Louvain's node orders.")] = DEFAULT_SEED,
    restarts: Annotated[
        int, typer.Option(min=1, help="Louvain runs; the best by modularity is kept.")
    ] = DEFAULT_RESTARTS,
    groups: Annotated[
        str | None,
        typer.Option(
            "--groups",
            metavar="NODES.csv:COLUMN",
            help="A partition to describe: a CSV whose first column names the nodes and whose "
            "COLUMN holds each node's group. Adds the block density and image matrices, E-I "
            "and the partition's modularity.",
        ),
    ] = None,
    concor: Annotated[
        bool,
        typer.Option("--concor", help="Describe the CONCOR partition the same way."),
    ] = False,
    self_ties: SelfTiesOption = SelfTies.reciprocal,
    depth: DepthOption = DEFAULT_DEPTH,
    concor_ties: ConcorTiesOption = ConcorTies.valued,
    cutoff: ImageCutoffOption = "density",
    as_json: JsonOption = False,
) -> None:
    """Indicators and node measures of any edge list (UTF-8 CSV), without a server.

    Directed (default): loops are dropped (a note says so), repeated arcs summed, density
    m/(n(n-1)), Freeman centralization 100*sum(max-d)/(n-1)^2, Gephi clustering (averaged over
    all nodes) and path length, effective flow A = (O-I)/(O+I). Undirected: edges counted once,
    density m/(n(n-1)/2), centralization 100*sum(max-d)/((n-1)(n-2)) under both out_ and in_
    keys, Gephi clustering averaged over the nodes of degree >= 2 only, out_* = in_* = degree /
    strength, weighted_degree = strength, betweenness over unordered pairs, reciprocity 1.0,
    effective_flow and role null. Bad input: one line naming file, row and column, exit code 6.

    --json keys: nodes; edges (arcs, or undirected edges); directed; density_binary,
    density_valued; modularity (Newman Q of the best Louvain partition of W + W^T);
    communities (its number of groups); out_/in_centralization_binary_pct and _valued_pct
    (Freeman, percent; valued on strengths, can exceed 100) and _maxtie_pct (UCINET's valued
    normalisation: the valued figure over the largest tie weight, what the study's Table 1
    prints); avg_clustering_gephi (Gephi's mean of the local coefficients: directed, over all
    nodes, those with fewer than 2 neighbours counting 0; undirected, over the nodes with 2 or
    more neighbours only, null when there is none); avg_path_length_gephi (hops, mean over
    connected pairs); diameter; reciprocity (share of arcs whose reverse exists);
    weak_components; notes (what was done to the input, why a value is missing); nodes_table
    (in node order: node, out_degree, in_degree, out_strength, in_strength, weighted_degree,
    betweenness (hops, not normalised), out_closeness, in_closeness (r / sum of distances to
    the r reachable nodes), clustering (local, undirected), component, community,
    effective_flow, role (leader, participant, balanced, none), tier (Jenks class of weighted
    degree, 1 = lowest; null with a note when there are fewer distinct values than classes),
    tier_range (its values)). Missing values are null.

    --groups NODES.csv:COLUMN or --concor (one of them) adds: block to each nodes_table entry;
    concor_blocks, or groups_blocks and groups_labels (the COLUMN value of each block): the
    members of each block, blocks numbered 1, 2, ... (given groups in the order of their
    values, numerically if all are numbers); blocks_method; block_modularity (Newman Q of the
    partition on W + W^T); density_matrix_binary, density_matrix_valued (block densities,
    diagonal cells left out of diagonal blocks; null for a one-member block's own cell);
    image_matrix_binary, image_matrix_valued (1 where the block density >= the cutoff of the
    same kind); image_cutoff_rule (density, block-mean or fixed: --image-cutoff),
    image_cutoff_binary, image_cutoff_valued (the cutoffs used: the whole network's densities,
    the means of the block densities, or the number given);
    ei_groups, ei_groups_valued (per block: block, members, internal, external, ei);
    ei_whole_binary, ei_whole_valued (Krackhardt & Stern, whole network);
    ei_sum_of_groups_binary (the sum of the block rows, as some studies print their "entire
    network" row). Undirected: E-I counts each edge once. --image-cutoff, like the CONCOR
    options, needs one of --groups and --concor.
    """
    from copatent.analytics import metrics as measures  # noqa: PLC0415
    from copatent.commands import _json  # noqa: PLC0415
    from copatent.commands._blocks import print_blocks  # noqa: PLC0415
    from copatent.commands._output import emit_json  # noqa: PLC0415

    if groups is not None and concor:
        raise InputError("--groups and --concor: give one partition at a time")
    given = [
        f"--{name.replace('_', '-')}"
        for name in ("self_ties", "depth", "concor_ties")
        if _from_command_line(ctx, name)
    ]
    if given and not concor:
        raise InputError(f"{', '.join(given)}: CONCOR options; add --concor")
    alpha = image_cutoff(cutoff)
    if groups is None and not concor and _from_command_line(ctx, "cutoff"):
        raise InputError("--image-cutoff: an option of the blocks; add --groups or --concor")
    blocks: measures.Groups | measures.Concor | None = None
    if concor:
        blocks = measures.Concor(
            self_ties=self_ties.value, depth=depth, binary=concor_ties is ConcorTies.binary
        )
    edge_frame, node_frame, group_frame = _read_inputs(edges, nodes, groups)
    if group_frame is not None and groups is not None:
        path, column = _groups_option(groups)
        blocks = measures.Groups(group_frame, column, source=path)
    result = measures.metrics(
        edge_frame,
        node_frame,
        directed=directed,
        classes=classes,
        seed=seed,
        restarts=restarts,
        edges_source=str(edges),
        nodes_source=str(nodes) if nodes is not None else "nodes",
        blocks=blocks,
        image_cutoff=alpha,
    )
    if as_json:
        emit_json(_json.metrics(result))
        return
    _print(result, edges)
    if result.blocks is not None:
        print_blocks(
            f"{result.blocks.method} blocks · {edges.name}",  # escaped by print_blocks
            result.blocks,
            ties="ties" if result.directed else "edges",
        )


def _from_command_line(ctx: typer.Context, name: str) -> bool:
    """Whether option ``name`` was given on the command line (not left at its default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == "COMMANDLINE"


def _groups_option(value: str) -> tuple[str, str]:
    """``NODES.csv:COLUMN`` → (file, column), or a one-line error."""
    path, colon, column = value.rpartition(":")
    if not colon or not path or not column.strip():
        raise InputError(
            f"--groups {value!r}: expected NODES.csv:COLUMN (a file, a colon, a column)"
        )
    return path, column


def _read_inputs(
    edges: Path, nodes: Path | None, groups: str | None
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None]:
    """The files, or one error naming every file that cannot be read."""
    from copatent.tables import one_line, read_table  # noqa: PLC0415

    problems: list[tuple[str, list[str]]] = []
    edge_frame, edge_problems = read_table(edges)
    if edge_problems:
        problems.append((str(edges), edge_problems))
    frames: list[pd.DataFrame | None] = []
    extra = [nodes, Path(_groups_option(groups)[0]) if groups is not None else None]
    for path in extra:
        frame = None
        if path is not None:
            frame, found = read_table(path)
            if found:
                problems.append((str(path), found))
        frames.append(frame)
    if problems or edge_frame is None:
        raise InputError(one_line(problems))
    return edge_frame, frames[0], frames[1]


def _print(result: measures.Metrics, edges: Path) -> None:
    from copatent.analytics import flow  # noqa: PLC0415
    from copatent.commands._output import console  # noqa: PLC0415

    kind = "directed" if result.directed else "undirected"
    values = result.indicators.as_dict()
    table = Table(title=f"{escape(edges.name)} ({kind})", title_justify="left")
    table.add_column("indicator")
    table.add_column("value", justify="right")
    for key, label in _ROWS.items():
        if not result.directed and key.startswith("in_centralization"):
            continue  # the same as the out_ value
        text = label if result.directed else _UNDIRECTED_ROWS.get(key, label)
        table.add_row(text, _fmt(values[key]))
    console.print(table)

    columns = _DIRECTED_COLUMNS if result.directed else _UNDIRECTED_COLUMNS
    ranked = result.table.sort_values("weighted_degree", ascending=False, kind="stable")
    shown = ranked.head(TOP)
    measure = "weighted degree" if result.directed else "strength"
    nodes = Table(
        title=f"top {len(shown)} of {len(ranked)} nodes by {measure}",
        title_justify="left",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    nodes.add_column("#", justify="right")
    for key, label in columns.items():
        nodes.add_column(label, justify="left" if key in _LEFT else "right")
    for rank, row in enumerate(shown.to_dict("records"), start=1):
        nodes.add_row(str(rank), *(escape(_fmt(row[key])) for key in columns))
    captions = []
    if len(ranked) > len(shown):
        captions.append(f"and {len(ranked) - len(shown)} more nodes")
    captions.append("closeness, clustering, components and all nodes: --json")
    if result.breaks is not None:
        ranges = ", ".join(result.breaks.label(i) for i in range(1, result.breaks.k + 1))
        captions.append(f"tiers of {measure} (Jenks, 1 = lowest): {ranges}")
    if result.directed:
        captions.append("O = out-strength (led), I = in-strength (joined), O+I = weighted degree")
        captions.append(flow.SIGN_NOTE)
    else:
        captions.append("betw. = betweenness over unordered pairs (undirected)")
    nodes.caption = "\n".join(captions)
    console.print(nodes)
    for note in result.notes:
        console.print(f"note: {note}", markup=False, highlight=False)


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.3f}"
    return str(value)
