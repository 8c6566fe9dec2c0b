"""Short Chinese and English names of the regions, for map labels and ``--lang en``.

- **Chinese** (:func:`chinese_name`): the name without its administrative suffix (市, 省, 地区,
  盟, 自治区, 特别行政区, 新区) and, for an autonomous prefecture, without 自治州 and the peoples
  named before it: 内蒙古, 北京, 包头, 延边 (延边朝鲜族自治州), 红河 (红河哈尼族彝族自治州).
- **English** (:func:`english_name`): the provinces by their conventional English names
  (:data:`PROVINCE_NAMES`: Inner Mongolia, Tibet, Shaanxi beside Shanxi, Guangxi, Ningxia,
  Xinjiang, Hong Kong, Macao, Taiwan); the cities in Hanyu Pinyin written as place names are
  (GB/T 16159: one word, capital initial, an apostrophe before a syllable that starts with a, o
  or e: Xi'an, Lu'an; ü kept: Lüliang), from ``pypinyin`` run on the full name so that the
  suffix gives context, then the suffix's syllables dropped. Where pypinyin reads a character
  wrongly (长治 is Changzhi, not Zhangzhi; 朝阳 Chaoyang; 漯河 Luohe) or where English uses
  another name (Hohhot, Urumqi, Lhasa, Harbin, Ordos, Hulunbuir, Kashgar, Shigatse, Taipei, ...),
  :data:`CITY_NAMES` gives the name.
"""

from __future__ import annotations

import functools
from typing import Final, Literal

from copatent import regions
from copatent.geo import RegionScale

Lang = Literal["zh", "en"]

PROVINCE_NAMES: Final[dict[str, str]] = {
    "110000": "Beijing",
    "120000": "Tianjin",
    "130000": "Hebei",
    "140000": "Shanxi",
    "150000": "Inner Mongolia",
    "210000": "Liaoning",
    "220000": "Jilin",
    "230000": "Heilongjiang",
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
    "350000": "Fujian",
    "360000": "Jiangxi",
    "370000": "Shandong",
    "410000": "Henan",
    "420000": "Hubei",
    "430000": "Hunan",
    "440000": "Guangdong",
    "450000": "Guangxi",
    "460000": "Hainan",
    "500000": "Chongqing",
    "510000": "Sichuan",
    "520000": "Guizhou",
    "530000": "Yunnan",
    "540000": "Tibet",
    "610000": "Shaanxi",
    "620000": "Gansu",
    "630000": "Qinghai",
    "640000": "Ningxia",
    "650000": "Xinjiang",
    "710000": "Taiwan",
    "810000": "Hong Kong",
    "820000": "Macao",
}
"""The conventional English names of the provinces (Shaanxi and Shanxi as the government spells
them, Macao as its government does)."""

CITY_NAMES: Final[dict[str, str]] = {
    # pypinyin reads a polyphonic character wrongly
    "140400": "Changzhi",  # 长治, not Zhangzhi
    "211300": "Chaoyang",  # 朝阳, not Zhaoyang
    "411100": "Luohe",  # 漯河, not Tahe
    # Inner Mongolia: the names in Mongolian that English uses
    "150100": "Hohhot",
    "150600": "Ordos",
    "150700": "Hulunbuir",
    "150800": "Bayannur",
    "150900": "Ulanqab",
    "152200": "Hinggan",
    "152500": "Xilingol",
    "152900": "Alxa",
    # Heilongjiang
    "230100": "Harbin",
    "230200": "Qiqihar",
    "232700": "Da Hinggan Ling",
    # Tibet
    "540100": "Lhasa",
    "540200": "Shigatse",
    "540300": "Qamdo",
    "540400": "Nyingchi",
    "540600": "Nagqu",
    "542500": "Ngari",
    # Sichuan, Qinghai
    "513200": "Ngawa",
    "513300": "Garze",
    "632500": "Hainan (Qinghai)",  # 海南藏族自治州, not the province
    "632600": "Golog",
    # Xinjiang
    "650100": "Urumqi",
    "650200": "Karamay",
    "650400": "Turpan",
    "652700": "Bortala",
    "652800": "Bayingolin",
    "652900": "Aksu",
    "653000": "Kizilsu",
    "653100": "Kashgar",
    "653200": "Hotan",
    "654000": "Ili",
    "654300": "Altay",
    "659002": "Aral",
    "659003": "Tumxuk",
    "659008": "Kokdala",
    # Taiwan: the names in use there
    "710100": "Taipei",
    "710200": "Kaohsiung",
    "710300": "New Taipei",
    "710400": "Taichung",
    "710500": "Tainan",
    "710600": "Taoyuan",
    "719001": "Keelung",
    "719002": "Hsinchu",
    "719003": "Chiayi",
}
"""Cities whose English name is not pypinyin's reading of the Chinese one."""

