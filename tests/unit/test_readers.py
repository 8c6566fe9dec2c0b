"""Readers for patent exports: formats, encodings, headers, and every kind of bad input."""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from copatent._errors import InputError
from copatent.loader import _validate
from copatent.loader.readers import (
    CANONICAL_COLUMNS,
    REQUIRED_COLUMNS,
    ColumnMap,
    _cells,
    builtin_column_map,
    delimited,
    expand_paths,
    read_exports,
)
from tests.reference import reference_data

DATA = Path(__file__).resolve().parents[1] / "data" / "exports"
REFERENCE = reference_data() / "patents"
PATSNAP_CSV = REFERENCE / "chuanzang_railway" / "data.csv"

HEADER = ["序号", "公开（公告）号", "标题", "申请人", "申请日", "申请人地址"]
ROWS = [
    ["1", "CN1A", "稀土永磁材料", "北京科技大学;包头稀土研究院", "2016-03-01", "北京市海淀区"],
    ["2", "CN2B", "稀土抛光粉", "江西理工大学", "2019-12-31", "江西省赣州市"],
]


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], merges: Sequence[str] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def input_error(paths: Sequence[Path], columns: ColumnMap | None = None) -> str:
    with pytest.raises(InputError) as caught:
        read_exports(paths, columns=columns)
    message = str(caught.value)
    assert "\n" not in message  # one line, for the CLI
    assert caught.value.exit_code == 6
    return message


# --------------------------------------------------------------------------------------------
# the output contract


def test_output_columns_types_and_provenance(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", [HEADER, *ROWS])
    frame = read_exports([path])
    assert list(frame.columns) == [*CANONICAL_COLUMNS, "source_file", "source_row"]
    for name in [*CANONICAL_COLUMNS, "source_file"]:
        assert isinstance(frame[name].dtype, pd.StringDtype), name
        assert frame[name].dtype.na_value is pd.NA, name  # never a NaN float
    assert frame["source_row"].dtype == "int64"
    assert frame["source_row"].tolist() == [2, 3]  # header on row 1
    assert frame["source_file"].tolist() == [str(path)] * 2
    assert frame["pub_no"].tolist() == ["CN1A", "CN2B"]
    assert frame["applicants"].tolist() == ["北京科技大学;包头稀土研究院", "江西理工大学"]
    assert frame["applicant_addresses"].tolist() == ["北京市海淀区", "江西省赣州市"]
    assert frame["app_no"].isna().all()  # a column the file lacks is all NA
    assert isinstance(frame.index, pd.RangeIndex)


def test_cells_are_stripped_and_empty_cells_are_missing(tmp_path: Path) -> None:
    rows = [HEADER, ["1", "  CN1A\t", "\u3000标题\u3000", "甲;乙", "2016-03-01", "   "]]
    frame = read_exports([write_csv(tmp_path / "data.csv", rows)])
    assert frame.loc[0, "pub_no"] == "CN1A"
    assert frame.loc[0, "title"] == "标题"  # full-width spaces are whitespace too
    assert frame.loc[0, "applicant_addresses"] is pd.NA


def test_unparseable_dates_and_duplicates_pass_through(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["1", "CN1A", "t", "甲;乙", "不详", ""],
        ["2", "CN1A", "t", "甲;乙", "2016/3", ""],
    ]
    frame = read_exports([write_csv(tmp_path / "data.csv", rows)])
    assert frame["pub_no"].tolist() == ["CN1A", "CN1A"]
    assert frame["app_date"].tolist() == ["不详", "2016/3"]


def test_blank_rows_are_dropped_without_renumbering(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "公开（公告）号,申请人,申请日\nCN1A,甲;乙,2016-01-01\n\n,,\nCN2B,丙;丁,2017-01-01\n",
        encoding="utf-8",
    )
    frame = read_exports([path])
    assert frame["pub_no"].tolist() == ["CN1A", "CN2B"]
    assert frame["source_row"].tolist() == [2, 5]  # rows 3 (empty line) and 4 (,,) are blank


def test_rows_count_records_not_lines(tmp_path: Path) -> None:
    # a quoted line break stays inside one spreadsheet row
    rows = [HEADER, ["1", "CN1A", "第一行\n第二行", "甲;乙", "2016", ""], ROWS[1]]
    frame = read_exports([write_csv(tmp_path / "data.csv", rows)])
    assert frame["title"].tolist() == ["第一行\n第二行", "稀土抛光粉"]
    assert frame["source_row"].tolist() == [2, 3]


@pytest.mark.parametrize("block", [251, 256, 263])
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
def test_rows_and_cells_do_not_depend_on_where_reading_blocks_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str, block: int
) -> None:
    # a CSV is read in blocks; make them small, so that block ends fall inside cells with line
    # breaks (CR LF too), next to NUL bytes, blank lines and short rows, and check every row
    monkeypatch.setattr(delimited, "_CSV_BLOCK_BYTES", block)
    monkeypatch.setattr(_cells, "_CHUNK_BYTES", 1024)

    def pandas_reader(*args: object) -> None:
        raise AssertionError("read with pyarrow, not handed to pandas")

    monkeypatch.setattr(delimited, "_read_csv_pandas", pandas_reader)
    header = ["公开（公告）号", "申请人", "申请日", "标题", "摘要"]
    rows: list[list[str]] = [["CN0A", "甲;乙", "2016", "t", "a"]]
    for i in range(1, 200):
        match i % 5:
            case 0:
                rows.append([])  # a blank line
            case 1:
                rows.append([f"CN{i}A", f"甲{i};乙"])  # a short row
            case 2:
                rows.append([f"CN{i}A", "甲;乙", "2016", f"第一行\r\n第二行{i}", "\r\n" * (i % 3)])
            case 3:
                rows.append([f"CN{i}A\x00", "甲;乙", "\x002016", f"标题{i}", f"摘要\n{i}\r"])
            case _:
                rows.append([f" CN{i}A ", "甲;乙", "2016", "", f"{'长' * (i % 30)}\r\n"])
    path = tmp_path / "data.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator=newline).writerows([header, *rows])

    frame = read_exports([path])
    kept = [(number, row) for number, row in enumerate(rows, start=2) if row]
    assert frame["source_row"].tolist() == [number for number, _ in kept]
    for position, name in enumerate(["pub_no", "applicants", "app_date", "title", "abstract"]):
        cells = [
            row[position].replace("\x00", "").strip() if position < len(row) else ""
            for _, row in kept
        ]
        assert frame[name].tolist() == [cell or pd.NA for cell in cells], name


