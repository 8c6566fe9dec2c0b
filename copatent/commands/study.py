"""``copatent study``: write and check a study file (the TOML file ``copatent run`` reads)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copatent.commands._options import JsonOption

app = typer.Typer(
    help="A study file: a whole study (inputs, analysis, detector, report, output) in TOML.",
    no_args_is_help=True,
)

FileArgument = Annotated[Path, typer.Argument(help="The study file (TOML).", show_default=False)]


@app.command()
def init(
    file: FileArgument,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented study file to fill in (its keys are the options of the commands)."""
    from copatent._errors import OutputError  # noqa: PLC0415
    from copatent.runs.study import template  # noqa: PLC0415

    if file.exists() and not force:
        raise OutputError(f"{file} exists: edit it, or write a new one with --force")
    if file.parent and not file.parent.is_dir():
        raise OutputError(f"{file.parent}: no such folder")
    file.write_text(template(file), encoding="utf-8")
    typer.echo(f"wrote {file}: fill in [inputs] paths, then `copatent study check {file}`")


@app.command()
def check(file: FileArgument, as_json: JsonOption = False) -> None:
    """Read and check a study file without running anything; one line per problem, naming the key.

    Unknown sections and keys, values of the wrong type, periods that are not START-END with
    START <= END, and paths that name no file are refused (exit 6). On success it prints what a
    run would use: the export files the paths name now, and the resolved parameters.
    """
    from copatent.commands._output import console, emit_json  # noqa: PLC0415
    from copatent.runs.study import read_study  # noqa: PLC0415

    study = read_study(file)
    result = {
        "study": study.name,
        "file": str(study.path),
        "inputs": [str(p) for p in study.inputs.files],
        "parameters": study.parameters(),
    }
    if as_json:
        emit_json(result)
        return
    a = study.analysis
    console.print(f"[bold]{study.name}[/bold] ({study.path}): OK")
    console.print(f"  inputs     {len(study.inputs.files)} export files")
    for path in study.inputs.files:
        console.print(f"             {path}")
    console.print(f"  analysis   {', '.join(a.scales)} x {', '.join(p.label for p in a.periods)}")
    console.print(f"             {a.engine} engine, baseline {a.baseline.label}, {a.classes} tiers")
    stats = study.detector.statistics
    detector = ", ".join(f"{k}: {v}" for k, v in stats.items()) or "no statistics: not run"
    console.print(f"  detector   {detector}")
    console.print(f"  report     {'yes' if study.report.enabled else 'no'}")
    console.print(f"  output     {study.output}")
