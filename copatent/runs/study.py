"""The study file: one TOML file that declares a whole study, read and checked before anything runs.

A study is what a research group keeps and runs again as exports arrive: its inputs (files,
folders or globs of exports, with the loader's options), the analysis (scales, periods, engine,
baseline, tiers, restarts, the partition), the geographical detector (a statistics file per
scale), the report and the output folder. Every key has the name of the command-line option it
stands for (``drop_policy`` for ``--drop-policy``), and the same default. Paths are relative to
the study file.

:func:`read_study` reads it with the standard library's :mod:`tomllib` and checks every key
before returning: an unknown section or key, a value of the wrong type, a period that is not
``START-END`` with ``START <= END``, a path that does not exist. Each problem is one line naming
the file and the key (``study.toml: [analysis] periods: period '2020-2001': ...``); the first one
found is raised as :class:`~copatent._errors.InputError` (exit 6).
"""

from __future__ import annotations

import glob
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from copatent._errors import InputError
from copatent.analytics.periods import DEFAULT_BASELINE, DEFAULT_PERIODS, Period

EXPORT_SUFFIXES: Final = (".xlsx", ".xls", ".csv")
"""What a folder of exports is searched for (the loader's readers)."""

SCALES: Final = ("province", "city", "applicant")
PARTITIONS: Final = ("concor", "louvain", "leiden")


@dataclass(frozen=True)
class Inputs:
    paths: tuple[str, ...]
    """As written in the file: files, folders or globs, relative to the study file."""
    files: tuple[Path, ...]
    """The export files they name now, resolved and sorted (a folder: its exports, not deeper)."""
    columns: str = "incopat"
    topic: str = "rare-earth"
    keywords: Path | None = None
    drop_policy: str = "patent"
    places: Path | None = None
    thesaurus: Path | None = None


@dataclass(frozen=True)
class Analysis:
    scales: tuple[str, ...] = ("province", "city")
    periods: tuple[Period, ...] = DEFAULT_PERIODS
    engine: str = "neo4j"
    baseline: Period = DEFAULT_BASELINE
    classes: int = 4
    restarts: int = 10
    seed: int = 42
    partition: str = "concor"
    image_cutoff: str = "density"


@dataclass(frozen=True)
class Detector:
    statistics: Mapping[str, Path] = field(default_factory=dict)
    """A statistics file per scale (province, city): the detector runs where there is one."""
    y: str = "weighted_degree"
    discretize: str | None = None
    interaction: bool = False


@dataclass(frozen=True)
class Report:
    enabled: bool = True
    lang: str = "zh"
    figures: bool = True
    top: int = 10


@dataclass(frozen=True)
class Study:
    path: Path
    name: str
    inputs: Inputs
    analysis: Analysis
    detector: Detector
    report: Report
    output: Path

    def parameters(self) -> dict[str, object]:
        """The resolved parameters, JSON-ready (what a run records and compares)."""
        a, d, r, i = self.analysis, self.detector, self.report, self.inputs
        return {
            "inputs": {
                "columns": i.columns,
                "topic": i.topic,
                "keywords": str(i.keywords) if i.keywords else None,
                "drop_policy": i.drop_policy,
                "places": str(i.places) if i.places else None,
                "thesaurus": str(i.thesaurus) if i.thesaurus else None,
            },
            "analysis": {
                "scales": list(a.scales),
                "periods": [p.label for p in a.periods],
                "engine": a.engine,
                "baseline": a.baseline.label,
                "classes": a.classes,
                "restarts": a.restarts,
                "seed": a.seed,
                "partition": a.partition,
                "image_cutoff": a.image_cutoff,
            },
            "detector": {
                "statistics": {k: str(v) for k, v in d.statistics.items()},
                "y": d.y,
                "discretize": d.discretize,
                "interaction": d.interaction,
            },
            "report": {"enabled": r.enabled, "lang": r.lang, "figures": r.figures, "top": r.top},
            "output": {"dir": str(self.output)},
        }


# --------------------------------------------------------------------------------------------
# reading and checking


class _ProblemError(Exception):
    """One key's problem, before the file name and key are put in front of it."""


def _string(choices: tuple[str, ...] | None = None) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise _ProblemError(f"expected a string, got {_kind(value)}")
        if choices is not None and value not in choices:
            raise _ProblemError(f"{value!r}: expected one of {', '.join(choices)}")
        return value

    return check


