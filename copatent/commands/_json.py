"""The ``--json`` objects of the commands: one function per result, its keys in a fixed order.

The analytics return frozen results (numpy scalars, NaN, DataFrames); the objects here are what
the commands print with ``--json``: Python types only, NaN and NA as ``None``. The keys of each
object are listed once (``*_KEYS``), in the order printed; each command's help lists them too.
Imported inside the commands (it needs numpy and pandas).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from copatent.analytics.detection import Detection
    from copatent.analytics.metrics import Metrics
    from copatent.analytics.regional import RegionalDetection
    from copatent.analytics.subgroups import EIResult, PeriodSubgroups, Subgroups
    from copatent.report.study import StudyComparison

DETECTION_KEYS: Final[tuple[str, ...]] = (
    "y",
    "n",
    "variance",
    "singletons",
    "discretization",
    "strata",
    "factor",
    "interaction",
    "risk",
    "ecological",
    "notes",
)
"""Keys of :func:`detection` (``copatent detect --json``), in order."""

METRICS_KEYS: Final[tuple[str, ...]] = (
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
    "out_centralization_maxtie_pct",
    "in_centralization_maxtie_pct",
    "avg_clustering_gephi",
    "avg_path_length_gephi",
    "diameter",
    "reciprocity",
    "weak_components",
    "notes",
    "nodes_table",
)
"""Keys of :func:`metrics` (``copatent metrics --json``), in order; the blocks' keys follow."""

SUBGROUPS_KEYS: Final[tuple[str, ...]] = (
    "blocks_method",
    "block_modularity",
    "density_matrix_binary",
    "density_matrix_valued",
    "image_matrix_binary",
    "image_matrix_valued",
    "image_cutoff_rule",
    "image_cutoff_binary",
    "image_cutoff_valued",
    "ei_groups",
    "ei_groups_valued",
    "ei_whole_binary",
    "ei_whole_valued",
    "ei_sum_of_groups_binary",
)
"""Keys of :func:`subgroups` after the member lists, in order (also the keys
``copatent metrics --groups`` / ``--concor`` adds to its ``--json`` object)."""


def native(value: object) -> object:
    """A JSON-ready Python value: numpy scalars unwrapped, NaN and NA as ``None``.

    >>> import numpy as np
    >>> native(np.int64(3)), native(float("nan")), native(np.float64(0.5))
    (3, None, 0.5)
    """
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _row(row: Mapping[Any, object]) -> dict[str, object]:
    return {str(k): native(v) for k, v in row.items()}


def detection(found: Detection) -> dict[str, object]:
    """The detectors' results on one table: :data:`DETECTION_KEYS`."""
    values: dict[str, object] = {
        "y": found.y,
        "n": found.n,
        "variance": found.variance,
        "singletons": found.singletons,
        "discretization": found.discretization,
        "strata": [
            {
                "x": s.x,
                "method": s.method,
                "k": s.k,
                "k_asked": s.k_asked,
                "bounds": list(s.bounds) if s.bounds is not None else None,
                "tried": [{"method": m, "k": k, "q": q} for m, k, q in s.tried],
            }
            for s in found.strata
        ],
        "factor": [_row(vars(f)) for f in found.factor],
        "interaction": [_row(vars(i)) for i in found.interaction],
        "risk": [
            {
                "x": r.x,
                "strata": [_row(row) for row in r.strata.to_dict("records")],
                "pairs": [_row(row) for row in r.pairs.to_dict("records")],
            }
            for r in found.risk
        ],
        "ecological": [_row(vars(e)) for e in found.ecological],
        "notes": list(found.notes),
    }
    return {key: values[key] for key in DETECTION_KEYS}


def regional_detection(found: RegionalDetection) -> dict[str, object]:
    """:func:`detection` of one period's network, after its ``scale`` and ``period``."""
    return {"scale": found.scale, "period": found.period} | detection(found.detection)