SUFFIXES: Final = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州",
    "地区", "新区", "省", "市", "盟",
)  # fmt: skip
"""Administrative suffixes, longest first."""

PEOPLES: Final = (
    "柯尔克孜", "哈萨克", "蒙古族", "蒙古", "朝鲜族", "土家族", "布依族", "哈尼族", "景颇族",
    "傈僳族", "苗族", "藏族", "羌族", "彝族", "侗族", "壮族", "傣族", "白族", "回族",
)  # fmt: skip
"""The peoples named in the names of autonomous prefectures (before 自治州)."""


def chinese_name(adcode: str, scale: RegionScale) -> str:
    """The region's name without its suffix.

    >>> [chinese_name(c, "province") for c in ("150000", "110000", "810000")]
    ['内蒙古', '北京', '香港']
    >>> [chinese_name(c, "city") for c in ("150200", "222400", "532500", "133100")]
    ['包头', '延边', '红河', '雄安']
    """
    return _names(scale, "zh")[_known(adcode, scale)]


def english_name(adcode: str, scale: RegionScale) -> str:
    """The region's English name: conventional for provinces, pinyin or conventional for cities.

    >>> [english_name(c, "province") for c in ("110000", "150000", "610000", "140000")]
    ['Beijing', 'Inner Mongolia', 'Shaanxi', 'Shanxi']
    >>> [english_name(c, "city") for c in ("610100", "341500", "141100", "140400", "150100")]
    ["Xi'an", "Lu'an", 'Lüliang', 'Changzhi', 'Hohhot']
    """
    return _names(scale, "en")[_known(adcode, scale)]


def label(adcode: str, scale: RegionScale, lang: Lang) -> str:
    """:func:`chinese_name` or :func:`english_name`, by ``lang``."""
    return _names(scale, lang)[_known(adcode, scale)]


def names(scale: RegionScale, lang: Lang) -> dict[str, str]:
    """Every region of ``scale`` by adcode, named in ``lang`` (a copy)."""
    return dict(_names(scale, lang))


def _known(adcode: str, scale: RegionScale) -> str:
    if adcode not in _names(scale, "zh"):
        raise KeyError(f"{adcode!r} is no {scale} adcode")
    return adcode


@functools.cache
def _names(scale: RegionScale, lang: Lang) -> dict[str, str]:
    table = regions.provinces() if scale == "province" else regions.cities()
    full = dict(zip(table["adcode"], table["name"], strict=True))
    if lang == "zh":
        return {code: short(name) for code, name in full.items()}
    found = {}
    for code, name in full.items():
        if code in PROVINCE_NAMES:  # provinces, and the municipalities at city scale
            found[code] = PROVINCE_NAMES[code]
        elif code in CITY_NAMES:
            found[code] = CITY_NAMES[code]
        else:
            found[code] = pinyin(name, len(short(name)))
    return found


def short(name: str) -> str:
    """``name`` without its administrative suffix and the peoples of an autonomous prefecture.

    >>> short("克孜勒苏柯尔克孜自治州"), short("海西蒙古族藏族自治州"), short("北京市")
    ('克孜勒苏', '海西', '北京')
    """
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    stripped = True
    while stripped:
        stripped = False
        for people in PEOPLES:
            if name.endswith(people) and len(name) > len(people) + 1:
                name, stripped = name[: -len(people)], True
    return name


def pinyin(name: str, syllables: int) -> str:
    """The first ``syllables`` syllables of ``name`` in pinyin, written as a place name.

    The whole name is read, so that pypinyin's phrase dictionary sees the context.

    >>> pinyin("西安市", 2), pinyin("哈尔滨市", 3), pinyin("吕梁市", 2)
    ("Xi'an", "Ha'erbin", 'Lüliang')
    """
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415 (loads its dictionaries: 0.5 s)

    read = lazy_pinyin(name, style=Style.NORMAL, v_to_u=True, errors="ignore")[:syllables]
    word = read[0]
    for syllable in read[1:]:
        word += ("'" if syllable[:1] in ("a", "o", "e") else "") + syllable
    return word[:1].upper() + word[1:]
