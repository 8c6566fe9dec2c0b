"""The institution gazetteer: universities, research institutes and state-owned groups by seat.

The tables in ``data/gazetteer/`` (one row an institution: ``name``, ``adcode`` of its seat city,
``seat``, ``category``, ``parent``, ``aliases``, ``source``; the sources in ``sources.csv``) are
matched on :func:`copatent.places.keys.name_key`, so 中煤第三建设(集团)有限责任公司 finds
中煤第三建设有限责任公司 and 中国中铁二院工程集团有限责任公司 finds 中铁二院工程集团有限责任公司
(a leading 中国 the entry lacks).

A name that extends an entry with an internal unit (中国铁道科学研究院集团有限公司铁道建筑研究所:
a 研究所, 研究院, 中心, 实验室, 医院, 学院 of the entry, not a company of its own) is placed at the
entry's seat when there is reason to think its units sit with it: the entry is a university (its
schools and hospitals), or the gazetteer knows units of it and all sit in its city (the railway
academy's institutes in Beijing). An academy whose units are spread over the country (中国科学院,
中国地质科学院: its 探矿工艺研究所 is in Chengdu) or one whose units are unknown places none of
them. A unit that names a place is left to the place in its name, and a subsidiary company
(中铁十一局集团第五工程有限公司) is never placed at its group's seat: only its own entry places it.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from importlib import resources
from typing import Final

import pandas as pd

from copatent.places import inname
from copatent.places.keys import incorporated, name_key, strip_leading_forms
from copatent.regions import MUNICIPALITIES

COLUMNS: Final = ("name", "adcode", "seat", "category", "parent", "aliases", "source")
SOURCE_COLUMNS: Final = ("id", "title", "publisher", "url", "date", "licence")
CATEGORIES: Final = ("university", "research-institute", "enterprise", "agency")
UNITS: Final = ("研究所", "研究院", "研究中心", "实验室", "分院", "医院", "学院", "中心", "校区",
                "实验站", "观测站", "工作站")  # fmt: skip
"""How an internal unit's name ends (a unit of the entry it extends, not a company of its own)."""
_SHORTEST_PARENT: Final = 4


@dataclass(frozen=True)
class Entry:
    name: str
    adcode: str
    category: str
    parent: str
    source: str

    @property
    def city_adcode(self) -> str | None:
        return (
            None
            if self.adcode.endswith("0000") and self.adcode not in MUNICIPALITIES
            else self.adcode
        )

    @property
    def province_adcode(self) -> str:
        return self.adcode[:2] + "0000"


@dataclass(frozen=True)
class Found:
    """A gazetteer answer: the entry (placed) or the candidates (two entries disagree)."""

    entry: Entry | None
    evidence: str
    candidates: tuple[str, ...] = ()


@functools.cache
def entries() -> pd.DataFrame:
    """Every gazetteer row, from every ``data/gazetteer/*.csv`` but the sources."""
    folder = resources.files("copatent.places.data").joinpath("gazetteer")
    frames = []
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if item.name.endswith(".csv") and not item.name.startswith("sources"):
            text = item.read_text("utf-8")
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
            frames.append(frame.assign(file=item.name))
    if not frames:
        return pd.DataFrame(columns=[*COLUMNS, "file"], dtype=object)
    return pd.concat(frames, ignore_index=True)


@functools.cache
def digest() -> str:
    """SHA-256 of the gazetteer's tables: which gazetteer placed a load's applicants."""
    folder = resources.files("copatent.places.data").joinpath("gazetteer")
    sha = hashlib.sha256()
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if item.name.endswith(".csv"):
            sha.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    sha.update(inname.dictionary_digest().encode())
    return sha.hexdigest()


