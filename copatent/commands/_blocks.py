"""Printing a partition's blocks, matrices and E-I (``copatent subgroups`` and ``metrics``)."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, TypeAlias

import typer
from rich.markup import escape
from rich.table import Table

from copatent.commands._output import console

if TYPE_CHECKING:
    from copatent.analytics import subgroups


class SelfTies(StrEnum):
    """CONCOR's self-tie handling (:data:`copatent.analytics.subgroups.SelfTies`)."""

    reciprocal = "reciprocal"
    ignore = "ignore"


class ConcorTies(StrEnum):
    """What CONCOR correlates: the weights, or the ties present (1) and absent (0)."""

    valued = "valued"
    binary = "binary"


SelfTiesOption: TypeAlias = Annotated[
    SelfTies,
    typer.Option(
        help="CONCOR's diagonal: reciprocal (UCINET's default: x_ii with x_jj, x_ij with x_ji) "
        "or ignore (concorR: the cells of the pair left out)."
    ),
]
DepthOption: TypeAlias = Annotated[
    int, typer.Option(min=1, max=6, help="CONCOR splits: up to 2^depth blocks.")
]
ConcorTiesOption: TypeAlias = Annotated[
    ConcorTies,
    typer.Option(help="CONCOR's input: the weights (valued) or the ties present (binary)."),
]


def print_blocks(title: str, g: subgroups.Subgroups, *, ties: str = "ties") -> None:
    """The blocks (size, share, core), the density and image matrices and the E-I table.

    ``ties``: what a tie is, for the E-I title (``ties``; ``edges`` for an undirected network).
    """
    m = g.matrices
    table = Table(
        title=escape(title),
        title_justify="left",
        caption=f"modularity Q = {g.modularity:.4f} (on W + Wᵀ)",
        caption_justify="left",
    )
    labelled = "label" in g.blocks.columns
    table.add_column("block", justify="right")
    if labelled:
        table.add_column("group")
    for column in ("members", "share"):
        table.add_column(column, justify="right")
    table.add_column("centred around")
    for row in g.blocks.to_dict("records"):
        cells = [str(row["block"])] + ([escape(str(row["label"]))] if labelled else [])
        cells += [str(row["members"]), f"{row['share']:.0%}", escape(str(row["core_name"]))]
        table.add_row(*cells)
    console.print(table)
    density = Table(
        title=f"density (binary; image 1 where ≥ {m.whole_binary:.4f}) · valued density",
        title_justify="left",
    )
    density.add_column("from \\ to")
    for b in m.blocks:
        density.add_column(f"block {b}", justify="right")
    for r, b in enumerate(m.blocks):
        cells = []
        for s in range(len(m.blocks)):
            binary, valued = m.density_binary[r, s], m.density_valued[r, s]
            mark = "■" if m.image_binary[r, s] else "·"
            cells.append("-" if math.isnan(binary) else f"{mark} {binary:.3f} · {valued:.3f}")
        density.add_row(f"block {b}", *cells)
    console.print(density)
    ei = Table(title=f"E-I index (binary {ties})", title_justify="left")
    for column in ("", "internal", "external", "E-I"):
        ei.add_column(column, justify="right" if column else "left")
    ei_result = g.ei_binary
    for row in ei_result.groups.to_dict("records"):
        ei.add_row(
            f"block {row['group']}",
            f"{row['internal']:.0f}",
            f"{row['external']:.0f}",
            _ei(row["ei"]),
        )
    ei.add_row(
        "whole network",
        f"{ei_result.whole_internal:.0f}",
        f"{ei_result.whole_external:.0f}",
        _ei(ei_result.whole_ei),
    )
    ei.add_row(
        "sum of the block rows (the study's 'entire network')",
        f"{ei_result.sum_of_groups_internal:.0f}",
        f"{ei_result.sum_of_groups_external:.0f}",
        _ei(ei_result.sum_of_groups_ei),
    )
    console.print(ei)


def _ei(value: float) -> str:
    """An E-I value; ``-`` for a block without ties (no index)."""
    return "-" if math.isnan(value) else f"{value:.3f}"
