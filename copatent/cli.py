"""The ``copatent`` command line: one sub-app per area, assembled here.

Expected failures (:class:`copatent._errors.CopatentError`) end with a one-line message on stderr
and the error's exit code; a traceback means a bug. The command modules import only typer, rich
and the standard library at the top (numpy, pandas, igraph, the readers and the driver inside the
command that runs), so ``copatent --help`` answers at once; ``bench/startup.py`` measures it.
"""

from __future__ import annotations

import sys

import typer

from copatent import __version__
from copatent._errors import CopatentError
from copatent.commands import (
    analyze,
    browser,
    db,
    detect,
    export,
    graph,
    load,
    metrics,
    places,
    report,
    run,
    runs,
    sample,
    schedule,
    study,
    subgroups,
)
from copatent.commands._options import OnceCommand

app = typer.Typer(
    name="copatent",
    help="Innovation-collaboration networks from patent data, in Neo4j + Graph Data Science.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db.app, name="db")
app.command("load", cls=OnceCommand)(load.load)
app.add_typer(graph.app, name="graph")
app.add_typer(places.app, name="places")
app.add_typer(study.app, name="study")
app.command("sample", cls=OnceCommand)(sample.sample)
app.command("analyze", cls=OnceCommand)(analyze.analyze)
app.command("subgroups", cls=OnceCommand)(subgroups.subgroups_command)
app.command("metrics", cls=OnceCommand)(metrics.metrics)
app.command("detect", cls=OnceCommand)(detect.detect)
app.command("report", cls=OnceCommand)(report.report)
app.add_typer(runs.app, name="runs")
app.command("export", cls=OnceCommand)(export.export)
app.command("browser", cls=OnceCommand)(browser.browser)
app.command("run", cls=OnceCommand)(run.run)
app.command("schedule", cls=OnceCommand)(schedule.schedule)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"copatent {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """copatent: load patent exports into Neo4j and analyze the collaboration networks."""


def main() -> None:
    """Console entry point: run the app, turning expected failures into one line on stderr."""
    try:
        app()
    except CopatentError as exc:
        sys.stderr.write(f"copatent: error: {exc}\n")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("copatent: interrupted\n")
        sys.exit(130)