def test_line_break_in_a_title_line_above_the_header(tmp_path: Path) -> None:
    rows = [["检索式：\nTIABC=(稀土)"], HEADER, *ROWS]
    frame = read_exports([write_csv(tmp_path / "data.csv", rows)])
    assert frame["source_row"].tolist() == [3, 4]
    assert frame["pub_no"].tolist() == ["CN1A", "CN2B"]


def test_short_rows_are_padded(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("公开（公告）号,申请人,申请日,标题\nCN1A,甲;乙,2016-01-01\n", encoding="utf-8")
    assert read_exports([path]).loc[0, "title"] is pd.NA


def test_trailing_commas_are_not_extra_fields(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "公开（公告）号,申请人,申请日,\nCN1A,甲;乙,2016,\nCN2B,丙;丁,2017,\n", encoding="utf-8"
    )
    assert read_exports([path])["pub_no"].tolist() == ["CN1A", "CN2B"]


def test_row_longer_than_the_header_is_an_error(tmp_path: Path) -> None:
    # an unquoted comma in a cell would shift every later cell of the row into the wrong column
    path = tmp_path / "data.csv"
    path.write_text(
        "公开（公告）号,申请人,申请日\nCN1A,甲,乙,2016\nCN2B,丙;丁,2017\n", encoding="utf-8"
    )
    assert input_error([path]) == f"{path}: row 2: more fields than the 3 of the header"
    path.write_text(
        "公开（公告）号,申请人,申请日\nCN1A,甲;乙,2016\nCN2B,丙,丁,2017\n", encoding="utf-8"
    )
    assert input_error([path]) == (
        f"{path}: malformed CSV: line 3 has 4 fields where the rows above have 3"
    )


# --------------------------------------------------------------------------------------------
# header spellings


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["公开（公告）号", "申请人", "申请日", "标题"], "incoPat"),
        (["公开(公告)号", "申请人", "申请日", "标题 (中文)"], "half-width brackets"),
        ([" 公开（公告）号 ", " 申请人", "申请日 ", "标题（中文）"], "spaces, full-width"),
        (["Publication Number", "Applicant(s)", "Application Date", "Title"], "English"),
        (["publication number", "APPLICANTS", "Application  Date", "TITLE"], "case"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_header_variants(tmp_path: Path, header: list[str], expected: str) -> None:
    path = write_csv(tmp_path / "data.csv", [header, ["CN1A", "甲;乙", "2016-01-01", expected]])
    frame = read_exports([path])
    assert frame.loc[0, ["pub_no", "applicants", "app_date", "title"]].tolist() == [
        "CN1A",
        "甲;乙",
        "2016-01-01",
        expected,
    ]


def test_english_title_is_not_the_title(tmp_path: Path) -> None:
    rows = [
        ["公开（公告）号", "申请人", "申请日", "标题 (英文)"],
        ["CN1A", "甲;乙", "2016", "Magnet"],
    ]
    assert read_exports([write_csv(tmp_path / "data.csv", rows)]).loc[0, "title"] is pd.NA


def test_standardised_applicant_is_a_fallback(tmp_path: Path) -> None:
    fallback = [["公开（公告）号", "标准化申请人", "申请日"], ["CN1A", "北京科技大学", "2016"]]
    frame = read_exports([write_csv(tmp_path / "a.csv", fallback)])
    assert frame.loc[0, "applicants"] == "北京科技大学"
    both = [
        ["公开（公告）号", "标准化申请人", "申请人", "申请日"],
        ["CN1A", "标准", "原文", "2016"],
    ]
    frame = read_exports([write_csv(tmp_path / "b.csv", both)])
    assert frame.loc[0, "applicants"] == "原文"  # 申请人 comes first in the map


# --------------------------------------------------------------------------------------------
# 1. missing required columns


def test_missing_required_columns_are_named_with_the_columns_found(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", [["序号", "标题", "申请日"], ["1", "t", "2016"]])
    assert input_error([path]) == (
        f"{path}: missing required columns pub_no (公开（公告）号), applicants (申请人); "
        "columns found: 序号, 标题, 申请日"
    )


def test_header_below_the_first_ten_rows_is_not_found(tmp_path: Path) -> None:
    rows = [[f"说明 {i}"] for i in range(10)] + [HEADER, ROWS[0]]
    message = input_error([write_csv(tmp_path / "data.csv", rows)])
    assert "missing required columns pub_no" in message


# --------------------------------------------------------------------------------------------
# 2. empty files


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".xls"])
def test_zero_byte_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.touch()
    assert input_error([path]) == f"{path}: empty file (0 bytes)"


