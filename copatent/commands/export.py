"""``copatent export``: a period's network at one scale for Gephi, UCINET, Pajek, QGIS, ..."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, cast

import typer

from copatent._errors import InputError
from copatent.analytics.defaults import DEFAULT_CLASSES
from copatent.analytics.periods import DEFAULT_BASELINE, DEFAULT_PERIODS, SCALES, Period
from copatent.commands._options import (
    DEFAULT_CONNECTION,
    DEFAULT_ENGINE,
    Connection,
    JsonOption,
    grouped,
)
from copatent.engines.settings import EngineSettings

if TYPE_CHECKING:
    from copatent.analytics.analysis import Analysis
    from copatent.analytics.periods import Scale
    from copatent.exports import Format
    from copatent.exports.network import PeriodNetwork
    from copatent.exports.ucinet import Layout
    from copatent.geo.names import Lang

FORMATS: Final = ("gexf", "graphml", "dl", "pajek", "geojson", "gpkg", "csv")
"""The formats (``copatent.exports.FORMATS``, repeated here to keep ``--help`` light)."""
DL_LAYOUTS: Final = ("fullmatrix", "edgelist1")
LABELS: Final = ("zh", "en")
ONE_PERIOD: Final = ("graphml", "dl", "pajek")
GEOGRAPHIC: Final = ("geojson", "gpkg")


def _complete(choices: tuple[str, ...]) -> Any:
    def complete(incomplete: str) -> list[str]:
        return [c for c in choices if c.startswith(incomplete)]

    return complete


@grouped
def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="[" + "|".join(FORMATS) + "]",
            autocompletion=_complete(FORMATS),
            show_default=False,
            help="gexf: Gephi (GEXF 1.3, positions from longitude/latitude; --period all: one "
            "dynamic graph for the timeline); graphml: directed, typed attributes; dl: UCINET; "
            "pajek: .net; geojson: STEM-nodes.geojson and STEM-arcs.geojson; gpkg: one "
            "GeoPackage with layers nodes and arcs; csv: --out is a folder of nodes.csv and "
            "edges.csv.",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            show_default=False,
            help="The file to write (geojson: its name without .geojson is the STEM; csv: a "
            "folder).",
        ),
    ],
    scale: Annotated[
        str,
        typer.Option(
            metavar="[" + "|".join(SCALES) + "]",
            autocompletion=_complete(SCALES),
            help="Nodes are provinces, cities or applicants (applicants have no place: no "
            "positions, and no geojson or gpkg).",
        ),
    ] = "province",
    period: Annotated[
        str,
        typer.Option(
            help="Period START-END, or all (2001-2005 to 2016-2020): gexf as one dynamic graph, "
            "csv, geojson and gpkg with a period column; graphml, dl and pajek hold one period.",
        ),
    ] = DEFAULT_BASELINE.label,
    dl_layout: Annotated[
        str,
        typer.Option(
            metavar="[" + "|".join(DL_LAYOUTS) + "]",
            autocompletion=_complete(DL_LAYOUTS),
            help="--format dl: fullmatrix (the n x n matrix of weights, row = sender) or "
            "edgelist1 (one line 'sender receiver weight' per arc); both with a labels list.",
        ),
    ] = "fullmatrix",
    labels: Annotated[
        str,
        typer.Option(
            metavar="[" + "|".join(LABELS) + "]",
            autocompletion=_complete(LABELS),
            help="Node labels: zh (Chinese names) or en (English names of the regions). --format "
            "dl writes zh labels in GB18030 (GBK: UCINET on Chinese Windows) and en labels in "
            "ASCII (UCINET on any Windows); other formats are UTF-8.",
        ),
    ] = "zh",
    baseline: Annotated[
        str, typer.Option(help="Period whose arc-weight breaks define the arcs' tiers.")
    ] = DEFAULT_BASELINE.label,
    classes: Annotated[
        int, typer.Option(min=2, help="Natural-break classes (Jenks) of the tiers.")
    ] = DEFAULT_CLASSES,
    settings: EngineSettings = DEFAULT_ENGINE,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """Write a period's collaboration network at one scale for Gephi, UCINET, Pajek or QGIS.

    Nodes carry every measure of copatent analyze (weighted degree, in/out strength and degree,
    betweenness, closeness, clustering, community, the weighted-degree tier, effective flow A
    with its role and tier) and, for provinces and cities, the longitude and latitude of the
    seat of government (a province's capital); arcs carry the weight, the tier (breaks of
    --baseline), the distance in km and whether the ends share a province or a border.
    Nothing is written when the network has no arcs. The graph is only read: the neo4j engine
    does not write COLLABORATES relationships here (copatent analyze does).
    """
    from copatent import engines, exports  # noqa: PLC0415
    from copatent.commands._output import console, emit_json  # noqa: PLC0415
    from copatent.exports.network import period_networks, require_arcs  # noqa: PLC0415
    from copatent.files import writable_file  # noqa: PLC0415

    form = cast("Format", _one_of("--format", fmt, FORMATS))
    chosen = cast("Scale", _one_of("--scale", scale, SCALES))
    layout = cast("Layout", _one_of("--dl-layout", dl_layout, DL_LAYOUTS))
    lang = cast("Lang", _one_of("--labels", labels, LABELS))
    periods = DEFAULT_PERIODS if period.strip().lower() == "all" else (Period.parse(period),)
    base = Period.parse(baseline)
    if form in ONE_PERIOD and len(periods) > 1:
        raise InputError(
            f"--period all: {form} holds one period's network; give one --period START-END, or "
            "use gexf (one dynamic graph), csv, geojson or gpkg (a period column)"
        )
    if form in GEOGRAPHIC and chosen == "applicant":
        raise InputError(
            f"--format {form}: applicants have no place on the map; export the province or "
            "city scale, or use gexf, graphml, dl, pajek or csv for applicants"
        )
    if lang == "en" and chosen == "applicant":
        raise InputError("--labels en: applicants have no English names; use --labels zh")
    for target in exports.targets(form, out):
        writable_file(target)
    with (
        engines.open_engine(settings, connection.settings) as (engine, _),
        console.status(f"analysing with the {engine.name} engine"),
    ):
        result = engines.analyze(
            engine, scales=[chosen], periods=periods, baseline=base, classes=classes
        )
    networks = period_networks(result, chosen, labels=lang)
    require_arcs(networks)
    written = exports.write(form, networks, out, dl_layout=layout, ascii_labels=lang == "en")
    if as_json:
        emit_json(_as_json(form, result, networks, written))
        return
    _print(form, networks, written, result.notes())


def _one_of(option: str, value: str, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices``, else one line naming them."""
    found = value.strip().lower()
    if found not in choices:
        raise InputError(f"{option} {value!r}: expected one of {', '.join(choices)}")
    return found


def _print(
    fmt: str, networks: tuple[PeriodNetwork, ...], written: list[Path], notes: list[str]
) -> None:
    from rich.table import Table  # noqa: PLC0415

    from copatent.commands._output import console  # noqa: PLC0415

    table = Table(title=f"{fmt} · {networks[0].scale} networks", title_justify="left")
    for column in ("period", "nodes", "arcs", "weight"):
        table.add_column(column, justify="left" if column == "period" else "right")
    for network in networks:
        summary = network.summary()
        table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in summary.values()))
    console.print(table)
    for note in notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    for path in written:
        console.print(f"written: {path}", markup=False, highlight=False)


def _as_json(
    fmt: str, result: Analysis, networks: tuple[PeriodNetwork, ...], written: list[Path]
) -> dict[str, Any]:
    return {
        "format": fmt,
        "engine": result.engine,
        "scale": networks[0].scale,
        "baseline": result.baseline.label,
        "periods": [n.summary() for n in networks],
        "files": [str(p) for p in written],
        "notes": result.notes(),
    }
