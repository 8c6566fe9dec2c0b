"""Running a study on a schedule: cron expressions, and the system scheduler's files for them.

``copatent schedule STUDY.toml --cron EXPR`` runs the study in the foreground at the times of a
cron expression; ``--print systemd`` and ``--print cron`` write what runs it under the system's
own scheduler instead. This module holds what is not command line:

- :func:`parse`: a cron expression checked field by field. Five fields (minute, hour, day of
  month, month, day of week), as crontab(5) has them: numbers, ``*``, lists ``a,b``, ranges
  ``a-b``, steps ``*/n`` and ``a-b/n``, month and weekday names (``jan``, ``mon``), Sunday as 0
  or 7, and the macros ``@hourly``, ``@daily``, ``@weekly``, ``@monthly``, ``@yearly``. Six
  fields: a leading seconds field, then the five (for tests and schedules finer than a minute).
- :func:`on_calendar`: the expression as a systemd ``OnCalendar=`` value.
- :func:`systemd_units` and :func:`crontab_line`: the two ways of running the study on a server.
- :func:`watched`: the folders ``--watch`` watches for new or changed exports.

The foreground schedule's times come from croniter (:func:`next_time`), which follows crontab's
rules, including that a restricted day of month and a restricted day of week are ORed.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from copatent._errors import ConfigError
from copatent.runs.study import Study

MACROS: Final = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
MONTHS: Final = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS: Final = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
"""crontab's order: Sunday is 0 (and 7)."""
SYSTEMD_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""systemd's order: Monday first."""


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    """Names of the numbers from ``low`` on (months from 1, weekdays from 0)."""


_FIELDS: Final = (
    _Field("second", 0, 59),
    _Field("minute", 0, 59),
    _Field("hour", 0, 23),
    _Field("day of month", 1, 31),
    _Field("month", 1, 12, MONTHS),
    _Field("day of week", 0, 7, WEEKDAYS),
)
_PART = re.compile(r"(?:(?P<star>\*)|(?P<a>\w+)(?:-(?P<b>\w+))?)(?:/(?P<step>\d+))?")


class CronError(ConfigError):
    """A cron expression that cannot be read, or cannot be said to the system's scheduler."""


@dataclass(frozen=True)
class Cron:
    """A checked cron expression: its text and fields (``second`` is ``None`` with 5 fields)."""

    text: str
    second: str | None
    minute: str
    hour: str
    day: str
    month: str
    weekday: str

    @property
    def fields(self) -> tuple[str, ...]:
        """The five crontab fields, or six with the seconds first (as written)."""
        five = (self.minute, self.hour, self.day, self.month, self.weekday)
        return five if self.second is None else (self.second, *five)

    @property
    def expression(self) -> str:
        """The fields joined by one space (a macro spelt out)."""
        return " ".join(self.fields)


def parse(text: str, *, option: str = "--cron") -> Cron:
    """Check the cron expression ``text``; a :class:`CronError` naming ``option`` and the field.

    >>> parse("30 2 * * mon").weekday
    'mon'
    >>> parse("*/10 * * * * *").second
    '*/10'
    >>> parse("@daily").expression
    '0 0 * * *'
    """
    stripped = text.strip()
    words = MACROS.get(stripped.lower(), stripped).split()
    if len(words) not in (5, 6):
        raise CronError(
            f"{option} {text!r}: expected 5 fields (minute hour day-of-month month day-of-week) "
            f"or 6 with a leading seconds field, got {len(words)}"
        )
    fields = _FIELDS if len(words) == 6 else _FIELDS[1:]
    for word, field in zip(words, fields, strict=True):
        try:
            _values(word, field)
        except ValueError as problem:
            raise CronError(f"{option} {text!r}: {field.name} {word!r}: {problem}") from None
    second = words[0] if len(words) == 6 else None
    minute, hour, day, month, weekday = words[-5:]
    return Cron(stripped, second, minute, hour, day, month, weekday)


def _number(token: str, field: _Field) -> int:
    if token.isdigit():
        value = int(token)
    elif token.lower() in field.names:
        value = field.names.index(token.lower()) + field.low
    else:
        names = f" or a name ({', '.join(field.names)})" if field.names else ""
        raise ValueError(f"{token!r} is not a number{names}")
    if not field.low <= value <= field.high:
        raise ValueError(f"{value} is out of range ({field.low}-{field.high})")
    return value