def metrics(result: Metrics) -> dict[str, object]:
    """Indicators and node table of one network: :data:`METRICS_KEYS`, then the blocks' keys.

    NaN as ``None``; ``nodes_table`` holds one object per node, in node order, with the columns
    of :data:`copatent.analytics.metrics.NODE_COLUMNS` (and ``block``). With blocks, the keys of
    :func:`subgroups` follow.
    """
    values: dict[str, object] = {
        **result.indicators.as_dict(),
        "directed": result.directed,
        "notes": list(result.notes),
        "nodes_table": [
            {key: native(value) for key, value in row.items()}
            for row in result.table.to_dict("records")
        ],
    }
    found = {key: native(values[key]) for key in METRICS_KEYS}
    if result.blocks is not None:
        found |= subgroups(result.blocks)
    return found


def subgroups(found: Subgroups) -> dict[str, object]:
    """A partition described: the blocks as member lists, then :data:`SUBGROUPS_KEYS`.

    ``<method>_blocks`` (``concor_blocks``, ``louvain_blocks``, ``groups_blocks``, ...): a list
    of member lists in block order; with given block labels also ``<method>_labels``. The
    matrices are lists of rows in block order (``None`` for the cell of a one-member block with
    itself); ``image_cutoff_rule`` (``density``, ``block-mean``, ``fixed``) and the cutoffs
    ``image_cutoff_binary`` and ``image_cutoff_valued`` that drew the image matrices; the
    ``ei_groups`` rows are ``block``, ``members``, ``internal``, ``external``, ``ei``.
    """
    m = found.matrices
    members = found.members.groupby("block", sort=True)["node"].agg(list)
    listed: dict[str, object] = {
        f"{found.method}_blocks": [[str(n) for n in v] for v in members.tolist()]
    }
    if "label" in found.blocks.columns:
        listed[f"{found.method}_labels"] = found.blocks["label"].tolist()
    values: dict[str, object] = {
        "blocks_method": found.method,
        "block_modularity": found.modularity,
        "density_matrix_binary": _matrix(m.density_binary),
        "density_matrix_valued": _matrix(m.density_valued),
        "image_matrix_binary": _matrix(m.image_binary),
        "image_matrix_valued": _matrix(m.image_valued),
        "image_cutoff_rule": m.cutoff_rule,
        "image_cutoff_binary": native(m.cutoff_binary),
        "image_cutoff_valued": native(m.cutoff_valued),
        "ei_groups": _ei_rows(found.ei_binary),
        "ei_groups_valued": _ei_rows(found.ei_valued),
        "ei_whole_binary": native(found.ei_binary.whole_ei),
        "ei_whole_valued": native(found.ei_valued.whole_ei),
        "ei_sum_of_groups_binary": native(found.ei_binary.sum_of_groups_ei),
    }
    return listed | {key: values[key] for key in SUBGROUPS_KEYS}


def period_subgroups(item: PeriodSubgroups) -> dict[str, Any]:
    """One partition of one period's network (``copatent subgroups --json``).

    ``scale``, ``period``, ``blocks`` and ``members`` (the tables as rows), then :func:`subgroups`.
    """
    g = item.subgroups
    return {
        "scale": item.scale,
        "period": item.period,
        "blocks": g.blocks.to_dict("records"),
        "members": g.members.astype(object).where(g.members.notna(), None).to_dict("records"),
    } | subgroups(g)


def study_comparison(found: StudyComparison) -> list[dict[str, object]]:
    """The rows of ``study_comparison.csv`` (``copatent analyze --compare-study --json``).

    One object per row, keys :data:`copatent.report.study.COLUMNS` in order; NaN as ``None``.
    """
    return [_row(row) for row in found.table.to_dict("records")]


def _matrix(a: npt.NDArray[np.float64] | npt.NDArray[np.int64]) -> list[list[object]]:
    return [[native(v) for v in row.tolist()] for row in a]


def _ei_rows(result: EIResult) -> list[dict[str, object]]:
    table = result.groups.rename(columns={"group": "block"})
    return [_row(row) for row in table.to_dict("records")]
