"""A period's network at one scale, written for other programs: Gephi, UCINET, Pajek, QGIS.

:func:`~copatent.exports.network.period_networks` turns an
:class:`~copatent.analytics.analysis.Analysis` into node and arc tables; one module per format
translates them, writing through :mod:`copatent.files` (a file appears whole, or not at all):

============  =====================================  ==========================================
format        module                                 files, ``--period all``
============  =====================================  ==========================================
``gexf``      :mod:`copatent.exports.gexf`           ``PATH``; all periods: one dynamic graph
``graphml``   :mod:`copatent.exports.graphml`        ``PATH``; one period only
``dl``        :mod:`copatent.exports.ucinet`         ``PATH``; one period only
``pajek``     :mod:`copatent.exports.pajek`          ``PATH``; one period only
``geojson``   :mod:`copatent.exports.geo`            ``STEM-nodes.geojson``, ``STEM-arcs.geojson``
``gpkg``      :mod:`copatent.exports.geo`            ``PATH`` (layers nodes, arcs)
``csv``       :mod:`copatent.exports.tables`         ``PATH/nodes.csv``, ``PATH/edges.csv``
============  =====================================  ==========================================

The tables, GeoJSON and GeoPackage hold every period in one table or layer (a ``period``
column); GraphML, DL and Pajek hold one network each.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from copatent.exports.network import PeriodNetwork
    from copatent.exports.ucinet import Layout

Format = Literal["gexf", "graphml", "dl", "pajek", "geojson", "gpkg", "csv"]
FORMATS: Final[tuple[Format, ...]] = ("gexf", "graphml", "dl", "pajek", "geojson", "gpkg", "csv")

ONE_PERIOD: Final[frozenset[Format]] = frozenset({"graphml", "dl", "pajek"})
"""Formats that hold one period's network."""

GEOGRAPHIC: Final[frozenset[Format]] = frozenset({"geojson", "gpkg"})
"""Formats that need the nodes' places (not the applicant scale)."""


def targets(fmt: Format, path: Path) -> list[Path]:
    """The files an export in ``fmt`` to ``path`` writes (for ``csv``, into the folder)."""
    if fmt == "geojson":
        from copatent.exports.geo import geojson_paths  # noqa: PLC0415

        return list(geojson_paths(path))
    if fmt == "csv":
        return [path / "nodes.csv", path / "edges.csv"]
    return [path]


def write(
    fmt: Format,
    networks: Sequence[PeriodNetwork],
    path: Path,
    *,
    dl_layout: Layout = "fullmatrix",
    ascii_labels: bool = False,
) -> list[Path]:
    """Write ``networks`` (one period's, or several for the formats that hold several)."""
    if fmt in ONE_PERIOD:
        if len(networks) != 1:
            raise ValueError(f"{fmt} holds one period's network, got {len(networks)}")
        return [_one(fmt, networks[0], path, dl_layout=dl_layout, ascii_labels=ascii_labels)]
    if fmt == "gexf":
        from copatent.exports.gexf import write_gexf  # noqa: PLC0415

        return [write_gexf(networks, path)]
    if fmt == "geojson":
        from copatent.exports.geo import write_geojson  # noqa: PLC0415

        return write_geojson(networks, path)
    if fmt == "gpkg":
        from copatent.exports.geo import write_gpkg  # noqa: PLC0415

        return [write_gpkg(networks, path)]
    from copatent.exports.tables import write_tables  # noqa: PLC0415

    return write_tables(networks, path)


def _one(
    fmt: Format, network: PeriodNetwork, path: Path, *, dl_layout: Layout, ascii_labels: bool
) -> Path:
    if fmt == "graphml":
        from copatent.exports.graphml import write_graphml  # noqa: PLC0415

        return write_graphml(network, path)
    if fmt == "dl":
        from copatent.exports.ucinet import write_dl  # noqa: PLC0415

        return write_dl(network, path, layout=dl_layout, ascii_labels=ascii_labels)
    from copatent.exports.pajek import write_pajek  # noqa: PLC0415

    return write_pajek(network, path)
