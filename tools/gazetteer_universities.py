"""Build the university gazetteer from the Ministry of Education's list of institutions.

Reads the attachments of 教育部《全国高等学校名单》 as a user downloads them from moe.gov.cn
(``.xls``, ``.xlsx``, or a ``.csv`` saved from them) and writes
``copatent/places/data/gazetteer/universities.csv`` in the gazetteer format
(``name,adcode,seat,category,parent,aliases,source``).

- 附件1 全国普通高等学校名单: the seat is the column 所在地, a prefecture-level city (成都市), an
  autonomous prefecture (临夏州), a county-level city (昆山市) or a county administered directly by
  its province (澄迈县). It is resolved through :mod:`copatent.regions`, preferring a unit of the
  province of the section heading (北京市（92所）); county-level units map to their city.
- 附件2 全国成人高等学校名单 has no 所在地 column. The seat is the city that the institution's name
  contains (石家庄职工大学, 山东省聊城教育学院) when exactly one city of the section's province
  occurs in it, else the province itself (code ``PP0000``).
- ``--previous ID=FILE`` (the lists of earlier years, newest first): a name that the current
  lists no longer carry becomes an alias of the current row with the same 学校标识码 when the
  seat is unchanged (湖州师范学院 -> 湖州师范大学); otherwise (merged, closed, or renamed and
  moved) it keeps a row of its own with its former seat and the source ``ID``.

Rows whose seat cannot be resolved are listed on stderr and left out (exit status 2); add them to
:data:`SEAT_FIXES` once their code is known. Run from the repository root::

    PYTHONPATH=. python tools/gazetteer_universities.py --source moe-2026 \
        2026-普通.xls 2026-成人.xls \
        --previous moe-2025=2025-普通.xls --previous moe-2025=2025-成人.xls
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pandas as pd
import xlrd  # type: ignore[import-untyped]

from copatent import regions

OUTPUT: Final[Path] = (
    Path(__file__).resolve().parents[1] / "copatent/places/data/gazetteer/universities.csv"
)
COLUMNS: Final[tuple[str, ...]] = (
    "name",
    "adcode",
    "seat",
    "category",
    "parent",
    "aliases",
    "source",
)

SEAT_FIXES: Final[dict[str, str]] = {
    # 所在地 as the list writes it -> adcode, for seats copatent.regions does not resolve by name
    "临夏州": "622900",  # 临夏回族自治州
    # counties administered directly by their province belong to no city: the province's code
    "澄迈县": "460000",
    "定安县": "460000",
    "屯昌县": "460000",
    "临高县": "460000",
    "白沙黎族自治县": "460000",
    "昌江黎族自治县": "460000",
    "乐东黎族自治县": "460000",
    "陵水黎族自治县": "460000",
    "保亭黎族苗族自治县": "460000",
    "琼中黎族苗族自治县": "460000",
    "神农架林区": "420000",
}
"""Hand-resolved seats (所在地 -> adcode)."""

_HEADING = re.compile(r"^(.+?)[（(]\d+所[）)]$")  # 北京市（92所）
_SPACE = re.compile(r"\s+")
_CITY_SUFFIXES: Final[tuple[str, ...]] = ("市", "地区", "盟", "自治州")


@dataclass(frozen=True)
class Entry:
    """One institution as a list gives it."""

    name: str
    code: str  # 学校标识码
    seat: str  # 所在地 as written; empty in the adult list
    province: str | None  # adcode of the section heading


@dataclass
class Row:
    """One gazetteer row."""

    name: str
    adcode: str
    seat: str
    source: str
    aliases: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# reading


def read_grid(path: Path) -> list[list[str]]:
    """Every cell of the first sheet (or of the CSV) as stripped text, row by row."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
        return [[_cell_text(v) for v in sheet.row_values(i)] for i in range(sheet.nrows)]
    if suffix == ".xlsx":
        frame = pd.read_excel(
            path, sheet_name=0, header=None, dtype=object, keep_default_na=False, engine="openpyxl"
        )
    elif suffix == ".csv":
        frame = _read_csv(path)
    else:
        raise ValueError(f"{path}: expected .xls, .xlsx or .csv")
    return [[_cell_text(v) for v in row] for row in frame.itertuples(index=False)]


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 学校标识码 and 序号 are numbers in some years' files
    return str(value).strip()


