"""Node symmetry, or effective flow (DESIGN.md item 9; the study's Eq. 1).

For node ``i`` with ``O_i`` the collaborations it led (out-strength: it was the first applicant)
and ``I_i`` those it took part in (in-strength)::

    A_i = (O_i − I_i) / (O_i + I_i)

so ``A = +1`` is a pure leader, ``A = −1`` a pure participant and ``A = 0`` a node that leads as
often as it takes part; ``A`` is undefined (NaN) for a node without collaborations.

Sign convention: the study's printed Eq. 1 has the numerator reversed, ``(I_i − O_i)``, which
contradicts its own text (a positive value is a node that leads, "net outflow"); copatent follows
the text. :data:`SIGN_NOTE` says this in one sentence for reports.

Roles, from ``O`` and ``I`` directly (no tolerance: strengths are sums of counts):

- ``leader``: ``O > I``, net outflow;
- ``participant``: ``I > O``, net inflow;
- ``balanced``: ``O == I > 0``;
- ``none``: ``O == I == 0`` (an isolate, e.g. a region with only internal collaboration).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from copatent._errors import InputError
from copatent.analytics._validate import as_numbers

ROLES: Final[tuple[str, ...]] = ("leader", "participant", "balanced", "none")
"""Values of the ``role`` column, in reporting order."""

COLUMNS: Final[tuple[str, ...]] = ("out_strength", "in_strength", "effective_flow", "role")
"""Columns of :func:`effective_flow` after the optional ``node`` column."""

SIGN_NOTE: Final[str] = (
    "Effective flow A = (O − I)/(O + I) with O = collaborations led and I = collaborations "
    "joined, so +1 is a pure leader and −1 a pure participant; the study's printed Eq. 1 has "
    "I − O in the numerator, contradicting its own text, and copatent follows the text."
)
"""One sentence on the sign of ``A`` for printing under a flow table."""


@dataclass(frozen=True)
class FlowSummary:
    """How many nodes lead, take part, balance, or have no collaboration."""

    net_outflow: int
    net_inflow: int
    balanced: int
    inactive: int

    @property
    def total(self) -> int:
        return self.net_outflow + self.net_inflow + self.balanced + self.inactive

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def effective_flow(table: pd.DataFrame, *, what: str = "node table") -> pd.DataFrame:
    """``O``, ``I``, ``A = (O − I)/(O + I)`` and the role of each row of a per-node table.

    Parameters
    ----------
    table
        One row per node with ``out_strength`` (``O``, collaborations led) and ``in_strength``
        (``I``, collaborations taken part in), e.g. the output of
        :func:`copatent.analytics.centrality.node_measures`. A ``node`` column is kept.
    what
        What the table is, named in error messages (``"city 2016-2020"``).

    Returns
    -------
    pandas.DataFrame
        ``node`` (when given), then :data:`COLUMNS`, on the table's index. ``effective_flow`` is
        ``+1`` for a pure leader, ``−1`` for a pure participant, NaN when ``O + I = 0``. The
        study's printed formula has ``I − O`` on top, against its own text; this follows the
        text (see the module).

    Raises
    ------
    InputError
        When a column is missing, or a value is not a finite non-negative number.

    Examples
    --------
    >>> t = pd.DataFrame({"node": ["a", "b", "c", "d"],
    ...                   "out_strength": [5, 0, 2, 0], "in_strength": [0, 3, 2, 0]})
    >>> effective_flow(t).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'node': ['a', 'b', 'c', 'd'], 'out_strength': [5.0, 0.0, 2.0, 0.0],
     'in_strength': [0.0, 3.0, 2.0, 0.0], 'effective_flow': [1.0, -1.0, 0.0, nan],
     'role': ['leader', 'participant', 'balanced', 'none']}
    """
    missing = [c for c in ("out_strength", "in_strength") if c not in table.columns]
    if missing:
        raise InputError(f"{what}: missing column(s) {', '.join(missing)}")
    names = table["node"].astype(str).tolist() if "node" in table.columns else None
    # text or missing values become NaN, which flow() reports with the node's name
    result = flow(
        pd.to_numeric(table["out_strength"], errors="coerce").to_numpy(np.float64, na_value=np.nan),
        pd.to_numeric(table["in_strength"], errors="coerce").to_numpy(np.float64, na_value=np.nan),
        nodes=names,
        what=what,
    )
    result.index = table.index
    return result


def flow(
    out_strength: npt.ArrayLike,
    in_strength: npt.ArrayLike,
    *,
    nodes: Sequence[str] | None = None,
    what: str = "nodes",
) -> pd.DataFrame:
    """:func:`effective_flow` from arrays of ``O`` (out-strength) and ``I`` (in-strength).

    ``nodes``, when given, becomes the first column and names the rows in error messages.

    >>> flow([4, 1], [0, 3], nodes=["Beijing", "Baotou"])["effective_flow"].tolist()
    [1.0, -0.5]
    """
    o = _strengths(out_strength, "out_strength", what)
    i = _strengths(in_strength, "in_strength", what)
    problems = []
    if o.shape != i.shape:
        problems.append(f"out_strength has {o.size} values, in_strength {i.size}")
    if nodes is not None and len(nodes) != o.size:
        problems.append(f"{len(nodes)} node names for {o.size} values")
    if problems:
        raise InputError(f"{what}: " + "; ".join(problems))
    for name, values in (("out_strength", o), ("in_strength", i)):
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            rows = np.flatnonzero(bad)
            labels = [nodes[r] if nodes is not None else f"row {r}" for r in rows[:5]]
            more = ", ..." if rows.size > 5 else ""
            problems.append(
                f"{name} is not a finite non-negative number for {', '.join(labels)}{more}"
            )
    if problems:
        raise InputError(f"{what}: " + "; ".join(problems))

    total = o + i
    a = np.full(o.shape, np.nan)
    np.divide(o - i, total, out=a, where=total > 0)
    role = np.select(
        [o > i, i > o, total > 0], ["leader", "participant", "balanced"], default="none"
    )
    columns: dict[str, object] = {} if nodes is None else {"node": list(nodes)}
    columns |= {"out_strength": o, "in_strength": i, "effective_flow": a, "role": role.tolist()}
    return pd.DataFrame(columns)


def summarize(flows: pd.DataFrame) -> FlowSummary:
    """Count the roles of an :func:`effective_flow` result.

    >>> summarize(flow([5, 0, 2, 0, 1], [0, 3, 2, 0, 4]))
    FlowSummary(net_outflow=1, net_inflow=2, balanced=1, inactive=1)
    """
    if "role" not in flows.columns:
        raise InputError("flow summary: no role column (pass the result of effective_flow)")
    counts = flows["role"].value_counts()
    unknown = sorted(set(counts.index) - set(ROLES))
    if unknown:
        raise InputError(f"flow summary: unknown role(s) {', '.join(map(str, unknown))}")
    return FlowSummary(
        net_outflow=int(counts.get("leader", 0)),
        net_inflow=int(counts.get("participant", 0)),
        balanced=int(counts.get("balanced", 0)),
        inactive=int(counts.get("none", 0)),
    )


def _strengths(values: npt.ArrayLike, name: str, what: str) -> npt.NDArray[np.float64]:
    return as_numbers(values, f"{what}: {name}")
