"""GraphML: one period's network, directed, with typed node and arc attributes.

Format: the GraphML primer and schema (http://graphml.graphdrawing.org/primer/graphml-primer.html,
namespace ``http://graphml.graphdrawing.org/xmlns``). One ``<key>`` per column, ``attr.name`` =
the column name and ``attr.type`` ``int``, ``double``, ``boolean`` or ``string``; a missing
value has no ``<data>``. Node ids are ``n0``, ``n1``, ... (GraphML ids are XML name tokens,
which an applicant's name need not be); the copatent key is the ``node`` attribute and the
label the ``label`` attribute. Arcs have ids ``e0``, ``e1``, ... and a ``weight`` (double).
Read by Gephi, Cytoscape, yEd, networkx and igraph.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

import pandas as pd

from copatent import files
from copatent.exports import _values
from copatent.exports.network import PeriodNetwork

NS: Final = "http://graphml.graphdrawing.org/xmlns"
XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"

_TYPES: Final[dict[_values.Kind, str]] = {
    "integer": "int",
    "double": "double",
    "boolean": "boolean",
    "string": "string",
}


def write_graphml(network: PeriodNetwork, path: Path) -> Path:
    """Write ``network`` to ``path`` (whole, or nothing)."""
    root = graphml_tree(network)
    ET.indent(root, space=" ")
    with files.staged(path.parent) as staging, staging.binary(path.name) as handle:
        ET.ElementTree(root).write(handle, encoding="utf-8", xml_declaration=True)
    return path


def graphml_tree(network: PeriodNetwork) -> ET.Element:
    """The GraphML document of ``network``."""
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(
        f"{{{NS}}}graphml",
        {f"{{{XSI}}}schemaLocation": f"{NS} {NS}/1.0/graphml.xsd"},
    )
    node_columns = list(network.nodes.columns)
    arc_columns = [c for c in network.arcs.columns if c not in ("source", "target")]
    node_keys = _keys(root, "node", "v", network.nodes, node_columns)
    arc_keys = _keys(root, "edge", "a", network.arcs, arc_columns)
    graph = ET.SubElement(
        root, f"{{{NS}}}graph", id=f"{network.scale} {network.period.label}", edgedefault="directed"
    )
    ids: dict[object, str] = {}
    for i, row in enumerate(_values.cells(network.nodes, node_columns)):
        ids[row[0]] = f"n{i}"
        node = ET.SubElement(graph, f"{{{NS}}}node", id=f"n{i}")
        _data(node, node_keys, row)
    sources = network.arcs["source"].tolist()
    targets = network.arcs["target"].tolist()
    for i, row in enumerate(_values.cells(network.arcs, arc_columns)):
        edge = ET.SubElement(
            graph, f"{{{NS}}}edge", id=f"e{i}", source=ids[sources[i]], target=ids[targets[i]]
        )
        _data(edge, arc_keys, row)
    return root


def _keys(
    root: ET.Element, domain: str, prefix: str, frame: pd.DataFrame, columns: list[str]
) -> list[tuple[str, _values.Kind]]:
    keys = []
    for i, column in enumerate(columns):
        value_kind = _values.kind(frame[column])
        key = f"{prefix}{i}"
        ET.SubElement(
            root,
            f"{{{NS}}}key",
            {
                "id": key,
                "for": domain,
                "attr.name": column,
                "attr.type": _TYPES[value_kind],
            },
        )
        keys.append((key, value_kind))
    return keys


def _data(parent: ET.Element, keys: list[tuple[str, _values.Kind]], row: list[object]) -> None:
    for (key, value_kind), value in zip(keys, row, strict=True):
        if not _values.missing(value):
            ET.SubElement(parent, f"{{{NS}}}data", key=key).text = _values.text(value, value_kind)
