"""Placing applicants: export columns, addresses, names, aliases, consolidation."""

from __future__ import annotations

import pandas as pd
import pytest

from copatent.loader import geocode


def place(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    obs = pd.DataFrame(rows, columns=["name", "address", "province_text", "city_text"])
    return geocode.geocode(obs).set_index("name")


@pytest.mark.parametrize(
    ("row", "city", "method"),
    [
        (("A", "内蒙古自治区包头市昆都仑区钢铁大街12号", "", ""), "150200", "address"),
        (("B", "福建省龙岩市长汀县", "", ""), "350800", "address"),
        (("C", "北京市海淀区学院路30号", "", ""), "110000", "address"),
        (("D", "重庆市渝北区", "", ""), "500000", "address"),  # municipality = city
        (("E", "山东省莱芜市钢城区", "", ""), "370100", "address"),  # 莱芜 -> 济南 (2019)
        (("F", "", "湖北", "襄樊市"), "420600", "columns"),  # 襄樊 -> 襄阳 (2010)
        (("G", "", "江西(36)", "赣州"), "360700", "columns"),
        (("H", "", "上海", ""), "310000", "columns"),
        (("西安交通大学", "", "", ""), "610100", "gazetteer"),  # MoE list: 西安市
        (("吉林大学", "", "", ""), "220100", "gazetteer"),  # 长春市, not 吉林市
        (("包头某某稀土科技有限公司", "", "", ""), "150200", "name"),
    ],
    ids=["baotou", "longyan", "beijing", "chongqing", "laiwu", "xiangfan", "bracket-code",
         "municipality-province-only", "gazetteer", "gazetteer-not-the-name", "name"],
)  # fmt: skip
def test_sources(row: tuple[str, str, str, str], city: str, method: str) -> None:
    got = place([row]).loc[row[0]]
    assert (got["city_adcode"], got["method"]) == (city, method)
    assert got["province_adcode"] == city[:2] + "0000"


def test_columns_beat_address_and_majority_wins() -> None:
    got = place(
        [
            ("X", "北京市海淀区", "", ""),
            ("X", "内蒙古自治区包头市", "", ""),
            ("X", "内蒙古自治区包头市", "", ""),
            ("Y", "北京市海淀区", "内蒙古", "包头市"),
        ]
    )
    assert got.loc["X", "city_adcode"] == "150200"  # two of three observations
    assert (got.loc["Y", "city_adcode"], got.loc["Y", "method"]) == ("150200", "columns")


def test_province_only_and_unresolved() -> None:
    got = place([("P", "浙江省", "", ""), ("Q", "", "", "")])
    assert got.loc["P", "city_adcode"] is None
    assert got.loc["P", "province_adcode"] == "330000"
    assert got.loc["Q", "province_adcode"] is None
    assert "no region columns" in got.loc["Q", "reason"]


def test_a_known_city_decides_the_province() -> None:
    """Columns naming 江西省 and 包头市 place the applicant in Baotou, so in Inner Mongolia: the
    graph puts an applicant in its city and the city in its province, and the memory engine must
    count the same province as the database."""
    got = place([("Z", "", "江西省", "包头市")]).loc["Z"]
    assert (got["city_adcode"], got["province_adcode"]) == ("150200", "150000")
