"""The one place that writes analysis results back to the graph, for Browser and Cypher users.

The engines only read the graph; the commands call these functions after the computation. The
shape is described in ``docs/graph-model.md``:

- :func:`analysis`: for each scale of an analysis, in ONE transaction,

  - ``()-[:COLLABORATES {scale, period, weight}]->()`` between the Province, City or Applicant
    nodes of every network the analysis computed, replacing those of the same scale and periods
    (``publish/<scale>_collaborates``);
  - one ``(:Position)`` per node of every period's tables, with every column of the centrality
    table, effective flow ``A`` (``flow_a``), its ``role`` and tier (``flow_tier``), the rank by
    weighted degree and the English name, ``-[:OF]->`` its Province, City or Applicant and
    ``-[:IN]->`` its ``(:Period {label, start, end})``; the label ``:Tier1`` ... ``:Tier10`` of its
    weighted-degree tier; and ``(:Position)-[:ARC {weight, tier, distance_km}]->(:Position)`` per
    arc of the period's network. The positions of the same scale and periods go first, with their
    relationships, so a rerun replaces and never adds (``publish/delete_positions``,
    ``merge_periods``, ``<scale>_positions``, ``tier_labels``, ``create_arcs``);
  - with ``blocks``, the subgroups' blocks (below), so positions never show without them.

- :func:`blocks`: each position's block in a partition as its ``concor``, ``louvain`` or
  ``leiden`` property (``publish/position_blocks``), on the positions an analysis published.

Each transaction first takes the write lock of the ``(:Lock {name: 'publish'})`` node, so
concurrent analyses publish one after the other and the last one's results are what stays
(without it, two transactions that each delete the old results before either commits both keep
what they create: everything twice). The lock node, the Period label and the Position key are
unique by constraints, which :meth:`~copatent.db.Database.apply_schema` creates on a database
loaded by an earlier copatent.

Labels and property names come from closed sets (the tiers up to
:data:`~copatent.analytics.defaults.MAX_CLASSES`, the partition methods, the tables' columns);
every value reaches Cypher as a parameter.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from copatent.analytics.analysis import Analysis, PeriodTables
from copatent.analytics.defaults import MAX_CLASSES
from copatent.analytics.periods import Scale
from copatent.analytics.subgroups import PARTITIONS, PeriodSubgroups
from copatent.db import Database
from copatent.geo import names

_COLLABORATES: Final[dict[Scale, str]] = {
    "province": "publish/province_collaborates",
    "city": "publish/city_collaborates",
    "applicant": "publish/applicant_collaborates",
}

_POSITIONS: Final[dict[Scale, str]] = {
    "province": "publish/province_positions",
    "city": "publish/city_positions",
    "applicant": "publish/applicant_positions",
}

FLOW_PROPERTIES: Final[dict[str, str]] = {
    "effective_flow": "flow_a",
    "role": "role",
    "tier": "flow_tier",
    "tier_range": "flow_tier_range",
}
"""The flow table's columns a position carries, by the property name they get."""

BLOCK_PROPERTIES: Final[tuple[str, ...]] = PARTITIONS
"""``concor``, ``louvain``, ``leiden``: set by :func:`blocks`, absent (null) until then."""

ARC_COLUMNS: Final[tuple[str, ...]] = ("weight", "tier", "distance_km")
"""The edge table's columns an ARC carries."""


