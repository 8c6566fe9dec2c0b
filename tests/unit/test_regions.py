"""The region tables and the matching of region names and adcodes to them."""

from __future__ import annotations

import pandas as pd
import pytest

from copatent import regions


def test_region_tables() -> None:
    cities = regions.cities().set_index("adcode")
    provinces = regions.provinces()
    assert len(provinces) == 34  # 31 mainland + HK, MO, TW
    for code in regions.MUNICIPALITIES:
        assert cities.loc[code, "province_adcode"] == code
    assert cities.loc["540600", ["lon", "lat"]].notna().all()  # 那曲 fixed
    assert regions.city_of("469022") is None  # a Hainan county under the province


@pytest.mark.parametrize("scale", ["province", "city"])
def test_every_unit_is_found_by_its_names_and_its_adcode(scale: str) -> None:
    table = regions.provinces() if scale == "province" else regions.cities()
    spellings = ["name", "adcode", "short"] if scale == "province" else ["name", "adcode"]
    for column in spellings:
        found = regions.match_regions(table[column], scale)
        assert found.tolist() == table["adcode"].tolist(), column


def test_match_regions_keeps_the_index_and_gives_none_for_no_match() -> None:
    keys = pd.Series(
        ["北京", "重庆(50)", None, float("nan"), "150000", "莱芜", " 包头市 ", ""],
        index=list("abcdefgh"),
    )
    found = regions.match_regions(keys, "city")
    assert found.index.tolist() == list("abcdefgh")
    # municipalities named as provinces, an old name, spaces; a province code is no city
    assert found.tolist() == ["110000", "500000", None, None, None, "370100", "150200", None]
    assert regions.match_regions(pd.Series(["江西(36)", "150200"]), "province").tolist() == [
        "360000",
        None,  # a city's code at province scale
    ]


def test_match_regions_rejects_other_scales() -> None:
    with pytest.raises(ValueError, match=r"^scale must be province or city, got 'county'$"):
        regions.match_regions(pd.Series(["北京"]), "county")


def test_old_names_are_replaced_longest_first() -> None:
    # 莱芜市 before 莱芜: no 济南市市
    assert regions.replace_aliases("莱芜市钢城区; 莱芜") == "济南市钢城区; 济南市"
    assert all(regions.alias(old) == new for old, new in regions.ALIASES.items())
