"""``copatent run STUDY.toml``: the whole study in one go, recorded as a run."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from copatent.commands._options import (
    DEFAULT_CONNECTION,
    Connection,
    JsonOption,
    OnceCommand,
    grouped,
)

if TYPE_CHECKING:
    from copatent.runs.study import Study


@grouped
def run(
    file: Annotated[Path, typer.Argument(help="The study file (TOML).", show_default=False)],
    force: Annotated[
        bool, typer.Option("--force", help="Run even if nothing changed since the last run.")
    ] = False,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild", help="Empty the database and load every input again (neo4j engine)."
        ),
    ] = False,
    wait: Annotated[
        bool,
        typer.Option("--wait", help="Wait for a run that holds the study or database, not refuse."),
    ] = False,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """Load the study's new or changed exports, analyse, detect, report, and record the run.

    The run's outputs (the report's folder) and its record, run.json, go to <output dir>/<N>/,
    written in a hidden folder and renamed into place at the end: a failed run leaves its record
    only and never touches an earlier run's folder. With the neo4j engine the record is also a
    (:Run) node. When the inputs (by SHA-256) and the parameters are those of the last
    succeeded run, the run is recorded as skipped and nothing is computed (--force runs anyway).
    One run at a time per study and per database (--wait waits for the other one).
    """
    from copatent import __version__  # noqa: PLC0415
    from copatent.commands._output import console, emit_json  # noqa: PLC0415
    from copatent.config import copatent_home  # noqa: PLC0415
    from copatent.runs import lock, record  # noqa: PLC0415
    from copatent.runs.study import read_study  # noqa: PLC0415

    study = read_study(file)
    neo4j = study.analysis.engine == "neo4j"
    settings = connection.settings() if neo4j else None
    output = study.output
    output.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as held:
        held.enter_context(lock.held(output / ".lock", f"the study {study.name}", wait=wait))
        if settings is not None:
            path = lock.database_lock_path(
                connection.home or copatent_home(), settings.uri, settings.database
            )
            held.enter_context(lock.held(path, f"the database at {settings.uri}", wait=wait))
        for note in _record_abandoned(study, settings):
            typer.echo(note, err=as_json)
        run_id = record.next_id(output)
        data: dict[str, Any] = {
            "id": run_id,
            "study": study.name,
            "file": str(study.path),
            "status": "running",
            "started": record.now(),
            "finished": None,
            "copatent": __version__,
            "engine": study.analysis.engine,
            "inputs": record.fingerprint(study.inputs.files),
            "parameters": study.parameters(),
        }
        last = record.last_succeeded(output)
        if last is not None and not (force or rebuild) and _unchanged(last.data, data):
            data |= {"status": "skipped", "finished": record.now(), "same_as": last.id}
            record.finish(output, run_id, data, keep_outputs=False)
            _publish(settings, data)
            if as_json:
                emit_json(data)
            else:
                console.print(f"nothing changed since run {last.id}: run {run_id} skipped")
            return
        record.start(output, run_id, data)
        # with --json the steps' own output goes to stderr: stdout holds the record only
        quiet = contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext()
        try:
            with quiet:
                data |= _execute(study, data, settings, connection, rebuild=rebuild)
        except BaseException as error:
            data |= {"status": "failed", "finished": record.now(), "error": _why(error)}
            record.finish(output, run_id, data, keep_outputs=False)
            with contextlib.suppress(Exception):
                _publish(settings, data)
            raise
        data |= {"status": "succeeded", "finished": record.now()}
        folder = record.finish(output, run_id, data, keep_outputs=True)
        _publish(settings, data)
    if as_json:
        emit_json(data)
    else:
        console.print(f"run {run_id} succeeded: {folder}")


def _unchanged(last: Mapping[str, Any], now: Mapping[str, Any]) -> bool:
    """Same inputs (by SHA-256 and path) and same parameters as ``last``."""

    def inputs(data: Mapping[str, Any]) -> list[tuple[str, str]]:
        return sorted((str(i["path"]), str(i["sha256"])) for i in data.get("inputs", []))

    return inputs(last) == inputs(now) and last.get("parameters") == now.get("parameters")


def _why(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    return f"{type(error).__name__}: {error}".splitlines()[0][:500]


def _record_abandoned(study: Study, settings: Any) -> list[str]:
    """Record the runs that started and never ended (killed) as failed; say so."""
    from copatent.runs import record  # noqa: PLC0415

    notes = []
    for run_id, started in record.abandoned(study.output):
        data = dict(started) | {
            "id": run_id,
            "status": "failed",
            "finished": record.now(),
            "error": "the run stopped without ending (killed, or the machine stopped); "
            "recorded by the next run",
        }
        record.finish(study.output, run_id, data, keep_outputs=False)
        with contextlib.suppress(Exception):
            _publish(settings, data)
        notes.append(f"run {run_id} had stopped without ending: recorded as failed")
    return notes


def _publish(settings: Any, data: dict[str, Any]) -> None:
    if settings is None:
        return
    from copatent import publish  # noqa: PLC0415
    from copatent.db import Database  # noqa: PLC0415

    with Database(settings) as db:
        publish.run_record(db, data)


def _execute(
    study: Study, data: Mapping[str, Any], settings: Any, connection: Connection, *, rebuild: bool
) -> dict[str, Any]:
    """Load and retire (neo4j engine), then the report into the run's folder; what to record.

    The graph then equals a clean load of the study's current inputs: the files loaded before
    write nothing, and the files that left the study (or were replaced by a corrected export)
    are retired with the patents only they brought (:func:`copatent.loader.provenance.retire`).
    """
    run_id = int(data["id"])
    import json  # noqa: PLC0415

    from copatent import db as database  # noqa: PLC0415
    from copatent.commands import load, report  # noqa: PLC0415
    from copatent.runs import record  # noqa: PLC0415

    found: dict[str, Any] = {}
    connect = _connection_args(connection)
    reader = _reader_args(study)
    if settings is not None:
        if rebuild:
            found["rebuild"] = {"deleted": _empty(settings)}
        load_report = record.progress_file(study.output, run_id).with_suffix(".load.json")
        try:
            _invoke(
                load.load,
                [*map(str, study.inputs.files), *reader, *connect, "--report", str(load_report)],
            )
            found["load"] = json.loads(load_report.read_text(encoding="utf-8"))
        finally:
            load_report.unlink(missing_ok=True)
        found["retired"] = _retire(settings, [str(i["sha256"]) for i in data["inputs"]])
        found["versions"] = database.server_versions(settings)
    working = record.running_folder(study.output, run_id)
    a, d, r = study.analysis, study.detector, study.report
    args = [
        "--out", str(working),
        *(arg for scale in a.scales for arg in ("--scale", scale)),
        *(arg for period in a.periods for arg in ("--period", period.label)),
        "--baseline", a.baseline.label, "--classes", str(a.classes),
        "--restarts", str(a.restarts), "--seed", str(a.seed),
        "--partition", a.partition, "--image-cutoff", a.image_cutoff,
        "--lang", r.lang, "--top", str(r.top), "--y", d.y,
        "--figures" if r.figures and r.enabled else "--no-figures",
        *(arg for path in d.statistics.values() for arg in ("--factors", str(path))),
        *(["--discretize", d.discretize] if d.discretize else []),
        *(["--interaction"] if d.interaction else []),
        "--force", "--skip-empty", "--engine", a.engine,
    ]  # fmt: skip
    last = record.last_succeeded(study.output)
    if last is not None:
        args += ["--changes-since", str(last.folder)]
    if a.engine == "memory":
        args += [*(arg for p in study.inputs.files for arg in ("--input", str(p))), *reader]
    else:
        args += connect
    _invoke(report.report, args)
    found["headline"] = _headline(working)
    if last is not None:
        from copatent.runs.diff import summary_lines  # noqa: PLC0415

        changes = json.loads((working / "changes.json").read_text(encoding="utf-8"))
        found["changes"] = {"since": last.id, "summary": summary_lines(changes, limit=5)}
    return found


def _reader_args(study: Study) -> list[str]:
    i = study.inputs
    return [
        "--columns", i.columns, "--topic", i.topic, "--drop-policy", i.drop_policy,
        *(["--keywords", str(i.keywords)] if i.keywords else []),
        *(["--places", str(i.places)] if i.places else []),
        *(["--thesaurus", str(i.thesaurus)] if i.thesaurus else []),
    ]  # fmt: skip


def _connection_args(connection: Connection) -> list[str]:
    """The run's own connection options, for the commands it runs in this process.

    They stay in this process: no password reaches a command line.
    """
    args = []
    for flag, value in (
        ("--neo4j-uri", connection.uri),
        ("--neo4j-user", connection.user),
        ("--neo4j-password", connection.password),
        ("--home", connection.home),
    ):
        if value is not None:
            args += [flag, str(value)]
    return args


def _invoke(command: Callable[..., None], args: list[str]) -> None:
    """Run another copatent command in this process, its failures raised as they are."""
    app = typer.Typer()
    app.command(cls=OnceCommand)(command)
    code = typer.main.get_command(app).main(args=args, prog_name="copatent", standalone_mode=False)
    if code:
        from copatent._errors import CopatentError  # noqa: PLC0415

        raise CopatentError(f"{command.__name__} ended with exit code {code}")


def _headline(folder: Path) -> list[dict[str, Any]]:
    """Table 1's size rows per scale and period: what a run's record shows at a glance."""
    import pandas as pd  # noqa: PLC0415

    table = pd.read_csv(folder / "analysis" / "table1.csv", encoding="utf-8-sig")
    keep = ["scale", "period", "nodes", "edges", "density_valued", "modularity"]
    rows = table[[c for c in keep if c in table.columns]].to_dict("records")
    return [{str(k): (None if pd.isna(v) else v) for k, v in row.items()} for row in rows]


def _retire(settings: Any, keep: list[str]) -> dict[str, Any]:
    """Retire the files that are not among ``keep`` (SHA-256): what left the graph."""
    from copatent.db import Database  # noqa: PLC0415
    from copatent.loader import provenance  # noqa: PLC0415

    with Database(settings) as db:
        retired = provenance.retire(db, keep)
    return {
        "files": retired.sources,
        "paths": [f.path for f in retired.files],
        "patents": retired.patents,
        "applicants": retired.applicants,
    }


def _empty(settings: Any, batch: int = 20_000) -> int:
    """Delete every node of the database, batch by batch; how many."""
    from copatent.db import Database  # noqa: PLC0415

    deleted = 0
    with Database(settings) as db:
        while found := int(
            db.run("graph/delete_batch", {"limit": batch}, write=True)["deleted"][0]
        ):
            deleted += found
    return deleted
