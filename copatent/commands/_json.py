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
    from copatent.analytics.detection import Detection

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