def test_header_only_csv_has_no_data_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", [HEADER])
    assert input_error([path]) == f"{path}: no data rows below the header on row 1"


def test_header_only_xlsx_has_no_data_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "data.xlsx", [["检索结果"], HEADER, [None] * len(HEADER)])
    assert input_error([path]) == f"{path}: no data rows below the header on row 2"


# --------------------------------------------------------------------------------------------
# 3. unreadable files


def test_folder_named_like_a_file(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    write_csv(batch / "a.csv", [HEADER, *ROWS])
    (batch / "b.csv").mkdir()
    assert input_error([batch]) == f"{batch / 'b.csv'}: is a folder, not a file"


def test_permission_error_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # root (as in CI) ignores file modes, so the refusal is simulated at the one place files open
    path = write_csv(tmp_path / "data.csv", [HEADER, *ROWS])
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    assert input_error([path]) == f"{path}: cannot read: permission denied"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("random.xlsx", bytes(range(256)) * 4, "cannot read as an .xlsx workbook"),
        ("truncated.xlsx", b"PK\x03\x04" + b"\x00" * 100, "cannot read as an .xlsx workbook"),
        ("random.xls", bytes(range(255, -1, -1)) * 4, "cannot read as an .xls workbook"),
        ("ole2.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "cannot read as an .xls"),
        ("page.xls", b"<html><body><table></table></body></html>", "cannot read as an .xls"),
    ],
    ids=["random-xlsx", "truncated-zip", "random-xls", "damaged-ole2", "html-as-xls"],
)
def test_corrupt_workbooks(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert input_error([path]).startswith(f"{path}: {expected}")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert input_error([path]).startswith(f"{path}: cannot read as an .xlsx workbook")


def test_missing_path_and_unsupported_type(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(InputError, match=re.escape(f"{missing}: no such file or folder")):
        expand_paths([missing])
    text = tmp_path / "data.txt"
    text.write_text("x", encoding="utf-8")
    assert input_error([text]) == (f"{text}: unsupported file type '.txt': use .xlsx, .xls, .csv")


def test_no_paths() -> None:
    with pytest.raises(InputError, match="no input files given"):
        read_exports([])


# --------------------------------------------------------------------------------------------
# 4-5. encodings


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "gbk", "gb18030"],
    ids=["utf8", "utf8-bom", "gbk", "gb18030"],
)
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "data.csv", [HEADER, *ROWS], encoding=encoding)
    frame = read_exports([path])
    assert frame["pub_no"].tolist() == ["CN1A", "CN2B"]
    assert frame["title"].tolist() == ["稀土永磁材料", "稀土抛光粉"]
    assert frame["applicants"].tolist() == ["北京科技大学;包头稀土研究院", "江西理工大学"]


def test_gb18030_beyond_gbk(tmp_path: Path) -> None:
    # 𠮷 (U+20BB7) is outside GBK: only GB18030's four-byte form encodes it
    rows = [HEADER, ["1", "CN1A", "𠮷野家", "吉野家株式会社;甲", "2016", "日本"]]
    path = write_csv(tmp_path / "data.csv", rows, encoding="gb18030")
    assert read_exports([path]).loc[0, "title"] == "𠮷野家"


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-16", "公开（公告）号,申请人,申请日\nCN1A,甲;乙,2016\n"),
        ("latin-1", "Publication Number,Applicant,Application Date\nCN1A,Compagnie du Café\n"),
    ],
    ids=["utf16", "latin1"],
)
def test_undecodable_csv(tmp_path: Path, encoding: str, text: str) -> None:
    content = text.encode(encoding)
    for candidate in ("utf-8", "gb18030"):  # the fixture really is invalid in both
        with pytest.raises(UnicodeDecodeError):
            content.decode(candidate)
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    assert input_error([path]) == f"{path}: cannot decode as UTF-8 or GB18030"


