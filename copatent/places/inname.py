"""Place names inside an applicant's name: the last resort of placing, precision first.

The name is read left to right, taking at each position the longest word of a dictionary of

- provinces (full and short names: 四川省, 四川; 内蒙古自治区, 内蒙古),
- prefecture cities (full and short: 成都市, 成都; 延边朝鲜族自治州, 延边) and the renamed ones
  (莱芜 → 济南市),
- county-level units in full (昆山市, 海淀区, 叙永县), which stand for their city, and
- words that hold a place name but name no seat (``data/not_places.txt``: 华东, 西南, 中国, 长江,
  泰山, 中山, ...), which are read as words and place nothing.

A city decides before a province (城市 before 省: 四川成都 → 成都; 云南中建西部建设 → 云南省 only).
A name that could be two places stays unplaced, with the candidates listed: two cities (北京上海),
a city outside the province also named, or a county name that several cities have (朝阳区) with
nothing to tell them apart (a district named like a city, 朝阳区 or 西安区, counts that city
among its candidates). Short names are left out where they would mislead: a short name equal to a
province's (海南藏族自治州 is not 海南) and the short forms of county-level cities (东方市 is
not 东方电气).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Final, Literal

from copatent import regions

Level = Literal["city", "province", "word"]

_ETHNIC: Final = ("柯尔克孜", "哈萨克", "朝鲜", "土家", "布依", "哈尼", "景颇", "傈僳", "蒙古",
                  "苗", "藏", "羌", "彝", "侗", "壮", "傣", "白", "回")  # fmt: skip
"""The peoples in the names of autonomous prefectures (延边朝鲜族自治州 → 延边)."""
_COUNTY_SUFFIXES: Final = ("自治县", "自治旗", "林区", "特区", "县", "区", "市", "旗")
_NOT_UNITS: Final = ("开发区", "管理区", "园区", "示范区", "新区")


@dataclass(frozen=True)
class Word:
    """One dictionary word: what it names (cities, or a province, or nothing)."""

    level: Level
    adcodes: frozenset[str]


@dataclass(frozen=True)
class InName:
    """What the place names in one name say: a city, a province only, or candidates."""

    city_adcode: str | None = None
    province_adcode: str | None = None
    words: tuple[str, ...] = ()  # the place words found, in order (evidence)
    candidates: tuple[str, ...] = field(default=())  # adcodes, when two places are possible

    @property
    def placed(self) -> bool:
        return self.province_adcode is not None


def find(name: str) -> InName:
    """The place a name names, if it names exactly one.

    >>> find("攀钢集团攀枝花钢铁研究院有限公司").city_adcode
    '510400'
    >>> r = find("云南中建西部建设有限公司"); (r.city_adcode, r.province_adcode)
    (None, '530000')
    >>> find("中山大学").placed, find("西南交通大学").placed, find("长江勘测规划设计研究院").placed
    (False, False, False)
    >>> find("北京上海联合科技有限公司").candidates
    ('110000', '310000')
    """
    found: list[tuple[str, Word]] = []
    for match in _pattern().finditer(name):
        word = _dictionary()[match.group(0)]
        if word.level != "word":
            found.append((match.group(0), word))
    if not found:
        return InName()
    words = tuple(w for w, _ in found)
    cities = [w.adcodes for _, w in found if w.level == "city"]
    provinces = {next(iter(w.adcodes)) for _, w in found if w.level == "province"}
    if cities:
        common = frozenset.intersection(*cities)
        if provinces:
            common = frozenset(c for c in common if {c[:2] + "0000"} >= provinces)
        if len(common) == 1:
            city = next(iter(common))
            return InName(city, city[:2] + "0000", words)
        every = frozenset.union(*cities) | provinces
        return InName(words=words, candidates=tuple(sorted(every)))
    if len(provinces) == 1:
        return InName(None, next(iter(provinces)), words)
    return InName(words=words, candidates=tuple(sorted(provinces)))


def not_places() -> tuple[str, ...]:
    """The words of ``data/not_places.txt``."""
    text = resources.files("copatent.places.data").joinpath("not_places.txt").read_text("utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(dict.fromkeys(line for line in lines if line))


def dictionary_digest() -> str:
    """SHA-256 of the words and what they name: a changed dictionary places names otherwise."""
    sha = hashlib.sha256()
    for word, entry in sorted(_dictionary().items()):
        sha.update(f"{word}\t{entry.level}\t{','.join(sorted(entry.adcodes))}\n".encode())
    return sha.hexdigest()


@functools.cache
def _pattern() -> re.Pattern[str]:
    words = sorted(_dictionary(), key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in words))


@functools.cache
def _dictionary() -> dict[str, Word]:
    """Every word the reader knows, the blocking words included."""
    words: dict[str, Word] = {}
    cities = regions.cities()
    provinces = regions.provinces()
    province_words: set[str] = set()
    for adcode, name, short in zip(provinces["adcode"], provinces["name"], provinces["short"],
                                   strict=True):  # fmt: skip
        level: Level = "city" if adcode in regions.MUNICIPALITIES else "province"
        for word in (name, short):
            words[word] = Word(level, frozenset({adcode}))
            province_words.add(word)
    blocked = set(not_places())
    short_names: dict[str, set[str]] = {}
    for adcode, name in zip(cities["adcode"], cities["name"], strict=True):
        if adcode in regions.MUNICIPALITIES:
            continue
        words.setdefault(name, Word("city", frozenset({adcode})))
        if adcode[2:4] != "90":  # 东方市, 仙桃市: county-level, their short forms are words
            for short in _short_city_names(name):
                short_names.setdefault(short, set()).add(adcode)
    for short, codes in short_names.items():
        if short not in province_words and short not in blocked and short not in words:
            words[short] = Word("city", frozenset(codes))
    for old, new in regions.ALIASES.items():
        target = regions.city_by_name().get(new)
        if target and old not in words:
            words[old] = Word("city", frozenset({target}))
    words.update(_counties(words))
    for word in blocked:
        words.setdefault(word, Word("word", frozenset()))
    return words


def _counties(words: dict[str, Word]) -> dict[str, Word]:
    """County-level units in full (昆山市, 海淀区) -> their city, or every city they may be in."""
    counties: dict[str, set[str]] = {}
    districts = regions.districts()
    for name, city in zip(districts["name"], districts["city_adcode"], strict=True):
        if len(name) < 3 or name.endswith(_NOT_UNITS) or name in words:
            continue
        codes = counties.setdefault(name, set())
        codes.add(city)
        stem = words.get(_county_stem(name))
        if stem is not None and stem.level == "city":  # 西安区 (辽源) may be 西安区块链 (西安)
            codes |= stem.adcodes
    return {name: Word("city", frozenset(codes)) for name, codes in counties.items()}


def _short_city_names(name: str) -> list[str]:
    """延边朝鲜族自治州 → 延边; 锡林郭勒盟 → 锡林郭勒; 包头市 → 包头."""
    for suffix in ("自治州", "地区", "盟", "市"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            while suffix == "自治州" and (tail := _ethnic_tail(stem)):
                stem = stem[: -len(tail)]
            return [stem] if len(stem) >= 2 else []
    return []


def _ethnic_tail(stem: str) -> str:
    for people in _ETHNIC:
        for tail in (people + "族", people):
            if stem.endswith(tail) and len(stem) - len(tail) >= 2:
                return tail
    return ""


def _county_stem(name: str) -> str:
    for suffix in _COUNTY_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