def _strings(choices: tuple[str, ...] | None = None) -> Callable[[Any], tuple[str, ...]]:
    one = _string(choices)

    def check(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise _ProblemError(f"expected a non-empty list of strings, got {_kind(value)}")
        found = tuple(one(v) for v in value)
        if len(set(found)) != len(found):
            raise _ProblemError("a value is listed twice")
        return found

    return check


def _integer(low: int, high: int | None = None) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _ProblemError(f"expected an integer, got {_kind(value)}")
        if value < low or (high is not None and value > high):
            upper = f" and at most {high}" if high is not None else ""
            raise _ProblemError(f"{value}: expected at least {low}{upper}")
        return value

    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _ProblemError(f"expected true or false, got {_kind(value)}")
    return value


def _period(value: Any) -> Period:
    try:
        return Period.parse(_string()(value))
    except InputError as error:
        raise _ProblemError(str(error)) from None


def _periods(value: Any) -> tuple[Period, ...]:
    found = tuple(_period(v) for v in _strings()(value))
    return tuple(sorted(found, key=lambda p: (p.start, p.end)))


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


_SCHEMA: Final[dict[str, dict[str, Callable[[Any], Any]]]] = {
    "study": {"name": _string()},
    "inputs": {
        "paths": _strings(),
        "columns": _string(),
        "topic": _string(("rare-earth", "none")),
        "keywords": _string(),
        "drop_policy": _string(("patent", "applicant")),
        "places": _string(),
        "thesaurus": _string(),
    },
    "analysis": {
        "scales": _strings(SCALES),
        "periods": _periods,
        "engine": _string(("neo4j", "memory")),
        "baseline": _period,
        "classes": _integer(2, 10),
        "restarts": _integer(1),
        "seed": _integer(0),
        "partition": _string(PARTITIONS),
        "image_cutoff": _string(),
    },
    "detector": {
        "statistics": lambda v: v,  # a table of scale = path, checked below
        "y": _string(),
        "discretize": _string(),
        "interaction": _boolean,
    },
    "report": {
        "enabled": _boolean,
        "lang": _string(("zh", "en")),
        "figures": _boolean,
        "top": _integer(1),
    },
    "output": {"dir": _string()},
}
REQUIRED: Final = (("inputs", "paths"),)


def read_study(path: Path) -> Study:
    """Read and check the study file ``path``; one line naming the key on the first problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such study file (`copatent study init {path}` writes one)"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the study file: {error}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: not valid TOML: {error}") from None
    return _study(path, raw)


def _study(path: Path, raw: Mapping[str, Any]) -> Study:
    here = path.resolve().parent
    values = _checked_values(path, raw)

    def where(section: str, key: str) -> Callable[[str], InputError]:
        return lambda message: InputError(f"{path}: [{section}] {key}: {message}")

    analysis = Analysis(**values.get("analysis", {}))
    detector = _detector(here, values.get("detector", {}), where)
    regional = [s for s in analysis.scales if s in ("province", "city")]
    missing = [s for s in regional if s not in detector.statistics]
    if detector.statistics and missing:
        message = (
            f"no file for {', '.join(missing)}: the detector needs one statistics file per "
            f"regional scale analysed ({', '.join(regional)}), or none"
        )
        raise where("detector", "statistics")(message)
    return Study(
        path=path.resolve(),
        name=values.get("study", {}).get("name") or path.stem,
        inputs=_inputs(here, values["inputs"], where),
        analysis=analysis,
        detector=detector,
        report=Report(**values.get("report", {})),
        output=here / values.get("output", {}).get("dir", "runs"),
    )


def _checked_values(path: Path, raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every section and key known, every value of its type: the first problem raised."""
    values: dict[str, dict[str, Any]] = {}
    for section, table in raw.items():
        if section not in _SCHEMA:
            known = ", ".join(_SCHEMA)
            raise InputError(f"{path}: [{section}]: unknown section (expected {known})")
        if not isinstance(table, dict):
            raise InputError(f"{path}: {section}: expected a [{section}] table")
        values[section] = {}
        for key, value in table.items():
            check = _SCHEMA[section].get(key)
            if check is None:
                known = ", ".join(_SCHEMA[section])
                raise InputError(f"{path}: [{section}] {key}: unknown key (expected {known})")
            try:
                values[section][key] = check(value)
            except _ProblemError as problem:
                raise InputError(f"{path}: [{section}] {key}: {problem}") from None
    for section, key in REQUIRED:
        if key not in values.get(section, {}):
            raise InputError(f"{path}: [{section}] {key}: missing (a required key)")
    return values


_Where = Callable[[str, str], Callable[[str], InputError]]


def _inputs(here: Path, got: Mapping[str, Any], where: _Where) -> Inputs:
    files: list[Path] = []
    for entry in got["paths"]:
        found = _expand(here, entry)
        if not found:
            message = f"{entry!r} names no export file ({_what(here, entry)})"
            raise where("inputs", "paths")(message)
        files.extend(found)
    return Inputs(
        paths=got["paths"],
        files=tuple(sorted(set(files))),
        keywords=_existing(here, got.get("keywords"), where("inputs", "keywords")),
        places=_existing(here, got.get("places"), where("inputs", "places")),
        thesaurus=_existing(here, got.get("thesaurus"), where("inputs", "thesaurus")),
        **{k: v for k, v in got.items() if k in ("columns", "topic", "drop_policy")},
    )


def _detector(here: Path, got: Mapping[str, Any], where: _Where) -> Detector:
    rest = {k: v for k, v in got.items() if k != "statistics"}
    statistics = got.get("statistics", {})
    if not isinstance(statistics, dict):
        message = f"expected a table of scale = path, got {_kind(statistics)}"
        raise where("detector", "statistics")(message)
    resolved: dict[str, Path] = {}
    for scale, file in statistics.items():
        error = where("detector", f"statistics.{scale}")
        if scale not in ("province", "city"):
            raise error("unknown scale (expected province, city)")
        if not isinstance(file, str):
            raise error(f"expected a path, got {_kind(file)}")
        resolved[scale] = _existing(here, file, error) or here / file
    return Detector(statistics=resolved, **rest)


def _expand(here: Path, entry: str) -> list[Path]:
    """The export files that ``entry`` names: a file, a folder's exports, or a glob's matches."""
    target = here / entry
    if any(ch in entry for ch in "*?["):
        matches = [Path(p) for p in glob.glob(str(target), recursive=True)]  # noqa: PTH207
        return sorted(p.resolve() for p in matches if p.is_file() and is_export(p))
    if target.is_dir():
        return sorted(p.resolve() for p in target.iterdir() if p.is_file() and is_export(p))
    if target.is_file():
        return [target.resolve()]
    return []


def is_export(path: Path) -> bool:
    """An export the study reads: .xlsx, .xls or .csv, not a lock or hidden file."""
    return path.suffix.lower() in EXPORT_SUFFIXES and not path.name.startswith(("~$", "."))


def _what(here: Path, entry: str) -> str:
    target = here / entry
    if any(ch in entry for ch in "*?["):
        return f"no match for {target}"
    if target.is_dir():
        return f"{target} holds no {', '.join(EXPORT_SUFFIXES)} file"
    return f"{target} does not exist"


def _existing(here: Path, entry: str | None, error: Callable[[str], InputError]) -> Path | None:
    if entry is None:
        return None
    target = (here / entry).resolve()
    if not target.is_file():
        raise error(f"{target} does not exist")
    return target


TEMPLATE: Final = """\
# A copatent study: what `copatent run` loads, analyses and reports, again and again.
# Paths are relative to this file. Every key but [inputs] paths has a default; the names are
# those of the command-line options (drop_policy for --drop-policy). Check it with
#   copatent study check {name}
# and run it with
#   copatent run {name}

[study]
name = "{stem}"

[inputs]
# export files (.xlsx, .xls, .csv), folders of them, or globs ("exports/**/*.xlsx")
paths = ["exports/"]
# columns = "incopat"           # the column map: incopat, patsnap, or a TOML file
# topic = "rare-earth"          # the keyword filter: rare-earth or none
# keywords = "keywords.txt"     # a keyword file replacing the topic's list
# drop_policy = "patent"        # patent: drop patents with a person or foreign applicant; applicant
# places = "places.csv"         # your table of where applicants sit (name + adcode or address)
# thesaurus = "thesaurus.txt"   # name variants merged (VOSviewer: label, replace by)

[analysis]
scales = ["province", "city"]   # and "applicant"
periods = ["2001-2005", "2006-2010", "2011-2015", "2016-2020"]
engine = "neo4j"                # or "memory" (reads the exports again, no server)
# baseline = "2016-2020"        # the period whose edge-weight breaks tier every period's edges
# classes = 4                   # natural-break classes of the tiers (2 to 10)
# restarts = 10                 # Louvain and Leiden runs per network, the best kept
# seed = 42
# partition = "concor"          # the subgroups the report draws: concor, louvain or leiden
# image_cutoff = "density"      # density, block-mean or a number

[detector]
# a statistics file per scale (first column the region, then one column per factor);
# the geographical detector runs at the scales that have one
# statistics = {{ province = "statistics/province.csv", city = "statistics/city.csv" }}
# y = "weighted_degree"
# discretize = "jenks:5"
# interaction = false

[report]
enabled = true
# lang = "zh"                   # region names: zh or en
# figures = true
# top = 10

[output]
dir = "runs"                    # each run in runs/<run id>/, with run.json
"""


def template(path: Path) -> str:
    """The commented template for a study file at ``path``."""
    return TEMPLATE.format(name=path.name, stem=path.stem)
