"""Directed collaborations by the first-applicant rule, and the period networks built from them.

The rule (DESIGN.md item 2; the study's footnote 1): for a patent with ordered applicants
``a0, a1, ..., ak`` (k ≥ 1), ``a0`` leads, and each pair ``a0 → aj`` (j = 1..k) is one directed
collaboration. Nothing is counted between non-first applicants. At a regional scale the weight of
``r → s`` is the number of such collaborations from an applicant in ``r`` to one in ``s``; when both
are in the same region the collaboration is *internal*: not an edge (the networks have no loops)
but the node's ``internal`` count.

These functions work on the loader's clean tables (the memory engine); the neo4j engine computes
the same inside the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd

from copatent.analytics.periods import Period, Scale

_KEY: Final[dict[Scale, str]] = {
    "province": "province_adcode",
    "city": "city_adcode",
    "applicant": "name",
}


def collaborations(
    applied: pd.DataFrame, patents: pd.DataFrame, applicants: pd.DataFrame
) -> pd.DataFrame:
    """One row per directed collaboration (leader → participant) with both ends' places.

    Parameters
    ----------
    applied
        ``name``, ``pub_no``, ``position`` (0 = first applicant).
    patents
        ``pub_no``, ``year``.
    applicants
        ``name``, ``city_adcode``, ``province_adcode`` (None where unknown).

    Returns
    -------
    pandas.DataFrame
        ``pub_no``, ``year``, and for the leader and the participant: ``name``, ``city_adcode``,
        ``province_adcode`` (columns prefixed ``leader_`` / ``participant_``).
    """
    leaders = applied[applied["position"] == 0][["pub_no", "name"]]
    others = applied[applied["position"] > 0][["pub_no", "name"]]
    pairs = leaders.merge(others, on="pub_no", suffixes=("_l", "_p"), validate="one_to_many")
    pairs = pairs.merge(patents[["pub_no", "year"]], on="pub_no", validate="many_to_one")
    places = applicants[["name", "city_adcode", "province_adcode"]]
    out = pd.DataFrame(
        {
            "pub_no": pairs["pub_no"].to_numpy(),
            "year": pairs["year"].astype(int).to_numpy(),
            "leader_name": pairs["name_l"].to_numpy(),
            "participant_name": pairs["name_p"].to_numpy(),
        }
    )
    for role in ("leader", "participant"):
        located = out[[f"{role}_name"]].merge(
            places, left_on=f"{role}_name", right_on="name", how="left", validate="many_to_one"
        )
        out[f"{role}_city_adcode"] = located["city_adcode"].to_numpy()
        out[f"{role}_province_adcode"] = located["province_adcode"].to_numpy()
    return out


@dataclass(frozen=True)
class PeriodNetwork:
    """One period's network at one scale.

    ``edges`` has ``source``, ``target``, ``weight`` (source ≠ target); ``internal`` maps a node to
    its collaborations inside itself; ``unplaced`` counts collaborations left out because an end
    has no place at this scale.
    """

    scale: Scale
    period: Period
    edges: pd.DataFrame
    internal: pd.Series
    unplaced: int


def period_network(
    collabs: pd.DataFrame, *, scale: Scale, period: tuple[int, int]
) -> PeriodNetwork:
    """Aggregate the collaborations of ``period`` (inclusive years) at ``scale``.

    >>> c = pd.DataFrame({"year": [2016, 2017, 2018], "leader_city_adcode": ["110000"] * 3,
    ...                   "participant_city_adcode": ["310000", "310000", "110000"]})
    >>> net = period_network(c, scale="city", period=(2016, 2020))
    >>> net.edges.to_dict("records"), net.internal.to_dict()
    ([{'source': '110000', 'target': '310000', 'weight': 2}], {'110000': 1})
    """
    key = _KEY[scale]
    start, end = period
    rows = collabs[(collabs["year"] >= start) & (collabs["year"] <= end)]
    source, target = rows[f"leader_{key}"], rows[f"participant_{key}"]
    placed = source.notna() & target.notna()
    pairs = pd.DataFrame({"source": source[placed], "target": target[placed]})
    inside = pairs["source"] == pairs["target"]
    internal = pairs.loc[inside, "source"].value_counts().sort_index()
    internal.index.name = None
    internal.name = "internal"
    edges = (
        pairs[~inside].groupby(["source", "target"], sort=True).size().reset_index(name="weight")
    )
    return PeriodNetwork(scale, Period.of(period), edges, internal, int((~placed).sum()))
