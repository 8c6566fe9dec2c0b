"""Findings: short sentences computed from the results, each with its numbers.

The kind of sentence the study writes about its tables (which indicators rise or fall, who leads,
which arcs are strongest, what a subgroup is centred around, which factors explain centrality),
computed, never typed: every number in a sentence comes from the tables it cites. Sentences state
facts about the networks, not policy.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from copatent.analytics.analysis import Analysis
from copatent.analytics.geodetector import Factor
from copatent.analytics.periods import Scale
from copatent.analytics.regional import RegionalDetection
from copatent.analytics.subgroups import PeriodSubgroups


@dataclass(frozen=True)
class Finding:
    """One sentence, with its topic and the scale it is about (``None``: all scales).

    Topics: ``trend``, ``centralization``, ``top``, ``flow``, ``arcs``, ``subgroups``,
    ``factors``, ``geography``.
    """

    topic: str
    scale: str | None
    text: str


TREND_INDICATORS: Final[dict[str, tuple[str, str]]] = {
    # column: (words, number format)
    "nodes": ("the number of nodes", "d"),
    "edges": ("the number of arcs", "d"),
    "density_binary": ("the density", ".3f"),
    "modularity": ("the modularity", ".3f"),
    "avg_clustering_gephi": ("the average clustering coefficient", ".3f"),
    "avg_path_length_gephi": ("the average path length", ".3f"),
    "out_centralization_maxtie_pct": ("out-degree centralization (UCINET, valued)", ".2f"),
    "in_centralization_maxtie_pct": ("in-degree centralization (UCINET, valued)", ".2f"),
}
"""The Table 1 indicators the trend sentences describe, in the study's order."""

PLURAL: Final = {"province": "provinces", "city": "cities", "applicant": "applicants"}

Namer = Callable[[str, str], str]
"""``(node key, name as stored) -> the label printed``."""


def _as_given(_node: str, name: str) -> str:
    return name


def findings(
    analysis: Analysis,
    subgroups: Sequence[PeriodSubgroups] = (),
    detections: Sequence[RegionalDetection] = (),
    *,
    label: Namer = _as_given,
    top: int = 5,
) -> list[Finding]:
    """Every finding the results support, by topic and scale.

    ``label`` turns a node into the name a sentence prints (``--lang``); ``top`` regions are
    named in the sentences on centrality.
    """
    found: list[Finding] = []
    table1 = analysis.table1()
    last = analysis.periods[-1].label
    for scale in analysis.scales:
        rows = table1[table1["scale"] == scale].set_index("period")
        if len(rows) >= 2:
            found += [
                Finding("trend", scale, f"At {scale} scale, {text}.")
                for text in _trends(rows, [p.label for p in analysis.periods])
            ]
        found += _centralization(scale, rows)
        tables = analysis.tables[(scale, last)]
        if tables.centrality.empty:
            continue
        found += _top(scale, last, tables.centrality, label, top)
        found += _flow(scale, last, tables.flow, label)
        found += _arcs(analysis, scale, label)
        found += _geography(scale, last, tables.edges, tables.centrality, label)
    for part in subgroups:
        found += _subgroups(part, label)
    for detection in detections:
        found += _factors(detection)
    return found


def _number(value: float, fmt: str) -> str:
    if fmt == "d":
        return f"{round(value):,d}"
    return format(value, fmt)


def _trends(rows: pd.DataFrame, periods: list[str]) -> list[str]:
    texts = []
    for column, (words, fmt) in TREND_INDICATORS.items():
        values = [float(v) for v in rows.loc[[p for p in periods if p in rows.index], column]]
        labels = [p for p in periods if p in rows.index]
        if len(values) < 2 or any(math.isnan(v) for v in values):
            continue
        first, final = values[0], values[-1]
        span = f"from {_number(first, fmt)} in {labels[0]} to {_number(final, fmt)} in {labels[-1]}"
        steps = [b - a for a, b in itertools.pairwise(values)]
        if all(s > 0 for s in steps):
            texts.append(f"{words} rises from period to period, {span}")
        elif all(s < 0 for s in steps):
            texts.append(f"{words} falls from period to period, {span}")
        elif final > first:
            turn = labels[1 + [s <= 0 for s in steps].index(True)]
            texts.append(f"{words} rises overall, {span}, with a fall or a standstill in {turn}")
        elif final < first:
            turn = labels[1 + [s >= 0 for s in steps].index(True)]
            texts.append(f"{words} falls overall, {span}, with a rise or a standstill in {turn}")
        else:
            texts.append(f"{words} is {_number(first, fmt)} in {labels[0]} and in {labels[-1]}")
    return texts


