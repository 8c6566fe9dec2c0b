"""``copatent analyze``: Table 1, Table 2, effective flow and edge tiers per period and scale."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from copatent.analytics import analysis, community, flow
from copatent.analytics.collab import DEFAULT_PERIODS, SCALES, Scale
from copatent.analytics.engines.base import Engine, period_label
from copatent.analytics.engines.neo4j import DEFAULT_BETWEENNESS_SOURCES
from copatent.commands._engines import (
    EngineChoice,
    EngineOption,
    InputsOption,
    RestartsOption,
    check_inputs,
    open_engine,
    require_edges,
)
from copatent.commands._inputs import (
    ColumnsOption,
    DropPolicyOption,
    KeywordsOption,
    Policy,
    Topic,
    TopicOption,
)
from copatent.commands._output import console, emit_json


class ScaleChoice(StrEnum):
    province = "province"
    city = "city"
    applicant = "applicant"
    all = "all"


_PLURAL: dict[Scale, str] = {"province": "provinces", "city": "cities", "applicant": "applicants"}

_ROWS = {
    "nodes": "nodes",
    "edges": "edges",
    "density_binary": "density (binary)",
    "density_valued": "density (valued)",
    "modularity": "modularity",
    "communities": "communities",
    "avg_clustering_gephi": "avg clustering (Gephi)",
    "avg_path_length_gephi": "avg path length (Gephi)",
    "diameter": "diameter",
    "out_centralization_binary_pct": "out-degree centralization %",
    "in_centralization_binary_pct": "in-degree centralization %",
    "out_centralization_valued_pct": "out-strength centralization %",
    "in_centralization_valued_pct": "in-strength centralization %",
    "reciprocity": "reciprocity",
    "weak_components": "weak components",
    "internal": "internal collaborations",
    "unplaced": "unplaced collaborations",
}


def analyze(
    scale: Annotated[
        ScaleChoice, typer.Option(help="Scale of the networks; all = province, city, applicant.")
    ] = ScaleChoice.all,
    period: Annotated[
        list[str] | None,
        typer.Option(
            help="Period START-END (inclusive application years), repeatable; "
            "all = 2001-2005, 2006-2010, 2011-2015, 2016-2020."
        ),
    ] = None,
    baseline: Annotated[
        str, typer.Option(help="Period whose edge-weight breaks define every period's edge tiers.")
    ] = period_label(analysis.DEFAULT_BASELINE),
    classes: Annotated[int, typer.Option(min=2, help="Natural-break classes (Jenks).")] = 4,
    isolates: Annotated[
        bool,
        typer.Option(
            "--isolates",
            help="Keep regions whose collaborations were all internal, as isolated nodes.",
        ),
    ] = False,
    engine: EngineOption = EngineChoice.neo4j,
    inputs: InputsOption = None,
    columns: ColumnsOption = None,
    topic: TopicOption = Topic.rare_earth,
    keywords: KeywordsOption = None,
    drop_policy: DropPolicyOption = Policy.patent,
    out: Annotated[Path, typer.Option(file_okay=False, help="Folder for the CSV tables.")] = Path(
        "analysis"
    ),
    top: Annotated[int, typer.Option(min=1, help="Rows of Table 2 printed per period.")] = 10,
    restarts: RestartsOption = community.DEFAULT_RESTARTS,
    seed: Annotated[
        int, typer.Option(help="Seed of Louvain's node orders and of sampled betweenness.")
    ] = community.DEFAULT_SEED,
    betweenness_sources: Annotated[
        int,
        typer.Option(
            min=1,
            help="neo4j engine: networks with more nodes get betweenness estimated from this "
            "many sampled source nodes (said in the output).",
        ),
    ] = DEFAULT_BETWEENNESS_SOURCES,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Build the collaboration networks per period and scale and compute the study's tables.

    Writes into --out: table1.csv (indicators by period x scale), edge_tiers.csv, and per scale
    and period centrality_<scale>_<period>.csv, flow_<scale>_<period>.csv and
    edges_<scale>_<period>.csv (with tiers).
    """
    periods = _periods(period)
    base = analysis.parse_period(baseline)
    scales: tuple[Scale, ...] = SCALES if scale is ScaleChoice.all else (scale.value,)  # type: ignore[assignment]
    check_inputs(engine, inputs)
    analysis.writable_folder(out)
    with open_engine(
        inputs,
        columns=columns,
        topic=topic,
        keywords=keywords,
        drop_policy=drop_policy,
        seed=seed,
        restarts=restarts,
        betweenness_sources=betweenness_sources,
        isolates=isolates,
    ) as (chosen, _):
        result = _run(chosen, scales, periods, base, classes)
    require_edges(result)
    files = result.write(out)
    if as_json:
        emit_json(_as_json(result, files, top))
        return
    _print(result, top)
    console.print(f"{len(files)} tables written to {out}/")


def _periods(values: list[str] | None) -> tuple[tuple[int, int], ...]:
    if not values or values == ["all"]:
        return DEFAULT_PERIODS
    return tuple(analysis.parse_period(v) for v in values)