def analysis(
    db: Database, result: Analysis, *, blocks: Sequence[PeriodSubgroups] = ()
) -> dict[Scale, dict[str, int]]:
    """Replace the COLLABORATES, positions and ARCs of every scale and period ``result`` computed.

    One transaction per scale. ``blocks``: partitions of ``result``'s networks whose blocks are
    written in the same transactions (:func:`blocks`). Returns, per scale, what was written:
    ``collaborates``, ``positions``, ``placed`` (positions with an OF relationship), ``arcs``,
    ``blocks`` and the ``removed`` positions of an earlier publish.
    """
    if result.classes > MAX_CLASSES:
        raise ValueError(
            f"{result.classes} tier classes: the graph labels tiers up to Tier{MAX_CLASSES}"
        )
    db.apply_schema()  # the constraints that keep the lock, the periods and the positions unique
    written: dict[Scale, dict[str, int]] = {}
    for scale, graphs in result.graphs.items():
        tables = [result.tables[(scale, p.label)] for p in result.periods]
        labels = [t.graph.label for t in tables]
        steps: list[tuple[str, Mapping[str, Any]]] = [
            (_COLLABORATES[scale], _collaborates(graphs)),
            ("publish/delete_positions", {"scale": scale, "periods": labels}),
            (
                "publish/merge_periods",
                {
                    "periods": [
                        {"label": g.label, "start": g.period.start, "end": g.period.end}
                        for g in graphs
                    ]
                },
            ),
            (_POSITIONS[scale], {"rows": [row for t in tables for row in position_rows(t)]}),
            ("publish/tier_labels", {"scale": scale, "periods": labels}),
            ("publish/create_arcs", {"scale": scale, "arcs": arc_rows(tables)}),
        ]
        mine = [item for item in blocks if item.scale == scale]
        if mine:
            steps.append(("publish/position_blocks", _blocks(scale, mine)))
        frames = db.run_all(steps, write=True)
        counts = {
            "collaborates": _count(frames[0], "created"),
            "removed": _count(frames[1], "removed"),
            "positions": _count(frames[3], "created"),
            "placed": _count(frames[3], "placed"),
            "arcs": _count(frames[5], "created"),
            "blocks": _count(frames[6], "written") if mine else 0,
        }
        written[scale] = counts
    return written


def collaborations(db: Database, result: Analysis) -> None:
    """Replace only the COLLABORATES relationships of every scale and period ``result`` computed.

    :func:`analysis` does this and writes the positions too; this is the relationships alone.
    """
    db.apply_schema()  # the constraint that keeps the lock node unique
    for scale, graphs in result.graphs.items():
        db.run(_COLLABORATES[scale], _collaborates(graphs), write=True)


def blocks(db: Database, found: Sequence[PeriodSubgroups]) -> None:
    """Set each position's block of every partition in ``found`` (one transaction per scale).

    The positions are those :func:`analysis` wrote for the partition's scale and period; the
    property is the partition's method, ``concor``, ``louvain`` or ``leiden``.
    """
    db.apply_schema()  # the constraint that keeps the lock node unique
    for scale in dict.fromkeys(item.scale for item in found):
        db.run(
            "publish/position_blocks",
            _blocks(scale, [item for item in found if item.scale == scale]),
            write=True,
        )


# ------------------------------------------------------------------------------------------------
# rows


def position_rows(t: PeriodTables) -> list[dict[str, Any]]:
    """One ``{period, key, properties}`` per node of ``t``: what ``(:Position)`` carries.

    ``properties``: ``scale``, ``period``, ``key`` (the ``node`` column: adcode or applicant
    name), ``name``, ``name_en`` (regions only), ``rank`` (1 = highest weighted degree, ties by
    key, as the table is sorted), every other column of the centrality table under its own name,
    and the flow table's :data:`FLOW_PROPERTIES`. Missing values become null (left out).
    """
    scale, period = t.graph.scale, t.graph.label
    flows = t.flow.set_index("node")
    rows = []
    for rank, record in enumerate(t.centrality.to_dict("records"), start=1):
        key = str(record.pop("node"))
        flow_row = flows.loc[key]
        properties: dict[str, Any] = {
            "scale": scale,
            "period": period,
            "key": key,
            "name": _plain(record.pop("name")),
            "name_en": _english(key, scale),
            "rank": rank,
        }
        properties |= {str(column): _plain(value) for column, value in record.items()}
        properties |= {prop: _plain(flow_row[column]) for column, prop in FLOW_PROPERTIES.items()}
        rows.append(
            {
                "period": period,
                "key": key,
                "properties": {k: v for k, v in properties.items() if v is not None},
            }
        )
    return rows