def _centralization(scale: str, rows: pd.DataFrame) -> list[Finding]:
    out = rows["out_centralization_maxtie_pct"].astype(float)
    into = rows["in_centralization_maxtie_pct"].astype(float)
    known = out.notna() & into.notna()
    if not known.any():
        return []
    above = int((out[known] > into[known]).sum())
    pairs = "; ".join(
        f"{p}: {out[p]:.2f} % vs {into[p]:.2f} %" for p in rows.index[known.to_numpy()]
    )
    if above == int(known.sum()):
        verdict = "exceeds in-degree centralization in every period"
    elif above == 0:
        verdict = "stays at or below in-degree centralization in every period"
    else:
        verdict = f"exceeds in-degree centralization in {above} of {int(known.sum())} periods"
    text = f"At {scale} scale, out-degree centralization (UCINET, valued) {verdict} ({pairs}): " + (
        "leading collaborations is more concentrated than joining them."
        if above > int(known.sum()) / 2
        else "joining collaborations is at least as concentrated as leading them."
    )
    return [Finding("centralization", scale, text)]


def _top(
    scale: str, period: str, centrality: pd.DataFrame, label: Namer, top: int
) -> list[Finding]:
    head = centrality.head(top)
    named = ", ".join(
        f"{label(str(node), str(name))} ({_number(float(degree), 'd')}"
        + ("" if pd.isna(tier) else f", tier {int(tier)}")
        + ")"
        for node, name, degree, tier in zip(
            head["node"], head["name"], head["weighted_degree"], head["tier"], strict=True
        )
    )
    texts = [f"In {period} the {len(head)} {PLURAL[scale]} of highest weighted degree are {named}."]
    tiers = centrality["tier"].dropna().astype(int)
    if not tiers.empty:
        counts = tiers.value_counts().sort_index(ascending=False)
        spread = ", ".join(f"tier {t}: {n}" for t, n in counts.items())
        texts.append(
            f"The {len(centrality)} {PLURAL[scale]} of {period} fall into tiers as {spread}."
        )
    return [Finding("top", scale, text) for text in texts]


def _flow(scale: str, period: str, flow: pd.DataFrame, label: Namer) -> list[Finding]:
    leaders = flow[flow["role"] == "leader"]
    participants = flow[flow["role"] == "participant"]
    text = (
        f"In {period}, {len(leaders)} {PLURAL[scale]} are net leaders (they lead more "
        f"collaborations than they join) and {len(participants)} are net participants"
    )
    if not leaders.empty:
        big = flow.assign(total=flow["out_strength"] + flow["in_strength"]).sort_values(
            "total", ascending=False
        )
        first = big.iloc[0]
        led, joined = float(first["out_strength"]), float(first["in_strength"])
        role = {"leader": "a net leader", "participant": "a net participant"}.get(
            str(first["role"]), "balanced"
        )
        text += (
            f"; the most active, {label(str(first['node']), str(first['name']))}, is {role} "
            f"(led {_number(led, 'd')}, joined {_number(joined, 'd')}, "
            f"A = {float(first['effective_flow']):.3f})"
        )
    return [Finding("flow", scale, text + ".")]


def _arcs(analysis: Analysis, scale: Scale, label: Namer) -> list[Finding]:
    strongest = []
    for period in analysis.periods:
        edges = analysis.tables[(scale, period.label)].edges
        if edges.empty:
            continue
        e = edges.iloc[0]
        pair = (
            f"{label(str(e['source']), str(e['source_name']))} → "
            f"{label(str(e['target']), str(e['target_name']))}"
        )
        strongest.append((period.label, pair, int(e["weight"])))
    if not strongest:
        return []
    pairs = {pair for _, pair, _ in strongest}
    if len(pairs) == 1 and len(strongest) > 1:
        weights = ", ".join(f"{w:,d} in {p}" for p, _, w in strongest)
        pair = strongest[0][1]
        text = f"At {scale} scale the strongest arc of every period is {pair} ({weights})."
    else:
        listed = "; ".join(f"{p}: {pair} ({w:,d})" for p, pair, w in strongest)
        text = f"At {scale} scale the strongest arc per period: {listed}."
    return [Finding("arcs", scale, text)]


