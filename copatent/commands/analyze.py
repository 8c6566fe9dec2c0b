"""``copatent analyze``: Table 1, Table 2, effective flow and edge tiers per period and scale."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer
from rich.markup import escape
from rich.table import Table

from copatent.analytics.defaults import DEFAULT_CLASSES, MAX_CLASSES
from copatent.analytics.periods import DEFAULT_BASELINE, Period, Scale
from copatent.commands._options import (
    DEFAULT_CONNECTION,
    DEFAULT_ENGINE,
    Connection,
    JsonOption,
    ScaleChoice,
    chosen_periods,
    chosen_scales,
    grouped,
)
from copatent.engines.settings import EngineSettings

if TYPE_CHECKING:
    from copatent.analytics.analysis import Analysis
    from copatent.report.study import StudyComparison

_CENTRALIZATION_NOTE = (
    "centralization %: arcs = Freeman on arc counts; weights = Freeman on strengths; "
    "UCINET = strengths over the largest arc weight (the form the study's Table 1 prints)"
)

_PLURAL: dict[Scale, str] = {"province": "provinces", "city": "cities", "applicant": "applicants"}

_ROWS = {
    "nodes": "nodes",
    "edges": "edges",
    "density_binary": "density (binary)",
    "density_valued": "density (valued)",
    "modularity": "modularity",
    "communities": "communities",
    "avg_clustering_gephi": "avg clustering (Gephi: all nodes)",
    "avg_path_length_gephi": "avg path length (Gephi)",
    "diameter": "diameter",
    "out_centralization_binary_pct": "out-centralization % arcs",
    "in_centralization_binary_pct": "in-centralization % arcs",
    "out_centralization_valued_pct": "out-centralization % weights",
    "in_centralization_valued_pct": "in-centralization % weights",
    "out_centralization_maxtie_pct": "out-centralization % UCINET",
    "in_centralization_maxtie_pct": "in-centralization % UCINET",
    "reciprocity": "reciprocity",
    "weak_components": "weak components",
    "internal": "internal collaborations",
    "unplaced": "unplaced collaborations",
}


@grouped
def analyze(
    scale: Annotated[
        list[ScaleChoice] | None,
        typer.Option(
            help="Scale of the networks, repeatable; all (default) = province, city, applicant."
        ),
    ] = None,
    period: Annotated[
        list[str] | None,
        typer.Option(
            help="Period START-END (inclusive application years), repeatable; "
            "all = 2001-2005, 2006-2010, 2011-2015, 2016-2020."
        ),
    ] = None,
    baseline: Annotated[
        str, typer.Option(help="Period whose edge-weight breaks define every period's edge tiers.")
    ] = DEFAULT_BASELINE.label,
    classes: Annotated[
        int, typer.Option(min=2, max=MAX_CLASSES, help="Natural-break classes (Jenks).")
    ] = DEFAULT_CLASSES,
    isolates: Annotated[
        bool,
        typer.Option(
            "--isolates",
            help="Keep regions whose collaborations were all internal, as isolated nodes.",
        ),
    ] = False,
    out: Annotated[Path, typer.Option(file_okay=False, help="Folder for the CSV tables.")] = Path(
        "analysis"
    ),
    top: Annotated[int, typer.Option(min=1, help="Rows of Table 2 printed per period.")] = 10,
    compare_study: Annotated[
        bool,
        typer.Option(
            "--compare-study",
            help="Also set the study's printed Table 1 (Hu et al., packaged) beside the values "
            "computed for the same scale and period: study_comparison.csv, a table, and "
            "study_comparison in --json.",
        ),
    ] = False,
    settings: EngineSettings = DEFAULT_ENGINE,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """Build the collaboration networks per period and scale and compute the study's tables.

    Writes into --out: table1.csv (indicators by period x scale), edge_tiers.csv, and per scale
    and period centrality_<scale>_<period>.csv, flow_<scale>_<period>.csv and
    edges_<scale>_<period>.csv (with tiers); with --compare-study also study_comparison.csv (the
    study's Table 1 beside copatent's, for the scales and periods the study prints). With the
    neo4j engine the results also go to the graph, replacing those of the same scales and
    periods: the networks as COLLABORATES {scale, period, weight} relationships, and every
    node's measures, tier (label Tier1..TierN), effective flow and role as a Position node per
    scale and period, linked by ARC relationships (docs/graph-model.md), for Cypher and Neo4j
    Browser.
    """
    import dataclasses  # noqa: PLC0415

    from copatent import engines, publish  # noqa: PLC0415
    from copatent.commands._output import console, emit_json  # noqa: PLC0415
    from copatent.files import writable_folder  # noqa: PLC0415
    from copatent.report import study  # noqa: PLC0415
    from copatent.report.analysis import write_analysis  # noqa: PLC0415

    periods = chosen_periods(period)
    base = Period.parse(baseline)
    scales = chosen_scales(scale or [ScaleChoice.all])
    writable_folder(out)
    settings = dataclasses.replace(settings, isolates=isolates)
    with (
        engines.open_engine(settings, connection.settings) as (engine, db),
        console.status(f"analysing with the {engine.name} engine"),
    ):
        result = engines.analyze(
            engine, scales=scales, periods=periods, baseline=base, classes=classes
        )
        require_edges(result)
        _require_baseline(result)
        if db is not None:
            publish.analysis(db, result)
    comparison = study.compare(result.table1()) if compare_study else None
    files = write_analysis(result, out, comparison=comparison)
    if as_json:
        emit_json(_as_json(result, files, top, comparison))
        return
    _print(result, top, comparison)
    console.print(f"{len(files)} tables written to {out}/")


def require_edges(result: Analysis) -> None:
    """One line when no network of ``result`` has an edge: nothing to tabulate."""
    from copatent._errors import InputError  # noqa: PLC0415

    if all(t.graph.edges.empty for t in result):
        raise InputError(
            "no collaborations between different nodes in the chosen periods and scales: load "
            "multi-applicant patents first (copatent load), or choose other periods or scales"
        )


def _require_baseline(result: Analysis) -> None:
    """One line when a baseline outside the analysed periods has no network at any scale.

    Such a baseline can only give empty edge tiers. A baseline among the analysed periods that
    has no network (a graph without 2016-2020 patents, say) keeps the tables, with notes.
    """
    from copatent._errors import InputError  # noqa: PLC0415

    base = result.baseline
    if base in result.periods:
        return
    graphs = [g for found in result.graphs.values() for g in found if g.period == base]
    if all(g.edges.empty for g in graphs):
        raise InputError(
            f"--baseline {base.label}: no collaborations in that period at "
            f"{', '.join(result.scales)}, so no edge tiers; choose a baseline period with a "
            "network (default 2016-2020)"
        )


def _print(result: Analysis, top: int, comparison: StudyComparison | None) -> None:
    from copatent.commands._output import console  # noqa: PLC0415

    table1 = result.table1()
    labels = [p.label for p in result.periods]
    for scale in result.scales:
        rows = table1[table1["scale"] == scale].set_index("period")
        table = Table(title=f"Table 1 · {scale} networks", title_justify="left")
        table.add_column("indicator")
        for label in labels:
            table.add_column(label, justify="right")
        for key, text in _ROWS.items():
            table.add_row(text, *(_fmt(rows.loc[label, key]) for label in labels))
        captions = [_CENTRALIZATION_NOTE]
        for column, what in (
            ("betweenness", "betweenness"),
            ("path_length", "path length"),
            ("diameter_bound", "diameter"),
        ):
            how = [str(rows.loc[x, column]) for x in labels]
            if any(s != "exact" for s in how):
                captions.append(
                    f"{what}: " + ", ".join(f"{x} {s}" for x, s in zip(labels, how, strict=True))
                )
        table.caption = "\n".join(captions)
        table.caption_justify = "left"
        console.print(table)
        _print_top(result, scale, top)
        _print_flow(result, scale)
    _print_edge_tiers(result)
    if comparison is not None:
        _print_comparison(comparison)
    for note in result.notes():
        console.print(f"note: {note}", markup=False, highlight=False)


def _print_top(result: Analysis, scale: Scale, top: int) -> None:
    import pandas as pd  # noqa: PLC0415

    from copatent.commands._output import console  # noqa: PLC0415

    table = Table(
        title=f"Table 2 · top {top} {_PLURAL[scale]} by weighted degree "
        f"(T = natural-break tier, 1 = lowest of {result.classes})",
        title_justify="left",
    )
    table.add_column("#", justify="right")
    labels = [p.label for p in result.periods]
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


def _print_flow(result: Analysis, scale: Scale) -> None:
    from copatent.analytics import flow  # noqa: PLC0415
    from copatent.commands._output import console  # noqa: PLC0415

    table = Table(title=f"effective flow · {scale}", title_justify="left", caption=flow.SIGN_NOTE)
    table.add_column("period")
    table.add_column("net outflow (lead)", justify="right")
    table.add_column("net inflow (join)", justify="right")
    table.add_column("balanced", justify="right")
    table.add_column("strongest leader")
    for p in result.periods:
        t = result.tables[(scale, p.label)]
        summary = flow.summarize(t.flow)
        leaders = t.flow[t.flow["role"] == "leader"]  # sorted by A, highest first
        lead = leaders.iloc[0] if len(leaders) else None
        leader = (
            "" if lead is None else f"{escape(str(lead['name']))} A={lead['effective_flow']:.3f}"
        )
        table.add_row(
            p.label,
            str(summary.net_outflow),
            str(summary.net_inflow),
            str(summary.balanced),
            leader,
        )
    console.print(table)


def _print_edge_tiers(result: Analysis) -> None:
    from copatent.commands._output import console  # noqa: PLC0415

    tiers = result.edge_tiers()
    if tiers.empty:
        return
    labels = [p.label for p in result.periods]
    table = Table(title=f"edges per tier (breaks of {result.baseline.label})", title_justify="left")
    table.add_column("scale")
    table.add_column("tier (weights)")
    for label in labels:
        table.add_column(label, justify="right")
    for row in tiers.to_dict("records"):
        table.add_row(str(row["scale"]), str(row["range"]), *(str(row[x]) for x in labels))
    console.print(table)


def _print_comparison(comparison: StudyComparison) -> None:
    import math  # noqa: PLC0415

    from copatent.commands._output import console  # noqa: PLC0415
    from copatent.report.study import SOURCE  # noqa: PLC0415

    if comparison.table.empty:
        nothing = f"study comparison: nothing of this run is in the study's Table 1 ({SOURCE})"
        for line in (nothing, *comparison.notes):
            console.print(line, markup=False, highlight=False)
        return
    captions = [
        f"study: {SOURCE}",
        "difference = copatent - study; agrees: copatent rounds to the study's printed value",
        *comparison.notes,
    ]
    frame = comparison.table
    scales = list(dict.fromkeys(frame["scale"]))
    for i, scale in enumerate(scales):
        table = Table(
            title=f"the study's Table 1 beside copatent's: {scale}",
            title_justify="left",
            caption="\n".join(escape(line) for line in captions) if i == len(scales) - 1 else None,
            caption_justify="left",
        )
        table.add_column("period")
        table.add_column("indicator")
        for name in ("study", "copatent", "diff.", "diff. %"):
            table.add_column(name, justify="right")
        table.add_column("agrees")
        for row in frame[frame["scale"] == scale].to_dict("records"):
            computed = float(row["copatent"])
            difference = float(row["difference"])
            relative = float(row["relative_difference_pct"])
            period = str(row["period"])
            table.add_row(
                f"{period[:5]}{period[7:]}" if len(period) == 9 else period,
                _COMPARED.get(str(row["indicator"]), str(row["indicator"])),
                _fmt(float(row["study"])),
                "-" if math.isnan(computed) else _fmt(computed),
                "-" if math.isnan(difference) else _signed(difference),
                "-" if math.isnan(relative) else f"{relative:+.1f}",
                "yes" if row["agrees"] else "no",
            )
        console.print(table)


_COMPARED: Final = {
    "avg_clustering": "clustering",
    "avg_path_length": "path length",
    "out_centralization_pct": "out-centr. %",
    "in_centralization_pct": "in-centr. %",
}
"""Short labels of the study's indicators in the printed comparison (the CSV has the full ones)."""


def _signed(value: float) -> str:
    return f"{value:+,.0f}" if value.is_integer() else f"{value:+,.4f}"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.4f}"
    return str(value)


def _as_json(
    result: Analysis, files: list[Path], top: int, comparison: StudyComparison | None
) -> dict[str, Any]:
    from copatent.analytics import flow  # noqa: PLC0415
    from copatent.commands import _json  # noqa: PLC0415

    found: dict[str, Any] = {
        "engine": result.engine,
        "scales": list(result.scales),
        "periods": [p.label for p in result.periods],
        "baseline": result.baseline.label,
        "classes": result.classes,
        "table1": result.table1().to_dict("records"),
        "top": {
            scale: {
                p.label: result.tables[(scale, p.label)]
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
                p.label: flow.summarize(result.tables[(scale, p.label)].flow).as_dict()
                for p in result.periods
            }
            for scale in result.scales
        },
        "edge_tiers": result.edge_tiers().to_dict("records"),
    }
    notes = result.notes()
    if comparison is not None:
        found["study_comparison"] = _json.study_comparison(comparison)
        notes += [f"study comparison: {note}" for note in comparison.notes]
    return found | {"notes": notes, "files": [str(f) for f in files]}
