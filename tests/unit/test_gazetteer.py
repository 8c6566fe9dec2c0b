"""The institution gazetteer: its tables are sound, and the known answers with their traps.

Expected seats: universities from the Ministry of Education's 全国高等学校名单 (2026-06-17, the
``moe-2026`` source of ``copatent/places/data/gazetteer/sources.csv``); research institutes and
enterprises from the source each row cites (``source`` column).
"""

from __future__ import annotations

import pandas as pd
import pytest

from copatent import regions
from copatent.loader import geocode
from copatent.places import gazetteer
from copatent.places.keys import name_key


def test_the_tables_are_sound() -> None:
    entries = gazetteer.entries()
    assert len(entries) > 3000
    assert set(gazetteer.COLUMNS) <= set(entries.columns)
    assert not entries["name"].duplicated().any()
    assert set(entries["category"]) <= set(gazetteer.CATEGORIES)
    cities = set(regions.cities()["adcode"])
    provinces = set(regions.provinces()["adcode"])
    assert entries["adcode"].isin(cities | provinces).all()
    sources = gazetteer.sources()
    assert set(entries["source"]) <= set(sources["id"])
    assert not sources["id"].duplicated().any()
    assert (sources["title"] != "").all()


def test_keys_that_two_seats_share_are_few_and_stay_unplaced() -> None:
    entries = gazetteer.entries()
    keys = entries.assign(key=entries["name"].map(name_key))
    seats = keys.groupby("key")["adcode"].nunique()
    shared = seats[seats > 1]
    assert len(shared) <= 5, shared
    for key in shared.index:
        found = gazetteer.find(key)
        assert found is not None
        assert found.entry is None
        assert len(found.candidates) > 1


@pytest.mark.parametrize(
    ("name", "adcode"),
    [
        ("西南交通大学", "510100"),
        ("中南大学", "430100"),  # 中南 is a region word; Changsha
        ("中山大学", "440100"),  # Guangzhou, not 中山市
        ("中国矿业大学", "320300"),  # Xuzhou
        ("中国矿业大学(北京)", "110000"),  # its Beijing institution, listed apart
        ("中国矿业大学（北京）", "110000"),  # full-width brackets
        ("中国石油大学(华东)", "370200"),  # Qingdao: 华东 in brackets is no place
        ("华北电力大学", "110000"),
        ("东北大学", "210100"),
        ("西北工业大学", "610100"),
        ("华东师范大学", "310000"),
        ("中央财经大学", "110000"),
        ("吉林大学", "220100"),  # Changchun, not 吉林市
        ("山东大学", "370100"),
        ("桂林航天工业学院", "450300"),
        ("中国科学院武汉岩土力学研究所", "420100"),
        ("中国科学院、水利部成都山地灾害与环境研究所", "510100"),
        ("中国国家铁路集团有限公司", "110000"),
        ("中国铁路总公司", "110000"),  # the former name, an alias
        ("中铁二院工程集团有限责任公司", "510100"),
        ("中国中铁二院工程集团有限责任公司", "510100"),
        ("中铁十一局集团有限公司", "420100"),
    ],
)  # fmt: skip
def test_known_seats(name: str, adcode: str) -> None:
    found = gazetteer.find(name)
    assert found is not None
    assert found.entry is not None
    assert found.entry.adcode == adcode


def test_units_of_an_entry() -> None:
    """A unit inherits its entry's seat only where units are known to sit with it."""
    railway = gazetteer.find("中国铁道科学研究院集团有限公司铁道建筑研究所")
    assert railway is not None
    assert railway.entry is not None
    assert railway.entry.adcode == "110000"
    assert railway.evidence.endswith("+ its unit 铁道建筑研究所")
    hospital = gazetteer.find("中山大学附属第一医院")
    assert hospital is not None
    assert hospital.entry is not None
    assert hospital.entry.adcode == "440100"
    # an academy's institutes are all over the country: an unknown one is not placed in Beijing
    assert gazetteer.find("中国科学院某某研究所") is None
    assert gazetteer.find("中国地质科学院某某研究所") is None
    # a company of its own is not placed at its group's seat
    assert gazetteer.find("中铁十一局集团第九十九工程有限公司") is None


@pytest.mark.parametrize(
    ("name", "adcode", "evidence"),
    [
        ("哈尔滨工业大学(威海)", "371000", "威海 (after 哈尔滨工业大学)"),  # the campus, not 哈尔滨
        ("华北电力大学(保定)", "130600", "保定 (after 华北电力大学)"),
        ("中山大学深圳研究院", "440300", "深圳 (after 中山大学)"),
        ("中铁十六局集团北京建功机械有限公司", "110000", "北京 (after 中铁十六局集团有限公司)"),
        ("北京大学生创业科技有限公司", "110000", "北京"),  # no place after 北京大学: the whole name
    ],
)  # fmt: skip
def test_a_place_after_an_entry_is_where_the_unit_is(name: str, adcode: str, evidence: str) -> None:
    placed = geocode.by_name(name)
    assert (placed.city_adcode, placed.method, placed.evidence) == (adcode, "name", evidence)


def test_the_gazetteer_comes_before_a_place_in_the_name() -> None:
    got = geocode.geocode(
        pd.DataFrame(
            {"name": ["中山大学", "吉林大学"], "address": "", "province_text": "", "city_text": ""}
        )
    ).set_index("name")
    assert got.loc["中山大学", "method"] == "gazetteer"
    assert got.loc["吉林大学", "city_adcode"] == "220100"
