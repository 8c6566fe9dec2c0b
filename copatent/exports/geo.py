"""GeoJSON and GeoPackage for QGIS and ArcGIS: nodes as points, arcs as lines, in EPSG:4326.

Two layers, the same in both formats:

- ``nodes``: one point per node and period at the region's seat (a province at its capital's),
  every node column of :class:`~copatent.exports.network.PeriodNetwork` as a field;
- ``arcs``: one straight line per arc and period from the source's point to the target's (in
  longitude-latitude, not a great circle), with ``source``, ``source_name``, ``target``,
  ``target_name`` (the direction), ``weight``, ``tier``, ``tier_range``, ``distance_km`` (great
  circle), ``same_province``, ``bordering``.

Both start with a ``period`` field (``2016-2020``), so that several periods fit in one layer
and QGIS can filter or style by period. A node without a place (none at the seats copatent
knows) has no geometry, nor has an arc with such an end.

- **GeoJSON** (RFC 7946, https://www.rfc-editor.org/rfc/rfc7946): one FeatureCollection per
  layer, ``STEM-nodes.geojson`` and ``STEM-arcs.geojson``, since a GeoJSON file with points and
  lines together opens in QGIS as two layers of one file and in ArcGIS not at all. Positions
  are [longitude, latitude] in WGS 84 (RFC 7946 section 4: no ``crs`` member), rounded to 6
  decimals (about 0.1 m, section 11.2); UTF-8 without a byte-order mark (section 8.1); a
  missing value is ``null``.
- **GeoPackage** (OGC 12-128r19): one file with the two layers ``nodes`` and ``arcs``, CRS
  EPSG:4326, written by GDAL's GPKG driver through geopandas and pyogrio.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pandas as pd

from copatent import files
from copatent.exports.network import PeriodNetwork, long_table

CRS: Final = "EPSG:4326"
DIGITS: Final = 6
"""Decimals of a GeoJSON position (RFC 7946 section 11.2)."""


def geojson_paths(path: Path) -> tuple[Path, Path]:
    """``STEM-nodes.geojson`` and ``STEM-arcs.geojson`` beside ``path`` (``.geojson`` dropped).

    >>> [p.name for p in geojson_paths(Path("out/net.geojson"))]
    ['net-nodes.geojson', 'net-arcs.geojson']
    """
    stem = path.stem if path.suffix.lower() in (".geojson", ".json") else path.name
    return path.with_name(f"{stem}-nodes.geojson"), path.with_name(f"{stem}-arcs.geojson")


def write_geojson(networks: Sequence[PeriodNetwork], path: Path) -> list[Path]:
    """Write the two layers of ``networks`` as GeoJSON files named after ``path``."""
    nodes, arcs = layers(networks)
    node_path, arc_path = geojson_paths(path)
    with files.staged(path.parent) as staging:
        staging.write_text(node_path.name, _collection(nodes, "nodes"))
        staging.write_text(arc_path.name, _collection(arcs, "arcs"))
    return [node_path, arc_path]


def write_gpkg(networks: Sequence[PeriodNetwork], path: Path) -> Path:
    """Write the two layers of ``networks`` into one GeoPackage ``path``."""
    import geopandas as gpd  # noqa: PLC0415 (GDAL: the export command only)

    nodes, arcs = layers(networks)
    with files.staged(path.parent) as staging, staging.path(path.name) as scratch:
        for name, (frame, shapes) in {"nodes": nodes, "arcs": arcs}.items():
            layer = gpd.GeoDataFrame(frame, geometry=_shapes(shapes), crs=CRS)
            layer.to_file(scratch, layer=name, driver="GPKG", engine="pyogrio")
    return path


Shapes = list[list[tuple[float, float]] | None]
"""Per feature the positions of its geometry: one for a point, two for a line; ``None``."""


def layers(
    networks: Sequence[PeriodNetwork],
) -> tuple[tuple[pd.DataFrame, Shapes], tuple[pd.DataFrame, Shapes]]:
    """The ``nodes`` and ``arcs`` layers: fields and each feature's positions."""
    nodes = long_table(networks, "nodes")
    arcs = long_table(networks, "arcs")
    points = {
        (period, node): _point(lon, lat)
        for period, node, lon, lat in zip(
            nodes["period"], nodes["node"], nodes["longitude"], nodes["latitude"], strict=True
        )
    }
    node_shapes: Shapes = [
        None if p is None else [p]
        for p in (points[(x, n)] for x, n in zip(nodes["period"], nodes["node"], strict=True))
    ]
    arc_shapes: Shapes = []
    for period, source, target in zip(arcs["period"], arcs["source"], arcs["target"], strict=True):
        a, b = points.get((period, source)), points.get((period, target))
        arc_shapes.append(None if a is None or b is None else [a, b])
    return (nodes, node_shapes), (arcs, arc_shapes)


def _point(lon: float, lat: float) -> tuple[float, float] | None:
    if math.isfinite(lon) and math.isfinite(lat):
        return (round(float(lon), DIGITS), round(float(lat), DIGITS))
    return None


def _collection(layer: tuple[pd.DataFrame, Shapes], name: str) -> str:
    frame, shapes = layer
    columns = list(frame.columns)
    rows = frame.astype(object).to_numpy().tolist()
    features = []
    for row, shape in zip(rows, shapes, strict=True):
        properties = {c: _json_value(v) for c, v in zip(columns, row, strict=True)}
        features.append({"type": "Feature", "geometry": _geometry(shape), "properties": properties})
    collection = {"type": "FeatureCollection", "name": name, "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False) + "\n"


def _geometry(shape: list[tuple[float, float]] | None) -> dict[str, object] | None:
    if shape is None:
        return None
    if len(shape) == 1:
        return {"type": "Point", "coordinates": list(shape[0])}
    return {"type": "LineString", "coordinates": [list(p) for p in shape]}


def _json_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value


def _shapes(shapes: Shapes) -> list[object]:
    import shapely  # noqa: PLC0415

    return [
        None if s is None else (shapely.Point(s[0]) if len(s) == 1 else shapely.LineString(s))
        for s in shapes
    ]
