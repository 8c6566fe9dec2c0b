"""``copatent report``: the study as a researcher reads it, in one folder.

:func:`write_report` turns the results of one run (the analysis of every period, the subgroups
and the detector on the baseline period, the load funnel, the parameters) into a folder, written
as one set (:func:`copatent.files.staged`: the previous report or the new one, never half):

- ``report.html``: one self-contained page (tables, figures, findings, funnel, parameters,
  method notes), no request to any host when opened;
- ``tables.xlsx``: each table on its own sheet, with the data behind each figure;
- ``figures/``: each figure as PNG (300 dpi), SVG and PDF;
- ``analysis/``, ``subgroups/``, ``detect/``: the CSV files the commands of the same names write;
- ``report.json``: the parameters, the inputs' fingerprint and the files, for reuse and citation.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pandas as pd

from copatent import __version__, files
from copatent.analytics.analysis import Analysis
from copatent.analytics.regional import RegionalDetection
from copatent.analytics.subgroups import PeriodSubgroups
from copatent.report import findings as found_
from copatent.report import html, layout
from copatent.report.analysis import analysis_tables
from copatent.report.subgroups import subgroup_tables
from copatent.report.workbook import Sheet, write_workbook

Label = Callable[[str, str], str]

SCALE_LABELS: Final = {"province": "provinces", "city": "cities", "applicant": "applicants"}
PARTITION_LABELS: Final = {"concor": "CONCOR", "louvain": "Louvain", "leiden": "Leiden"}

METHOD_NOTES: Final[tuple[str, ...]] = (
    (
        "Collaborations follow the first-applicant rule: a patent with ordered applicants a0, a1, "
        "..., ak gives k directed collaborations a0 → ai, aggregated per period and scale; a "
        "collaboration inside one region is that region's internal count, not an arc."
    ),
    "Nodes are the regions with at least one arc in the period.",
    (
        "Effective flow A = (O − I)/(O + I) with O the collaborations led and I those joined: "
        "A = +1 is a pure leader, as the study's text says (its printed Eq. 1 has I − O on top)."
    ),
    (
        "Out- and in-degree centralization are UCINET's normalisation of valued data, "
        "100 · Σ(s_max − s_i) / ((n − 1)² · w_max), the form the study's Table 1 prints; the "
        "Freeman binary rows count arcs."
    ),
    (
        "Average clustering and average path length follow Gephi's directed conventions "
        "(neighbours = in ∪ out, averaged over all nodes; hops along out-arcs over the connected "
        "ordered pairs). Modularity is Newman's Q of the best of the seeded Louvain runs on W + Wᵀ."
    ),
    (
        "Tiers are Jenks natural breaks; edge tiers use the breaks of the baseline period in every "
        "period, so early periods can lack the top tiers."
    ),
    (
        "E-I index (Krackhardt & Stern 1988) on arcs: per subgroup, the sum of the group rows (the "
        "study's 'entire network', each tie between subgroups counted at both ends) and the "
        "whole-network index."
    ),
    (
        "The factor detector (Wang et al. 2010): q = 1 − SSW/SST over the strata of each factor; "
        "p from the non-central F distribution."
    ),
)


@dataclass(frozen=True)
class Funnel:
    """One load's inclusion funnel (``step``, ``count``, ``removed``, ``note``)."""

    title: str
    steps: pd.DataFrame


@dataclass(frozen=True)
class ReportInputs:
    """Everything one report shows."""

    analysis: Analysis
    """The analysis of every chosen period."""
    baseline: Analysis
    """The same networks, the baseline period only (Tables 2-5, Figs. 3-5)."""
    subgroups: tuple[PeriodSubgroups, ...]
    detections: tuple[RegionalDetection, ...]
    funnels: tuple[Funnel, ...]
    parameters: tuple[tuple[str, str], ...]
    command: str
    partition: str = "concor"
    image_rule: str = ""
    y: str = "weighted_degree"
    discretization: str = "jenks:5"
    top: int = 30
    lang: str = "zh"
    notes: tuple[str, ...] = ()
    fingerprint: Mapping[str, Any] = field(default_factory=dict)
    changes_since: Path | None = None
    """An earlier report's folder: the page then says what changed since (``changes.json``)."""
    changes_label: str = ""
    """How the page names that earlier report (``run 3``); its folder's name if empty."""


