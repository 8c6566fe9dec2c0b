"""``copatent load``: patent exports into the Neo4j property graph, with the funnel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from copatent._errors import InputError, OutputError
from copatent.commands._options import (
    DEFAULT_CONNECTION,
    DEFAULT_EXPORT,
    Connection,
    JsonOption,
    grouped,
)
from copatent.commands._output import console
from copatent.loader.options import DEFAULT_BATCH_SIZE, DEFAULT_CHUNK_ROWS, ExportOptions

if TYPE_CHECKING:
    from copatent.loader import pipeline, writer


@grouped
def load(
    paths: Annotated[
        list[Path],
        typer.Argument(
            exists=True, readable=True, help="Export files (.xlsx, .xls, .csv) or folders of them."
        ),
    ],
    export: ExportOptions = DEFAULT_EXPORT,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk", help="First load into an empty local database with neo4j-admin import."
        ),
    ] = False,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Patents per transaction.")
    ] = DEFAULT_BATCH_SIZE,
    chunk_rows: Annotated[
        int,
        typer.Option(
            min=1,
            help="Export rows read and filtered at a time: the loader's memory holds about one "
            "chunk (plus the distinct applicants), whatever the export's size; the result is the "
            "same with any chunk size.",
        ),
    ] = DEFAULT_CHUNK_ROWS,
    force: Annotated[
        bool, typer.Option("--force", help="Write again even if this input was loaded.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(dir_okay=False, help="Write the load report (JSON) here.")
    ] = None,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """Read, clean, geocode and filter patent exports, then write them into Neo4j."""
    from copatent import files as output  # noqa: PLC0415
    from copatent.commands._output import emit_json  # noqa: PLC0415
    from copatent.loader import writer  # noqa: PLC0415
    from copatent.loader.exports import prepare_exports  # noqa: PLC0415

    if bulk and connection.uri:
        raise InputError("--bulk works on the local server only; unset NEO4J_URI")
    if report is not None:
        output.writable_file(report)  # before the load: a report that cannot be written fails now
    files, prepared, options = prepare_exports(paths, export, chunk_rows=chunk_rows)
    key = writer.load_key(files, options)
    try:
        result = _write(prepared, key=key, files=files, bulk=bulk, batch_size=batch_size,
                        force=force, connection=connection, quiet=as_json,
                        command=_rerun(paths, export))  # fmt: skip
    finally:
        prepared.close()  # the spooled patents are written: remove them
    body = prepared.report() | {
        "files": [str(f) for f in files],
        "sources": prepared.sources.to_dict(orient="records"),  # sha256, path, ..., bytes
        "load_key": key,
        "already_loaded": result.already_loaded,
        "batches": result.batches,
        "batches_resumed": result.skipped,
        "patents_updated": result.patents_updated,
        "applicants_deleted": result.applicants_deleted,
        "seconds": round(result.seconds, 2),
    }
    if report is not None:
        text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
        try:
            output.write_text(report, text)
        except OutputError as exc:
            raise OutputError(
                f"{exc}; the load itself is complete: the same command again writes the report "
                "and nothing else"
            ) from None
    if as_json:
        emit_json(body)
        return
    _print_funnel(prepared)
    if result.already_loaded:
        console.print("this input was loaded before: nothing written (use --force to write again)")
    else:
        resumed = f", {result.skipped} resumed from an earlier run" if result.skipped else ""
        console.print(
            f"loaded {result.patents} patents in {result.seconds:.1f} s "
            f"({result.batches} batches{resumed})"
        )
        if result.patents_updated:
            console.print(
                f"{result.patents_updated} patents already in the graph had other applicants: "
                f"replaced by this input's ({result.applicants_deleted} applicants left without "
                "a patent deleted)"
            )
    if len(prepared.unresolved):
        console.print(
            f"{len(prepared.unresolved)} applicants without a place (see --report for the list; "
            "`copatent places unplaced` ranks them by the collaborations they carry)"
        )
    conflicts = prepared.conflicting_merges
    if len(conflicts):
        pairs = [f"{v} → {n}" for v, n in zip(conflicts["variant"], conflicts["name"], strict=True)]
        console.print(
            f"the thesaurus merged {len(conflicts)} name(s) that alone would be placed elsewhere: "
            f"{', '.join(pairs[:5])}{' …' if len(pairs) > 5 else ''} (see merged_names in --report)"
        )


def _write(
    prepared: pipeline.Prepared,
    *,
    key: str,
    files: list[Path],
    bulk: bool,
    batch_size: int,
    force: bool,
    connection: Connection,
    quiet: bool,
    command: str,
) -> writer.WriteResult:
    """Write with ``--bulk`` or in transactions, with a progress bar."""
    from copatent.db import Database  # noqa: PLC0415
    from copatent.loader import writer  # noqa: PLC0415
    from copatent.loader.bulk import bulk_write  # noqa: PLC0415

    if bulk:
        return bulk_write(connection.local_server(), prepared, key=key, files=files)
    with Database(connection.settings()) as db, _progress(quiet) as progress:
        task = progress.add_task("writing", total=prepared.patent_count)
        return writer.write(
            db,
            prepared,
            key=key,
            files=files,
            batch_size=batch_size,
            force=force,
            on_batch=lambda n: progress.advance(task, n),
            command=command,
        )


def _rerun(paths: list[Path], export: ExportOptions) -> str:
    """The command line that reruns this load (absolute paths, the export options given).

    >>> _rerun([Path("/data/a b.csv")], ExportOptions(topic="none"))
    "copatent load '/data/a b.csv' --topic none"
    """
    import shlex  # noqa: PLC0415

    default = ExportOptions()
    args = ["copatent", "load", *(str(p.resolve()) for p in paths)]
    if export.columns is not None:
        table = Path(export.columns)  # a built-in name, or a TOML file
        args += ["--columns", str(table.resolve()) if table.suffix == ".toml" else export.columns]
    if export.topic != default.topic:
        args += ["--topic", export.topic]
    if export.keywords is not None:
        args += ["--keywords", str(export.keywords.resolve())]
    if export.drop_policy != default.drop_policy:
        args += ["--drop-policy", export.drop_policy]
    for option, path in (("--places", export.places), ("--thesaurus", export.thesaurus)):
        if path is not None:
            args += [option, str(path.resolve())]
    return shlex.join(args)


class _Rate(ProgressColumn):
    """Patents per second (blank until the first batch is done)."""

    def render(self, task: Task) -> Text:
        return Text(
            f"{task.speed:,.0f} patents/s" if task.speed else "", style="progress.data.speed"
        )


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=True,
    )


def _print_funnel(prepared: pipeline.Prepared) -> None:
    table = Table(title="load funnel", title_justify="left")
    table.add_column("step")
    table.add_column("count", justify="right")
    table.add_column("removed", justify="right")
    table.add_column("note")
    for step in prepared.funnel:
        table.add_row(step.step, str(step.count), str(step.removed or ""), step.note)
    console.print(table)
