"""Printing a partition's blocks, matrices and E-I (``copatent subgroups`` and ``metrics``)."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Final, TypeAlias, cast

import typer
from rich.markup import escape
from rich.table import Table

from copatent._errors import InputError
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

CUTOFF_RULES: Final = ("density", "block-mean")
"""The rule names of ``--image-cutoff`` (:data:`copatent.analytics.subgroups.CUTOFF_RULES`)."""

ImageCutoffOption: TypeAlias = Annotated[
    str,
    typer.Option(
        "--image-cutoff",
        metavar="density|block-mean|NUMBER",
        help="Image matrix: 1 where a block's density is >= this cutoff, of the same kind "
        "(binary or valued): density = the whole network's density; block-mean = the mean of "
        "the block densities (the study's rule); a number >= 0 = that fixed alpha, for both "
        "kinds.",
    ),
]


def image_cutoff(value: str) -> subgroups.ImageCutoff:
    """The value of ``--image-cutoff``: a rule name or a number ``>= 0``; else a one-line error.

    >>> image_cutoff("block-mean"), image_cutoff("2.5"), image_cutoff("0")
    ('block-mean', 2.5, 0.0)
    """
    text = value.strip()
    if text in CUTOFF_RULES:
        return cast("subgroups.CutoffRule", text)
    try:
        alpha = float(text)
    except ValueError:
        alpha = math.nan
    if not math.isfinite(alpha) or alpha < 0:
        raise InputError(f"--image-cutoff {value!r}: expected density, block-mean or a number >= 0")
    return alpha


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
    lines = [
        "block density: binary · valued, each marked with its own kind's image",
        f"binary: ■ image 1 where ≥ {_cutoff(m, m.cutoff_binary)}, else □",
        f"valued: ■ image 1 where ≥ {_cutoff(m, m.cutoff_valued)}, else □",
    ]
    density = Table(
        title="\n".join(lines),
        title_justify="left",
        min_width=max(map(len, lines)),  # the title's lines unwrapped, however few the blocks
    )
    density.add_column("from \\ to")
    for b in m.blocks:
        density.add_column(f"block {b}", justify="right")
    for r, b in enumerate(m.blocks):
        cells = []
        for s in range(len(m.blocks)):
            binary, valued = m.density_binary[r, s], m.density_valued[r, s]
            cells.append(
                "-"
                if math.isnan(binary)
                else f"{_mark(m.image_binary[r, s])} {binary:.3f} · "
                f"{_mark(m.image_valued[r, s])} {valued:.3f}"
            )
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


_RULE_NAMES: Final = {
    "density": "whole-network density",
    "block-mean": "block mean",
    "fixed": "fixed alpha",
}


def _cutoff(m: subgroups.BlockMatrices, alpha: float) -> str:
    """The cutoff and its rule: ``block mean 4.4400``."""
    value = "-" if math.isnan(alpha) else f"{alpha:.4f}"
    return f"{_RULE_NAMES[m.cutoff_rule]} {value}"


def _mark(image: int) -> str:
    """An image cell: ■ for 1, □ for 0."""
    return "■" if image else "□"


def _ei(value: float) -> str:
    """An E-I value; ``-`` for a block without ties (no index)."""
    return "-" if math.isnan(value) else f"{value:.3f}"