@functools.cache
def sources() -> pd.DataFrame:
    """The sources the entries cite (``id``, ``title``, ``publisher``, ``url``, ``date``, ...)."""
    folder = resources.files("copatent.places.data").joinpath("gazetteer")
    frames = [
        pd.read_csv(io.StringIO(item.read_text("utf-8")), dtype=str, keep_default_na=False)
        for item in sorted(folder.iterdir(), key=lambda f: f.name)
        if item.name.startswith("sources") and item.name.endswith(".csv")
    ]
    if not frames:
        return pd.DataFrame(columns=list(SOURCE_COLUMNS), dtype=object)
    return pd.concat(frames, ignore_index=True)


@functools.cache
def _index() -> tuple[dict[str, tuple[Entry, ...]], frozenset[str]]:
    """Key -> entries (names and aliases), and the keys of the entries whose units sit with them."""
    table = entries()
    by_key: dict[str, dict[str, Entry]] = {}
    seats_of_units: dict[str, set[str]] = {}
    for row in table.loc[:, list(COLUMNS)].astype(str).to_dict(orient="records"):
        entry = Entry(row["name"], row["adcode"], row["category"], row["parent"], row["source"])
        aliases = (a.strip() for a in row["aliases"].split(";"))
        for name in [row["name"], *(a for a in aliases if a)]:
            by_key.setdefault(name_key(name), {})[entry.name] = entry
        if row["parent"]:
            seats_of_units.setdefault(name_key(row["parent"]), set()).add(entry.adcode)
    index = {key: tuple(found.values()) for key, found in by_key.items()}
    universities = {
        name_key(n)
        for n, c in zip(table["name"], table["category"], strict=True)
        if c == "university"
    }
    together = {
        parent
        for parent, seats in seats_of_units.items()
        if seats <= {e.adcode for e in index.get(parent, ())}
    }
    return index, frozenset(universities | together)


def find(name: str) -> Found | None:
    """The gazetteer's answer for a name, or None if it knows nothing of it.

    >>> find("西南交通大学").entry.adcode, find("中国铁路总公司").entry.name
    ('510100', '中国国家铁路集团有限公司')
    """
    index, together = _index()
    key = name_key(name)
    if key in index:
        return _answer(index[key], "")
    if key.startswith("中国") and key[2:] in index and len(key) - 2 >= _SHORTEST_PARENT:
        return _answer(index[key[2:]], " (named with a leading 中国)")
    longest = _longest_parent(key)
    if longest is None:
        return None
    parent, unit = longest
    if (
        not unit
        or incorporated(name)
        or not unit.endswith(UNITS)
        or parent not in together
        or inname.find(unit).words
    ):
        return None
    return _answer(index[parent], f" + its unit {unit}")


def extension(name: str) -> tuple[str, str] | None:
    """The longest gazetteer entry a name extends, and the rest of its key.

    A place in the rest is where the unit, campus or branch is (哈尔滨工业大学(威海): 威海, not
    哈尔滨; 中山大学深圳研究院: 深圳), so the place names of a name are read in the rest only.

    >>> extension("哈尔滨工业大学(威海)")
    ('哈尔滨工业大学', '(威海)')
    """
    longest = _longest_parent(name_key(name))
    if longest is None:
        return None
    parent, rest = longest
    return _index()[0][parent][0].name, rest


def _longest_parent(key: str) -> tuple[str, str] | None:
    """The longest entry key (4 characters or more) that ``key`` extends, and the rest.

    The rest is without the company forms that join it to the entry (集团有限公司…).
    """
    index, _ = _index()
    for end in range(len(key) - 1, _SHORTEST_PARENT - 1, -1):
        if key[:end] in index:
            return key[:end], strip_leading_forms(key[end:])
    return None


def _answer(found: tuple[Entry, ...], how: str) -> Found:
    seats = sorted({e.adcode for e in found})
    evidence = "; ".join(f"{e.name} [{e.source}]" for e in found) + how
    if len(seats) == 1:
        return Found(found[0], evidence)
    return Found(None, evidence, tuple(seats))
