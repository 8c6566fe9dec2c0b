"""What changed between two runs: two folders of ``copatent report --out``, compared.

:func:`diff_outputs` reads the CSV tables of two report folders (``analysis/`` and ``detect/``,
never a database) and returns plain, JSON-ready values (missing and NaN as ``None``):

- ``before``, ``after``: the runs' ids (``run_id`` or ``id`` of the folder's ``run.json``), else
  the folders' names;
- ``table1``: ``{scale, period, indicator, before, after}`` for each Table 1 indicator (every
  column of ``analysis/table1.csv`` but ``scale``, ``period`` and the ``betweenness`` method note)
  whose value differs. A scale and period that only one run has gives a row for each of its
  indicators, ``before`` or ``after`` null;
- ``regions_added``, ``regions_removed``: ``{scale, period, region, name}``, the node sets of the
  centrality tables (``analysis/centrality_<scale>_<period>.csv``) compared per scale and period;
  a period only one run has lists all its regions. In the order of the table that has them
  (highest weighted degree first);
- ``tier_changes``: ``{scale, period, region, name, before, after}``, a region in both runs whose
  weighted-degree tier (the centrality table's ``tier``) differs;
- ``arcs_added``, ``arcs_removed``: ``{scale, period, source, source_name, target, target_name,
  weight, tier}``, arcs (``analysis/edges_<scale>_<period>.csv``) that only one run has, kept when
  their tier in that run is one of its two strongest edge tiers: tier ≥ K − 1, K the number of
  edge tiers of the scale in that run's ``analysis/edge_tiers.csv`` (:data:`STRONG_TIERS`);
- ``arc_tier_changes``: ``{scale, period, source, source_name, target, target_name,
  weight_before, weight_after, before, after}``, arcs in both runs whose edge tier differs, kept
  when either tier is among the two strongest of its run;
- ``edge_tier_breaks``: ``{scale, before, after}``, the ranges of the edge tiers (the ``range``
  column of ``analysis/edge_tiers.csv``, weakest first) of a scale whose ranges differ: then an
  arc's tier can change with its weight the same;
- ``factors``: ``{scale, factor, before, after, before_period, after_period}``, the factor
  detector's q (``detect/<scale>_<period>_factor.csv``, columns ``x`` and ``q``) of each factor
  whose q differs; per scale the table of the report's baseline period (``report.json``), else of
  the latest period. A factor (or a scale) only one run has gives a row with a null side.

Numbers compare equal within a relative :data:`TOLERANCE`. Tiers are compared as numbers:
the edge tiers of a report are cut at the breaks of its baseline period, so two runs with other
data or another baseline can cut at other weights (``analysis/edge_tiers.csv`` has the ranges).

:func:`summary_lines` says the same in short sentences, for the command line and the report.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from copatent._errors import InputError
from copatent.tables import one_line, read_table

Value = int | float | str | None
Key = tuple[str, str]
"""(scale, period)"""

KEYS: Final = (
    "before",
    "after",
    "table1",
    "regions_added",
    "regions_removed",
    "tier_changes",
    "arcs_added",
    "arcs_removed",
    "arc_tier_changes",
    "edge_tier_breaks",
    "factors",
)
"""The keys of :func:`diff_outputs`, in order."""

NOT_INDICATORS: Final = frozenset({"scale", "period", "betweenness"})
"""Columns of ``table1.csv`` that are no indicator (``betweenness`` says exact or sampled)."""

STRONG_TIERS: Final = 2
"""How many of the strongest edge tiers the arcs added and removed are kept from."""

TOLERANCE: Final = 1e-9
SCALE_ORDER: Final = ("province", "city", "applicant")
TABLE1: Final = "analysis/table1.csv"

INDICATOR_WORDS: Final = {
    "nodes": "nodes",
    "edges": "arcs",
    "density_binary": "density",
    "density_valued": "valued density",
    "modularity": "modularity",
    "communities": "communities",
}


@dataclass(frozen=True)
class _Node:
    name: str
    tier: Value


@dataclass(frozen=True)
class _Arc:
    source_name: str
    target_name: str
    weight: Value
    tier: Value


@dataclass(frozen=True)
class _Run:
    """The tables of one report folder that the diff compares."""

    name: str
    indicators: tuple[str, ...]
    table1: dict[Key, dict[str, Value]]
    nodes: dict[Key, dict[str, _Node]]
    arcs: dict[Key, dict[tuple[str, str], _Arc]]
    edge_tiers: dict[str, int]
    edge_ranges: dict[str, list[str]]
    factors: dict[str, tuple[str, dict[str, Value]]]

    def strong(self, scale: str, tier: Value) -> bool:
        """Whether ``tier`` is one of the :data:`STRONG_TIERS` strongest edge tiers of ``scale``."""
        top = self.edge_tiers.get(scale)
        return isinstance(tier, int) and top is not None and tier > top - STRONG_TIERS


def diff_outputs(before: Path, after: Path) -> dict[str, object]:
    """What changed from the report folder ``before`` to ``after`` (see the module).

    Raises
    ------
    copatent._errors.InputError
        One line naming the folder and the file when a folder is not a report output (no
        ``analysis/table1.csv``) or one of its tables lacks a column the diff reads.
    """
    b, a = _load(before), _load(after)
    keys = _ordered(set(b.table1) | set(a.table1))
    added, removed, tiers = _regions(b, a, keys)
    arcs_added, arcs_removed, arc_tiers = _arcs(b, a, keys)
    return {
        "before": b.name,
        "after": a.name,
        "table1": _table1(b, a, keys),
        "regions_added": added,
        "regions_removed": removed,
        "tier_changes": tiers,
        "arcs_added": arcs_added,
        "arcs_removed": arcs_removed,
        "arc_tier_changes": arc_tiers,
        "edge_tier_breaks": [
            {"scale": scale, "before": b.edge_ranges.get(scale), "after": a.edge_ranges.get(scale)}
            for scale in _ordered_scales(set(b.edge_ranges) | set(a.edge_ranges))
            if b.edge_ranges.get(scale) != a.edge_ranges.get(scale)
        ],
        "factors": _factors(b, a),
    }


# --------------------------------------------------------------------------------------------
# comparing


def _table1(b: _Run, a: _Run, keys: list[Key]) -> list[dict[str, Value]]:
    indicators = [*a.indicators, *(i for i in b.indicators if i not in a.indicators)]
    rows: list[dict[str, Value]] = []
    for key in keys:
        was, now = b.table1.get(key), a.table1.get(key)
        for indicator in indicators:
            old = None if was is None else was.get(indicator)
            new = None if now is None else now.get(indicator)
            if was is None or now is None or not _same(old, new):
                rows.append(_at(key) | {"indicator": indicator, "before": old, "after": new})
    return rows


def _regions(b: _Run, a: _Run, keys: list[Key]) -> tuple[list[Any], list[Any], list[Any]]:
    added: list[dict[str, Value]] = []
    removed: list[dict[str, Value]] = []
    tiers: list[dict[str, Value]] = []
    for key in keys:
        was, now = b.nodes.get(key, {}), a.nodes.get(key, {})
        for node, n in now.items():
            if node not in was:
                added.append(_at(key) | {"region": node, "name": n.name})
            elif not _same(was[node].tier, n.tier):
                tiers.append(
                    _at(key)
                    | {"region": node, "name": n.name, "before": was[node].tier, "after": n.tier}
                )
        removed += [
            _at(key) | {"region": node, "name": n.name}
            for node, n in was.items()
            if node not in now
        ]
    return added, removed, tiers


def _arcs(b: _Run, a: _Run, keys: list[Key]) -> tuple[list[Any], list[Any], list[Any]]:
    added: list[dict[str, Value]] = []
    removed: list[dict[str, Value]] = []
    tiers: list[dict[str, Value]] = []
    for key in keys:
        scale = key[0]
        was, now = b.arcs.get(key, {}), a.arcs.get(key, {})
        for pair, arc in now.items():
            old = was.get(pair)
            if old is None:
                if a.strong(scale, arc.tier):
                    added.append(_arc(key, pair, arc) | {"weight": arc.weight, "tier": arc.tier})
            elif not _same(old.tier, arc.tier) and (
                b.strong(scale, old.tier) or a.strong(scale, arc.tier)
            ):
                tiers.append(
                    _arc(key, pair, arc)
                    | {
                        "weight_before": old.weight,
                        "weight_after": arc.weight,
                        "before": old.tier,
                        "after": arc.tier,
                    }
                )
        removed += [
            _arc(key, pair, arc) | {"weight": arc.weight, "tier": arc.tier}
            for pair, arc in was.items()
            if pair not in now and b.strong(scale, arc.tier)
        ]
    return added, removed, tiers


def _factors(b: _Run, a: _Run) -> list[dict[str, Value]]:
    rows: list[dict[str, Value]] = []
    for scale in _ordered_scales(set(b.factors) | set(a.factors)):
        period_b, was = b.factors.get(scale, (None, {}))
        period_a, now = a.factors.get(scale, (None, {}))
        for factor in [*now, *(f for f in was if f not in now)]:
            old, new = was.get(factor), now.get(factor)
            if factor not in was or factor not in now or not _same(old, new):
                rows.append(
                    {
                        "scale": scale,
                        "factor": factor,
                        "before": old,
                        "after": new,
                        "before_period": period_b,
                        "after_period": period_a,
                    }
                )
    return rows


def _at(key: Key) -> dict[str, Value]:
    return {"scale": key[0], "period": key[1]}


def _arc(key: Key, pair: tuple[str, str], arc: _Arc) -> dict[str, Value]:
    return _at(key) | {
        "source": pair[0],
        "source_name": arc.source_name,
        "target": pair[1],
        "target_name": arc.target_name,
    }


def _same(x: Value, y: Value) -> bool:
    numbers = (int, float)
    if isinstance(x, numbers) and isinstance(y, numbers):
        return math.isclose(x, y, rel_tol=TOLERANCE, abs_tol=1e-12)
    return x == y


def _scale_rank(scale: str) -> tuple[int, str]:
    return (SCALE_ORDER.index(scale) if scale in SCALE_ORDER else len(SCALE_ORDER), scale)


def _ordered(keys: Iterable[Key]) -> list[Key]:
    return sorted(keys, key=lambda k: (_scale_rank(k[0]), k[1]))


def _ordered_scales(scales: Iterable[str]) -> list[str]:
    return sorted(scales, key=_scale_rank)


# --------------------------------------------------------------------------------------------
# reading a report folder


def _load(folder: Path) -> _Run:
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder (expected a copatent report output)")
    if not (folder / TABLE1).is_file():
        raise InputError(f"{folder}: not a copatent report output (no {TABLE1})")
    table1 = _read(folder, TABLE1, ("scale", "period"))
    table1 = table1[table1["scale"].str.strip() != ""]
    indicators = tuple(c for c in table1.columns if c not in NOT_INDICATORS)
    rows = {
        (str(r["scale"]).strip(), str(r["period"]).strip()): {c: _value(r[c]) for c in indicators}
        for r in table1.to_dict("records")
    }
    nodes = {key: _nodes(folder, key) for key in rows}
    arcs = {key: _arc_table(folder, key) for key in rows}
    return _Run(
        name=_run_name(folder),
        indicators=indicators,
        table1=rows,
        nodes=nodes,
        arcs=arcs,
        edge_tiers=_edge_tiers(folder, arcs),
        edge_ranges=_edge_ranges(folder),
        factors=_factor_tables(folder),
    )


def _read(folder: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """A table of the folder as text cells; one line naming the file when it cannot be used."""
    path = folder / name
    if not path.is_file():
        raise InputError(f"{folder}: an incomplete copatent report output (no {name})")
    table, problems = read_table(path)
    if problems or table is None:
        raise InputError(one_line([(str(path), problems)]))
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{path}: no column {', '.join(missing)}")
    return table


def _nodes(folder: Path, key: Key) -> dict[str, _Node]:
    table = _read(folder, f"analysis/centrality_{key[0]}_{key[1]}.csv", ("node", "name", "tier"))
    return {
        str(node): _Node(str(name), _value(tier))
        for node, name, tier in _records(table, ("node", "name", "tier"))
        if str(node).strip()
    }


def _arc_table(folder: Path, key: Key) -> dict[tuple[str, str], _Arc]:
    columns = ("source", "source_name", "target", "target_name", "weight", "tier")
    table = _read(folder, f"analysis/edges_{key[0]}_{key[1]}.csv", columns)
    return {
        (str(s), str(t)): _Arc(str(sn), str(tn), _value(w), _value(tier))
        for s, sn, t, tn, w, tier in _records(table, columns)
        if str(s).strip()
    }


def _edge_tiers(folder: Path, arcs: Mapping[Key, Mapping[tuple[str, str], _Arc]]) -> dict[str, int]:
    """The number of edge tiers per scale: ``edge_tiers.csv``, else the highest tier of an arc."""
    found: dict[str, int] = {}
    if (folder / "analysis/edge_tiers.csv").is_file():
        table = _read(folder, "analysis/edge_tiers.csv", ("scale", "tier"))
        pairs: Iterable[tuple[str, Value]] = (
            (str(s), _value(t)) for s, t in _records(table, ("scale", "tier"))
        )
    else:
        pairs = ((key[0], arc.tier) for key, table in arcs.items() for arc in table.values())
    for scale, tier in pairs:
        if isinstance(tier, int):
            found[scale] = max(tier, found.get(scale, tier))
    return found


def _edge_ranges(folder: Path) -> dict[str, list[str]]:
    """The ranges of the edge tiers per scale, weakest tier first (none without the file)."""
    if not (folder / "analysis/edge_tiers.csv").is_file():
        return {}
    table = _read(folder, "analysis/edge_tiers.csv", ("scale", "tier"))
    if "range" not in table.columns:
        return {}
    found: dict[str, list[str]] = {}
    for scale, text in _records(table, ("scale", "range")):  # written weakest tier first
        found.setdefault(str(scale), []).append(str(text))
    return found


def _factor_tables(folder: Path) -> dict[str, tuple[str, dict[str, Value]]]:
    """Per scale the factor detector's q of the baseline period (else the latest): period, q."""
    periods: dict[str, list[str]] = {}
    for path in sorted((folder / "detect").glob("*_factor.csv")):
        scale, _, period = path.name.removesuffix("_factor.csv").rpartition("_")
        if scale and _is_period(period):
            periods.setdefault(scale, []).append(period)
    baseline = _baseline(folder)
    found: dict[str, tuple[str, dict[str, Value]]] = {}
    for scale, listed in periods.items():
        period = baseline if baseline in listed else max(listed)
        table = _read(folder, f"detect/{scale}_{period}_factor.csv", ("x", "q"))
        found[scale] = (period, {str(x): _value(q) for x, q in _records(table, ("x", "q"))})
    return found