def _run(
    engine: Engine,
    scales: tuple[Scale, ...],
    periods: tuple[tuple[int, int], ...],
    baseline: tuple[int, int],
    classes: int,
) -> analysis.Analysis:
    with console.status(f"analysing with the {engine.name} engine"):
        return analysis.analyse(
            engine, scales=scales, periods=periods, baseline=baseline, classes=classes
        )


def _print(result: analysis.Analysis, top: int) -> None:
    table1 = result.table1()
    labels = [period_label(p) for p in result.periods]
    for scale in result.scales:
        rows = table1[table1["scale"] == scale].set_index("period")
        table = Table(title=f"Table 1 · {scale} networks", title_justify="left")
        table.add_column("indicator")
        for label in labels:
            table.add_column(label, justify="right")
        for key, text in _ROWS.items():
            table.add_row(text, *(_fmt(rows.loc[label, key]) for label in labels))
        sampled = [str(rows.loc[x, "betweenness"]) for x in labels]
        if any(s != "exact" for s in sampled):
            table.caption = "betweenness: " + ", ".join(
                f"{x} {s}" for x, s in zip(labels, sampled, strict=True)
            )
        console.print(table)
        _print_top(result, scale, top)
        _print_flow(result, scale)
    _print_edge_tiers(result)
    for note in result.notes():
        console.print(f"note: {note}", markup=False, highlight=False)


def _print_top(result: analysis.Analysis, scale: Scale, top: int) -> None:
    table = Table(
        title=f"Table 2 · top {top} {_PLURAL[scale]} by weighted degree "
        f"(T = natural-break tier, 1 = lowest of {result.classes})",
        title_justify="left",
    )
    table.add_column("#", justify="right")
    labels = [period_label(p) for p in result.periods]
    columns = []
    for label in labels:
        table.add_column(label)
        columns.append(result.tables[(scale, label)].centrality.head(top))
    for rank in range(top):
        cells = []
        for frame in columns:
            if rank < len(frame):
                row = frame.iloc[rank]
                tier = "" if pd.isna(row["tier"]) else f" T{row['tier']}"
                cells.append(f"{escape(str(row['name']))} {_fmt(row['weighted_degree'])}{tier}")
            else:
                cells.append("")
        table.add_row(str(rank + 1), *cells)
    console.print(table)


def _print_flow(result: analysis.Analysis, scale: Scale) -> None:
    table = Table(title=f"effective flow · {scale}", title_justify="left", caption=flow.SIGN_NOTE)
    table.add_column("period")
    table.add_column("net outflow (lead)", justify="right")
    table.add_column("net inflow (join)", justify="right")
    table.add_column("balanced", justify="right")
    table.add_column("strongest leader")
    for p in result.periods:
        t = result.tables[(scale, period_label(p))]
        summary = flow.summarize(t.flow)
        leaders = t.flow[t.flow["role"] == "leader"]  # sorted by A, highest first
        lead = leaders.iloc[0] if len(leaders) else None
        leader = (
            "" if lead is None else f"{escape(str(lead['name']))} A={lead['effective_flow']:.3f}"
        )
        table.add_row(
            period_label(p),
            str(summary.net_outflow),
            str(summary.net_inflow),
            str(summary.balanced),
            leader,
        )
    console.print(table)


def _print_edge_tiers(result: analysis.Analysis) -> None:
    tiers = result.edge_tiers()
    if tiers.empty:
        return
    labels = [period_label(p) for p in result.periods]
    table = Table(
        title=f"edges per tier (breaks of {period_label(result.baseline)})", title_justify="left"
    )
    table.add_column("scale")
    table.add_column("tier (weights)")
    for label in labels:
        table.add_column(label, justify="right")
    for row in tiers.to_dict("records"):
        table.add_row(str(row["scale"]), str(row["range"]), *(str(row[x]) for x in labels))
    console.print(table)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.4f}"
    return str(value)


def _as_json(result: analysis.Analysis, files: list[Path], top: int) -> dict[str, Any]:
    return {
        "engine": result.engine,
        "scales": list(result.scales),
        "periods": [period_label(p) for p in result.periods],
        "baseline": period_label(result.baseline),
        "classes": result.classes,
        "table1": result.table1().to_dict("records"),
        "top": {
            scale: {
                period_label(p): result.tables[(scale, period_label(p))]
                .centrality.head(top)[["node", "name", "weighted_degree", "tier"]]
                .astype(object)
                .where(lambda f: f.notna(), None)
                .to_dict("records")
                for p in result.periods
            }
            for scale in result.scales
        },
        "flow": {
            scale: {
                period_label(p): flow.summarize(
                    result.tables[(scale, period_label(p))].flow
                ).as_dict()
                for p in result.periods
            }
            for scale in result.scales
        },
        "edge_tiers": result.edge_tiers().to_dict("records"),
        "notes": result.notes(),
        "files": [str(f) for f in files],
    }