def _subgroups(part: PeriodSubgroups, label: Namer) -> list[Finding]:
    blocks = part.subgroups.blocks
    if blocks.empty:
        return []
    largest = blocks.sort_values(["members", "block"], ascending=[False, True]).iloc[0]
    total = int(blocks["members"].sum())
    core = label(str(largest["core"]), str(largest["core_name"]))
    method = {"concor": "CONCOR", "louvain": "Louvain", "leiden": "Leiden"}.get(
        str(part.subgroups.method), str(part.subgroups.method)
    )
    text = (
        f"Of the {len(blocks)} {method} subgroups of the {part.scale} network in {part.period}, "
        f"the largest is block {int(largest['block'])} with {int(largest['members'])} of {total} "
        f"{PLURAL[part.scale]}, centred around {core}"
    )
    whole = part.subgroups.ei_binary.whole_ei
    if not math.isnan(whole):
        text += f"; the whole network's E-I index is {whole:.3f} (ties between subgroups"
        text += " outnumber ties inside them)" if whole > 0 else " (ties inside subgroups dominate)"
    return [Finding("subgroups", part.scale, text + ".")]


def _factors(found: RegionalDetection, shown: int = 2) -> list[Finding]:
    factors = sorted((f for f in found.detection.factor if not math.isnan(f.q)), key=lambda f: -f.q)
    if not factors:
        return []

    def said(f: Factor) -> str:
        p = f.p_value
        where = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
        return f"{f.x} (q = {f.q:.3f}, {where})"

    strongest = " and ".join(said(f) for f in factors[:shown])
    text = (
        f"At {found.scale} scale in {found.period} the factor detector finds {strongest} "
        f"explaining most of the spatial variation of {found.detection.y}"
    )
    if len(factors) > shown:
        text += f", and {said(factors[-1])} the least"
    return [Finding("factors", found.scale, text + ".")]


def _geography(
    scale: str, period: str, edges: pd.DataFrame, centrality: pd.DataFrame, label: Namer
) -> list[Finding]:
    """Distance, same province and bordering of the arcs; the share of each tier at the hub."""
    if "distance_km" not in edges.columns or edges["distance_km"].isna().all():
        return []
    texts = []
    placed = edges[edges["distance_km"].notna()]
    weight = placed["weight"].astype(float)
    total = float(weight.sum())
    mean_km = float((placed["distance_km"] * weight).sum() / total) if total else math.nan
    border = placed["bordering"].fillna(value=False).astype(bool).to_numpy()
    text = (
        f"In {period} the collaborations between {PLURAL[scale]} span {mean_km:,.0f} km on "
        f"average (weighted by collaborations); {100 * weight[border].sum() / total:.1f} % of "
        f"them link bordering {PLURAL[scale]}"
    )
    if scale == "city":
        same = placed["same_province"].fillna(value=False).astype(bool).to_numpy()
        text += f" and {100 * weight[same].sum() / total:.1f} % two cities of one province"
    texts.append(text + ".")
    tiers = placed["tier"].dropna().astype(int)
    if not tiers.empty:
        top = int(tiers.max())
        strong = placed[placed["tier"].astype("Int64") >= max(top - 1, 1)]
        near = strong[
            strong["bordering"].fillna(value=False).astype(bool)
            | strong["same_province"].fillna(value=False).astype(bool)
        ]
        pairs = ", ".join(
            f"{label(str(r['source']), str(r['source_name']))} → "
            f"{label(str(r['target']), str(r['target_name']))}"
            for r in near.to_dict("records")
        )
        where = (
            "two cities of one province or bordering cities"
            if scale == "city"
            else "bordering provinces"
        )
        texts.append(
            f"Of the {len(strong)} arcs in the top two edge tiers, {len(near)} join {where}"
            + (f" ({pairs})." if pairs else ".")
        )
        hub = str(centrality.iloc[0]["node"])
        hub_name = label(hub, str(centrality.iloc[0]["name"]))
        shares = []
        for tier in sorted(tiers.unique(), reverse=True):
            in_tier = placed[placed["tier"].astype("Int64") == tier]
            at_hub = ((in_tier["source"] == hub) | (in_tier["target"] == hub)).sum()
            shares.append(f"tier {tier}: {at_hub} of {len(in_tier)}")
        texts.append(f"Arcs touching {hub_name}, by edge tier: {'; '.join(shares)}.")
    return [Finding("geography", scale, t) for t in texts]
