"""GEXF 1.3 for Gephi: one period's network (static), or every period's (dynamic).

Format: the GEXF 1.3 primer and schema (https://gexf.net; https://github.com/gephi/gexf,
``1.3/gexf.rnc``, ``1.3/dynamics.rnc``, ``1.3/viz.xsd``; namespaces ``http://gexf.net/1.3`` and
``http://gexf.net/1.3/viz``).

- Directed graph (``defaultedgetype="directed"``); a node's ``id`` is its key (adcode or
  applicant name), its ``label`` the exported label; an arc's ``id`` is ``source->target`` and
  its ``weight`` the collaborations.
- Every other node and arc column of :class:`~copatent.exports.network.PeriodNetwork` is a
  typed attribute (``integer``, ``double``, ``boolean``, ``string``; id and title = the column
  name); a missing value (no tier, say) is left out.
- ``viz:position``: ``x`` = longitude × :data:`POSITION_SCALE`, ``y`` = latitude ×
  :data:`POSITION_SCALE`, ``z`` = 0, so the regions open where they lie (north up); the
  ``longitude`` and ``latitude`` attributes are the degrees themselves, which Gephi's
  GeoLayout plugin reads to project the map itself. The applicant scale has no positions.
- **Dynamic** (several periods): ``mode="dynamic"``, ``timeformat="date"`` and intervals:
  a period 2016-2020 is the spell ``start="2016-01-01" end="2020-12-31"`` (both inclusive in
  GEXF). Each node and arc has one spell per period it appears in; the names and coordinates
  are static attributes, every measure a dynamic one with one ``attvalue`` per period
  (``start``/``end``), so Gephi's timeline plays the periods. The arc weight is the dynamic edge
  attribute titled ``weight`` ("dynamic weight can be obtained by using the reserved title
  'weight' in attributes", ``1.3/dynamics.rnc``; the schema's example
  ``data/dynamics_edgeweight.gexf`` does the same), and the arcs carry no static ``weight``.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import pandas as pd

from copatent import __version__, files
from copatent.analytics.periods import Period
from copatent.exports import _values
from copatent.exports.network import PeriodNetwork

NS: Final = "http://gexf.net/1.3"
VIZ: Final = "http://gexf.net/1.3/viz"
XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"

POSITION_SCALE: Final = 100.0
"""Display units per degree in ``viz:position`` (a map of China some 6,000 units wide, at
Gephi's default node size of 10)."""

STATIC_NODE: Final = ("name", "name_en", "longitude", "latitude")
"""Node columns that do not change between periods (static attributes of a dynamic graph)."""

STATIC_ARC: Final = ("source_name", "target_name", "distance_km", "same_province", "bordering")
"""Arc columns that do not change between periods."""


def write_gexf(networks: Sequence[PeriodNetwork], path: Path) -> Path:
    """Write ``networks`` to ``path``: static for one period, dynamic for several."""
    root = gexf_tree(networks)
    ET.indent(root, space=" ")
    with files.staged(path.parent) as staging, staging.binary(path.name) as handle:
        ET.ElementTree(root).write(handle, encoding="utf-8", xml_declaration=True)
    return path


def gexf_tree(networks: Sequence[PeriodNetwork]) -> ET.Element:
    """The GEXF document of ``networks`` (one: static; several: dynamic)."""
    ET.register_namespace("", NS)
    ET.register_namespace("viz", VIZ)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(
        f"{{{NS}}}gexf",
        {"version": "1.3", f"{{{XSI}}}schemaLocation": f"{NS} {NS}/gexf.xsd"},
    )
    meta = ET.SubElement(root, f"{{{NS}}}meta")
    ET.SubElement(meta, f"{{{NS}}}creator").text = f"copatent {__version__}"
    first = networks[0]
    labels = ", ".join(n.period.label for n in networks)
    ET.SubElement(
        meta, f"{{{NS}}}description"
    ).text = f"patent co-applicant network, {first.scale} scale, {labels}"
    if len(networks) == 1:
        _static(root, first)
    else:
        _dynamic(root, networks)
    return root


def spell(period: Period) -> dict[str, str]:
    """The GEXF interval of ``period``: its first and last day, both inclusive."""
    return {"start": f"{period.start}-01-01", "end": f"{period.end}-12-31"}


# --------------------------------------------------------------------------------------------
# one period


def _static(root: ET.Element, network: PeriodNetwork) -> None:
    graph = ET.SubElement(root, f"{{{NS}}}graph", defaultedgetype="directed", mode="static")
    node_columns = [c for c in network.nodes.columns if c not in ("node", "label")]
    arc_columns = [c for c in network.arcs.columns if c not in ("source", "target", "weight")]
    node_kinds = _declare(graph, "node", "static", network.nodes, node_columns)
    arc_kinds = _declare(graph, "edge", "static", network.arcs, arc_columns)
    nodes = ET.SubElement(graph, f"{{{NS}}}nodes")
    for row in network.nodes.to_dict("records"):
        node = ET.SubElement(
            nodes, f"{{{NS}}}node", id=_id(row["node"]), label=_values.xml_text(str(row["label"]))
        )
        _attvalues(node, [(c, row[c], node_kinds[c], None) for c in node_columns])
        _position(node, row)
    edges = ET.SubElement(graph, f"{{{NS}}}edges")
    for row in network.arcs.to_dict("records"):
        edge = ET.SubElement(
            edges,
            f"{{{NS}}}edge",
            id=_arc_id(row),
            source=_id(row["source"]),
            target=_id(row["target"]),
            weight=repr(float(row["weight"])),
        )
        _attvalues(edge, [(c, row[c], arc_kinds[c], None) for c in arc_columns])


# --------------------------------------------------------------------------------------------
# every period


def _dynamic(root: ET.Element, networks: Sequence[PeriodNetwork]) -> None:
    graph = ET.SubElement(
        root,
        f"{{{NS}}}graph",
        defaultedgetype="directed",
        mode="dynamic",
        timeformat="date",
        timerepresentation="interval",
    )
    all_nodes = pd.concat([n.nodes for n in networks], ignore_index=True)
    all_arcs = pd.concat([n.arcs for n in networks], ignore_index=True)
    node_static = [c for c in STATIC_NODE if c in all_nodes.columns]
    node_dynamic = [c for c in all_nodes.columns if c not in ("node", "label", *STATIC_NODE)]
    arc_static = [c for c in STATIC_ARC if c in all_arcs.columns]
    arc_dynamic = [c for c in all_arcs.columns if c not in ("source", "target", *STATIC_ARC)]
    kinds = _declare(graph, "node", "static", all_nodes, node_static)
    kinds |= _declare(graph, "node", "dynamic", all_nodes, node_dynamic)
    arc_kinds = _declare(graph, "edge", "static", all_arcs, arc_static)
    arc_kinds |= _declare(graph, "edge", "dynamic", all_arcs, arc_dynamic)

    node_rows = _by_key(networks, "nodes", ("node",))
    nodes = ET.SubElement(graph, f"{{{NS}}}nodes")
    for (key,), found in sorted(node_rows.items(), key=lambda item: str(item[0])):
        first = found[0][1]
        node = ET.SubElement(
            nodes, f"{{{NS}}}node", id=_id(key), label=_values.xml_text(str(first["label"]))
        )
        values: list[tuple[str, object, _values.Kind, Period | None]]
        values = [(c, first[c], kinds[c], None) for c in node_static]
        values += [(c, row[c], kinds[c], p) for p, row in found for c in node_dynamic]
        _attvalues(node, values)
        _spells(node, [p for p, _ in found])
        _position(node, first)

    arc_rows = _by_key(networks, "arcs", ("source", "target"))
    edges = ET.SubElement(graph, f"{{{NS}}}edges")
    for (source, target), found in sorted(arc_rows.items(), key=lambda item: str(item[0])):
        first = found[0][1]
        edge = ET.SubElement(
            edges,
            f"{{{NS}}}edge",
            id=_arc_id(first),
            source=_id(source),
            target=_id(target),
        )
        arc_values: list[tuple[str, object, _values.Kind, Period | None]]
        arc_values = [(c, first[c], arc_kinds[c], None) for c in arc_static]
        arc_values += [(c, row[c], arc_kinds[c], p) for p, row in found for c in arc_dynamic]
        _attvalues(edge, arc_values)
        _spells(edge, [p for p, _ in found])


def _by_key(
    networks: Sequence[PeriodNetwork], table: str, key: tuple[str, ...]
) -> dict[tuple[Any, ...], list[tuple[Period, dict[Hashable, Any]]]]:
    """Each row of every period's ``table``, by ``key``: [(period, row), ...] in period order."""
    found: dict[tuple[Any, ...], list[tuple[Period, dict[Hashable, Any]]]] = {}
    for network in networks:
        frame: pd.DataFrame = getattr(network, table)
        for row in frame.to_dict("records"):
            found.setdefault(tuple(row[k] for k in key), []).append((network.period, row))
    return found


# --------------------------------------------------------------------------------------------
# elements


def _declare(
    graph: ET.Element, cls: str, mode: str, frame: pd.DataFrame, columns: list[str]
) -> dict[str, _values.Kind]:
    kinds = {c: _values.kind(frame[c]) for c in columns}
    if columns:
        declared = ET.SubElement(graph, f"{{{NS}}}attributes", {"class": cls, "mode": mode})
        for column, value_kind in kinds.items():
            ET.SubElement(declared, f"{{{NS}}}attribute", id=column, title=column, type=value_kind)
    return kinds


def _attvalues(
    parent: ET.Element, values: Sequence[tuple[str, object, _values.Kind, Period | None]]
) -> None:
    present = [v for v in values if not _values.missing(v[1])]
    if not present:
        return
    holder = ET.SubElement(parent, f"{{{NS}}}attvalues")
    for column, value, value_kind, period in present:
        item = {"for": column, "value": _values.text(value, value_kind)}
        if period is not None:
            item |= spell(period)
        ET.SubElement(holder, f"{{{NS}}}attvalue", item)


def _spells(parent: ET.Element, periods: list[Period]) -> None:
    holder = ET.SubElement(parent, f"{{{NS}}}spells")
    for period in periods:
        ET.SubElement(holder, f"{{{NS}}}spell", spell(period))


def _position(node: ET.Element, row: Mapping[Hashable, Any]) -> None:
    lon, lat = row.get("longitude"), row.get("latitude")
    if isinstance(lon, float) and isinstance(lat, float) and math.isfinite(lon + lat):
        ET.SubElement(
            node,
            f"{{{VIZ}}}position",
            x=repr(round(lon * POSITION_SCALE, 4)),
            y=repr(round(lat * POSITION_SCALE, 4)),
            z="0.0",
        )


def _id(value: object) -> str:
    return _values.xml_text(str(value))


def _arc_id(row: Mapping[Hashable, Any]) -> str:
    return f"{_id(row['source'])}->{_id(row['target'])}"