def _read_csv(path: Path) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(
                path, header=None, dtype=str, keep_default_na=False, encoding=encoding
            )
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{path}: neither UTF-8 nor GB18030")


def normalise_name(text: str) -> str:
    """The name without whitespace, with ASCII brackets.

    >>> normalise_name(" 中国矿业大学（北京）")
    '中国矿业大学(北京)'
    """
    return _SPACE.sub("", text).replace("（", "(").replace("）", ")")


def parse_entries(grid: list[list[str]]) -> list[Entry]:
    """The institutions of one list, each with the province of its section heading."""
    header_at = next((i for i, row in enumerate(grid) if "学校名称" in row), None)
    if header_at is None:
        raise ValueError("no header row with 学校名称")
    header = grid[header_at]

    def column(title: str) -> int | None:
        return header.index(title) if title in header else None

    name_col, code_col, seat_col = column("学校名称"), column("学校标识码"), column("所在地")
    by_name = regions.province_by_name()
    province: str | None = None
    entries: list[Entry] = []
    for row in grid[header_at + 1 :]:
        cells = dict(enumerate(row))
        name = cells.get(name_col, "") if name_col is not None else ""
        if not name:
            first = next((cell for cell in row if cell), "")
            heading = _HEADING.match(_SPACE.sub("", first))
            if heading is not None:
                province = by_name.get(heading.group(1))
            continue
        if name == "学校名称":  # a repeated header
            continue
        code = cells.get(code_col, "") if code_col is not None else ""
        seat = cells.get(seat_col, "") if seat_col is not None else ""
        entries.append(
            Entry(normalise_name(name), re.sub(r"\.0+$", "", code), _SPACE.sub("", seat), province)
        )
    return entries


# --------------------------------------------------------------------------------------------
# seats


def seat_of(seat: str, province: str | None) -> str | None:
    """The city adcode of a 所在地 (city, autonomous prefecture or county-level unit), or None.

    A unit of the section's province is preferred; the 所在地 may lie in another province
    (河北工业大学 is listed under 河北省 and sits in 天津市).
    """
    key = regions.alias(seat)
    if key in SEAT_FIXES:
        return SEAT_FIXES[key]
    cities = regions.cities()
    named = cities[cities["name"] == key]
    if province is not None:
        own = named[named["province_adcode"] == province]
        if len(own) == 1:
            return str(own["adcode"].iloc[0])
    found = regions.city_by_name().get(key)
    if found is not None:
        return found
    units = regions.districts()
    units = units[units["name"] == key]
    if province is not None and (units["province_adcode"] == province).any():
        units = units[units["province_adcode"] == province]
    holders = {str(code) for code in units["city_adcode"]}
    return holders.pop() if len(holders) == 1 else None


def _variants(city: str) -> set[str]:
    names = {city}
    for suffix in _CITY_SUFFIXES:
        if city.endswith(suffix) and len(city) - len(suffix) >= 2:
            names.add(city[: -len(suffix)])
    return names


def city_in_name(name: str, province: str) -> str | None:
    """The one city of ``province`` that ``name`` contains (the province's short name excluded).

    >>> city_in_name("山东省聊城教育学院", "370000"), city_in_name("吉林职工医科大学", "220000")
    ('371500', None)
    """
    if province in regions.MUNICIPALITIES:
        return province
    short = str(regions.provinces().set_index("adcode").loc[province, "short"])
    cities = regions.cities()
    own = cities[cities["province_adcode"] == province]
    found = {
        str(adcode)
        for adcode, city in zip(own["adcode"], own["name"], strict=True)
        if any(v in name and v != short for v in _variants(str(city)))
    }
    return found.pop() if len(found) == 1 else None


