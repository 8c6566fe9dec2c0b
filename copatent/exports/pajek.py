"""Pajek ``.net``: one period's network, vertices with labels (and places), weighted arcs.

Format: W. de Nooy, A. Mrvar & V. Batagelj, *Exploratory Social Network Analysis with Pajek*
(3rd ed., Cambridge University Press, 2018), the appendix on Pajek's files, and the Pajek
manual (http://mrvar.fdv.si/pajek/): ``*Vertices n``, then one line per vertex
``i "label" x y`` (x, y optional, in [0, 1]), then ``*Arcs`` and one line per arc
``i j weight``; a line starting with ``%`` is a comment.

- Labels in double quotes; a double quote inside a label becomes ``'``.
- Coordinates (regions only): longitude and latitude mapped into [0, 1] with one scale for both
  (the map's proportions kept, plate carrée), y counted from the top as Pajek draws it, so north
  is up. A vertex without a place has no coordinates.
- **Encoding**: UTF-8 with a byte-order mark, which Pajek 2.00 and later read as Unicode
  ("How to use Unicode (UTF8) in Pajek", http://mrvar2.fdv.si/pajek/Unicode-Pajek.htm); the
  file opens with a ``%`` comment line so that readers that do not expect the mark (networkx)
  skip it with the comment. Lines end in CRLF.
"""

from __future__ import annotations

import math
from pathlib import Path

from copatent import files
from copatent.exports import _values
from copatent.exports.network import PeriodNetwork


def write_pajek(network: PeriodNetwork, path: Path) -> Path:
    """Write ``network`` to ``path`` (whole, or nothing)."""
    with files.staged(path.parent) as staging:
        staging.write_text(path.name, pajek_text(network), encoding="utf-8-sig")
    return path


def pajek_text(network: PeriodNetwork) -> str:
    """The ``.net`` file of ``network`` (CRLF line ends, without the byte-order mark)."""
    keys = network.nodes["node"].tolist()
    labels = [str(x).replace('"', "'") for x in network.nodes["label"]]
    position = {key: i + 1 for i, key in enumerate(keys)}
    places = _places(network)
    comment = (
        f"% copatent: {network.scale} network {network.period.label}, {len(keys)} vertices, "
        f"{len(network.arcs)} arcs (weight = collaborations)"
    )
    lines = [comment, f"*Vertices {len(keys)}"]
    for i, label in enumerate(labels):
        where = places[i]
        lines.append(
            f'{i + 1} "{label}"' + ("" if where is None else f" {where[0]:.6f} {where[1]:.6f}")
        )
    lines.append("*Arcs")
    for source, target, weight in zip(
        network.arcs["source"], network.arcs["target"], network.arcs["weight"], strict=True
    ):
        lines.append(f"{position[source]} {position[target]} {_values.number(weight)}")
    return "\r\n".join(lines) + "\r\n"


def _places(network: PeriodNetwork) -> list[tuple[float, float] | None]:
    """Each vertex's (x, y) in [0, 1], north up; ``None`` without a place."""
    if not network.placed:
        return [None] * len(network.nodes)
    lon = network.nodes["longitude"].to_numpy(dtype=float)
    lat = network.nodes["latitude"].to_numpy(dtype=float)
    known = [i for i in range(len(lon)) if math.isfinite(lon[i]) and math.isfinite(lat[i])]
    if not known:
        return [None] * len(lon)
    west, east = min(lon[known]), max(lon[known])
    south, north = min(lat[known]), max(lat[known])
    span = max(east - west, north - south) or 1.0
    found: list[tuple[float, float] | None] = [None] * len(lon)
    for i in known:
        found[i] = ((lon[i] - west) / span, (north - lat[i]) / span)
    return found