def _values(word: str, field: _Field) -> list[int]:
    """The values a field's text names, in order (weekday 7 stays 7); ValueError says why not."""
    found: list[int] = []
    for part in word.split(","):
        match = _PART.fullmatch(part)
        if not match:
            raise ValueError(f"cannot read {part!r} (expected *, n, a-b, */n, a-b/n or a list)")
        step = int(match["step"]) if match["step"] else 1
        if step < 1:
            raise ValueError("a step must be at least 1")
        if match["star"]:
            low, high = field.low, 6 if field.names == WEEKDAYS else field.high  # 7 is 0 again
        else:
            low = _number(match["a"], field)
            high = _number(match["b"], field) if match["b"] else low
            if match["step"] and not match["b"]:
                raise ValueError(f"{part!r}: a step needs * or a range before it (a-b/n)")
            if high < low:
                raise ValueError(f"{part!r}: a range must go from low to high")
        found += range(low, high + 1, step)
    return found


# --------------------------------------------------------------------------------------------
# the next time (croniter)


def next_time(cron: Cron, after: datetime) -> datetime:
    """The first time of ``cron`` strictly after ``after`` (aware: in its time zone)."""
    from croniter import croniter  # noqa: PLC0415

    times = croniter(cron.expression, after, second_at_beginning=cron.second is not None)
    got = times.get_next(datetime)  # type: ignore[no-untyped-call]  # croniter: partly annotated
    assert isinstance(got, datetime)  # noqa: S101 (what get_next(datetime) returns)
    return got


def missed_times(cron: Cron, start: datetime, end: datetime, *, most: int = 10_000) -> int:
    """How many times of ``cron`` fall after ``start`` and up to ``end`` (counted up to ``most``).

    What a schedule that runs one at a time did not start while a run went on.
    """
    count, moment = 0, start
    while count < most and (moment := next_time(cron, moment)) <= end:
        count += 1
    return count


def watched(study: Study) -> tuple[list[Path], bool]:
    """The folders whose exports ``study`` reads, and whether below them (a ``**`` glob).

    A folder is watched as it is; a file, in its folder; a glob, from its last folder before
    the first wildcard.
    """
    folders: list[Path] = []
    recursive = False
    here = study.path.parent
    for entry in study.inputs.paths:
        target = here / entry
        if any(ch in entry for ch in "*?["):
            recursive = recursive or "**" in entry
            parts = Path(entry).parts
            first = next(i for i, part in enumerate(parts) if any(ch in part for ch in "*?["))
            target = here.joinpath(*parts[:first])
        elif not target.is_dir():
            target = target.parent
        folder = target.resolve()
        if folder not in folders:
            folders.append(folder)
    return folders, recursive


# --------------------------------------------------------------------------------------------
# systemd's OnCalendar=


def on_calendar(cron: Cron, *, option: str = "--cron") -> str:
    """``cron`` as a systemd calendar event (systemd.time(7)), for a timer's ``OnCalendar=``.

    A day of month and a day of week both restricted cannot be converted: cron runs on either
    (OR), systemd only on both (AND); :class:`CronError` says so.

    >>> on_calendar(parse("30 2 * * 1"))
    'Mon *-*-* 02:30:00'
    >>> on_calendar(parse("*/15 * * * *"))
    '*-*-* *:00/15:00'
    >>> on_calendar(parse("0 9-17 * * 1-5"))
    'Mon..Fri *-*-* 09..17:00:00'
    """
    if cron.day != "*" and cron.weekday != "*":
        raise CronError(
            f"{option} {cron.text!r}: both day of month and day of week are restricted; cron runs "
            "on either, a systemd timer only on both: give one of them as *"
        )
    second, minute, hour, day, month, _ = _FIELDS
    weekday = _weekdays(cron.weekday)
    date = f"*-{_systemd(cron.month, month)}-{_systemd(cron.day, day)}"
    clock = ":".join(
        (
            _systemd(cron.hour, hour),
            _systemd(cron.minute, minute),
            _systemd(cron.second or "0", second),
        )
    )
    return " ".join(filter(None, (weekday, date, clock)))


def _systemd(word: str, field: _Field) -> str:
    """One field of the date or time: ``*``, ``a..b``, ``start/step``, or a list of values."""
    parts = []
    for part in word.split(","):
        match = _PART.fullmatch(part)
        assert match is not None  # noqa: S101 (parse checked it)
        if match["star"]:
            parts.append(f"{field.low:02d}/{match['step']}" if match["step"] else "*")
        elif match["step"]:  # a-b/n: spelt out (older systemd has no a..b/n)
            parts += [f"{v:02d}" for v in _values(part, field)]
        elif match["b"]:
            parts.append(f"{_number(match['a'], field):02d}..{_number(match['b'], field):02d}")
        else:
            parts.append(f"{_number(match['a'], field):02d}")
    return "*" if "*" in parts else ",".join(parts)


def _weekdays(word: str) -> str:
    """The days of ``word`` in systemd's order, runs of three or more as ``Mon..Fri``; ``*``: ''."""
    days = sorted({(v - 1) % 7 for v in _values(word, _FIELDS[5])})  # cron 1 (Mon) -> 0
    if word == "*" or len(days) == 7:
        return ""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names = []
    for run in runs:
        if len(run) >= 3:
            names.append(f"{SYSTEMD_WEEKDAYS[run[0]]}..{SYSTEMD_WEEKDAYS[run[-1]]}")
        else:
            names += [SYSTEMD_WEEKDAYS[d] for d in run]
    return ",".join(names)