def place(entry: Entry) -> tuple[str, str] | None:
    """(adcode, seat text) of an entry, or None when its seat does not resolve."""
    if entry.seat:
        adcode = seat_of(entry.seat, entry.province)
        return None if adcode is None else (adcode, entry.seat)
    if entry.province is None:
        return None
    city = city_in_name(entry.name, entry.province)
    if city is None:
        return entry.province, str(
            regions.provinces().set_index("adcode").loc[entry.province, "name"]
        )
    return city, str(regions.cities().set_index("adcode").loc[city, "name"])


# --------------------------------------------------------------------------------------------
# the table


def build(
    current: list[Entry], source: str, previous: list[tuple[str, list[Entry]]]
) -> tuple[list[Row], list[Entry], list[Entry]]:
    """Rows of the current lists plus earlier names; also the unresolved and duplicate entries."""
    rows: dict[str, Row] = {}
    by_code: dict[str, Row] = {}
    unresolved: list[Entry] = []
    duplicates: list[Entry] = []
    for entry in current:
        found = place(entry)
        if found is None:
            unresolved.append(entry)
        elif entry.name in rows:
            duplicates.append(entry)
        else:
            rows[entry.name] = Row(entry.name, found[0], found[1], source)
            if entry.code:
                by_code.setdefault(entry.code, rows[entry.name])
    aliases: set[str] = set()
    for earlier_source, entries in previous:
        for entry in entries:
            if entry.name in rows or entry.name in aliases:
                continue
            found = place(entry)
            if found is None:
                unresolved.append(entry)
                continue
            same = by_code.get(entry.code) if entry.code else None
            if same is not None and same.adcode == found[0]:
                same.aliases.append(entry.name)
                aliases.add(entry.name)
            else:
                rows[entry.name] = Row(entry.name, found[0], found[1], earlier_source)
                if entry.code:
                    by_code.setdefault(entry.code, rows[entry.name])
    return list(rows.values()), unresolved, duplicates


def write_rows(rows: list[Row], path: Path) -> None:
    """The gazetteer file: UTF-8 without BOM, header, one row per institution."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(
                [
                    row.name,
                    row.adcode,
                    row.seat,
                    "university",
                    "",
                    ";".join(row.aliases),
                    row.source,
                ]
            )


def _previous(text: str) -> tuple[str, Path]:
    source, sep, path = text.partition("=")
    if not sep or not source or not path:
        raise argparse.ArgumentTypeError(f"expected ID=FILE, got {text!r}")
    return source, Path(path)


def main(argv: list[str] | None = None) -> int:
    """Convert the lists; 0 when every row resolved, 2 when some were left out."""
    parser = argparse.ArgumentParser(description="MoE 全国高等学校名单 -> universities.csv")
    parser.add_argument("lists", type=Path, nargs="+", help="this year's 普通 and 成人 lists")
    parser.add_argument("--source", required=True, help="their id in sources.csv, e.g. moe-2026")
    parser.add_argument(
        "--previous",
        type=_previous,
        action="append",
        default=[],
        metavar="ID=FILE",
        help="an earlier year's list and its id in sources.csv, newest first (repeatable)",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: %(default)s")
    args = parser.parse_args(argv)

    current = [entry for path in args.lists for entry in parse_entries(read_grid(path))]
    previous = [(source, parse_entries(read_grid(path))) for source, path in args.previous]
    rows, unresolved, duplicates = build(current, args.source, previous)
    write_rows(rows, args.output)

    print(f"{args.output}: {len(rows)} rows", file=sys.stderr)
    for entry in duplicates:
        print(f"duplicate name, second entry left out: {entry}", file=sys.stderr)
    for entry in unresolved:
        print(f"unresolved, left out: {entry}", file=sys.stderr)
    return 2 if unresolved else 0


if __name__ == "__main__":
    raise SystemExit(main())