def _is_period(text: str) -> bool:
    start, dash, end = text.partition("-")
    return bool(dash) and len(start) == len(end) == 4 and (start + end).isdigit()


def _json_object(path: Path) -> dict[str, Any]:
    try:
        found = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _baseline(folder: Path) -> str | None:
    parameters = _json_object(folder / "report.json").get("parameters")
    baseline = parameters.get("baseline") if isinstance(parameters, dict) else None
    return baseline if isinstance(baseline, str) else None


def _run_name(folder: Path) -> str:
    record = _json_object(folder / "run.json")
    for key in ("run_id", "id"):
        value = record.get(key)
        if isinstance(value, str) and value:
            return value
    return folder.resolve().name


def _records(table: pd.DataFrame, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    return list(table.loc[:, list(columns)].itertuples(index=False, name=None))


def _value(cell: object) -> Value:
    """A cell of a table read as text: an int, a float, the text, or ``None`` (empty, NaN).

    >>> [_value(c) for c in ("4", "27.0", "nan", "", "110000", "exact", "1_0")]
    [4, 27.0, None, None, 110000, 'exact', '1_0']
    """
    text = str(cell).strip()
    if not text:
        return None
    if "_" in text:
        return text
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return text
    return None if math.isnan(number) else number


# --------------------------------------------------------------------------------------------
# sentences


def summary_lines(diff: Mapping[str, object], *, limit: int | None = 10) -> list[str]:
    """Short sentences saying what :func:`diff_outputs` found, for people.

    One sentence per scale and period whose Table 1 changed and per scale and period with
    regions added or removed; one per tier change, arc and factor, at most ``limit`` of each
    kind (``None``: all) and then how many more.

    >>> summary_lines({"before": "a", "after": "b", "factors": [{"scale": "province",
    ...     "factor": "gdp", "before": 0.41, "after": 0.52, "before_period": "2016-2020",
    ...     "after_period": "2016-2020"}]})
    ['q of gdp rose from 0.41 to 0.52 (province 2016-2020)']
    """
    lines = _table1_lines(_list(diff, "table1"))
    lines += _region_lines(_list(diff, "regions_added"), "added")
    lines += _region_lines(_list(diff, "regions_removed"), "removed")
    kinds: list[tuple[str, Callable[[dict[str, Any]], str], str]] = [
        ("tier_changes", _tier_line, "tier changes"),
        ("edge_tier_breaks", _breaks_line, "changes of edge tier breaks"),
        ("arcs_added", _added_line, "arcs added"),
        ("arcs_removed", _removed_line, "arcs removed"),
        ("arc_tier_changes", _arc_tier_line, "arc tier changes"),
        ("factors", _factor_line, "factor changes"),
    ]
    for key, say, what in kinds:
        rows = _list(diff, key)
        shown = rows if limit is None else rows[:limit]
        lines += [say(r) for r in shown]
        if len(rows) > len(shown):
            lines.append(f"… and {len(rows) - len(shown)} more {what}")
    if not lines:
        lines.append(f"no change from {diff.get('before')} to {diff.get('after')}")
    return lines


def _list(diff: Mapping[str, object], key: str) -> list[dict[str, Any]]:
    found = diff.get(key)
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def _grouped(rows: list[dict[str, Any]]) -> dict[Key, list[dict[str, Any]]]:
    groups: dict[Key, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((str(row["scale"]), str(row["period"])), []).append(row)
    return groups


def _table1_lines(rows: list[dict[str, Any]], shown: int = 4) -> list[str]:
    lines = []
    for (scale, period), group in _grouped(rows).items():
        values = {r["indicator"]: r for r in group}

        def size(side: str, values: dict[str, dict[str, Any]] = values) -> str:
            counts = [
                f"{_num(values[c][side])} {INDICATOR_WORDS[c]}"
                for c in ("nodes", "edges")
                if c in values and values[c][side] is not None
            ]
            return " and ".join(counts) or "no values"

        if all(r["before"] is None for r in group) and any(r["after"] is not None for r in group):
            lines.append(f"{scale} {period}: new period, {size('after')}")
        elif all(r["after"] is None for r in group) and any(r["before"] is not None for r in group):
            lines.append(f"{scale} {period}: period gone (had {size('before')})")
        else:
            said = [
                f"{INDICATOR_WORDS.get(r['indicator'], r['indicator'])} "
                f"{_num(r['before'])} → {_num(r['after'])}"
                for r in group[:shown]
            ]
            more = f" and {len(group) - shown} more indicators" if len(group) > shown else ""
            lines.append(f"{scale} {period}: {', '.join(said)}{more}")
    return lines


def _region_lines(rows: list[dict[str, Any]], what: str, named: int = 3) -> list[str]:
    lines = []
    for (scale, period), group in _grouped(rows).items():
        names = [_name(r["name"], r["region"]) for r in group]
        listed = ", ".join(names[:named])
        if len(names) > named:
            listed += f" and {len(names) - named} more"
        noun = "region" if len(group) == 1 else "regions"
        lines.append(f"{scale} {period}: {len(group)} {noun} {what} ({listed})")
    return lines


def _tier_line(r: dict[str, Any]) -> str:
    return (
        f"{_name(r['name'], r['region'])} {_moved(r['before'], r['after'])} from tier "
        f"{_num(r['before'])} to tier {_num(r['after'])} in {r['scale']} {r['period']}"
    )


def _pair(r: dict[str, Any]) -> str:
    return f"{_name(r['source_name'], r['source'])} → {_name(r['target_name'], r['target'])}"


def _added_line(r: dict[str, Any]) -> str:
    return (
        f"{_pair(r)} entered tier {_num(r['tier'])} in {r['scale']} {r['period']} "
        f"(a new arc, weight {_num(r['weight'])})"
    )


def _removed_line(r: dict[str, Any]) -> str:
    return (
        f"{_pair(r)} left tier {_num(r['tier'])} in {r['scale']} {r['period']} "
        f"(the arc is gone, weight was {_num(r['weight'])})"
    )


def _arc_tier_line(r: dict[str, Any]) -> str:
    return (
        f"{_pair(r)} {_moved(r['before'], r['after'])} from tier {_num(r['before'])} to tier "
        f"{_num(r['after'])} in {r['scale']} {r['period']}"
    )


def _breaks_line(r: dict[str, Any]) -> str:
    def ranges(side: object) -> str:
        return "; ".join(side) if isinstance(side, list) else "none"

    return (
        f"{r['scale']} edge tiers are cut at other weights: {ranges(r['before'])} → "
        f"{ranges(r['after'])}"
    )


def _factor_line(r: dict[str, Any]) -> str:
    pb, pa = r.get("before_period"), r.get("after_period")
    period = pa or pb if pb == pa or None in (pa, pb) else f"{pb} → {pa}"
    where = f"{r['scale']} {period}"
    if r["before"] is None:
        return f"q of {r['factor']} is {_q(r['after'])}, none before ({where})"
    if r["after"] is None:
        return f"q of {r['factor']} was {_q(r['before'])}, none now ({where})"
    old, new = _q(r["before"]), _q(r["after"])
    if old == new:
        old, new = _q(r["before"], 4), _q(r["after"], 4)
    return f"q of {r['factor']} {_moved(r['before'], r['after'])} from {old} to {new} ({where})"


def _moved(
    old: object, new: object, *, up: str = "rose", down: str = "fell", other: str = "moved"
) -> str:
    if isinstance(old, int | float) and isinstance(new, int | float):
        return up if new > old else down
    return other


def _name(name: object, key: object) -> str:
    text = "" if name is None else str(name)
    return text or str(key)


def _num(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,d}"
    if isinstance(value, int):
        return f"{value:,d}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _q(value: object, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if isinstance(value, int | float) else "n/a"