# --------------------------------------------------------------------------------------------
# the units and the crontab line


def unit_name(name: str, path: Path) -> str:
    """``copatent-<name>``: the study's name in the characters a unit name allows.

    >>> unit_name("Rare earth 2025", Path("/s/study.toml"))
    'copatent-rare-earth-2025'
    """
    slug = re.sub(r"[^a-z0-9_.]+", "-", name.lower()).strip("-.")
    if not slug:  # a name in other scripts: its file's folder and a short hash keep it apart
        slug = "study-" + hashlib.sha256(str(path).encode()).hexdigest()[:8]
    return f"copatent-{slug}"


def _exec_quote(arg: str) -> str:
    """One word of a systemd command line: quoted if needed, ``%`` and ``$`` doubled."""
    escaped = arg.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[\w@%+=:,./$-]+", escaped):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_units(
    *,
    name: str,
    study: Path,
    output: Path,
    cron: Cron,
    command: Sequence[str],
    environment: Mapping[str, str],
    password: bool,
) -> dict[str, str]:
    """The service and timer that run ``study`` at the times of ``cron``: file name -> text.

    ``command`` is copatent's command line (absolute); ``environment`` what the service sets
    (``COPATENT_HOME``, ``NEO4J_URI``, ``NEO4J_USER``; never a password); ``password``: a server of
    one's own is used, so the service needs ``NEO4J_PASSWORD`` from an ``EnvironmentFile=``.
    """
    unit = unit_name(name, study)
    calendar = on_calendar(cron, option="--print systemd: --cron")
    run = " ".join(_exec_quote(word) for word in (*command, "run", str(study)))
    env = [f"Environment={_exec_quote(f'{k}={v}')}" for k, v in environment.items()]
    secret = (
        [
            "# The server's password is not written here. Keep it in a file only you can read",
            "# (chmod 600), one line NEO4J_PASSWORD=..., and name it:",
            f"EnvironmentFile=%h/.config/copatent/{unit}.env",
        ]
        if password
        else []
    )
    folder = str(study.parent).replace("%", "%%")
    service = "\n".join(
        [
            f"# file: {unit}.service",
            f"# copatent: one run of the study {name} ({study}), started by {unit}.timer.",
            "# Install for your user: copy both files to ~/.config/systemd/user/, then",
            f"#   systemctl --user daemon-reload && systemctl --user enable --now {unit}.timer",
            "# (for the runs to go on while you are logged out: loginctl enable-linger $USER).",
            f"# Its log: journalctl --user -u {unit}.service; the runs: {output}/<N>/run.json",
            "[Unit]",
            f"Description=copatent: run the study {name.replace('%', '%%')}",
            "",
            "[Service]",
            "Type=oneshot",
            f"WorkingDirectory={folder}",
            *env,
            *secret,
            f"ExecStart={run}",
            "",
        ]
    )
    timer = "\n".join(
        [
            f"# file: {unit}.timer",
            f"# copatent: the times of {unit}.service, from the cron expression {cron.text!r}.",
            "# A run still going when the next time comes is not started twice; a time missed",
            "# while the machine was off is caught up once at boot (Persistent=true).",
            "[Unit]",
            f"Description=copatent: run the study {name.replace('%', '%%')} at {calendar}",
            "",
            "[Timer]",
            f"OnCalendar={calendar}",
            "Persistent=true",
            f"Unit={unit}.service",
            "",
            "[Install]",
            "WantedBy=timers.target",
            "",
        ]
    )
    return {f"{unit}.service": service, f"{unit}.timer": timer}


def crontab_line(
    *,
    study: Path,
    output: Path,
    cron: Cron,
    command: Sequence[str],
    environment: Mapping[str, str],
) -> str:
    """The crontab(5) line that runs ``study`` at the times of ``cron``, its output in a log.

    ``%`` is crontab's newline: it is escaped. The output folder is made first (the log is in
    it). A 6-field expression (seconds) has no crontab form.
    """
    if cron.second is not None:
        raise CronError(
            f"--print cron: --cron {cron.text!r}: crontab has no seconds field; give 5 fields"
        )
    env = [shlex.quote(f"{k}={v}") for k, v in environment.items()]
    words = [
        "cd", shlex.quote(str(study.parent)), "&&",
        "mkdir", "-p", shlex.quote(str(output)), "&&", *env,
        *map(shlex.quote, command), "run", shlex.quote(str(study)),
        ">>", shlex.quote(str(output / "cron.log")), "2>&1",
    ]  # fmt: skip
    return f"{cron.expression} " + " ".join(words).replace("%", "\\%")