Figures = Callable[[ReportInputs, files.Staging], list[dict[str, Any]]]
"""Writes the figures into the staging and returns one entry per figure for the page
(``id``, ``src``, ``alt``, ``caption``, ``width``, ``height``)."""


def write_report(
    inputs: ReportInputs,
    out: Path,
    *,
    label: Label | None = None,
    figures: Figures | None = None,
    font_css: Callable[[str], str] | None = None,
) -> list[Path]:
    """Write the report folder ``out`` as one set; return the files written."""
    name = label or _as_given
    period = inputs.baseline.periods[-1].label
    findings = found_.findings(
        inputs.analysis, inputs.subgroups, inputs.detections, label=name, top=5
    )
    sheets = _sheets(inputs, name, period)
    with files.staged(out) as staging:
        for file, frame in analysis_tables(inputs.analysis).items():
            staging.write_csv(f"analysis/{file}", frame)
        if inputs.subgroups:
            for file, frame in subgroup_tables(inputs.subgroups).items():
                staging.write_csv(f"subgroups/{file}", frame)
        for r in inputs.detections:
            for kind, frame in r.detection.tables().items():
                staging.write_csv(f"detect/{r.scale}_{r.period}_{kind}.csv", frame)
        changes = _changes(inputs, staging)
        shown = figures(inputs, staging) if figures is not None else []
        with staging.binary("tables.xlsx") as stream:
            write_workbook(stream, sheets)
        context = _context(inputs, name, period, findings, shown) | {"changes": changes}
        page = html.render(context | {"font_css": ""})
        if font_css is not None:
            page = html.render(context | {"font_css": font_css(page)})
        staging.write_text("report.html", page)
        record = {
            "copatent": __version__,
            "command": inputs.command,
            "parameters": dict(inputs.parameters),
            "fingerprint": dict(inputs.fingerprint),
            "findings": [vars(f) for f in findings],
        }
        staging.write_text(
            "report.json", json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n"
        )
        written = list(staging._names)
    return [out / n for n in written]


def _changes(inputs: ReportInputs, staging: files.Staging) -> dict[str, Any] | None:
    """What changed since ``inputs.changes_since``, from the tables just written.

    The whole comparison (:func:`copatent.runs.diff.diff_outputs`) is also written, as
    ``changes.json``.
    """
    if inputs.changes_since is None:
        return None
    from copatent.runs.diff import diff_outputs, summary_lines  # noqa: PLC0415

    since = inputs.changes_label or inputs.changes_since.name
    found = diff_outputs(inputs.changes_since, staging.written_so_far)
    found["before"], found["after"] = since, "this report"
    staging.write_text(
        "changes.json", json.dumps(found, ensure_ascii=False, indent=2, default=str) + "\n"
    )
    return {"since": since, "lines": summary_lines(found, limit=10)}


def _as_given(_node: str, name: str) -> str:
    return name


FIGURE_CAPTIONS: Final = {
    "fig1": "Fig. 1 · Collaboration between provinces per period: arcs from the leading to the "
    "participating province, width and colour by edge tier (natural breaks of the baseline "
    "period).",
    "fig2": "Fig. 2 · Collaboration between cities per period, as Fig. 1.",
    "fig3": "Fig. 3 · Node centrality (weighted degree) in natural-break tiers.",
    "fig4": "Fig. 4 · Node symmetry: effective flow A = (O − I)/(O + I), net outflow (leading) "
    "and net inflow (participating) nodes in natural-break tiers.",
    "fig5": "Fig. 5 · Cohesive subgroups, the ten nodes of highest weighted degree named.",
}


