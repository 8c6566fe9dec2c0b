"""``copatent runs``: the output folders of a study's runs; what changed between two."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from copatent.commands._options import JsonOption

app = typer.Typer(
    help="The runs of a study: list them, show one, say what changed between two.",
    no_args_is_help=True,
)

RunArgument = Annotated[
    str,
    typer.Argument(
        help="A run's number (of --study's runs) or a run's output folder (what copatent "
        "report --out writes: analysis/, detect/).",
        show_default=False,
    ),
]
StudyOption = Annotated[
    Path,
    typer.Option("--study", dir_okay=False, help="The study file whose runs these are."),
]
DEFAULT_STUDY = Path("study.toml")


def _output(study: Path) -> Path:
    from copatent.runs.study import read_study  # noqa: PLC0415

    return read_study(study).output


def _folder(run: str, study: Path) -> Path:
    """The folder of run ``run``: a number among ``study``'s runs, or a folder as given."""
    from copatent._errors import InputError  # noqa: PLC0415
    from copatent.runs import record  # noqa: PLC0415

    if run.isdigit() and not Path(run).is_dir():
        found = record.read(_output(study), int(run))
        if found.status != "succeeded":
            raise InputError(
                f"run {run} {found.status}: it has no tables to compare (only run.json)"
            )
        return found.folder
    folder = Path(run)
    if not folder.is_dir():
        raise InputError(f"{run}: neither a run number of {study} nor a folder")
    return folder


@app.command("list")
def list_runs(study: StudyOption = DEFAULT_STUDY, as_json: JsonOption = False) -> None:
    """Every run of the study: id, status (succeeded, failed, skipped), started, finished."""
    from rich.table import Table  # noqa: PLC0415

    from copatent.commands._output import console, emit_json  # noqa: PLC0415
    from copatent.runs import record  # noqa: PLC0415

    output = _output(study)
    found = record.records(output)
    if as_json:
        emit_json([r.summary() | _brief(r.data) for r in found])
        return
    table = Table(title=f"runs of {study} ({output})", title_justify="left")
    for column in ("id", "status", "started", "finished", "note"):
        table.add_column(column, justify="right" if column == "id" else "left")
    for r in found:
        s = r.summary()
        table.add_row(*(str(s[k] or "-") for k in ("id", "status", "started", "finished")),
                      _brief(r.data)["note"])  # fmt: skip
    console.print(table if found else f"no run of {study} yet: `copatent run {study}`")


def _brief(data: Mapping[str, Any]) -> dict[str, str]:
    if data.get("status") == "skipped":
        return {"note": f"nothing changed since run {data.get('same_as')}"}
    if data.get("status") == "failed":
        return {"note": str(data.get("error", ""))[:120]}
    changes = data.get("changes")
    if isinstance(changes, dict):
        return {"note": f"changes since run {changes.get('since')}"}
    return {"note": ""}


@app.command()
def show(run: RunArgument, study: StudyOption = DEFAULT_STUDY, as_json: JsonOption = False) -> None:
    """One run's record (run.json): inputs with SHA-256, parameters, versions, headline figures."""
    from copatent.commands._output import console, emit_json  # noqa: PLC0415
    from copatent.runs import record  # noqa: PLC0415

    if not run.isdigit():
        from copatent._errors import InputError  # noqa: PLC0415

        raise InputError(f"{run}: expected a run number (`copatent runs list` lists them)")
    found = record.read(_output(study), int(run))
    data = dict(found.data)
    if as_json:
        emit_json(data)
        return
    console.print(f"[bold]run {data['id']}[/bold] of {data.get('study')}: {data['status']}")
    for key in ("started", "finished", "engine", "copatent", "error", "same_as"):
        if data.get(key) is not None:
            console.print(f"  {key:<10} {data[key]}")
    versions = data.get("versions")
    if isinstance(versions, dict):
        console.print(f"  {'server':<10} Neo4j {versions.get('neo4j')}, GDS {versions.get('gds')}")
    for item in data.get("inputs", []):
        console.print(f"  input      {item['sha256'][:12]}  {item['path']}")
    for row in data.get("headline", []):
        console.print(
            f"  {row['scale']:<10} {row['period']}: {row['nodes']} nodes, {row['edges']} arcs"
        )
    changes = data.get("changes")
    if isinstance(changes, dict):
        console.print(f"  changes since run {changes.get('since')}:")
        for line in changes.get("summary", []):
            console.print(f"    {line}", markup=False)
    console.print(f"  folder     {found.folder}")


@app.command()
def diff(
    before: RunArgument,
    after: RunArgument,
    study: StudyOption = DEFAULT_STUDY,
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

    found = diff_outputs(_folder(before, study), _folder(after, study))
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
