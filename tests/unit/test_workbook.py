"""tables.xlsx: sheets, formats, and no formula from a name that looks like one."""

from __future__ import annotations

from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pandas as pd

from copatent.report.workbook import Sheet, write_workbook


def test_sheets_numbers_and_formula_looking_names(tmp_path: Path) -> None:
    names = pd.DataFrame(
        {
            "applicant": ['=HYPERLINK("http://x","y")', "-A1*10", "北京稀土研究院", "+86"],
            "weight": [3, 2, 1, 0],
            "share": [0.5, 0.25, 0.125, float("nan")],
        }
    )
    table1 = pd.DataFrame({"2016-2020": [30, 0.179]}, index=["Nodes", "Density"])
    path = tmp_path / "tables.xlsx"
    with path.open("wb") as stream:
        write_workbook(
            stream,
            {
                "Table 1 province": Sheet(table1, note="source: the analysis", index=True),
                "applicants": Sheet(names),
                "a sheet name longer than thirty-one characters": Sheet(names),
            },
        )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Table 1 province", "applicants", "a sheet name longer than thirty"]
    sheet = book["applicants"]
    assert [c.value for c in sheet[1]] == ["applicant", "weight", "share"]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    formula = sheet["A2"]
    assert formula.data_type == "s"  # text, not a formula
    assert formula.value == '=HYPERLINK("http://x","y")'
    assert sheet["A3"].data_type == "s"
    assert sheet["A3"].value == "-A1*10"
    assert sheet["A5"].value == "+86"  # a plain number with a sign stays as written
    assert sheet["B2"].value == 3
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["C3"].value == 0.25
    assert sheet["C3"].number_format == "0.000"
    assert sheet["C5"].value is None
    first = book["Table 1 province"]
    assert first["A1"].value == "source: the analysis"
    assert [c.value for c in first[3]] == ["index", "2016-2020"]
    assert first["A4"].value == "Nodes"
    assert first["B5"].value == 0.179