def draw_figures(inputs: ReportInputs, staging: files.Staging) -> list[dict[str, Any]]:
    """Figs. 1-5 into ``figures/`` (PNG 300 dpi, SVG, PDF) and a smaller PNG for the page."""
    import base64  # noqa: PLC0415

    import matplotlib.pyplot as plt  # noqa: PLC0415

    from copatent.report import maps  # noqa: PLC0415

    lang: maps.Lang = "en" if inputs.lang == "en" else "zh"
    shown = []
    period = inputs.baseline.periods[-1].label
    scales = [s for s in inputs.analysis.scales if s != "applicant"]
    base = inputs.baseline

    def figures() -> Iterator[tuple[str, Any]]:
        for scale in scales:
            number = 1 if scale == "province" else 2
            yield (
                f"fig{number}_connections_{scale}",
                maps.connection_map(inputs.analysis, scale, lang=lang),
            )
        for scale in scales:
            yield f"fig3_centrality_{scale}", maps.centrality_map(base, scale, period, lang=lang)
        for scale in scales:
            yield f"fig4_flow_{scale}", maps.flow_map(base, scale, period, lang=lang)
        for part in inputs.subgroups:
            yield f"fig5_subgroups_{part.scale}", maps.subgroup_map(base, part, lang=lang)

    for stem, fig in figures():
        try:
            maps.save(fig, staging, f"figures/{stem}")
            png = maps.png_bytes(fig)
            width, height = (round(v * 110) for v in fig.get_size_inches())
        finally:
            plt.close(fig)
        scale = stem.rsplit("_", 1)[-1]
        shown.append(
            {
                "id": stem,
                "src": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                "alt": f"{stem.replace('_', ' ')}",
                "caption": FIGURE_CAPTIONS[stem[:4]]
                + (
                    ""
                    if stem[:4] in ("fig1", "fig2")
                    else f" {SCALE_LABELS[scale].capitalize()}, {period}."
                )
                + f" Files: figures/{stem}.png, .svg, .pdf.",
                "width": width,
                "height": height,
            }
        )
    return shown


def _sheets(inputs: ReportInputs, label: Label, period: str) -> dict[str, Sheet]:
    sheets: dict[str, Sheet] = {}
    for scale in inputs.analysis.scales:
        sheets[f"Table 1 {scale}"] = Sheet(
            layout.table1(inputs.analysis, scale),
            note=f"Table 1 · overall indicators, {SCALE_LABELS[scale]}",
            index=True,
        )
    for scale in inputs.baseline.scales:
        sheets[f"Table 2 {scale}"] = Sheet(
            layout.table2(inputs.baseline, scale, period, top=inputs.top, label=label),
            note=f"Table 2 · top {inputs.top} {SCALE_LABELS[scale]} by weighted degree, {period}",
        )
    for part in inputs.subgroups:
        method = PARTITION_LABELS.get(part.subgroups.method, part.subgroups.method)
        sheets[f"Table 3 {part.scale}"] = Sheet(
            layout.table3(part),
            note=f"Table 3 · {method} block density (valued) and image, {part.scale}, {period}"
            + (f"; {inputs.image_rule}" if inputs.image_rule else ""),
            index=True,
        )
        sheets[f"Table 4 {part.scale}"] = Sheet(
            layout.table4(part), note=f"Table 4 · E-I index, {part.scale}, {period}"
        )
        sheets[f"Subgroups {part.scale}"] = Sheet(
            layout.members(part, label=label),
            note=f"{method} subgroups and their members, {part.scale}, {period} (Fig. 5)",
        )
    table5 = layout.table5(inputs.detections, period)
    if not table5.empty:
        sheets["Table 5"] = Sheet(
            table5, note=f"Table 5 · factor detector q and p, y = {inputs.y}", index=True
        )
    interaction = layout.interaction(inputs.detections, period)
    if not interaction.empty:
        sheets["Interaction"] = Sheet(interaction, note="interaction detector")
    for scale in inputs.analysis.scales:
        for p in inputs.analysis.periods:
            t = inputs.analysis.tables[(scale, p.label)]
            sheets[f"Fig edges {scale} {p.label}"] = Sheet(
                t.edges, note=f"Arcs of the {scale} network, {p.label} (Figs. 1-2)"
            )
        base = inputs.baseline.tables[(scale, period)]
        sheets[f"Fig nodes {scale}"] = Sheet(
            base.centrality.merge(
                base.flow.loc[:, ["node", "effective_flow", "role", "tier", "tier_range"]],
                on="node",
                suffixes=("", "_flow"),
            ),
            note=f"Nodes of the {scale} network, {period}: centrality (Fig. 3), effective "
            "flow (Fig. 4)",
        )
    decay = inputs.analysis.distance_decay()
    if not decay.empty:
        sheets["Distance decay"] = Sheet(
            decay,
            note="Arcs and collaborations per distance band (great-circle km between the seats of "
            "government), with the weight between regions of one province and between bordering "
            "regions",
        )
    if inputs.funnels:
        sheets["Load funnel"] = Sheet(
            pd.concat([f.steps.assign(load=f.title) for f in inputs.funnels], ignore_index=True),
            note="The loader's inclusion funnel",
        )
    sheets["Parameters"] = Sheet(
        pd.DataFrame(inputs.parameters, columns=["parameter", "value"]),
        note=f"copatent {__version__}: {inputs.command}",
    )
    return sheets


