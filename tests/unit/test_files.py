"""The one writer (copatent.files): formula-safe cells, whole files, whole sets of files.

The full-disk and read-only cases on a real (tmpfs) file system are in
tests/integration/test_writes.py; here ENOSPC is faked at the writer's ``fsync``.
"""

from __future__ import annotations

import csv
import errno
import os
import re
from pathlib import Path

import numpy as np
import openpyxl  # type: ignore[import-untyped]
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from copatent import cli, files
from copatent._errors import InputError, OutputError
from copatent.sample import generator as sample

FORMULA = tuple("=+-@＝＋－＠")


def read_cells(path: Path) -> list[list[str]]:
    """A CSV as Excel's importer sees it: UTF-8 with BOM, rows of text cells."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def is_number(text: str) -> bool:
    """An independent statement of "plain decimal number": only these characters, and a float."""
    if not text or set(text) - set("0123456789.eE+-"):
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def runs_as_formula(cell: str) -> bool:
    """What OWASP warns about (plus the full-width forms): a cell a spreadsheet may evaluate."""
    if cell[:1] in ("\t", "\r", "\0") and cell:
        return True
    trimmed = cell.strip()
    return trimmed.startswith(FORMULA) and not is_number(trimmed)


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- the cell rule

cells = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from("=+-@＝＋－＠\t\r '.0123eE")
)


@given(cells)
def test_no_escaped_cell_runs_as_a_formula(text: str) -> None:
    out = files.spreadsheet_text(text)
    assert out in (text, "'" + text)  # at most an apostrophe in front, nothing lost
    assert out.startswith("'") or not runs_as_formula(out)
    assert files.spreadsheet_text(out) == out  # idempotent


@given(cells)
def test_only_formula_like_cells_change(text: str) -> None:
    assert (files.spreadsheet_text(text) != text) == runs_as_formula(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the probe names (CSV injection, OWASP): a link, a DDE call, @, a reference
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("X公司;=1+1", "X公司;=1+1"),  # only the first character counts
        ("＝HYPERLINK(＂http://x＂)", "'＝HYPERLINK(＂http://x＂)"),
        ("＋cmd｜' /C calc'!A0", "'＋cmd｜' /C calc'!A0"),
        ("＠SUM(1)", "'＠SUM(1)"),
        ("-A1*10", "'-A1*10"),
        ("  @SUM(1)", "'  @SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-inf", "'-inf"),
        ("-1,234", "'-1,234"),
        ("-", "'-"),
        # plain numbers stay numbers; ordinary names stay as they are
        ("-3", "-3"),
        ("-0.5", "-0.5"),
        ("+1.5e-3", "+1.5e-3"),
        (" -2 ", " -2 "),
        ("北京市", "北京市"),
        ("4: (12, 20]", "4: (12, 20]"),
        ("", ""),
    ],
    ids=lambda v: repr(v)[:24],
)
def test_known_cells(text: str, expected: str) -> None:
    assert files.spreadsheet_text(text) == expected


def test_text_cells_and_names_escaped_numbers_kept() -> None:
    frame = pd.DataFrame(
        {
            "name": ["-A1*10公司", "北京", None],
            "=kind": ["=1+1", "-3", "@x"],
            "a": [-0.5, 0.25, np.nan],
            "n": [-2, 0, 3],
            "mixed": pd.Series([-1.5, "=2", None], dtype=object),
            "cat": pd.Categorical(["@a", "b", "@a"]),
        }
    )
    safe = files.safe_cells(frame)
    assert list(safe.columns) == ["name", "'=kind", "a", "n", "mixed", "cat"]
    assert safe["name"].tolist()[:2] == ["'-A1*10公司", "北京"]
    assert pd.isna(safe["name"].iloc[2])
    assert safe["'=kind"].tolist() == ["'=1+1", "-3", "'@x"]
    assert safe["a"].dtype == np.float64
    assert safe["n"].dtype == np.int64
    assert safe["mixed"].tolist()[:2] == [-1.5, "'=2"]
    assert safe["cat"].tolist() == ["'@a", "b", "'@a"]
    assert frame.columns[1] == "=kind"  # the caller's frame is untouched
    plain = pd.DataFrame({"a": [-1.0], "b": ["x"]})
    assert files.safe_cells(plain) is plain


def test_csv_cells_are_escaped_and_numbers_stay_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"node": ["@SUM(1)", "甲"], "effective_flow": [-0.5, 1.0], "count": [-3, 4]}
    )
    (path,) = files.write_tables(tmp_path, {"t.csv": frame})
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    assert read_cells(path) == [
        ["node", "effective_flow", "count"],
        ["'@SUM(1)", "-0.5", "-3"],
        ["甲", "1.0", "4"],
    ]
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not the 0600 of a temporary file


def test_xlsx_text_is_never_a_formula(tmp_path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("t")
    sheet.append(files.xlsx_row(sheet, ['=HYPERLINK("http://x","y")', "-A1", -0.5, "甲"]))
    book.save(tmp_path / "t.xlsx")
    back = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    row = back[1]
    assert [c.value for c in row] == ['=HYPERLINK("http://x","y")', "-A1", -0.5, "甲"]
    assert [c.data_type for c in row] == ["s", "s", "n", "s"]  # no "f": nothing is a formula
    assert [c.quotePrefix for c in row] == [True, True, False, False]  # Excel's apostrophe


# -- whole sets of files


def test_a_failed_set_leaves_the_previous_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tables = {f"t{i}.csv": pd.DataFrame({"x": [i, -i]}) for i in range(5)}
    files.write_tables(tmp_path, tables)
    before = snapshot(tmp_path)
    synced: list[int] = []

    def full_disk(fd: int) -> None:  # the disk fills while the third file is written
        synced.append(fd)
        if len(synced) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full_disk)
    newer = {name: frame * 10 for name, frame in tables.items()}
    message = (
        f"{tmp_path / 't2.csv'}: cannot write: no space left on device ({tmp_path} is unchanged)"
    )
    with pytest.raises(OutputError, match=re.escape(message)):
        files.write_tables(tmp_path, newer)
    assert snapshot(tmp_path) == before  # the whole previous set, no new file, no temporary
    assert OutputError.exit_code == 6


def test_any_failure_removes_what_the_run_wrote(tmp_path: Path) -> None:
    def interrupted() -> None:
        with files.staged(tmp_path) as staging:
            staging.write_text("a.txt", "a")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert list(tmp_path.iterdir()) == []


def test_a_set_that_cannot_move_into_place_says_so(tmp_path: Path) -> None:
    (tmp_path / "b.csv").mkdir()  # a folder where a file of the set belongs
    tables = {name: pd.DataFrame({"x": [1]}) for name in ("a.csv", "b.csv", "c.csv")}
    with pytest.raises(OutputError, match=r"b\.csv: cannot move into place: .*1 of 3 files"):
        files.write_tables(tmp_path, tables)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]
    assert hidden(tmp_path) == []


def test_destinations_are_checked_without_leaving_anything(tmp_path: Path) -> None:
    assert files.writable_file(tmp_path / "new" / "deeper" / "report.json")
    assert list(tmp_path.iterdir()) == []  # checked, nothing created
    with pytest.raises(OutputError, match="is a folder"):
        files.writable_file(tmp_path)
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputError, match="plain is not a folder"):
        files.writable_file(tmp_path / "plain" / "report.json")
    with pytest.raises(OutputError, match="cannot write there"):
        files.writable_folder(tmp_path / "plain" / "out")
    path = files.write_text(tmp_path / "new" / "report.json", "{}\n")
    assert path.read_text() == "{}\n"
    assert hidden(tmp_path / "new") == []


# -- the commands, end to end


def formula_names_export(path: Path) -> dict[str, str]:
    """A sample export whose second applicants start with formula characters.

    Returns the injected names as they would be stored (full-width signs made half-width).
    """
    frame = sample.generate(1_500, seed=4)
    names = {
        "-A1*10稀土有限公司": "-A1*10稀土有限公司",
        "+A1稀土科技有限公司": "+A1稀土科技有限公司",
        "@稀土材料有限公司": "@稀土材料有限公司",
        "－A2稀土有限公司": "-A2稀土有限公司",
    }
    pairs = frame.index[frame["申请人"].str.count(";") == 1]
    for k, i in enumerate(pairs[:200]):
        first, _ = frame.at[i, "申请人"].split(";")
        frame.at[i, "申请人"] = f"{first};{list(names)[k % len(names)]}"
    sample.write(frame, path)
    return names


def test_formula_names_never_reach_the_analysis_tables(tmp_path: Path) -> None:
    # the loader refuses them (copatent.loader._validate.name_problems): nothing is written
    export = tmp_path / "export.csv"
    formula_names_export(export)
    out = tmp_path / "analysis"
    args = ["analyze", "--engine", "memory", "--input", str(export), "--topic", "none",
            "--scale", "applicant", "--restarts", "1", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert isinstance(result.exception, InputError)
    assert "applicant 2" in str(result.exception)
    assert sorted(out.glob("*.csv")) == []
    assert hidden(out) == []


def test_analysis_tables_have_no_formula_text_and_keep_numbers(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    sample.write(sample.generate(1_500, seed=4), export)
    out = tmp_path / "analysis"
    args = ["analyze", "--engine", "memory", "--input", str(export), "--topic", "none",
            "--scale", "applicant", "--restarts", "1", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    written = sorted(out.glob("*.csv"))
    assert len(written) == 14  # table1, edge_tiers, 3 tables x 4 periods
    for path in written:
        for row in read_cells(path):
            for cell in row:
                assert not runs_as_formula(cell), (path.name, cell)
    flow = pd.concat([pd.read_csv(p, encoding="utf-8-sig") for p in out.glob("flow_*.csv")])
    assert flow["effective_flow"].dtype == np.float64  # negative A read back as numbers
    assert (flow["effective_flow"] < 0).any()
    assert hidden(out) == []


def test_detect_escapes_a_text_factor_in_the_risk_table(tmp_path: Path) -> None:
    data = tmp_path / "table.csv"
    kinds = ['=HYPERLINK("http://x","y")', "@SUM(1)", "-A1*10", "+cmd|' /C calc'!A0", "plain"]
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["y", "=kind"])
        for i in range(50):
            writer.writerow([10 + 3 * (i % 5) + (i % 7) / 10, kinds[i % 5]])
    out = tmp_path / "gd"
    args = ["detect", "--data", str(data), "--y", "y", "--x", "=kind", "--risk", "--out", str(out)]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    means = read_cells(out / "table_risk_means.csv")
    assert means[0] == ["x", "stratum", "n", "mean"]
    assert {row[1] for row in means[1:]} == {"'" + k for k in kinds[:4]} | {"plain"}
    assert {row[0] for row in means[1:]} == {"'=kind"}
    for path in out.glob("*.csv"):
        assert not any(runs_as_formula(c) for row in read_cells(path) for c in row), path.name


def test_a_set_may_hold_files_in_one_subfolder(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with files.staged(out) as staging:
        staging.write_text("report.html", "<p>x</p>")
        with staging.binary("figures/fig1.png") as handle:
            handle.write(b"png")
        assert not (out / "figures").exists()  # nothing in place before the set is complete
    assert (out / "figures" / "fig1.png").read_bytes() == b"png"
    assert (out / "report.html").read_text() == "<p>x</p>"
    for bad in ("a/b/c.txt", "../x.txt", "/x.txt", "a/../b.txt", "./a.txt", "a\\b.txt"):
        with files.staged(out) as staging, pytest.raises(ValueError, match="file name"):
            staging.write_text(bad, "x")


def test_a_library_writes_a_staged_path_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    with files.staged(out) as staging, staging.path("net.gpkg") as scratch:
        assert not scratch.exists()
        assert scratch.parent != out  # in the hidden folder until the set is complete
        scratch.write_bytes(b"gpkg")
    assert (out / "net.gpkg").read_bytes() == b"gpkg"

    def failed() -> None:
        with files.staged(out) as staging, staging.path("other.gpkg") as scratch:
            scratch.write_bytes(b"half")
            raise RuntimeError("the driver failed")

    with pytest.raises(RuntimeError):
        failed()
    with (
        pytest.raises(ValueError, match="nothing was written"),
        files.staged(out) as staging,
        staging.path("empty.gpkg"),
    ):
        pass
    assert sorted(p.name for p in out.iterdir()) == ["net.gpkg"]
