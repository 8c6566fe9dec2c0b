"""``copatent schedule``: cron read and converted for systemd, the units and the crontab line, and
two scheduled runs of a small memory-engine study."""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from copatent.runs import lock
from copatent.runs.schedule import (
    CronError,
    crontab_line,
    missed_times,
    next_time,
    on_calendar,
    parse,
    systemd_units,
    watched,
)
from copatent.runs.study import read_study
from copatent.sample import generator as sample
from copatent.sample import statistics as sample_statistics
from tests.unit.test_run import STUDY

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")

# (cron, OnCalendar): worked by hand from crontab(5) and systemd.time(7). Weekdays: cron counts
# from Sunday = 0 (7 too), systemd lists Monday first; runs of three days or more are a range
# (systemd's own normal form), a-b/n is spelt out (older systemd has no a..b/n).
CONVERSIONS = [
    ("30 2 * * 1", "Mon *-*-* 02:30:00"),
    ("*/15 * * * *", "*-*-* *:00/15:00"),
    ("0 9-17 * * 1-5", "Mon..Fri *-*-* 09..17:00:00"),
    ("0 3 1 * *", "*-*-01 03:00:00"),
    ("0 0 * * 0", "Sun *-*-* 00:00:00"),
    ("0 0 * * 7", "Sun *-*-* 00:00:00"),
    ("15 6 * * sat,sun", "Sat,Sun *-*-* 06:15:00"),
    ("0 12 * * 0-2", "Mon,Tue,Sun *-*-* 12:00:00"),
    ("0 12 * * */2", "Tue,Thu,Sat,Sun *-*-* 12:00:00"),
    ("0 0 * * mon-fri", "Mon..Fri *-*-* 00:00:00"),
    ("0 */6 * * *", "*-*-* 00/6:00:00"),
    ("0 8-18/2 * * *", "*-*-* 08,10,12,14,16,18:00:00"),
    ("5,35 * * * *", "*-*-* *:05,35:00"),
    ("0 0 1 1,7 *", "*-01,07-01 00:00:00"),
    ("0 0 1 */3 *", "*-01/3-01 00:00:00"),
    ("0 4 * jun-aug *", "*-06..08-* 04:00:00"),
    ("@weekly", "Sun *-*-* 00:00:00"),
    ("@daily", "*-*-* 00:00:00"),
    ("*/10 * * * * *", "*-*-* *:*:00/10"),
    ("30 0 3 * * *", "*-*-* 03:00:30"),
]