_TOPICS: Final = (
    ("How the networks changed", ("trend", "centralization")),
    ("Who leads", ("top", "flow")),
    ("The strongest arcs", ("arcs",)),
    ("Geography", ("geography",)),
    ("Cohesive subgroups", ("subgroups",)),
    ("Regional conditions", ("factors",)),
)


def _context(
    inputs: ReportInputs,
    label: Label,
    period: str,
    findings: Sequence[found_.Finding],
    figures: list[dict[str, Any]],
) -> dict[str, Any]:
    scales = []
    parts = {p.scale: p for p in inputs.subgroups}
    for scale in inputs.analysis.scales:
        entry: dict[str, Any] = {
            "key": scale,
            "label": SCALE_LABELS[scale],
            "table1": html.table(
                layout.table1(inputs.analysis, scale),
                f"Table 1 · {SCALE_LABELS[scale]}",
                index=True,
                decimals={},
            ),
            "table2": html.table(
                layout.table2(inputs.baseline, scale, period, top=inputs.top, label=label),
                SCALE_LABELS[scale],
                decimals={"weighted degree": 0, "out-strength": 0, "in-strength": 0},
            ),
            "table3": "",
            "table4": "",
            "members": "",
            "image_rule": inputs.image_rule,
            "decay": "",
        }
        if scale != "applicant":
            decay = inputs.analysis.distance_decay()
            decay = decay[decay["scale"] == scale]
            entry["decay"] = html.table(
                decay.pivot_table(
                    index="band", columns="period", values="weight", sort=False, aggfunc="sum"
                ),
                "Collaborations (arc weights) per distance band and period",
                index=True,
                decimals={p.label: 0 for p in inputs.analysis.periods},
            )
        part = parts.get(scale)
        if part is not None:
            t3 = layout.table3(part)
            marks = {
                (i, column): bool(t3.iloc[i][f"image {column}"])
                for i in range(len(t3))
                for column in t3.columns
                if column.startswith("to ")
            }
            entry["table3"] = html.table(
                t3.loc[:, [c for c in t3.columns if c.startswith("to ")]],
                "Table 3 · block density (valued); shaded: image 1",
                index=True,
                decimals=dict.fromkeys(t3.columns, 2),
                highlight={(i, c): v for (i, c), v in marks.items()},
            )
            entry["table4"] = html.table(layout.table4(part), "Table 4 · E-I index")
            top_members = layout.members(part, label=label).groupby("subgroup").head(10)
            entry["members"] = html.table(
                top_members, "Members (at most ten per subgroup, by weighted degree)"
            )
        scales.append(entry)
    table5 = layout.table5(inputs.detections, period)
    interaction = layout.interaction(inputs.detections, period)
    grouped = [
        {"title": title, "texts": [f.text for f in findings if f.topic in topics]}
        for title, topics in _TOPICS
    ]
    loads = [
        {"title": f.title, "table": html.table(f.steps, decimals={"count": 0, "removed": 0})}
        for f in inputs.funnels
    ]
    periods = ", ".join(p.label for p in inputs.analysis.periods)
    return {
        "lang_tag": "en" if inputs.lang == "en" else "zh-Hans",
        "csp": html.CSP,
        "version": __version__,
        "title": "Innovation collaboration network report",
        "subtitle": f"{', '.join(SCALE_LABELS[s] for s in inputs.analysis.scales)} · "
        f"periods {periods} · engine {inputs.analysis.engine}",
        "font_stack": "'copatent-cjk', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
        "scales": scales,
        "top": inputs.top,
        "baseline": period,
        "classes": inputs.analysis.classes,
        "partition_label": PARTITION_LABELS.get(inputs.partition, inputs.partition),
        "table5": html.table(table5, index=True, decimals=dict.fromkeys(table5.columns, 3))
        if not table5.empty
        else "",
        "interaction": html.table(interaction) if not interaction.empty else "",
        "y": inputs.y,
        "discretization": inputs.discretization,
        "findings": [g for g in grouped if g["texts"]],
        "figures": figures,
        "loads": loads,
        "parameters": list(inputs.parameters),
        "command": inputs.command,
        "methods": [*METHOD_NOTES, *([inputs.image_rule] if inputs.image_rule else [])],
        "notes": list(inputs.notes),
        "footer": f"Made by copatent {__version__}. Boundaries on the maps are illustrative.",
    }
