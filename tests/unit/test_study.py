"""The study file: the template reads back, every problem is one line naming the key, nothing runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from copatent._errors import InputError
from copatent.analytics.periods import Period
from copatent.runs.study import read_study, template


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A study folder: two exports (and a stray file) in exports/, statistics for one scale."""
    (tmp_path / "exports").mkdir()
    for name in ("a.csv", "b.xlsx", "notes.txt", "~$b.xlsx"):
        (tmp_path / "exports" / name).write_text("x", encoding="utf-8")
    (tmp_path / "statistics").mkdir()
    for scale in ("province", "city"):
        (tmp_path / "statistics" / f"{scale}.csv").write_text("x", encoding="utf-8")
    return tmp_path


def _write(folder: Path, text: str) -> Path:
    path = folder / "study.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_template_is_a_valid_study_with_the_commands_defaults(folder: Path) -> None:
    path = folder / "study.toml"
    path.write_text(template(path), encoding="utf-8")
    study = read_study(path)
    assert study.name == "study"
    # a folder gives its exports, not other files nor Excel's lock files; resolved, sorted
    assert [p.name for p in study.inputs.files] == ["a.csv", "b.xlsx"]
    assert study.analysis.scales == ("province", "city")
    assert [p.label for p in study.analysis.periods] == [
        "2001-2005", "2006-2010", "2011-2015", "2016-2020",
    ]  # fmt: skip
    assert study.analysis.engine == "neo4j"
    assert study.analysis.baseline == Period(2016, 2020)
    assert (study.analysis.classes, study.analysis.restarts, study.analysis.seed) == (4, 10, 42)
    assert study.inputs.columns == "incopat"
    assert study.report.enabled
    assert study.output == folder / "runs"  # relative to the file, not the working folder
    assert study.detector.statistics == {}


def test_the_issues_example_reads_and_paths_are_relative_to_the_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _write(
        folder,
        """
[inputs]
paths = ["exports/", "exports/*.csv"]
[analysis]
scales = ["province", "city"]
periods = ["2016-2020", "2001-2005"]
engine = "memory"
[detector]
statistics = { province = "statistics/province.csv", city = "statistics/city.csv" }
[report]
enabled = false
[output]
dir = "out/runs"
""",
    )
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    study = read_study(path)
    assert [p.name for p in study.inputs.files] == ["a.csv", "b.xlsx"]  # once, though named twice
    assert [p.label for p in study.analysis.periods] == ["2001-2005", "2016-2020"]
    assert study.analysis.engine == "memory"
    assert study.detector.statistics == {
        scale: folder / "statistics" / f"{scale}.csv" for scale in ("province", "city")
    }
    assert not study.report.enabled
    assert study.output == folder / "out" / "runs"
    assert study.parameters()["analysis"]["periods"] == ["2001-2005", "2016-2020"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[inputs]\npaths = ["exports/"]\nfoo = 1\n', "[inputs] foo: unknown key"),
        ('[inputs]\npaths = ["exports/"]\n[analyse]\n', "[analyse]: unknown section"),
        ('[inputs]\npaths = "exports/"\n', "[inputs] paths: expected a non-empty list of strings"),
        ('[inputs]\npaths = ["exports/"]\n[analysis]\nclasses = "4"\n', "[analysis] classes: expected an integer, got a string"),
        ('[inputs]\npaths = ["exports/"]\n[analysis]\nclasses = 11\n', "[analysis] classes: 11: expected at least 2 and at most 10"),
        ('[inputs]\npaths = ["exports/"]\n[analysis]\nperiods = ["2020-2001"]\n', "[analysis] periods: period '2020-2001': expected two years START-END with START <= END"),
        ('[inputs]\npaths = ["exports/"]\n[analysis]\nbaseline = "2016"\n', "[analysis] baseline: period '2016'"),
        ('[inputs]\npaths = ["exports/"]\n[analysis]\nscales = ["county"]\n', "[analysis] scales: 'county': expected one of province, city, applicant"),
        ('[inputs]\npaths = ["exports/"]\n[analysis]\nengine = "spark"\n', "[analysis] engine: 'spark'"),
        ('[inputs]\npaths = ["exports/"]\n[report]\nenabled = "yes"\n', "[report] enabled: expected true or false, got a string"),
        ('[inputs]\npaths = ["missing/"]\n', "[inputs] paths: 'missing/' names no export file"),
        ('[inputs]\npaths = ["exports/*.parquet"]\n', "[inputs] paths: 'exports/*.parquet' names no export file (no match"),
        ('[inputs]\npaths = ["exports/"]\nkeywords = "kw.txt"\n', "[inputs] keywords:"),
        ('[inputs]\npaths = ["exports/"]\nplaces = "places.csv"\n', "[inputs] places:"),
        ('[inputs]\npaths = ["exports/"]\nthesaurus = "t.txt"\n', "[inputs] thesaurus:"),
        ('[inputs]\npaths = ["exports/"]\n[detector]\nstatistics = { city = "statistics/town.csv" }\n', "[detector] statistics.city:"),
        ('[inputs]\npaths = ["exports/"]\n[detector]\nstatistics = { county = "statistics/province.csv" }\n', "[detector] statistics.county: unknown scale"),
        ("[analysis]\nengine = 'memory'\n", "[inputs] paths: missing"),
        ('[inputs]\npaths = ["exports/"]\n[detector]\nstatistics = { province = "statistics/province.csv" }\n', "[detector] statistics: no file for city"),
        ('[inputs]\npaths = ["exports/"\n', "not valid TOML"),
    ],
)  # fmt: skip
def test_a_bad_study_is_one_line_naming_the_key(folder: Path, text: str, message: str) -> None:
    path = _write(folder, text)
    with pytest.raises(InputError) as caught:
        read_study(path)
    line = str(caught.value)
    assert line.startswith(f"{path}: ")
    assert message in line, line
    assert "\n" not in line


def test_places_and_thesaurus_are_relative_to_the_file(folder: Path) -> None:
    (folder / "places.csv").write_text("name,adcode\n甲,510100\n", encoding="utf-8")
    (folder / "thesaurus.txt").write_text("label\treplace by\n甲\t乙\n", encoding="utf-8")
    path = _write(
        folder,
        '[inputs]\npaths = ["exports/"]\nplaces = "places.csv"\nthesaurus = "thesaurus.txt"\n',
    )
    study = read_study(path)
    assert study.inputs.places == folder / "places.csv"
    assert study.inputs.thesaurus == folder / "thesaurus.txt"
    assert study.parameters()["inputs"]["places"] == str(folder / "places.csv")


def test_check_runs_nothing_and_exits_non_zero_with_one_line(folder: Path) -> None:
    path = _write(folder, '[inputs]\npaths = ["exports/"]\n[analysis]\nperiods = ["2020-2001"]\n')
    proc = subprocess.run(
        [sys.executable, "-m", "copatent", "study", "check", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 6
    assert proc.stderr.count("\n") == 1
    assert "[analysis] periods" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (folder / "runs").exists()


def test_init_writes_the_template_once_and_check_accepts_it(folder: Path) -> None:
    path = folder / "new.toml"
    run = [sys.executable, "-m", "copatent", "study"]
    first = subprocess.run([*run, "init", str(path)], capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([*run, "init", str(path)], capture_output=True, text=True, check=False)
    assert again.returncode != 0
    assert "exists" in again.stderr
    checked = subprocess.run(
        [*run, "check", str(path), "--json"], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    assert '"inputs": [' in checked.stdout
