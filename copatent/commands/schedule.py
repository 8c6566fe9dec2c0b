"""``copatent schedule STUDY.toml``: run a study at the times of a cron expression.

In the foreground (``--cron``), each time comes round as ``copatent run STUDY.toml`` in a child
process, one at a time: a time that comes while a run is still going is not started (as a
systemd timer does with a service still running). ``--watch`` runs it when exports change,
the same way. ``--print systemd|cron`` writes what makes the system's own scheduler do it
instead, the usual way on a server.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from copatent.commands._options import DEFAULT_CONNECTION, Connection, grouped

if TYPE_CHECKING:
    from collections.abc import Callable, Generator
    from datetime import datetime
    from typing import TypeAlias

    from copatent.runs.schedule import Cron
    from copatent.runs.study import Study

    Say: TypeAlias = Callable[[str], None]
    """Print a line and append it to schedule.log, with the time in front."""
    Triggers: TypeAlias = Callable[[Say], Generator[str, None, None]]
    """Wait for the next time (or change) and yield what to log before the run."""


class PrintChoice(StrEnum):
    systemd = "systemd"
    cron = "cron"


@grouped
def schedule(
    file: Annotated[Path, typer.Argument(help="The study file (TOML).", show_default=False)],
    cron: Annotated[
        str | None,
        typer.Option(
            "--cron",
            metavar="EXPR",
            help="When to run: a cron expression, 5 fields (minute hour day-of-month month "
            "day-of-week, e.g. '0 3 * * *': 03:00 daily) or 6 with a leading seconds field "
            "(e.g. '*/30 * * * * *'); @daily, @weekly, ... too.",
            show_default=False,
        ),
    ] = None,
    max_runs: Annotated[
        int | None,
        typer.Option("--max-runs", min=1, help="Stop after this many runs (default: never)."),
    ] = None,
    print_as: Annotated[
        PrintChoice | None,
        typer.Option(
            "--print",
            help="Run nothing: print the systemd service and timer, or the crontab line, that "
            "run the study at these times under the system's scheduler.",
            show_default=False,
        ),
    ] = None,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Instead of --cron: run when an export in an input folder is added, changed or "
            "deleted, once the folder has been quiet for --debounce seconds.",
        ),
    ] = False,
    debounce: Annotated[
        float,
        typer.Option("--debounce", min=0.0, help="With --watch: seconds of quiet before a run."),
    ] = 30.0,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            file_okay=False,
            help="With --print systemd: write the two unit files into this folder.",
            show_default=False,
        ),
    ] = None,
    connection: Connection = DEFAULT_CONNECTION,
) -> None:
    """Run the study at the times of --cron, in the foreground, until Ctrl-C (or --max-runs).

    Each time, `copatent run FILE` runs in a child process and its start and end (the run's
    number and status, or why it failed) are printed and appended to <output dir>/schedule.log.
    A time that comes while a run is still going is not started; a run started elsewhere that
    holds the study makes the scheduled one refuse (exit 8), which is logged, and the schedule
    goes on. --watch runs it when exports change instead. --print systemd|cron prints what runs
    it under systemd or cron instead.
    """
    from copatent._errors import ConfigError  # noqa: PLC0415
    from copatent.runs.schedule import parse  # noqa: PLC0415
    from copatent.runs.study import read_study  # noqa: PLC0415

    study = read_study(file)
    if watch:
        if cron is not None or print_as is not None:
            raise ConfigError("--watch: give it alone, without --cron or --print")
        what = f"on new or changed exports, after {debounce:g} s of quiet"
        _foreground(study, what, _on_change(study, debounce), max_runs, connection)
        return
    if cron is None:
        raise ConfigError("--cron: give the times to run at, e.g. --cron '0 3 * * *' (03:00 daily)")
    times = parse(cron)
    if out is not None and print_as is not PrintChoice.systemd:
        raise ConfigError("--out: only with --print systemd (it writes the two unit files)")
    if print_as is not None:
        if max_runs is not None:
            raise ConfigError("--max-runs: only for the foreground schedule, not with --print")
        _print(study, times, print_as, out, connection)
        return
    _foreground(study, f"cron {times.text!r}", _at_times(times), max_runs, connection)


# --------------------------------------------------------------------------------------------
# --print


def _copatent_command() -> list[str]:
    """The absolute command line of copatent: the console script beside Python, else ``-m``."""
    import sys  # noqa: PLC0415

    python = Path(sys.executable).absolute()  # not resolved: a venv's python is a symlink
    script = python.parent / "copatent"
    return [str(script)] if script.is_file() else [str(python), "-m", "copatent"]


def _print(
    study: Study, cron: Cron, what: PrintChoice, out: Path | None, connection: Connection
) -> None:
    from copatent.runs.schedule import crontab_line, systemd_units  # noqa: PLC0415

    environment: dict[str, str] = {}
    if connection.home is not None:
        environment["COPATENT_HOME"] = str(connection.home.absolute())
    server = study.analysis.engine == "neo4j" and connection.uri is not None
    if server:
        environment["NEO4J_URI"] = str(connection.uri)
        if connection.user is not None:
            environment["NEO4J_USER"] = connection.user
    if what is PrintChoice.cron:
        typer.echo(
            crontab_line(
                study=study.path,
                output=study.output,
                cron=cron,
                command=_copatent_command(),
                environment=environment,
            )
        )
        if server:
            typer.echo(
                "copatent: the password is not in the line: set NEO4J_PASSWORD=... on a line of "
                "its own above it in the crontab (crontab -e; only you can read it)",
                err=True,
            )
        return
    units = systemd_units(
        name=study.name,
        study=study.path,
        output=study.output,
        cron=cron,
        command=_copatent_command(),
        environment=environment,
        password=server,
    )
    if out is None:
        typer.echo("\n".join(units.values()), nl=False)
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, text in units.items():
        (out / name).write_text(text, encoding="utf-8")
    timer = next(name for name in units if name.endswith(".timer"))
    typer.echo(
        f"wrote {', '.join(str(out / name) for name in units)}: copy them to "
        f"~/.config/systemd/user/, then systemctl --user enable --now {timer}"
    )


# --------------------------------------------------------------------------------------------
# the foreground schedule


def _now() -> datetime:
    from datetime import datetime  # noqa: PLC0415

    return datetime.now().astimezone()


def _clock(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _foreground(
    study: Study,
    what: str,
    triggers: Triggers,
    max_runs: int | None,
    connection: Connection,
) -> None:
    """Run the study each time ``triggers`` yields (what it yields is logged), one at a time.

    ``triggers`` waits for the next time (or change) and yields; it is resumed when the run has
    ended, so nothing it waits for can start a second run beside the first.
    """
    import contextlib  # noqa: PLC0415
    import signal  # noqa: PLC0415

    study.output.mkdir(parents=True, exist_ok=True)
    log = study.output / "schedule.log"

    def say(line: str) -> None:
        stamped = f"{_clock(_now())} {line}"
        typer.echo(stamped)
        with log.open("a", encoding="utf-8") as fh:
            fh.write(stamped + "\n")

    def stop(*_: Any) -> None:
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM (systemctl stop, kill) stop the schedule, also when started with SIGINT
    # ignored (in the background of a script): the runs, whose SIGINT is then not ignored either,
    # record how they ended
    previous = signal.signal(signal.SIGTERM, stop), signal.signal(signal.SIGINT, stop)
    done = 0
    try:
        most = f", {max_runs} runs at most" if max_runs else ""
        say(f"schedule of {study.name} ({study.path}) began: {what}{most}; Ctrl-C stops it")
        with contextlib.closing(triggers(say)) as waiting:  # closed: the watcher stops
            for reason in waiting:
                if reason:
                    say(reason)
                done += 1
                _one_run(study, done, connection, say)
                if max_runs is not None and done >= max_runs:
                    break
    except KeyboardInterrupt:
        say(f"stopped after {_runs(done)}")
        return
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    say(f"schedule ended after {_runs(done)} (--max-runs {max_runs})")


def _at_times(cron: Cron) -> Triggers:
    """The times of ``cron``; those that come while a run goes on are counted, not started."""
    import time  # noqa: PLC0415

    from copatent.runs.schedule import missed_times, next_time  # noqa: PLC0415

    def times(say: Say) -> Generator[str, None, None]:
        upcoming = next_time(cron, _now())
        while True:
            say(f"next run at {_clock(upcoming)}")
            while (left := (upcoming - _now()).total_seconds()) > 0:
                time.sleep(min(left, 30.0))
            yield ""
            ended = _now()
            missed = missed_times(cron, upcoming, ended)
            if missed:
                say(f"{missed} times came during the run: not started")
            upcoming = next_time(cron, ended)

    return times


def _on_change(study: Study, quiet: float) -> Triggers:
    """New, changed or deleted exports in the input folders, once ``quiet`` seconds pass quietly."""
    import time  # noqa: PLC0415

    from copatent.runs.schedule import watched  # noqa: PLC0415
    from copatent.runs.study import is_export  # noqa: PLC0415

    folders, recursive = watched(study)

    def changes(say: Say) -> Generator[str, None, None]:
        from watchfiles import watch  # noqa: PLC0415

        say(f"watching {', '.join(map(str, folders))}{' and below' if recursive else ''}")
        pending: set[str] = set()
        last = 0.0
        # short steps, so that Ctrl-C is seen at once; the quiet time is counted here
        for batch in watch(
            *folders,
            watch_filter=lambda _, path: is_export(Path(path)),
            step=200,
            debounce=2_000,
            rust_timeout=1_000,
            yield_on_timeout=True,
            recursive=recursive,
        ):
            if batch:
                pending |= {Path(path).name for _, path in batch}
                last = time.monotonic()
            if pending and time.monotonic() - last >= quiet:
                names = sorted(pending)
                more = f" and {len(names) - 5} more" if len(names) > 5 else ""
                yield f"exports changed: {', '.join(names[:5])}{more}"
                pending = set()

    return changes


def _runs(count: int) -> str:
    return f"{count} run" if count == 1 else f"{count} runs"


def _one_run(study: Study, number: int, connection: Connection, say: Say) -> None:
    """Run ``copatent run`` once in a child process; log its start and end."""
    import os  # noqa: PLC0415
    import signal  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    import time  # noqa: PLC0415

    from copatent.runs import record  # noqa: PLC0415

    args = [sys.executable, "-m", "copatent", "run", str(study.path), "--json"]
    for flag, value in (
        ("--neo4j-uri", connection.uri),
        ("--neo4j-user", connection.user),
        ("--home", connection.home),
    ):
        if value is not None:
            args += [flag, str(value)]
    env = dict(os.environ)
    if connection.password is not None:
        env["NEO4J_PASSWORD"] = connection.password  # the environment, never the command line
    before = set(record.run_ids(study.output))
    say(f"start {number}: copatent run {study.path}")
    began = time.monotonic()
    # its own session: a Ctrl-C at the terminal reaches this process only, which passes one
    # SIGINT on and waits for the run to record how it ended
    child = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = child.communicate()
    except KeyboardInterrupt:
        child.send_signal(signal.SIGINT)
        try:
            stdout, stderr = child.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            child.kill()
            stdout, stderr = child.communicate()
        outcome = _outcome(study, before, child.returncode, stdout, stderr)
        say(f"end {number} after {time.monotonic() - began:.1f} s (interrupted): {outcome}")
        raise
    outcome = _outcome(study, before, child.returncode, stdout, stderr)
    say(f"end {number} after {time.monotonic() - began:.1f} s: {outcome}")


def _outcome(study: Study, before: set[int], code: int, stdout: str, stderr: str) -> str:
    """What a run's exit code, JSON and record say: ``run 3 succeeded``, ``refused: ...``."""
    import json  # noqa: PLC0415

    from copatent.runs import record  # noqa: PLC0415
    from copatent.runs.lock import RunLockedError  # noqa: PLC0415

    last_line = next((line for line in reversed(stderr.splitlines()) if line.strip()), "")
    why = last_line.removeprefix("copatent: error: ")
    if code == RunLockedError.exit_code:
        return f"refused (exit {code}): {why}"
    start = 0 if stdout.startswith("{") else stdout.rfind("\n{") + 1
    try:
        data = json.loads(stdout[start:]) if start or stdout.startswith("{") else {}
    except ValueError:
        data = {}
    if code == 0 and data:
        said = f"run {data.get('id')} {data.get('status')}"
        if data.get("same_as") is not None:
            said += f" (nothing changed since run {data['same_as']})"
        return said
    new = sorted(set(record.run_ids(study.output)) - before)
    which = f"run {new[-1]} failed" if new else "failed"
    return f"{which} (exit {code}): {why or 'no message'}"