@pytest.mark.parametrize(("cron", "expected"), CONVERSIONS, ids=[c for c, _ in CONVERSIONS])
def test_cron_converts_to_the_hand_worked_on_calendar(cron: str, expected: str) -> None:
    assert on_calendar(parse(cron)) == expected


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize(("cron", "expected"), CONVERSIONS, ids=[c for c, _ in CONVERSIONS])
def test_systemd_elapses_at_the_times_croniter_gives(cron: str, expected: str) -> None:
    # systemd's own reading of the value, against croniter's reading of the cron expression,
    # both from the same base time in UTC
    base = datetime(2026, 1, 1, 0, 0, 7, tzinfo=UTC)
    proc = subprocess.run(
        [str(SYSTEMD_ANALYZE), "calendar", "--iterations=8", "--base-time=2026-01-01 00:00:07 UTC",
         expected],
        capture_output=True, text=True, check=False, env={"TZ": "UTC", "LC_ALL": "C"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    systemd = re.findall(
        r"(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", proc.stdout
    )
    times, moment = [], base
    for _ in range(8):
        moment = next_time(parse(cron), moment)
        times.append(moment.strftime("%Y-%m-%d %H:%M:%S"))
    assert systemd == times


@pytest.mark.parametrize(
    ("cron", "says"),
    [
        ("* * * *", "expected 5 fields"),
        ("* * * * * * *", "got 7"),
        ("60 * * * *", "minute '60': 60 is out of range (0-59)"),
        ("0 24 * * *", "hour '24'"),
        ("0 0 0 * *", "day of month '0'"),
        ("0 0 * 13 *", "month '13'"),
        ("0 0 * * 8", "day of week '8'"),
        ("0 0 * * funday", "'funday' is not a number"),
        ("0 17-9 * * *", "from low to high"),
        ("5/10 * * * *", "a step needs * or a range"),
        ("*/0 * * * *", "at least 1"),
        ("0 0 L * *", "'L' is not a number"),
    ],
    ids=lambda v: v,
)
def test_a_bad_expression_is_one_line_naming_the_option_and_field(cron: str, says: str) -> None:
    with pytest.raises(CronError) as caught:
        parse(cron)
    message = str(caught.value)
    assert message.startswith(f"--cron {cron!r}: ")
    assert says in message
    assert "\n" not in message
    assert caught.value.exit_code == 2


def test_cron_ors_day_of_month_and_week_which_systemd_cannot() -> None:
    cron = parse("0 0 1 * 1")
    with pytest.raises(CronError, match="both day of month and day of week"):
        on_calendar(cron)
    # the foreground schedule follows cron: the 1st of the month or a Monday
    base = datetime(2026, 1, 1, 12, tzinfo=UTC)  # a Thursday
    assert next_time(cron, base) == datetime(2026, 1, 5, tzinfo=UTC)  # Monday
    assert next_time(cron, datetime(2026, 1, 28, tzinfo=UTC)) == datetime(2026, 2, 1, tzinfo=UTC)


def test_missed_times_counts_the_times_a_run_outlasted() -> None:
    cron = parse("*/10 * * * * *")
    start = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert missed_times(cron, start, datetime(2026, 1, 1, 0, 0, 25, tzinfo=UTC)) == 2
    assert missed_times(cron, start, datetime(2026, 1, 1, 0, 0, 5, tzinfo=UTC)) == 0


# --------------------------------------------------------------------------------------------
# the units and the crontab line


def _units(tmp_path: Path, *, password: bool) -> dict[str, str]:
    study = tmp_path / "my study" / "study.toml"
    study.parent.mkdir()
    return systemd_units(
        name="Rare earth 2025",
        study=study,
        output=study.parent / "runs",
        cron=parse("30 2 * * 1"),
        command=[sys.executable, "-m", "copatent"],
        environment={"COPATENT_HOME": str(tmp_path / "home"), "NEO4J_URI": "bolt://db:7687"},
        password=password,
    )


class _MultiDict(dict[str, list[str]]):
    """configparser's store for a section: a key may repeat (Environment=), as systemd allows."""

    def __setitem__(self, key: str, value: list[str] | str) -> None:
        if isinstance(value, list) and key in self:
            self[key].extend(value)  # a key given again: keep every value, in order
        else:
            super().__setitem__(key, value)  # type: ignore[assignment]


def _ini(text: str) -> configparser.RawConfigParser:
    """A unit parsed as systemd reads it: ``=`` only, keys kept as written, repeated keys kept."""
    parser = configparser.RawConfigParser(
        dict_type=_MultiDict, strict=False, delimiters=("=",), empty_lines_in_values=False
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


@pytest.mark.parametrize("password", [False, True], ids=["no password", "password"])
def test_systemd_units_have_the_sections_and_keys(tmp_path: Path, *, password: bool) -> None:
    units = _units(tmp_path, password=password)
    assert sorted(units) == ["copatent-rare-earth-2025.service", "copatent-rare-earth-2025.timer"]
    for name, text in units.items():
        assert text.startswith(f"# file: {name}\n")
    service = _ini(units["copatent-rare-earth-2025.service"])
    assert service.sections() == ["Unit", "Service"]
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["WorkingDirectory"] == str(tmp_path / "my study")
    exec_start = service["Service"]["ExecStart"]
    assert exec_start.startswith(f"{sys.executable} -m copatent run ")
    assert exec_start.endswith(f'"{tmp_path / "my study" / "study.toml"}"')  # quoted: a space
    text = units["copatent-rare-earth-2025.service"]
    assert service.get("Service", "Environment").split("\n") == [
        f"COPATENT_HOME={tmp_path / 'home'}",
        "NEO4J_URI=bolt://db:7687",
    ]
    assert "NEO4J_PASSWORD=" not in text.replace("NEO4J_PASSWORD=...", "")
    assert ("EnvironmentFile=" in text) is password
    timer = _ini(units["copatent-rare-earth-2025.timer"])
    assert timer.sections() == ["Unit", "Timer", "Install"]
    assert timer["Timer"]["OnCalendar"] == "Mon *-*-* 02:30:00"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["Unit"] == "copatent-rare-earth-2025.service"
    assert timer["Install"]["WantedBy"] == "timers.target"


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    units = _units(tmp_path, password=False)
    for name, text in units.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [str(SYSTEMD_ANALYZE), "verify", *(str(tmp_path / name) for name in units)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr


def test_the_crontab_line_quotes_paths_and_escapes_percent(tmp_path: Path) -> None:
    study = tmp_path / "50% done" / "study.toml"
    line = crontab_line(
        study=study,
        output=study.parent / "runs",
        cron=parse("0 3 * * *"),
        command=["/opt/copatent/bin/copatent"],
        environment={"COPATENT_HOME": "/srv/copatent home"},
    )
    folder = f"{tmp_path}/50\\% done"  # quoted for the shell, % escaped for cron
    assert line == (
        f"0 3 * * * cd '{folder}' && mkdir -p '{folder}/runs' && "
        "'COPATENT_HOME=/srv/copatent home' /opt/copatent/bin/copatent run "
        f"'{folder}/study.toml' >> '{folder}/runs/cron.log' 2>&1"
    )
    with pytest.raises(CronError, match="crontab has no seconds field"):
        crontab_line(
            study=study, output=tmp_path, cron=parse("0 * * * * *"), command=["x"], environment={}
        )


# --------------------------------------------------------------------------------------------
# the command


def _copatent(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "copatent", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


@pytest.fixture
def small_study(tmp_path: Path) -> Path:
    """A study whose file reads (its export need not load): for the refusals and --print."""
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "a.csv").write_text("x\n", encoding="utf-8")
    path = tmp_path / "study.toml"
    text = (
        '[study]\nname = "small"\n[inputs]\npaths = ["exports/"]\n[analysis]\nengine = "memory"\n'
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--cron", "0 25 * * *"], 2, "--cron '0 25 * * *': hour '25'"),
        ([], 2, "--cron: give the times"),
        (["--cron", "0 1 1 * 1", "--print", "systemd"], 2, "both day of month and day of week"),
        (["--cron", "0 0 1 * * *", "--print", "cron"], 2, "crontab has no seconds field"),
        (["--cron", "@daily", "--out", "units"], 2, "--out: only with --print systemd"),
    ],
    ids=["bad hour", "no cron", "systemd cannot OR the days", "cron has no seconds", "out alone"],
)
def test_the_command_refuses_in_one_line_before_running(
    small_study: Path, args: list[str], code: int, says: str
) -> None:
    proc = _copatent("schedule", str(small_study), *args)
    assert proc.returncode == code, proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert says in proc.stderr
    assert not (small_study.parent / "runs").exists()


def test_a_bad_study_file_is_one_line(tmp_path: Path) -> None:
    proc = _copatent("schedule", str(tmp_path / "missing.toml"), "--cron", "@daily")
    assert proc.returncode == 6
    assert proc.stderr.count("\n") == 1, proc.stderr


def test_print_cron_and_systemd(small_study: Path, tmp_path: Path) -> None:
    proc = _copatent("schedule", str(small_study), "--cron", "*/15 * * * *", "--print", "cron")
    assert proc.returncode == 0, proc.stderr
    folder = small_study.parent
    assert re.fullmatch(
        rf"\*/15 \* \* \* \* cd {folder} && mkdir -p {folder}/runs && \S+ run {small_study} "
        rf">> {folder}/runs/cron\.log 2>&1\n",
        proc.stdout,
    ), proc.stdout
    command = proc.stdout.split(" && ")[2].split(" run ")[0]
    assert Path(command.split()[0]).is_absolute()

    proc = _copatent("schedule", str(small_study), "--cron", "*/15 * * * *", "--print", "systemd")
    assert proc.returncode == 0, proc.stderr
    service, timer = re.split(r"\n(?=# file: )", proc.stdout)
    assert service.startswith("# file: copatent-small.service\n")
    assert timer.startswith("# file: copatent-small.timer\n")
    assert _ini(timer)["Timer"]["OnCalendar"] == "*-*-* *:00/15:00"
    assert _ini(service)["Service"]["WorkingDirectory"] == str(folder)

    units = tmp_path / "units"
    proc = _copatent(
        "schedule", str(small_study), "--cron", "@daily", "--print", "systemd", "--out", str(units)
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in units.iterdir()) == [
        "copatent-small.service",
        "copatent-small.timer",
    ]


def test_a_run_refused_by_an_outside_run_is_logged_and_the_schedule_goes_on(
    small_study: Path,
) -> None:
    runs = small_study.parent / "runs"
    with lock.held(runs / ".lock", "the study small", wait=False):
        proc = _copatent("schedule", str(small_study), "--cron", "* * * * * *", "--max-runs", "2")
    assert proc.returncode == 0, proc.stderr
    ends = [line for line in proc.stdout.splitlines() if " end " in line]
    assert len(ends) == 2, proc.stdout
    for end in ends:
        assert "refused (exit 8): another run holds the study small" in end
    assert not [p for p in runs.iterdir() if p.name.isdigit()]  # no run was recorded


def test_watched_folders_of_folders_files_and_globs(tmp_path: Path) -> None:
    for folder in ("a", "b", "c/2024", "d"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "x.csv").write_text("x\n", encoding="utf-8")
    path = tmp_path / "study.toml"
    text = '[inputs]\npaths = ["a/", "b/x.csv", "c/**/*.csv", "d/*.csv", "a"]\n'
    path.write_text(text, encoding="utf-8")
    folders, recursive = watched(read_study(path))
    assert folders == [tmp_path / "a", tmp_path / "b", tmp_path / "c", tmp_path / "d"]
    assert recursive  # c/**: below c


def test_watch_runs_when_an_export_lands_once_the_folder_is_quiet(small_study: Path) -> None:
    exports = small_study.parent / "exports"
    with subprocess.Popen(
        [sys.executable, "-m", "copatent", "schedule", str(small_study), "--watch",
         "--debounce", "1", "--max-runs", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        assert proc.stdout is not None
        for line in proc.stdout:  # the watcher is set up when it says so
            if " watching " in line:
                break
        (exports / "notes.txt").write_text("not an export\n", encoding="utf-8")
        time.sleep(2.5)  # longer than --debounce: a run now would name notes.txt
        (exports / "b.csv").write_text("y\n", encoding="utf-8")
        time.sleep(0.3)
        (exports / "b.csv").write_text("y\nz\n", encoding="utf-8")  # still copying: one run
        rest, errors = proc.communicate(timeout=60)
    assert proc.returncode == 0, errors
    events = [re.sub(r"^\S+ ", "", line) for line in rest.splitlines()]
    assert events[0] == "exports changed: b.csv", events
    assert [e.split(" after ")[0] for e in events[1:3]] == [
        "start 1: copatent run " + str(small_study),
        "end 1",
    ]
    assert events[-1] == "schedule ended after 1 run (--max-runs 1)"


@pytest.fixture
def memory_study(tmp_path: Path) -> Path:
    """The memory-engine study of test_run.py: a generated sample and its statistics."""
    folder = tmp_path
    (folder / "exports").mkdir()
    export = sample.write(sample.generate(1_500, seed=3), folder / "exports" / "sample.csv")
    (folder / "statistics").mkdir()
    moved = {
        scale: path.rename(folder / "statistics" / path.name)
        for scale, path in sample_statistics.write_beside(export, seed=3).items()
    }
    for extra in (folder / "exports").glob("*.txt"):
        extra.unlink()
    path = folder / "study.toml"
    path.write_text(
        STUDY.format(
            province=moved["province"].relative_to(folder), city=moved["city"].relative_to(folder)
        ),
        encoding="utf-8",
    )
    return path


def test_max_runs_two_every_ten_seconds_runs_twice_and_exits(memory_study: Path) -> None:
    proc = _copatent(
        "schedule", str(memory_study), "--cron", "*/10 * * * * *", "--max-runs", "2", timeout=180
    )
    assert proc.returncode == 0, proc.stderr
    runs = memory_study.parent / "runs"
    statuses = [
        json.loads((runs / str(n) / "run.json").read_text(encoding="utf-8"))["status"]
        for n in (1, 2)
    ]
    assert statuses == ["succeeded", "skipped"]  # nothing changed: the second one is skipped
    assert not (runs / "3").exists()
    log = (runs / "schedule.log").read_text(encoding="utf-8").splitlines()
    events = [re.sub(r"^\S+ ", "", line) for line in log]
    starts = [e for e in events if e.startswith("start ")]
    ends = [e for e in events if e.startswith("end ")]
    assert [s.split(":")[0] for s in starts] == ["start 1", "start 2"]
    assert re.fullmatch(r"end 1 after [\d.]+ s: run 1 succeeded", ends[0]), ends
    assert re.fullmatch(
        r"end 2 after [\d.]+ s: run 2 skipped \(nothing changed since run 1\)", ends[1]
    )
    assert events[-1] == "schedule ended after 2 runs (--max-runs 2)"
    assert proc.stdout.splitlines() == log  # what is printed is what is logged
    # each start on a ten-second mark
    for line in log:
        if " start " in line:
            assert datetime.fromisoformat(line.split()[0]).second % 10 == 0, line