def arc_rows(tables: Iterable[PeriodTables]) -> list[dict[str, Any]]:
    """One ``{period, source, target, weight, tier, distance_km}`` per arc of ``tables``.

    ``weight`` is the integer count of collaborations, as on COLLABORATES.
    """
    return [
        {"period": t.graph.label, "source": str(source), "target": str(target)}
        | {column: _plain(value) for column, value in zip(ARC_COLUMNS, values, strict=True)}
        | {"weight": int(values[0])}  # a count of collaborations, as on COLLABORATES
        for t in tables
        for source, target, *values in t.edges[["source", "target", *ARC_COLUMNS]].itertuples(
            index=False
        )
    ]


def _collaborates(graphs: Iterable[Any]) -> dict[str, Any]:
    """``publish/<scale>_collaborates``'s parameters: the edges as columns, their ends by key."""
    found = list(graphs)
    every = pd.concat(
        [
            pd.DataFrame(columns=["source", "target", "weight", "period"]),
            *(g.edges[["source", "target", "weight"]].assign(period=g.label) for g in found),
        ],
        ignore_index=True,
    )
    ends = pd.concat([every["source"], every["target"]], ignore_index=True).astype(str)
    codes, keys = pd.factorize(ends)
    return {
        "periods": [g.label for g in found],
        "keys": [str(key) for key in keys],
        "source": codes[: len(every)].tolist(),
        "target": codes[len(every) :].tolist(),
        "period": every["period"].astype(str).tolist(),
        "weight": every["weight"].astype(int).tolist(),
    }


def _blocks(scale: Scale, found: Sequence[PeriodSubgroups]) -> dict[str, Any]:
    for item in found:
        if item.subgroups.method not in BLOCK_PROPERTIES:
            raise ValueError(
                f"no position property for {item.subgroups.method!r} blocks: "
                f"{', '.join(BLOCK_PROPERTIES)} only"
            )
    return {
        "scale": scale,
        "partitions": [{"period": item.period, "method": item.subgroups.method} for item in found],
        "rows": [
            {"period": item.period, "method": item.subgroups.method, "key": str(k), "block": int(b)}
            for item in found
            for k, b in zip(
                item.subgroups.members["node"], item.subgroups.members["block"], strict=True
            )
        ],
    }


def _english(key: str, scale: Scale) -> str | None:
    if scale == "applicant":
        return None
    try:
        return names.english_name(key, scale)
    except KeyError:  # a region copatent's reference tables do not know (a graph of another tool)
        return None


def _plain(value: Any) -> Any:
    """A Python value the driver sends as is: NA, NaN and ``""`` → None, numpy → Python.

    (The tables write ``""`` as the range of a missing tier.)
    """
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, str) and not value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _count(frame: pd.DataFrame, column: str) -> int:
    return int(frame.iloc[0][column]) if len(frame) else 0


def run_record(db: Database, record: Mapping[str, Any]) -> None:
    """Write (or rewrite) the ``(:Run {study, id})`` node of a study run from its ``run.json``.

    Plain values stay properties; lists of plain values stay lists; anything nested (the
    parameters, the headline figures, the inputs) is stored as JSON text, as in ``run.json``.
    """
    props: dict[str, object] = {}
    for key, value in record.items():
        if value is None or isinstance(value, str | int | float | bool):
            props[key] = value
        elif isinstance(value, list | tuple) and all(
            isinstance(v, str | int | float) for v in value
        ):
            props[key] = list(value)
        else:
            props[key] = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    db.run(
        "publish/run_record",
        {"study": str(record["study"]), "id": int(record["id"]), "props": props},
        write=True,
    )