# --------------------------------------------------------------------------------------------
# 6-7. over-long cells, NUL bytes


def test_over_long_cell_names_file_row_and_column(tmp_path: Path) -> None:
    rows = [HEADER, ROWS[0], ["2", "CN2B", "长" * 40_000, "甲;乙", "2019", ""]]
    path = write_csv(tmp_path / "data.csv", rows)
    assert input_error([path]) == (
        f"{path}: row 3, column title (标题): cell has 40,000 characters, "
        "over Excel's limit of 32,767"
    )


def test_cell_at_the_limit_is_accepted(tmp_path: Path) -> None:
    rows = [HEADER, ["1", "CN1A", "长" * 32_767, "甲;乙", "2019", ""]]
    frame = read_exports([write_csv(tmp_path / "data.csv", rows)])
    assert len(frame.loc[0, "title"]) == 32_767


def test_nul_bytes_are_removed(tmp_path: Path) -> None:
    rows = [HEADER, ["1", "CN1\x00A", "稀土\x00材料", "甲\x00;乙", "2016\x00-01-01", "\x00"]]
    frame = read_exports([write_csv(tmp_path / "data.csv", rows)])
    assert frame.loc[0, ["pub_no", "title", "applicants", "app_date"]].tolist() == [
        "CN1A",
        "稀土材料",
        "甲;乙",
        "2016-01-01",
    ]
    assert frame.loc[0, "applicant_addresses"] is pd.NA  # nothing left but the NUL


# --------------------------------------------------------------------------------------------
# 8. formula text


