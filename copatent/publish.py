"""The one place that writes analysis results back to the graph, for Browser and Cypher users.

The engines only read the graph; the commands call these functions after the computation:

- :func:`collaborations`: ``()-[:COLLABORATES {scale, period, weight}]->()`` between the Province,
  City or Applicant nodes of every network an analysis computed, replacing those of the same scale
  and periods in one transaction per scale (``publish/<scale>_collaborates``), so that Neo4j
  Browser shows the networks the tables describe;
- :func:`blocks`: each region's block in one partition as the node property
  ``<method>_<start>_<end>`` (``leiden_2016_2020``), for colouring in Browser
  (``publish/<scale>_blocks``).

Each query first takes the write lock of the ``(:Lock {name: 'publish'})`` node, so concurrent
analyses publish one after the other and the last one's relationships are what stays (without it,
two transactions that each delete the old relationships before either commits both keep what
they create: every relationship twice). The lock node is unique by a constraint, which
:meth:`~copatent.db.Database.apply_schema` creates on a database loaded by an earlier copatent.

Property names are built from a closed set (the partition methods and checked period years); every
value reaches Cypher as a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from copatent.analytics.analysis import Analysis
from copatent.analytics.periods import Scale
from copatent.analytics.subgroups import PeriodSubgroups
from copatent.db import Database

_COLLABORATES: Final[dict[Scale, str]] = {
    "province": "publish/province_collaborates",
    "city": "publish/city_collaborates",
    "applicant": "publish/applicant_collaborates",
}

_BLOCKS: Final[dict[str, str]] = {
    "province": "publish/province_blocks",
    "city": "publish/city_blocks",
}


def collaborations(db: Database, result: Analysis) -> None:
    """Replace the COLLABORATES relationships of every scale and period ``result`` computed."""
    db.apply_schema()  # the constraint that keeps the lock node unique
    for scale, graphs in result.graphs.items():
        edges = [
            {"source": source, "target": target, "period": g.label, "weight": int(weight)}
            for g in graphs
            for source, target, weight in g.edges[["source", "target", "weight"]].itertuples(
                index=False
            )
        ]
        db.run(
            _COLLABORATES[scale],
            {"periods": [g.label for g in graphs], "edges": edges},
            write=True,
        )


def block_property(method: str, period: str) -> str:
    """``concor``, ``2016-2020`` → ``concor_2016_2020`` (a closed-set method, checked years)."""
    return f"{method}_{period.replace('-', '_')}"


def blocks(db: Database, found: Sequence[PeriodSubgroups]) -> None:
    """Write each node's block of every partition in ``found`` (region scales only)."""
    db.apply_schema()  # the constraint that keeps the lock node unique
    for item in found:
        g = item.subgroups
        db.run(
            _BLOCKS[item.scale],
            {
                "property": block_property(g.method, item.period),
                "rows": [
                    {"key": str(k), "block": int(b)}
                    for k, b in zip(g.members["node"], g.members["block"], strict=True)
                ],
            },
            write=True,
        )
