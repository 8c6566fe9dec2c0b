"""``copatent runs``: the output folders of a study's runs; what changed between two."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copatent.commands._options import JsonOption

app = typer.Typer(help="The runs of a study: what changed between two.", no_args_is_help=True)

RunFolder = Annotated[
    Path,
    typer.Argument(
        exists=True,
        file_okay=False,
        help="A run's output folder: what copatent report --out writes (analysis/, detect/).",
    ),
]


@app.command()
def diff(
    before: RunFolder,
    after: RunFolder,
    limit: Annotated[
        int, typer.Option(min=0, help="Sentences per kind of change, then how many more (0: all).")
    ] = 10,
    as_json: JsonOption = False,
) -> None:
    """What changed from the run in BEFORE to the run in AFTER.

    Compares the two folders' tables: Table 1 indicators per scale and period, regions that
    entered or left a network, weighted-degree tier changes, arcs new or gone among the two
    strongest edge tiers (and arcs whose tier changed into or out of them), the edge tier
    breaks, and the factor detector's q.

    --json keys: before, after (the run ids); table1 (scale, period, indicator, before, after);
    regions_added, regions_removed (scale, period, region, name); tier_changes (scale, period,
    region, name, before, after); arcs_added, arcs_removed (scale, period, source, source_name,
    target, target_name, weight, tier); arc_tier_changes (... weight_before, weight_after,
    before, after); edge_tier_breaks (scale, before, after); factors (scale, factor, before,
    after, before_period, after_period). A period or region only one run has has a null side.
    """
    from rich.markup import escape  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from copatent.commands._output import console, emit_json  # noqa: PLC0415
    from copatent.runs.diff import diff_outputs, summary_lines  # noqa: PLC0415

    found = diff_outputs(before, after)
    if as_json:
        emit_json(found)
        return
    table = Table(
        title=f"what changed · {escape(str(found['before']))} → {escape(str(found['after']))}",
        title_justify="left",
        show_header=False,
    )
    table.add_column()
    for line in summary_lines(found, limit=limit or None):
        table.add_row(escape(line))
    console.print(table)