def test_formula_text_in_a_title_stays_text(tmp_path: Path) -> None:
    formulas = ["=1+1", '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0"]
    rows = [HEADER] + [[str(i), f"CN{i}A", f, "甲;乙", "2016", ""] for i, f in enumerate(formulas)]
    frame = read_exports([write_csv(tmp_path / "data.csv", rows)])
    assert frame["title"].tolist() == formulas


def test_xlsx_formula_reads_as_its_text_not_its_cached_value(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "data.xlsx",
        [["公开（公告）号", "申请人", "申请日", "标题"], ["CN1A", "甲;乙", "2016", "=1+1"]],
    )
    # give the formula a cached result, as Excel would have saved one
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert b"<f>1+1</f><v />" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    cached = openpyxl.load_workbook(path, data_only=True).active
    assert cached is not None
    assert cached["D2"].value == 2  # what a reader that trusts the cache would return
    assert read_exports([path]).loc[0, "title"] == "=1+1"


def test_formula_outside_free_text_is_an_error(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["1", "=1+1", "t", "甲;乙", "2016", ""],
        ["2", "CN2B", "=1+1", "@SUM(A1)", "2016", "+cmd|' /C calc'!A0"],
        ["3", "CN3C", "t", "甲;乙", "2016", "+86 10 1234 5678"],  # a value, not a formula
    ]
    path = write_csv(tmp_path / "data.csv", rows)
    assert input_error([path]) == (
        f"{path}: row 2, column pub_no (公开（公告）号): spreadsheet formula '=1+1' where a value "
        "belongs; row 3, column applicants (申请人), applicant 1: '@SUM(A1)' begins with '@': a "
        "spreadsheet formula, not a name; row 3, column applicant_addresses (申请人地址): "
        "spreadsheet formula \"+cmd|' /C calc'!A0\" where a value belongs"
    )


def test_many_problems_are_cut_to_one_line(tmp_path: Path) -> None:
    rows = [HEADER] + [[str(i), f"=A{i}", "t", "甲;乙", "2016", ""] for i in range(15)]
    message = input_error([write_csv(tmp_path / "data.csv", rows)])
    assert message.count("spreadsheet formula") == 10
    assert message.endswith("(+5 more)")


# --------------------------------------------------------------------------------------------
# 8a. applicant names, checked as they will be stored: split, then normalised

# the formula names of the probe: half-width, full-width (normalised to half-width), and
# an arithmetic formula the cell check's pattern did not cover
FORMULA_NAMES = [
    ('=HYPERLINK("http://x","y")', "="),
    ("＝HYPERLINK(＂http://x＂,＂y＂)", "="),
    ("＋cmd｜' /C calc'!A0", "+"),
    ("＠SUM(1)", "@"),
    ("-A1*10", "-"),
    ("﹦1+1", "="),  # SMALL EQUALS SIGN: NFKC makes it "="
]


@pytest.mark.parametrize(("name", "lead"), FORMULA_NAMES, ids=[n for n, _ in FORMULA_NAMES])
@pytest.mark.parametrize("position", [1, 2, 3], ids=["first", "second", "third"])
def test_formula_names_are_refused_wherever_they_stand(
    tmp_path: Path, name: str, lead: str, position: int
) -> None:
    names = ["北京稀土甲公司", "包头稀土乙研究院"]
    names.insert(position - 1, name)
    rows = [HEADER, ROWS[0], ["2", "CN2B", "稀土", ";".join(names), "2016-01-01", ""]]
    path = write_csv(tmp_path / "data.csv", rows)
    how = "" if name[0] == lead else " once normalised"
    shown = repr(name if len(name) <= 40 else name[:40] + "…")
    assert input_error([path]) == (
        f"{path}: row 3, column applicants (申请人), applicant {position}: {shown} begins with "
        f"{lead!r}{how}: a spreadsheet formula, not a name"
    )


def test_names_with_these_characters_inside_are_names(tmp_path: Path) -> None:
    cell = "Shin-Etsu Chemical Co., Ltd.;北京稀土甲公司(+)研究所;AT&T Corp. @ Labs;甲=乙公司"
    rows = [HEADER, ["1", "CN1A", "稀土", cell, "2016-01-01", ""]]
    # "-" alone is how exports write "none" (PatSnap's reference export does): no formula
    rows += [
        ["2", "CN2B", "稀土", "-", "2016-01-01", ""],
        ["3", "CN3C", "稀土", "甲;－", "2016", ""],
    ]
    frame = read_exports([write_csv(tmp_path / "data.csv", rows)])
    assert frame["applicants"].tolist() == [cell, "-", "甲;－"]


def test_every_bad_name_of_every_row_is_named(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["1", "CN1A", "稀土", "甲公司;＠SUM(1);-A1*10", "2016-01-01", ""],
        ["2", "CN2B", "稀土", "＋1;乙公司", "2016-01-01", ""],
    ]
    path = write_csv(tmp_path / "data.csv", rows)
    message = input_error([path])
    positions = re.findall(r"row (\d), column applicants \(申请人\), applicant (\d)", message)
    assert positions == [("2", "2"), ("2", "3"), ("3", "1")]


def test_names_are_split_with_the_pipelines_separator(tmp_path: Path) -> None:
    # no column map: the default separator, "|" included, splits the names (as the pipeline does)
    rows = [HEADER, ["1", "CN1A", "稀土", "甲公司 | @SUM(1)", "2016-01-01", ""]]
    path = write_csv(tmp_path / "data.csv", rows)
    assert "applicant 2: '@SUM(1)' begins with '@'" in input_error([path])
    # the incoPat map splits on ";" and "；" only: the second "name" is "甲公司 | @SUM(1)", no formula
    frame = read_exports([path], columns=builtin_column_map("incopat"))
    assert frame.loc[0, "applicants"] == "甲公司 | @SUM(1)"


def test_patsnap_names_are_checked(tmp_path: Path) -> None:
    header = ["公开(公告)号", "标题", "申请日", "当前申请(专利权)人"]
    rows = [header, ["CN1A", "t", "2016-01-01", "中铁二院工程集团有限责任公司 | ＝1+1"]]
    path = write_csv(tmp_path / "data.csv", rows)
    message = input_error([path], columns=builtin_column_map("patsnap"))
    assert message == (
        f"{path}: row 2, column applicants (当前申请(专利权)人), applicant 2: '＝1+1' begins with "
        "'=' once normalised: a spreadsheet formula, not a name"
    )


def test_formula_name_in_a_workbook(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "data.xlsx",
        [["公开（公告）号", "申请人", "申请日"], ["CN1A", "甲公司；－A1*10", "2016-01-01"]],
    )
    assert input_error([path]) == (
        f"{path}: row 2, column applicants (申请人), applicant 2: '－A1*10' begins with '-' once "
        "normalised: a spreadsheet formula, not a name"
    )


def test_leads_and_growth_cover_every_unicode_character() -> None:
    """The cheap pre-checks of the name check miss no character (a scan of all of Unicode)."""
    characters = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    leads = {c for c in characters if unicodedata.normalize("NFKC", c)[:1] in "=+-@"}
    assert leads == set(_validate._NAME_LEADS_BEFORE_NFKC)
    growth = max(
        len(unicodedata.normalize("NFKC", c).encode()) / len(c.encode()) for c in characters
    )
    assert growth == _validate._NFKC_GROWTH


# --------------------------------------------------------------------------------------------
# 8b. keys longer than Neo4j can index (the boundary is checked on the server in
# tests/integration/test_load_graph.py::test_key_limit_is_the_servers)

LIMIT = _validate.KEY_MAX_BYTES


def _name_of(size: int) -> str:
    """An organisation name of exactly ``size`` UTF-8 bytes: CJK characters, then ASCII."""
    stem, suffix = "北京", "公司"
    cjk, ascii_ = divmod(size - len((stem + suffix).encode()), 3)
    return stem + "稀" * cjk + "A" * ascii_ + suffix


def test_a_name_at_the_key_limit_is_accepted(tmp_path: Path) -> None:
    name = _name_of(LIMIT)
    assert len(name.encode()) == LIMIT
    rows = [HEADER, ["1", "CN1A", "稀土", f"甲公司;{name}", "2016-01-01", ""]]
    frame = read_exports([write_csv(tmp_path / "data.csv", rows)])
    assert frame.loc[0, "applicants"] == f"甲公司;{name}"


def test_a_name_over_the_key_limit_names_file_row_column_and_applicant(tmp_path: Path) -> None:
    # the probe: about 2,800 CJK characters, under Excel's 32,767 but over the key limit
    name = "北京" + "稀" * 2796 + "公司"
    rows = [HEADER, ROWS[0], ["2", "CN2B", "稀土", f"甲公司;{name}", "2016-01-01", ""]]
    path = write_csv(tmp_path / "data.csv", rows)
    assert input_error([path]) == (
        f"{path}: row 3, column applicants (申请人), applicant 2: name of 2,800 characters and "
        "8,400 bytes (UTF-8), over the 8,164 bytes Neo4j can index"
    )
    one_over = _name_of(LIMIT + 1)
    write_csv(path, [HEADER, ["1", "CN1A", "稀土", f"{one_over};甲公司", "2016-01-01", ""]])
    assert f"applicant 1: name of {len(one_over):,} characters and 8,165 bytes" in input_error(
        [path]
    )


def test_a_name_is_measured_once_normalised(tmp_path: Path) -> None:
    # U+FDFA is 3 bytes in the cell and 33 once normalised (NFKC): 250 of them are 750 bytes in
    # the file, 8,250 in the graph
    name = "\ufdfa" * 250
    rows = [HEADER, ["1", "CN1A", "稀土", f"甲公司;{name}", "2016-01-01", ""]]
    path = write_csv(tmp_path / "data.csv", rows)
    assert "applicant 2: name of 4,500 characters and 8,250 bytes (UTF-8)" in input_error([path])
    # and full-width letters shrink: 2,722 of them (8,166 bytes) are 2,722 bytes once normalised
    wide = "Ａ" * 2722
    write_csv(path, [HEADER, ["1", "CN1A", "稀土", f"甲公司;{wide}", "2016-01-01", ""]])
    assert read_exports([path]).loc[0, "applicants"] == f"甲公司;{wide}"


def test_a_publication_number_over_the_key_limit(tmp_path: Path) -> None:
    at_limit, over = "CN" + "1" * (LIMIT - 3) + "A", "CN" + "1" * (LIMIT - 2) + "A"
    rows = [HEADER, ["1", at_limit, "稀土", "甲;乙", "2016-01-01", ""]]
    rows.append(["2", over, "稀土", "甲;乙", "2016-01-01", ""])
    path = write_csv(tmp_path / "data.csv", rows)
    assert input_error([path]) == (
        f"{path}: row 3, column pub_no (公开（公告）号): 8,165 characters and 8,165 bytes (UTF-8), "
        "over the 8,164 bytes Neo4j can index as a key"
    )


# --------------------------------------------------------------------------------------------
# 9. xlsx layout: title rows, merged headers, cell types


def test_xlsx_merged_two_row_header_under_a_title(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["稀土专利检索结果（incoPat）", None, None, None, None],
        ["公开（公告）号", "申请日", "申请人信息", None, "标题"],
        [None, None, "申请人", "申请人地址", None],
        ["CN1A", "2016-03-01", "北京科技大学;包头稀土研究院", "北京市海淀区", "稀土永磁"],
        ["CN2B", "2019-12-31", "江西理工大学", "江西省赣州市", "抛光粉"],
    ]
    merges = ["A1:E1", "A2:A3", "B2:B3", "C2:D2", "E2:E3"]
    frame = read_exports([write_xlsx(tmp_path / "data.xlsx", rows, merges)])
    assert frame["source_row"].tolist() == [4, 5]
    assert frame["pub_no"].tolist() == ["CN1A", "CN2B"]
    assert frame["app_date"].tolist() == ["2016-03-01", "2019-12-31"]
    assert frame["applicants"].tolist() == ["北京科技大学;包头稀土研究院", "江西理工大学"]
    assert frame["applicant_addresses"].tolist() == ["北京市海淀区", "江西省赣州市"]
    assert frame["title"].tolist() == ["稀土永磁", "抛光粉"]


def test_csv_title_lines_above_the_header(tmp_path: Path) -> None:
    rows = [["检索式：TIABC=(稀土)"], [], HEADER, *ROWS]
    frame = read_exports([write_csv(tmp_path / "data.csv", rows)])
    assert frame["source_row"].tolist() == [4, 5]
    assert frame["pub_no"].tolist() == ["CN1A", "CN2B"]


def test_xlsx_cell_types_become_text(tmp_path: Path) -> None:
    header = ["公开（公告）号", "申请日", "申请人", "申请号", "IPC主分类", "专利类型", "标题"]
    rows: list[list[object]] = [
        header,
        # Excel has no time zones: its date cells are naive datetimes
        ["CN1A", dt.datetime(2016, 3, 1), "甲;乙", 201610001234, 1.5, True, dt.date(2020, 1, 2)],  # noqa: DTZ001
        ["CN2B", dt.datetime(2016, 3, 1, 8, 30), "甲;乙", 123.0, None, False, dt.time(8, 30)],  # noqa: DTZ001
    ]
    frame = read_exports([write_xlsx(tmp_path / "data.xlsx", rows)])
    assert frame["app_date"].tolist() == ["2016-03-01", "2016-03-01 08:30:00"]
    assert frame["app_no"].tolist() == ["201610001234", "123"]
    assert frame["ipc_main"].tolist() == ["1.5", pd.NA]
    assert frame["kind"].tolist() == ["TRUE", "FALSE"]
    assert frame["title"].tolist() == ["2020-01-02", "08:30:00"]


def test_xlsx_with_a_wrong_suffix_reads_by_content(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "data.xlsx", [HEADER, *ROWS])
    renamed = path.rename(tmp_path / "data.xls")
    assert read_exports([renamed])["pub_no"].tolist() == ["CN1A", "CN2B"]


def test_xls_export() -> None:
    # tests/data/exports/incopat_sample.xls: a title row, the header on row 2, date cells
    # (how it was written: tests/data/exports/README.md)
    path = DATA / "incopat_sample.xls"
    frame = read_exports([path])
    assert frame["source_row"].tolist() == [3, 4]
    assert frame["pub_no"].tolist() == ["CN100000001A", "CN100000002B"]
    assert frame["app_date"].tolist() == ["2016-03-01", "2019-12-31"]  # Excel date cells
    assert frame["title"].tolist() == ["一种稀土永磁材料的制备方法", "稀土抛光粉"]  # 标题 (中文)
    assert frame["applicants"].tolist() == ["北京科技大学;包头稀土研究院", "江西理工大学"]
    assert frame["ipc_main"].tolist() == ["H01F1/057", "C09K3/14"]


# --------------------------------------------------------------------------------------------
# 10. batched exports


def test_folder_of_batches_in_natural_order(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    write_csv(batch / "export_10.csv", [HEADER, ["1", "CN3C", "t", "丙;丁", "2018", ""]])
    write_xlsx(batch / "export_2.xlsx", [["导出"], HEADER, *ROWS])
    (batch / "~$export_2.xlsx").write_bytes(b"Excel lock file")
    (batch / ".export_3.csv").write_bytes(b"hidden")
    (batch / "notes.txt").write_text("not an export", encoding="utf-8")
    assert expand_paths([batch]) == [batch / "export_2.xlsx", batch / "export_10.csv"]

    frame = read_exports([batch])
    assert frame["pub_no"].tolist() == ["CN1A", "CN2B", "CN3C"]
    assert frame["source_file"].tolist() == [str(batch / "export_2.xlsx")] * 2 + [
        str(batch / "export_10.csv")
    ]
    assert frame["source_row"].tolist() == [3, 4, 2]


def test_problems_of_every_file_are_reported_together(tmp_path: Path) -> None:
    good = write_csv(tmp_path / "a.csv", [HEADER, *ROWS])
    bad_columns = write_csv(tmp_path / "b.csv", [["标题"], ["t"]])
    empty = tmp_path / "c.xlsx"
    empty.touch()
    message = input_error([good, bad_columns, empty])
    assert message.startswith(f"{bad_columns}: missing required columns pub_no")
    assert message.endswith(f"; {empty}: empty file (0 bytes)")


def test_expand_paths_keeps_files_and_drops_repeats(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "b.csv", [HEADER])
    second = write_csv(tmp_path / "a.csv", [HEADER])
    assert expand_paths([first, second, tmp_path / "." / "b.csv"]) == [first, second]


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=re.escape(f"{tmp_path}: no .xlsx, .xls, .csv files")):
        expand_paths([tmp_path])


# --------------------------------------------------------------------------------------------
# 11. the real PatSnap export


def test_patsnap_reference_export() -> None:
    # reference-data/patents/chuanzang_railway/data.csv: 532 lines = header + 531 records, every
    # record one line (counted with the csv module; SOURCE.txt also says 531 rows, 117 with more
    # than one applicant, " | " separated). Rows below copied from the file.
    frame = read_exports([PATSNAP_CSV], columns=builtin_column_map("patsnap"))
    assert len(frame) == 531
    assert frame["source_row"].tolist() == list(range(2, 533))
    assert frame["applicants"].str.contains(" | ", regex=False).sum() == 117
    first = frame.iloc[0]
    assert (first["pub_no"], first["app_date"], first["applicants"]) == (
        "CN213624990U",
        "2020-06-24",
        "中原利达铁路轨道技术发展有限公司",
    )
    fifth = frame.loc[frame["source_row"] == 5].iloc[0]
    assert fifth["pub_no"] == "CN110210173A"
    assert fifth["applicants"] == (  # kept raw: splitting happens in the pipeline
        "中国地质科学院探矿工艺研究所 | 中国科学院、水利部成都山地灾害与环境研究所"
    )
    last = frame.iloc[-1]
    assert (last["source_row"], last["pub_no"], last["applicants"]) == (
        532,
        "CN114399762A",
        "成都奥伦达科技有限公司 | 川藏铁路技术创新中心有限公司",
    )
    assert frame["applicant_addresses"].isna().all()  # PatSnap export without addresses
    assert frame["title"].notna().all()


def test_patsnap_export_needs_the_patsnap_map() -> None:
    message = input_error([PATSNAP_CSV])  # incoPat's map has no 当前申请(专利权)人
    assert message.startswith(f"{PATSNAP_CSV}: missing required columns applicants (申请人)")


def test_builtin_maps() -> None:
    for name in ("incopat", "patsnap"):
        column_map = builtin_column_map(name)
        assert column_map.name == name
        assert column_map.columns.keys() >= REQUIRED_COLUMNS
        assert set(column_map.columns) <= set(CANONICAL_COLUMNS)
    assert builtin_column_map("patsnap").applicant_separator == r"\s*\|\s*"
    with pytest.raises(InputError, match="unknown column map 'wos'"):
        builtin_column_map("wos")


# --------------------------------------------------------------------------------------------
# 12. user column maps


def test_custom_column_map_from_toml(tmp_path: Path) -> None:
    toml = tmp_path / "lens.toml"
    toml.write_text(
        """
        name = "lens"
        applicant_separator = ";;"

        [columns]
        pub_no = ["Lens ID", "Publication Number"]
        app_date = "Filing Date"
        applicants = ["Applicants"]
        title = ["Title"]
        """,
        encoding="utf-8",
    )
    column_map = ColumnMap.from_toml(toml)
    assert column_map == ColumnMap(
        name="lens",
        columns={
            "pub_no": ("Lens ID", "Publication Number"),
            "app_date": ("Filing Date",),
            "applicants": ("Applicants",),
            "title": ("Title",),
        },
        applicant_separator=";;",
    )
    rows = [
        ["Title", "Filing Date", "Publication Number", "Applicants"],
        ["T", "2020", "US1", "A;;B"],
    ]
    frame = read_exports([write_csv(tmp_path / "lens.csv", rows)], columns=column_map)
    assert frame.loc[0, ["pub_no", "app_date", "applicants", "title"]].tolist() == [
        "US1",
        "2020",
        "A;;B",
        "T",
    ]


def test_column_map_name_defaults_to_the_file_name(tmp_path: Path) -> None:
    toml = tmp_path / "my-export.toml"
    toml.write_text(
        '[columns]\npub_no = "PN"\napp_date = "AD"\napplicants = "PA"\n', encoding="utf-8"
    )
    column_map = ColumnMap.from_toml(toml)
    assert (column_map.name, column_map.applicant_separator) == ("my-export", None)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    toml = tmp_path / "broken.toml"
    toml.write_text("[columns\npub_no = ", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{re.escape(str(toml))}: invalid TOML: ") as caught:
        ColumnMap.from_toml(toml)
    assert "\n" not in str(caught.value)


def test_invalid_column_map_lists_every_problem(tmp_path: Path) -> None:
    toml = tmp_path / "bad.toml"
    toml.write_text(
        'nmae = "typo"\napplicant_separator = "("\n'
        '[columns]\npub_no = ["PN"]\napplicant = ["PA"]\ntitle = []\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        ColumnMap.from_toml(toml)
    message = str(caught.value)
    assert message.startswith(f"{toml}: invalid column map: unknown key 'nmae'")
    for part in (
        "applicant_separator '(' is not a regular expression",
        "unknown column 'applicant'",
        "column title: expected a header or a list of non-empty headers",
        "missing required columns app_date, applicants",
    ):
        assert part in message


def test_unreadable_column_map(tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    with pytest.raises(InputError, match=re.escape(f"{missing}: cannot read column map")):
        ColumnMap.from_toml(missing)
    latin = tmp_path / "latin.toml"
    latin.write_bytes("name = 'café'".encode("latin-1"))
    with pytest.raises(InputError, match=re.escape(f"{latin}: column map is not UTF-8 text")):
        ColumnMap.from_toml(latin)


def test_column_map_in_code_is_checked_and_frozen() -> None:
    with pytest.raises(ValueError, match="missing required columns applicants"):
        ColumnMap("x", {"pub_no": ("PN",), "app_date": ("AD",)})
    with pytest.raises(ValueError, match="matches the empty string"):
        ColumnMap(
            "x",
            {"pub_no": ("P",), "app_date": ("D",), "applicants": ("A",)},
            applicant_separator="x*",
        )
    column_map = ColumnMap("x", {"applicants": ["A"], "pub_no": ("P",), "app_date": ("D",)})
    assert list(column_map.columns) == ["pub_no", "app_date", "applicants"]  # canonical order
    assert column_map.columns["applicants"] == ("A",)
    with pytest.raises(TypeError):
        column_map.columns["title"] = ("T",)  # type: ignore[index]
