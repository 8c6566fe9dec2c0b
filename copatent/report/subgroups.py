"""The CSV tables of ``copatent subgroups``.

Per scale, period and partition the members, blocks, density and image matrices and E-I, and one
summary row each (which also records the image matrices' cutoffs).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from copatent import files
from copatent.analytics.subgroups import PeriodSubgroups, Subgroups


def write_subgroups(found: Sequence[PeriodSubgroups], out: Path) -> list[Path]:
    """``summary.csv`` and seven tables per partition, into ``out`` (created), as one set."""
    return files.write_tables(out, subgroup_tables(found))


def subgroup_tables(found: Sequence[PeriodSubgroups]) -> dict[str, pd.DataFrame]:
    """The tables of :func:`write_subgroups`, by file name."""
    tables = {"summary.csv": summary(found)}
    for item in found:
        g = item.subgroups
        stem = f"{item.scale}_{item.period}_{g.method}"
        m = g.matrices
        frames = {
            "members": g.members,
            "blocks": g.blocks,
            "density_binary": _matrix_frame(m.density_binary, m.blocks).reset_index(),
            "density_valued": _matrix_frame(m.density_valued, m.blocks).reset_index(),
            "image_binary": _matrix_frame(m.image_binary, m.blocks).reset_index(),
            "image_valued": _matrix_frame(m.image_valued, m.blocks).reset_index(),
            "ei": _ei_frame(g),
        }
        for kind, frame in frames.items():
            tables[f"{stem}_{kind}.csv"] = frame
    return tables


def summary(found: Sequence[PeriodSubgroups]) -> pd.DataFrame:
    """One row per scale, period and partition: blocks, modularity, densities, E-I.

    ``image_cutoff_rule`` (``density``, ``block-mean`` or ``fixed``), ``image_cutoff_binary`` and
    ``image_cutoff_valued``: the cutoffs the partition's ``_image_binary.csv`` and
    ``_image_valued.csv`` were drawn with.
    """
    return pd.DataFrame(
        [
            {
                "scale": item.scale,
                "period": item.period,
                "method": g.method,
                "nodes": len(g.members),
                "blocks": len(g.blocks),
                "modularity": g.modularity,
                "density_binary": g.matrices.whole_binary,
                "density_valued": g.matrices.whole_valued,
                "image_cutoff_rule": g.matrices.cutoff_rule,
                "image_cutoff_binary": g.matrices.cutoff_binary,
                "image_cutoff_valued": g.matrices.cutoff_valued,
                "ei_whole_binary": g.ei_binary.whole_ei,
                "ei_whole_valued": g.ei_valued.whole_ei,
                "ei_sum_of_groups_binary": g.ei_binary.sum_of_groups_ei,
            }
            for item in found
            for g in (item.subgroups,)
        ]
    )


def _matrix_frame(matrix: np.ndarray, blocks: tuple[int, ...]) -> pd.DataFrame:
    names = [f"block {b}" for b in blocks]
    return pd.DataFrame(matrix, index=pd.Index(names, name="from"), columns=names)


def _ei_frame(g: Subgroups) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for kind, r in (("binary", g.ei_binary), ("valued", g.ei_valued)):
        rows.extend(
            {"ties": kind, "row": f"block {row['group']}"} | {str(k): v for k, v in row.items()}
            for row in r.groups.to_dict("records")
        )
        rows.append(
            {"ties": kind, "row": "whole network (Krackhardt & Stern)",
             "internal": r.whole_internal, "external": r.whole_external, "ei": r.whole_ei}
        )  # fmt: skip
        rows.append(
            {"ties": kind, "row": "sum of the block rows (the study's 'entire network')",
             "internal": r.sum_of_groups_internal, "external": r.sum_of_groups_external,
             "ei": r.sum_of_groups_ei}
        )  # fmt: skip
    return pd.DataFrame(rows).drop(columns=["group"])
