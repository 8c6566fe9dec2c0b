"""Synthetic incoPat-format patent exports, for the demo, the tests and the benchmarks.

:func:`generate` builds a deterministic table with incoPat's Chinese export headers
(:data:`COLUMNS`, one row per patent, ``;``-separated applicants in order) and :func:`write` saves
it as .xlsx or .csv (UTF-8 or the GBK variant). The data is **synthetic**: the cities and districts
are real (:mod:`copatent.regions`), everything else is invented, and every file says so
(workbook properties and a ``说明`` sheet; a ``<name>.README.txt`` next to a CSV).

The model, in the order the generator applies it:

- **Years**: application years 2001-2020, counts growing by :data:`GROWTH` a year (few patents in
  2001-2005, most in 2016-2020).
- **Applicants per patent**: :data:`APPLICANT_COUNT_SHARES`; most patents have one applicant.
- **Organisations**: a fixed pool per city (more in the hub cities, scaled with the number of
  patents), each with a fixed type, district-level address and activity. Activity falls with rank
  (Zipf), so a few organisations in each hub are very active; most join the pool after 2001.
- **Cities**, calibrated to the study the sample stands in for (:func:`expected_pairs`): for
  each period an expected number of collaborations of every ordered pair of cities, the diagonal
  being collaborations inside a city. Off the diagonal, the pairs of ``data/sample_pairs.csv``
  (Beijing->Shanghai 48 in 2001-2005 rising to 158 in 2016-2020, Xiamen->Longyan 81 against
  Longyan->Xiamen 44, Beijing->Hebei and Beijing->Liaoning cities: the study's printed values)
  and a shared part that spends the rest of each city's 2016-2020 degree and out-share
  (``data/sample_cities.csv``: the study's Table 2, city and province; :data:`TAIL_DEGREE` for
  the other prefecture-level cities) between cities of other provinces, fitted by iterative
  proportional fitting with a fixed heavy-tailed affinity per pair of provinces
  (:data:`AFFINITY_SIGMA`) and grown over the periods by :data:`BACKGROUND_GROWTH`. The diagonal
  takes the rest of the period's expected collaborations in proportion to :func:`city_weights`.
  The first applicant's city is drawn from a period's row sums, each other applicant's from the
  leader's row. At the default size the province networks come out within a quarter of the
  study's Table 1 node and arc counts, Beijing first at both scales and a net leader
  (README, "Sample data").
- **Noise the loader must remove**: off-topic titles (:data:`P_OFF_TOPIC`, none of the default
  topic keywords), natural persons (:data:`P_PERSON_SINGLE`, :data:`P_PERSON_MULTI`), foreign
  applicants (:data:`P_FOREIGN_SINGLE`, :data:`P_FOREIGN_MULTI`), single-applicant patents,
  missing addresses (:data:`P_MISSING_ADDRESS`), old city names (莱芜市 before 2019, 襄樊市 up to
  2010, resolved through :data:`copatent.regions.ALIASES`), unparseable application dates
  (:data:`P_BAD_DATE`) and duplicate rows of one publication (:data:`P_DUPLICATE`).

:data:`DEFAULT_PATENTS` is chosen so that about 6,400 patents pass the paper's inclusion rules
(on topic, no person, no foreign applicant, two or more applicants), as in the study. Same
``n_patents`` and ``seed`` give the same frame, and :func:`write` the same CSV bytes.
"""

from __future__ import annotations

import functools
import io
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import openpyxl  # type: ignore[import-untyped]  # no stubs in the dev group yet
import pandas as pd
from numpy.typing import NDArray

from copatent import __version__, files, regions
from copatent._errors import InputError
from copatent.sample import DEFAULT_PATENTS, MAX_PATENTS

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
TextArray = NDArray[np.object_]

COLUMNS: Final[tuple[str, ...]] = (
    "序号",
    "标题",
    "摘要",
    "申请号",
    "申请日",
    "公开（公告）号",
    "公开（公告）日",
    "专利类型",
    "IPC主分类",
    "申请人",
    "申请人地址",
    "申请人国别代码",
    "申请人省市代码",
    "中国申请人地市",
    "中国申请人区县",
    "申请人类型",
)
"""The export's headers, in order (incoPat's names, research notes §4)."""

SEPARATOR: Final = ";"
"""Separates the applicants, and the per-applicant cells aligned with them, within one cell."""

FIRST_YEAR: Final = 2001
LAST_YEAR: Final = 2020
PERIODS: Final[tuple[tuple[int, int], ...]] = (
    (2001, 2005),
    (2006, 2010),
    (2011, 2015),
    (2016, 2020),
)
"""Five-year periods in which organisations enter and pair affinities change."""

GROWTH: Final = 0.15
"""Yearly growth rate of the patent count (exponential)."""

APPLICANT_COUNT_SHARES: Final[Mapping[int, float]] = MappingProxyType(
    {1: 0.60, 2: 0.30, 3: 0.07, 4: 0.03}
)
"""Share of patents with 1, 2, 3 and 4 applicants."""

P_OFF_TOPIC: Final = 0.08
"""Share of patents whose title and abstract contain none of the default topic keywords."""

P_PERSON_SINGLE: Final = 0.14
"""Share of single-applicant patents filed by a natural person."""

P_FOREIGN_SINGLE: Final = 0.05
"""Share of single-applicant patents filed by a foreign applicant."""

P_PERSON_MULTI: Final = 0.07
"""Share of multi-applicant patents with a natural person among the applicants."""

P_FOREIGN_MULTI: Final = 0.05
"""Share of multi-applicant patents with a foreign applicant among the applicants."""

TAIL_DEGREE: Final = 0.4
"""Expected 2016-2020 degree of each prefecture-level city not in ``data/sample_cities.csv``."""

TAIL_OUT_SHARE: Final = 0.52
"""Share of a tail city's degree it leads."""

TAIL_FIRST: Final = 2011
"""First period in which a tail city collaborates with other cities."""

BACKGROUND_GROWTH: Final[tuple[float, ...]] = (0.05, 0.22, 0.62, 1.0)
"""Per period, the share of the cities' 2016-2020 degrees beyond their own pairs."""

AFFINITY_SIGMA: Final = 2.5
"""Spread (log scale) of the fixed affinity of each pair of provinces in the shared part.

Collaboration concentrates on few pairs of regions: without it the shared part would link almost
every pair of provinces (533 arcs in 2016-2020 where the study counts 157)."""

AFFINITY_SEED: Final = 2001
"""Seed of those affinities: part of the model, not of a sample's ``seed``."""

SIZE_FLOOR: Final = 3.0
"""Added to a city's degree to give its weight in collaborations inside the city."""

P_MISSING_ADDRESS: Final = 0.015
"""Share of Chinese applicant entries with an empty address cell."""

P_MISSING_REGION: Final = 0.5
"""Share of the missing addresses whose province, city and district cells are empty too."""

P_BAD_DATE: Final = 0.003
"""Share of patents with an unparseable application date (2013-02-30, 未知)."""

P_DUPLICATE: Final = 0.003
"""Extra rows, as a share of patents, that repeat a patent (same publication number)."""

P_EXACT_DUPLICATE: Final = 0.5
"""Share of the duplicate rows that repeat the original exactly, 序号 included."""

KINDS: Final[tuple[str, ...]] = ("发明申请", "发明授权", "实用新型")
KIND_SHARES: Final[tuple[float, ...]] = (0.55, 0.20, 0.25)
_KIND_LETTERS: Final = ("A", "B", "U")

ORG_TYPES: Final[tuple[str, ...]] = ("企业", "大专院校", "科研单位", "机关团体")
ORG_TYPE_SHARES: Final[tuple[float, ...]] = (0.62, 0.13, 0.20, 0.05)
PERSON_TYPE: Final = "个人"

OLD_NAMES: Final[tuple[tuple[str, frozenset[str], str, int], ...]] = (
    ("济南市", frozenset({"钢城区"}), "莱芜市", 2018),  # 莱芜 merged into 济南 in January 2019
    ("襄阳市", frozenset({"襄城区", "樊城区"}), "襄樊市", 2010),  # renamed in December 2010
)
"""(today's city, districts, old city name, last application year written with the old name)."""

XLSX_MAX_ROWS: Final = 1_048_575
"""Data rows an .xlsx sheet holds below its header."""

CSV_ENCODINGS: Final[tuple[str, ...]] = ("utf-8", "gbk", "gb18030")
SUFFIXES: Final[tuple[str, ...]] = (".xlsx", ".csv")

_ORGS_AT_DEFAULT: Final = 2_500  # organisations in the pool at the default size
_MIN_ORGS_PER_CITY: Final = 6
_ALWAYS_ACTIVE: Final = 4  # the first organisations of each city exist from 2001
_ZIPF: Final = 0.9  # activity of the organisation of rank r is (r + 1) ** -_ZIPF
_ATTRS_KEY: Final = "copatent.sample"
_DATA: Final = "copatent.sample.data"
_NOT_MAINLAND: Final = frozenset({"710000", "810000", "820000"})  # Taiwan, Hong Kong, Macao


def notice(seed: int | None = None) -> str:
    """The statement every written file carries.

    >>> notice(7).startswith("SYNTHETIC sample data generated by copatent ")
    True
    >>> notice(7).endswith("(seed 7) — not real patents")
    True
    """
    seed_text = "unknown" if seed is None else str(seed)
    return (
        f"SYNTHETIC sample data generated by copatent {__version__} (seed {seed_text}) "
        "— not real patents"
    )


# --------------------------------------------------------------------------------------------
# data tables


@dataclass(frozen=True)
class _Geography:
    name: TextArray  # city names as in regions.cities()
    short: TextArray  # the place word in organisation names
    province: TextArray  # province full name ("" for a municipality: the city name says it)
    province_short: TextArray
    lead: FloatArray  # (period, city): probability of leading a patent, rows sum to 1
    size: FloatArray  # city's share of all leading over the periods (organisation pools)
    choice: FloatArray  # (period, lead city, participant city) probabilities, rows sum to 1
    district_name: TextArray  # all districts, grouped by city
    district_start: IntArray  # city c's districts are district_start[c]:district_start[c + 1]
    district_cum: FloatArray  # cumulative district weights (within-city sampling)


@dataclass(frozen=True)
class _Vocabulary:
    data: Mapping[str, Any]
    foreign: pd.DataFrame


def _read_text(name: str) -> str:
    return resources.files(_DATA).joinpath(name).read_text("utf-8")


def _read_table(name: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(_read_text(name)), comment="#", dtype=str, na_filter=False)


@functools.cache
def _vocabulary() -> _Vocabulary:
    foreign = _read_table("sample_foreign.csv")
    foreign["weight"] = foreign["weight"].astype(float)
    return _Vocabulary(tomllib.loads(_read_text("sample_vocabulary.toml")), foreign)


def city_weights() -> pd.Series:
    """How strongly the generator draws on each city, by city name, in its order.

    A city's 2016-2020 degree (``sample_cities.csv``; :data:`TAIL_DEGREE` for the other mainland
    cities) plus :data:`SIZE_FLOOR`: what it leads and joins across cities and its weight inside
    itself. :mod:`copatent.sample.statistics` makes its synthetic indicators follow these weights.
    """
    table = _city_table()
    return pd.Series(
        table["degree"].to_numpy(dtype=float) + SIZE_FLOOR,
        index=table["city"].astype(str),
        dtype=float,
    )


@functools.cache
def _city_table() -> pd.DataFrame:
    """``sample_cities.csv`` followed by the tail, with numeric columns."""
    table = _read_table("sample_cities.csv")
    known = regions.cities().set_index("name")
    unknown = sorted(set(table["city"]) - set(known.index))
    if unknown:
        raise ValueError(f"sample_cities.csv names cities regions.cities() lacks: {unknown}")
    table = pd.concat([table, _tail(known, set(table["city"]))], ignore_index=True)
    table["degree"] = table["degree"].astype(float)
    table["out_share"] = table["out_share"].astype(float)
    table["first"] = table["first"].astype(int)
    return table


def _period_shares() -> FloatArray:
    """Expected share of the patents in each of :data:`PERIODS` (the yearly :data:`GROWTH`)."""
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    weights = np.exp(GROWTH * (years - FIRST_YEAR))
    per = np.array([weights[(years >= a) & (years <= b)].sum() for a, b in PERIODS])
    shares: FloatArray = per / weights.sum()
    return shares


def _collaborations_at_default() -> FloatArray:
    """Expected collaborations per period that pass the loader's filters at the default size."""
    participants = sum(share * (k - 1) for k, share in APPLICANT_COUNT_SHARES.items())
    kept = (1 - P_OFF_TOPIC) * (1 - P_PERSON_MULTI) * (1 - P_FOREIGN_MULTI)
    expected: FloatArray = DEFAULT_PATENTS * participants * kept * _period_shares()
    return expected


def _fit(out: FloatArray, into: FloatArray, weight: FloatArray) -> FloatArray:
    """Weights ``x_a y_b weight_ab`` with row sums ``out`` and column sums ``into``.

    Iterative proportional fitting (both targets scaled to the same total first); pairs of weight
    zero stay zero.
    """
    total = float(out.sum())
    if total <= 0 or into.sum() <= 0:
        return np.zeros(weight.shape)
    into = into * (total / float(into.sum()))
    mask = weight
    x, y = out.copy(), into.copy()
    for _ in range(200):
        x = np.divide(out, mask @ y, out=np.zeros_like(out), where=(mask @ y) > 0)
        y = np.divide(into, mask.T @ x, out=np.zeros_like(into), where=(mask.T @ x) > 0)
    fitted: FloatArray = x[:, None] * y[None, :] * mask
    return fitted


def expected_pairs() -> FloatArray:
    """Expected collaborations ``(period, leader city, participant city)`` at the default size.

    Off the diagonal: the pairs of ``sample_pairs.csv`` plus the rest of each city's degree
    (``degree * out_share`` led, ``degree * (1 - out_share)`` joined, both times
    :data:`BACKGROUND_GROWTH`), shared between the cities of other provinces in proportion to
    what each has left (:func:`_fit`), among the cities active in the period. On the diagonal:
    collaborations inside a city, in proportion to :func:`city_weights`, so that the off-diagonal
    share equals its share of the expected collaborations of the period.
    """
    table = _city_table()
    cities = regions.cities().set_index("name").loc[table["city"]]
    province = cities["province_adcode"].to_numpy()
    codes, which = np.unique(province, return_inverse=True)
    noise = np.random.default_rng(AFFINITY_SEED).normal(0.0, 1.0, (len(codes), len(codes)))
    affinity = np.exp(AFFINITY_SIGMA * np.triu(noise, 1) + AFFINITY_SIGMA * np.triu(noise, 1).T)
    weight = affinity[which][:, which] * (which[:, None] != which[None, :])
    index = {name: i for i, name in enumerate(table["city"])}
    degree = table["degree"].to_numpy(dtype=float)
    share = table["out_share"].to_numpy(dtype=float)
    first = table["first"].to_numpy(dtype=int)
    pairs = _read_table("sample_pairs.csv")
    size = degree + SIZE_FLOOR
    totals = _collaborations_at_default()
    result = np.zeros((len(PERIODS), len(table), len(table)))
    own_2016 = np.zeros((len(table), len(table)))
    for pair in pairs.itertuples(index=False):
        a, b = index[str(pair.a)], index[str(pair.b)]
        own_2016[a, b] = float(str(pair.w2016))
        weight[a, b] = weight[b, a] = 0.0  # a pair of its own takes nothing from the shared part
    rest_out = np.maximum(degree * share - own_2016.sum(axis=1), 0.0)
    rest_in = np.maximum(degree * (1 - share) - own_2016.sum(axis=0), 0.0)
    for p, (start, _) in enumerate(PERIODS):
        own = np.zeros((len(table), len(table)))
        for pair in pairs.itertuples(index=False):
            own[index[str(pair.a)], index[str(pair.b)]] = float(str(getattr(pair, f"w{start}")))
        active = (first <= start).astype(float)
        growth = BACKGROUND_GROWTH[p]
        inter = own + _fit(rest_out * active * growth, rest_in * active * growth, weight)
        inside = max(totals[p] - inter.sum(), 0.0)
        if inside <= 0:
            raise ValueError(f"sample_pairs.csv and sample_cities.csv exceed period {start}")
        result[p] = inter + np.diag(size / size.sum() * inside)
    return result


@functools.cache
def _geography() -> _Geography:
    table = _city_table()
    rows = regions.cities().set_index("name").loc[table["city"]]
    provinces = regions.provinces().set_index("adcode")
    municipal = rows["adcode"].isin(regions.MUNICIPALITIES).to_numpy()
    province_full = provinces.loc[rows["province_adcode"], "name"].to_numpy()

    joint = expected_pairs()
    led = joint.sum(axis=2)
    lead = led / led.sum(axis=1, keepdims=True)
    choice = joint / led[:, :, None]
    overall = (lead * _period_shares()[:, None]).sum(axis=0)

    districts = regions.districts()
    names: list[str] = []
    weights: list[float] = []
    offsets = [0]
    for adcode in rows["adcode"]:
        own = districts.loc[districts["city_adcode"] == adcode, "name"].tolist()
        if not own:
            raise ValueError(f"sample city {adcode} has no districts in regions.districts()")
        names.extend(own)
        weights.extend(_district_weight(n) for n in own)
        offsets.append(len(names))
    return _Geography(
        name=table["city"].to_numpy(dtype=object),
        short=table["short"].to_numpy(dtype=object),
        province=np.where(municipal, "", province_full).astype(object),
        province_short=provinces.loc[rows["province_adcode"], "short"].to_numpy(dtype=object),
        lead=lead,
        size=overall / overall.sum(),
        choice=choice,
        district_name=np.array(names, dtype=object),
        district_start=np.array(offsets, dtype=np.int64),
        district_cum=np.cumsum(np.array(weights)),
    )


def _tail(known: pd.DataFrame, listed: set[str]) -> pd.DataFrame:
    """The long tail: every other prefecture-level 市 of the mainland, with TAIL_DEGREE."""
    table = known.reset_index().sort_values("adcode")
    keep = (
        table["name"].str.endswith("市")
        & ~table["name"].isin(listed)
        & table["adcode"].isin(set(regions.districts()["city_adcode"]))
        & (table["adcode"].str[2:4] != "90")  # county-level cities directly under a province
        & ~table["province_adcode"].isin(_NOT_MAINLAND)
    )
    names = [str(name) for name in table.loc[keep, "name"]]
    return pd.DataFrame(
        {
            "city": names,
            "short": [str(n)[:-1] for n in names],
            "degree": str(TAIL_DEGREE),
            "out_share": str(TAIL_OUT_SHARE),
            "first": str(TAIL_FIRST),
        }
    )


def _district_weight(name: str) -> float:
    """Organisations and people sit mostly in urban districts."""
    if name.endswith("区"):
        return 4.0
    return 1.5 if name.endswith("市") else 1.0


# --------------------------------------------------------------------------------------------
# sampling helpers


def _sample_rows(cum: FloatArray, rows: IntArray, u: FloatArray) -> IntArray:
    """Column drawn from row ``rows[i]`` of the row-wise cumulative probabilities ``cum``."""
    width = cum.shape[-1]
    flat = (cum + np.arange(cum.shape[0])[:, None]).ravel()
    picked = np.searchsorted(flat, rows + u, side="right") - rows * width
    column: IntArray = np.clip(picked, 0, width - 1).astype(np.int64)
    return column


def _sample_blocks(cum: FloatArray, start: IntArray, stop: IntArray, u: FloatArray) -> IntArray:
    """Index in ``start[i]:stop[i]`` drawn by the weights whose running sum is ``cum``."""
    before = np.concatenate(([0.0], cum))
    low, high = before[start], before[stop]
    picked = np.searchsorted(cum, low + u * (high - low), side="right")
    index: IntArray = np.clip(picked, start, stop - 1).astype(np.int64)
    return index


def _pick(rng: np.random.Generator, items: Sequence[str]) -> str:
    return items[int(rng.random() * len(items))]


# --------------------------------------------------------------------------------------------
# applicants: organisations (a fixed pool), foreign applicants, natural persons


@dataclass(frozen=True)
class _Entities:
    """Everyone who can apply, as aligned arrays; ids index them."""

    name: TextArray
    kind: TextArray  # 申请人类型
    country: TextArray
    province: TextArray  # short name, "" for foreign
    city: TextArray  # today's name, "" for foreign
    district: TextArray
    address: TextArray
    city_old: TextArray  # the name before a merger or renaming (else today's)
    address_old: TextArray
    old_until: IntArray  # last application year written with the old name (0: none)


@dataclass(frozen=True)
class _Pool:
    entities: _Entities
    city: IntArray  # city index of each organisation
    start: IntArray  # city c's organisations are start[c]:start[c + 1]
    cum: FloatArray  # (period, organisation) running activity sums (inactive: zero weight)
    n_orgs: int
    n_foreign: int
    foreign_cum: FloatArray


def _pool_size(n_patents: int) -> int:
    return round(_ORGS_AT_DEFAULT * math.pow(n_patents / DEFAULT_PATENTS, 0.75))


def _build_pool(
    geo: _Geography, voc: _Vocabulary, n_patents: int, rng: np.random.Generator
) -> _Pool:
    counts = np.maximum(_MIN_ORGS_PER_CITY, np.round(_pool_size(n_patents) * geo.size)).astype(int)
    taken: set[str] = set()
    rows: list[tuple[str, ...]] = []
    org_city: list[int] = []
    first_year: list[int] = []
    activity: list[float] = []
    old_until: list[int] = []
    for c, count in enumerate(counts):
        for rank in range(count):
            kind, name = _org_name(geo, voc.data, c, rng, taken)
            district = _org_district(geo, c, rank, rng)
            street = _pick(rng, voc.data["address"]["streets"])
            number = 1 + int(rng.random() * 300)
            with_province = rng.random() < voc.data["address"]["with_province"]
            prefix = str(geo.province[c]) if with_province else ""
            city = str(geo.name[c])
            old_city, until = _old_name(city, district)
            rows.append(
                (
                    name,
                    kind,
                    city,
                    district,
                    f"{prefix}{city}{district}{street}{number}号",
                    old_city,
                    f"{prefix}{old_city}{district}{street}{number}号",
                )
            )
            old_until.append(until)
            org_city.append(c)
            late = FIRST_YEAR + int(20 * rng.random() ** 0.6)
            first_year.append(FIRST_YEAR if rank < _ALWAYS_ACTIVE else min(late, LAST_YEAR))
            activity.append((rank + 1.0) ** -_ZIPF)
    cols = list(zip(*rows, strict=True))
    city_idx = np.array(org_city, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    active = np.array(first_year)[None, :] <= np.array([end for _, end in PERIODS])[:, None]
    cum = np.cumsum(active * np.array(activity)[None, :], axis=1)

    foreign = voc.foreign
    n_orgs, n_foreign = len(rows), len(foreign)
    blank_f = np.full(n_foreign, "", dtype=object)

    def column(i: int, foreign_values: TextArray) -> TextArray:
        return np.concatenate((np.array(cols[i], dtype=object), foreign_values))

    entities = _Entities(
        name=column(0, foreign["name"].to_numpy(dtype=object)),
        kind=column(1, foreign["type"].to_numpy(dtype=object)),
        country=np.concatenate(
            (np.full(n_orgs, "CN", dtype=object), foreign["country"].to_numpy(dtype=object))
        ),
        province=np.concatenate((geo.province_short[city_idx], blank_f)),
        city=column(2, blank_f),
        district=column(3, blank_f),
        address=column(4, foreign["address"].to_numpy(dtype=object)),
        city_old=column(5, blank_f),
        address_old=column(6, foreign["address"].to_numpy(dtype=object)),
        old_until=np.concatenate(
            (np.array(old_until, dtype=np.int64), np.zeros(n_foreign, dtype=np.int64))
        ),
    )
    return _Pool(
        entities=entities,
        city=city_idx,
        start=starts,
        cum=cum.astype(np.float64),
        n_orgs=n_orgs,
        n_foreign=n_foreign,
        foreign_cum=np.cumsum(foreign["weight"].to_numpy(dtype=float)),
    )


def _org_name(
    geo: _Geography, voc: Mapping[str, Any], c: int, rng: np.random.Generator, taken: set[str]
) -> tuple[str, str]:
    """A new organisation's (type, name), unique in the pool."""
    place = str(geo.short[c])
    kind = ORG_TYPES[int(np.searchsorted(np.cumsum(ORG_TYPE_SHARES), rng.random(), side="right"))]
    for attempt in range(60):
        if attempt >= 10 and kind != "企业":
            kind = "企业"  # the small name spaces (universities, agencies) are used up
        name = _candidate_name(kind, place, str(geo.province_short[c]), voc, rng)
        if name not in taken:
            taken.add(name)
            return kind, name
    raise RuntimeError(f"cannot find a new organisation name for {geo.name[c]}")  # pragma: no cover


def _candidate_name(
    kind: str, place: str, province: str, voc: Mapping[str, Any], rng: np.random.Generator
) -> str:
    firm = voc["firm"]
    brand = _pick(rng, firm["brand_first"]) + _pick(rng, firm["brand_second"])
    if kind == "大专院校":
        where = place if rng.random() < 0.7 else province
        return (
            where
            + _pick(rng, voc["university"]["fields"])
            + _pick(rng, voc["university"]["suffixes"])
        )
    if kind == "科研单位":
        pattern = _pick(rng, voc["institute"]["patterns"])
        field = _pick(rng, voc["institute"]["fields"])
        return str(pattern.format(place=place, brand=brand, field=field))
    if kind == "机关团体":
        return str(_pick(rng, voc["agency"]["patterns"]).format(place=place, province=province))
    weights = np.cumsum(firm["suffix_weights"], dtype=float)
    suffix = firm["suffixes"][
        int(np.searchsorted(weights, rng.random() * weights[-1], side="right"))
    ]
    middle = brand if rng.random() < 0.85 else ""
    return f"{place}{middle}{_pick(rng, firm['industry'])}{suffix}"


def _org_district(geo: _Geography, c: int, rank: int, rng: np.random.Generator) -> str:
    city = str(geo.name[c])
    for today, districts, _, _ in OLD_NAMES:
        if city != today:
            continue
        if len(districts) == 1:  # one organisation in four sits in the formerly separate city
            if rank % 4 == 1:
                return next(iter(districts))
            break
        return sorted(districts)[int(rng.random() * len(districts))]
    lo, hi = geo.district_start[c], geo.district_start[c + 1]
    i = _sample_blocks(geo.district_cum, np.array([lo]), np.array([hi]), np.array([rng.random()]))
    return str(geo.district_name[i[0]])


def _old_name(city: str, district: str) -> tuple[str, int]:
    for today, districts, old, until in OLD_NAMES:
        if city == today and district in districts:
            return old, until
    return city, 0


def _persons(
    geo: _Geography, voc: Mapping[str, Any], city: IntArray, rng: np.random.Generator
) -> _Entities:
    """New natural persons, one per entry, living in ``city``."""
    n = len(city)
    person = voc["person"]
    surnames = np.array(person["surnames"], dtype=object)
    given = np.array(person["given"], dtype=object)
    names = (
        surnames[rng.integers(len(surnames), size=n)]
        + given[rng.integers(len(given), size=n)]
        + np.where(
            rng.random(n) < person["three_characters"],
            given[rng.integers(len(given), size=n)],
            "",
        )
    )
    d = _sample_blocks(
        geo.district_cum, geo.district_start[city], geo.district_start[city + 1], rng.random(n)
    )
    district = geo.district_name[d]
    streets = np.array(voc["address"]["streets"], dtype=object)
    tail = [
        f"{s}{k}号{b}单元{r}室"
        for s, k, b, r in zip(
            streets[rng.integers(len(streets), size=n)].tolist(),
            rng.integers(1, 300, size=n).tolist(),
            rng.integers(1, 7, size=n).tolist(),
            rng.integers(101, 1806, size=n).tolist(),
            strict=True,
        )
    ]
    city_name = geo.name[city]
    province = geo.province[city]
    old = [_old_name(str(cn), str(dn)) for cn, dn in zip(city_name, district, strict=True)]
    city_old = np.array([o[0] for o in old], dtype=object)
    return _Entities(
        name=names.astype(object),
        kind=np.full(n, PERSON_TYPE, dtype=object),
        country=np.full(n, "CN", dtype=object),
        province=geo.province_short[city],
        city=city_name,
        district=district,
        address=province + city_name + district + np.array(tail, dtype=object),
        city_old=city_old,
        address_old=province + city_old + district + np.array(tail, dtype=object),
        old_until=np.array([o[1] for o in old], dtype=np.int64),
    )


def _concat_entities(a: _Entities, b: _Entities) -> _Entities:
    return _Entities(
        **{
            field: np.concatenate((getattr(a, field), getattr(b, field)))
            for field in _Entities.__dataclass_fields__
        }
    )


# --------------------------------------------------------------------------------------------
# patents


@dataclass(frozen=True)
class _Patents:
    year: IntArray
    date: NDArray[np.datetime64]
    period: IntArray
    n_applicants: IntArray
    on_topic: BoolArray
    kind: IntArray  # index into KINDS


def _draw_patents(n: int, rng: np.random.Generator) -> _Patents:
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    weights = np.exp(GROWTH * (years - FIRST_YEAR))
    year = rng.choice(years, size=n, p=weights / weights.sum()).astype(np.int64)
    start = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    length = ((year - 1969).astype("datetime64[Y]").astype("datetime64[D]") - start).astype(int)
    date = start + (rng.random(n) * length).astype(np.int64).astype("timedelta64[D]")
    counts = np.array(sorted(APPLICANT_COUNT_SHARES), dtype=np.int64)
    shares = np.array([APPLICANT_COUNT_SHARES[k] for k in counts.tolist()])
    return _Patents(
        year=year,
        date=date,
        period=np.minimum((year - FIRST_YEAR) // 5, len(PERIODS) - 1),
        n_applicants=rng.choice(counts, size=n, p=shares / shares.sum()),
        on_topic=rng.random(n) >= P_OFF_TOPIC,
        kind=rng.choice(len(KINDS), size=n, p=np.array(KIND_SHARES) / sum(KIND_SHARES)).astype(
            np.int64
        ),
    )


_ORG, _PERSON, _FOREIGN = 0, 1, 2
_SLOTS: Final = max(APPLICANT_COUNT_SHARES)


def _draw_applicants(
    pat: _Patents, geo: _Geography, pool: _Pool, voc: _Vocabulary, rng: np.random.Generator
) -> tuple[IntArray, _Entities]:
    """Entity ids of each patent's applicants, (n, _SLOTS), -1 past the last applicant."""
    n = len(pat.year)
    valid = np.arange(_SLOTS)[None, :] < pat.n_applicants[:, None]
    multi = pat.n_applicants > 1

    # cities: the leader's by the period's lead weights, the others by the leader's row
    width = len(geo.size)
    lead_cum = np.cumsum(geo.lead, axis=1)
    lead_cum /= lead_cum[:, -1:]
    city = np.empty((n, _SLOTS), dtype=np.int64)
    city[:, 0] = _sample_rows(lead_cum, pat.period, rng.random(n))
    cum = np.cumsum(geo.choice, axis=2)
    cum /= cum[:, :, -1:]
    for k in range(1, _SLOTS):
        row = pat.period * width + city[:, 0]
        city[:, k] = _sample_rows(cum.reshape(-1, width), row, rng.random(n))

    # who: organisation, natural person or foreign applicant
    what = np.full((n, _SLOTS), _ORG, dtype=np.int64)
    u = rng.random(n)
    what[~multi & (u < P_PERSON_SINGLE), 0] = _PERSON
    what[~multi & (u >= P_PERSON_SINGLE) & (u < P_PERSON_SINGLE + P_FOREIGN_SINGLE), 0] = _FOREIGN
    rows = np.arange(n)
    person_slot = (rng.random(n) * pat.n_applicants).astype(np.int64)
    other = (
        person_slot + 1 + (rng.random(n) * (pat.n_applicants - 1)).astype(np.int64)
    ) % np.maximum(pat.n_applicants, 1)
    has_person = multi & (rng.random(n) < P_PERSON_MULTI)
    has_foreign = multi & (rng.random(n) < P_FOREIGN_MULTI)
    foreign_slot = np.where(has_person, other, person_slot)
    what[rows[has_person], person_slot[has_person]] = _PERSON
    what[rows[has_foreign], foreign_slot[has_foreign]] = _FOREIGN
    what[~valid] = -1

    ids = np.full((n, _SLOTS), -1, dtype=np.int64)
    period = np.broadcast_to(pat.period[:, None], (n, _SLOTS))
    is_org = what == _ORG
    ids[is_org] = _draw_orgs(pool, city[is_org], period[is_org], rng)
    for _ in range(200):  # one organisation appears once per patent
        clash = np.zeros((n, _SLOTS), dtype=bool)
        for k in range(1, _SLOTS):
            for j in range(k):
                clash[:, k] |= is_org[:, k] & is_org[:, j] & (ids[:, k] == ids[:, j])
        if not clash.any():
            break
        ids[clash] = _draw_orgs(pool, city[clash], period[clash], rng)
    else:  # pragma: no cover - every city has _ALWAYS_ACTIVE >= _SLOTS organisations
        raise RuntimeError("cannot draw distinct organisations")

    is_foreign = what == _FOREIGN
    total = pool.foreign_cum[-1]
    pick = np.searchsorted(
        pool.foreign_cum, rng.random(int(is_foreign.sum())) * total, side="right"
    )
    ids[is_foreign] = pool.n_orgs + np.minimum(pick, pool.n_foreign - 1)

    is_person = what == _PERSON
    persons = _persons(geo, voc.data, city[is_person], rng)
    ids[is_person] = pool.n_orgs + pool.n_foreign + np.arange(int(is_person.sum()))
    return ids, _concat_entities(pool.entities, persons)


def _draw_orgs(pool: _Pool, city: IntArray, period: IntArray, rng: np.random.Generator) -> IntArray:
    out = np.empty(len(city), dtype=np.int64)
    u = rng.random(len(city))
    for p in range(len(PERIODS)):
        mask = period == p
        c = city[mask]
        out[mask] = _sample_blocks(pool.cum[p], pool.start[c], pool.start[c + 1], u[mask])
    return out


# --------------------------------------------------------------------------------------------
# cells


def _text(values: Sequence[str] | NDArray[Any]) -> pd.Series:
    """A text column in pandas' string dtype (compact; the Python strings can go)."""
    return pd.Series(values, dtype="str")


def _applicant_cells(
    ids: IntArray, ent: _Entities, year: IntArray, rows: IntArray, rng: np.random.Generator
) -> dict[str, pd.Series]:
    """The seven per-applicant columns, ';'-joined in applicant order, for the patents ``rows``.

    Built one column at a time, each turned into a compact string column at once: at a million
    patents the joined Python strings are the generator's largest object.
    """
    missing_draw = rng.random(ids.shape)[rows] < P_MISSING_ADDRESS
    no_region_draw = rng.random(ids.shape)[rows] < P_MISSING_REGION
    ids, year = ids[rows], year[rows]
    valid = ids >= 0
    safe = np.where(valid, ids, 0)
    old = year[:, None] <= ent.old_until[safe]
    domestic = ent.country[safe] == "CN"
    missing = domestic & valid & missing_draw
    no_region = missing & no_region_draw

    def values(column: str) -> TextArray:
        """Column ``column`` of every applicant slot, (rows, slots)."""
        if column == "申请人地址":
            both = np.where(old, ent.address_old[safe], ent.address[safe])
            return np.where(missing, "", both)
        if column == "中国申请人地市":
            return np.where(no_region, "", np.where(old, ent.city_old[safe], ent.city[safe]))
        if column == "申请人省市代码":
            return np.where(no_region, "", ent.province[safe])
        if column == "中国申请人区县":
            return np.where(no_region, "", ent.district[safe])
        plain = {"申请人": ent.name, "申请人国别代码": ent.country, "申请人类型": ent.kind}
        return plain[column][safe]

    cells: dict[str, pd.Series] = {}
    for column in COLUMNS[9:]:
        slots = values(column)
        joined = slots[:, 0].astype(object)
        for k in range(1, ids.shape[1]):
            more = valid[:, k]
            joined[more] = joined[more] + SEPARATOR + slots[more, k]
        cells[column] = _text(joined)
    return cells


_CHUNK: Final = 1 << 17  # rows of titles and abstracts built before they become string columns
_P_RECOVERY: Final = 0.12  # share of on-topic inventions titled "一种从…中回收…的方法"


def _texts(
    pat: _Patents, voc: Mapping[str, Any], rows: IntArray, rng: np.random.Generator
) -> dict[str, pd.Series]:
    """Titles, abstracts and main IPC codes of the patents ``rows``.

    Drawn from the word lists; off-topic patents get words without topic keywords. The draws are
    per patent, so a duplicate row repeats its patent's texts.
    """
    n = len(pat.year)
    topic, off = voc["topic"], voc["offtopic"]
    utility = pat.kind == KINDS.index("实用新型")
    recovery = pat.on_topic & ~utility & (rng.random(n) < _P_RECOVERY)
    materials = [*topic["materials"], *off["materials"]]
    n_topic = len(topic["materials"])
    material = np.where(
        pat.on_topic,
        rng.integers(n_topic, size=n),
        n_topic + rng.integers(len(off["materials"]), size=n),
    )
    n_steps = len(voc["generic"]["steps"])
    first_step = rng.integers(n_steps, size=n)
    draws = np.column_stack(
        [
            recovery,
            utility,
            pat.on_topic,
            rng.integers(3, size=n),  # template
            material,
            rng.integers(1 << 30, size=n),  # process, adjective, device or source (modulo)
            rng.integers(len(topic["targets"]), size=n),
            rng.integers(len(voc["generic"]["parts"]), size=(n, 4)),
            first_step,
            (first_step + 1 + rng.integers(n_steps - 1, size=n)) % n_steps,
            rng.integers(len(topic["steps"]), size=n),
            rng.integers(len(voc["generic"]["effects"]), size=n),
        ]
    ).astype(np.int64)

    # main IPC: one of the material's codes, or a recovery code
    codes = [c for m in materials for c in m["ipc"]]
    offsets = np.cumsum([0] + [len(m["ipc"]) for m in materials])
    widths = np.diff(offsets)
    pick = offsets[material] + (rng.random(n) * widths[material]).astype(np.int64)
    ipc = np.array(codes, dtype=object)[pick]
    recovery_codes = np.array(topic["recovery_ipc"], dtype=object)
    ipc[recovery] = recovery_codes[rng.integers(len(recovery_codes), size=int(recovery.sum()))]

    terms = [m["term"] for m in materials]
    titles: list[pd.Series] = []
    abstracts: list[pd.Series] = []
    for lo in range(0, len(rows), _CHUNK):
        chunk = draws[rows[lo : lo + _CHUNK]].tolist()
        pairs = [_title_and_abstract(d, terms, voc) for d in chunk]
        titles.append(_text([t for t, _ in pairs]))
        abstracts.append(_text([a for _, a in pairs]))
    return {
        "标题": pd.concat(titles, ignore_index=True),
        "摘要": pd.concat(abstracts, ignore_index=True),
        "IPC主分类": _text(ipc[rows]),
    }


def _title_and_abstract(d: list[int], terms: list[str], voc: Mapping[str, Any]) -> tuple[str, str]:
    """One patent's title and abstract from its row of draws (see :func:`_texts`)."""
    recovery, utility, on_topic, template, material, word, target = d[:7]
    parts, (first, second, topic_step, effect) = d[7:11], d[11:]
    topic, gen = voc["topic"], voc["generic"]
    term = terms[material]
    if recovery:
        source = topic["sources"][word % len(topic["sources"])]
        title = f"一种从{source}中回收{topic['targets'][target]}的方法"
    elif utility:
        device = gen["devices"][word % len(gen["devices"])]
        title = f"一种用于{term}生产的{device}" if template == 0 else f"一种{term}{device}"
    elif template == 0:
        title = f"一种{term}的{gen['processes'][word % len(gen['processes'])]}"
    elif template == 1:
        title = f"{term}及其{gen['processes'][word % len(gen['processes'])]}"
    else:
        title = f"一种{gen['adjectives'][word % len(gen['adjectives'])]}{term}"
    subject = title.removeprefix("一种")
    if utility:
        p0, p1, p2, p3 = (gen["parts"][i] for i in parts)
        body = f"本实用新型公开了一种{subject}，包括{p0}、{p1}和{p2}，所述{p0}的一侧设有{p3}。"
    else:
        steps = f"{gen['steps'][first]}；{gen['steps'][second]}"
        if on_topic:
            steps = f"{topic['steps'][topic_step]}；{steps}"
        body = f"本发明公开了一种{subject}，包括以下步骤：{steps}。"
    return title, body + gen["effects"][effect]


# --------------------------------------------------------------------------------------------
# numbers and dates


def _rank_within(
    group: IntArray, *keys: NDArray[Any], rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Each row's rank within its group (ordered by ``keys``, ties at random) and group size."""
    n = len(group)
    order = np.lexsort((rng.random(n), *reversed(keys), group))
    g = group[order]
    first = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[first, n])
    rank = np.empty(n, dtype=np.int64)
    size = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - np.repeat(first, sizes)
    size[order] = np.repeat(sizes, sizes)
    return rank, size


def _check_digits(number: IntArray, width: int) -> list[str]:
    """CNIPA check digit: digits weighted 2..9, 2..5 from the left, sum mod 11 (10 is X)."""
    weights = np.array([2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5][:width])
    digits = number[:, None] // 10 ** np.arange(width - 1, -1, -1)[None, :] % 10
    rest = (digits * weights[None, :]).sum(axis=1) % 11
    return ["X" if r == 10 else str(r) for r in rest.tolist()]


def _application_numbers(pat: _Patents, rng: np.random.Generator) -> list[str]:
    """CN + year + type (1 invention, 2 utility model) + serial + check; 8 digits before 10/2003."""
    utility = pat.kind == KINDS.index("实用新型")
    kind_digit = np.where(utility, 2, 1)
    old = pat.date < np.datetime64("2003-10-01")
    group = (pat.year * 10 + kind_digit) * 2 + old
    rank, size = _rank_within(group, pat.date, rng=rng)
    capacity = np.where(old, 89_000, 8_000_000)
    stride = np.clip(capacity // size, 1, 200)
    serial = (
        np.where(old, 10_000, 1_000_000)
        + rank * stride
        + (rng.random(len(rank)) * stride).astype(np.int64)
    )
    long_number = pat.year * 10**8 + kind_digit * 10**7 + serial
    short_number = (pat.year % 100) * 10**6 + kind_digit * 10**5 + serial
    long_check = _check_digits(long_number, 12)
    short_check = _check_digits(short_number, 8)
    return [
        f"CN{s:08d}.{sc}" if o else f"CN{ln:012d}.{lc}"
        for o, ln, lc, s, sc in zip(
            old.tolist(),
            long_number.tolist(),
            long_check,
            short_number.tolist(),
            short_check,
            strict=True,
        )
    ]


def _publications(
    pat: _Patents, rng: np.random.Generator
) -> tuple[IntArray, NDArray[np.datetime64]]:
    """Publication serial (9 digits, 1... inventions, 2... utility models) and date.

    Inventions are published about 18 months after filing (kind A) and granted years later (kind B,
    same number); utility models are granted within about a year (kind U). Numbers increase with
    the publication date, as CNIPA's do.
    """
    n = len(pat.year)
    days = np.timedelta64(1, "D")
    a_date = pat.date + np.clip(rng.normal(548, 60, n), 180, 900).astype(np.int64) * days
    b_date = pat.date + rng.integers(700, 1800, n) * days
    u_date = pat.date + rng.integers(120, 420, n) * days
    date = np.select([pat.kind == 0, pat.kind == 1], [a_date, b_date], u_date)
    invention = pat.kind != KINDS.index("实用新型")
    family = np.where(invention, 1, 2).astype(np.int64)
    rank, size = _rank_within(family, np.where(invention, a_date, u_date), rng=rng)
    stride = np.maximum(1, 11_000_000 // size)
    serial = (
        family * 100_000_000 + 1_000_000 + rank * stride + (rng.random(n) * stride).astype(np.int64)
    )
    return serial.astype(np.int64), date


def _row_order(
    serial: IntArray, pub_date: NDArray[np.datetime64], rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Patent index of each output row, and each row's 序号.

    Newest publication first; :data:`P_DUPLICATE` extra rows repeat a patent at a random place,
    a share :data:`P_EXACT_DUPLICATE` of them with the original's 序号, the others with their own.
    """
    n = len(serial)
    order = np.lexsort((-serial, -pub_date.astype(np.int64)))
    n_dup = round(P_DUPLICATE * n)
    source = rng.choice(n, size=n_dup, replace=False)  # positions in ``order``
    exact = rng.random(n_dup) < P_EXACT_DUPLICATE
    place = np.argsort(np.r_[np.arange(n), rng.random(n_dup) * n], kind="stable")
    is_original = place < n
    position = np.empty(n, dtype=np.int64)  # output row of each original
    position[place[is_original]] = np.flatnonzero(is_original)
    serial_no = np.arange(1, len(place) + 1, dtype=np.int64)
    dup_rows = np.flatnonzero(~is_original)
    dup = place[dup_rows] - n
    serial_no[dup_rows[exact[dup]]] = position[source[dup[exact[dup]]]] + 1
    rows = order[np.r_[np.arange(n), source][place]]
    return rows.astype(np.int64), serial_no


def _bad_dates(year: IntArray, rng: np.random.Generator) -> list[str]:
    invalid = ("02-30", "02-31", "04-31", "06-31", "09-31", "11-31")
    pick = rng.integers(len(invalid), size=len(year))
    unknown = rng.random(len(year)) < 0.3
    return [
        "未知" if u else f"{y}-{invalid[p]}"
        for y, p, u in zip(year.tolist(), pick.tolist(), unknown.tolist(), strict=True)
    ]


# --------------------------------------------------------------------------------------------
# public API


def generate(n_patents: int = DEFAULT_PATENTS, *, seed: int = 0) -> pd.DataFrame:
    """A synthetic incoPat export: one row per patent, with the noise the loader must remove.

    Parameters
    ----------
    n_patents
        Distinct patents (publication numbers), 1 to :data:`MAX_PATENTS`. The table has about
        :data:`P_DUPLICATE` more rows: repeated patents the loader merges.
    seed
        Seed of :func:`numpy.random.default_rng`; the same ``n_patents`` and ``seed`` give the same
        table.

    Returns
    -------
    pandas.DataFrame
        The :data:`COLUMNS`: ``序号`` (int64) and text. ``frame.attrs["copatent.sample"]`` holds the
        generator version, seed and patent count, which :func:`write` records in the file.

    Examples
    --------
    >>> frame = generate(200, seed=1)
    >>> list(frame.columns) == list(COLUMNS), frame["公开（公告）号"].nunique()
    (True, 200)
    """
    if not 1 <= n_patents <= MAX_PATENTS:
        raise ValueError(f"n_patents must be between 1 and {MAX_PATENTS:,}, got {n_patents}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    geo, voc = _geography(), _vocabulary()
    streams = np.random.default_rng(seed).spawn(8)
    pool = _build_pool(geo, voc, n_patents, streams[0])
    pat = _draw_patents(n_patents, streams[1])
    ids, entities = _draw_applicants(pat, geo, pool, voc, streams[2])
    app_no = np.array(_application_numbers(pat, streams[5]), dtype=object)
    serial, pub_date = _publications(pat, streams[6])
    noise = streams[7]
    app_date = np.datetime_as_string(pat.date, unit="D").astype(object)
    bad = noise.choice(n_patents, size=round(P_BAD_DATE * n_patents), replace=False)
    app_date[bad] = _bad_dates(pat.year[bad], noise)

    # the rows: newest publication first, as exports come; duplicate rows at random places
    rows, serial_no = _row_order(serial, pub_date, noise)
    # the strings are built in row order, so that no column is copied to reorder it
    columns: dict[str, pd.Series] = {
        "序号": pd.Series(serial_no),
        **_texts(pat, voc.data, rows, streams[4]),
        "申请号": _text(app_no[rows]),
        "申请日": _text(app_date[rows]),
        "公开（公告）号": _text(
            [
                f"CN{s:09d}{_KIND_LETTERS[k]}"
                for s, k in zip(serial[rows].tolist(), pat.kind[rows].tolist(), strict=True)
            ]
        ),
        "公开（公告）日": _text(np.datetime_as_string(pub_date[rows], unit="D")),
        "专利类型": _text(np.array(KINDS, dtype=object)[pat.kind[rows]]),
        **_applicant_cells(ids, entities, pat.year, rows, streams[3]),
    }
    frame = pd.DataFrame({column: columns.pop(column) for column in COLUMNS}, copy=False)
    frame.attrs[_ATTRS_KEY] = {
        "generator": f"copatent {__version__}",
        "seed": seed,
        "patents": n_patents,
    }
    return frame


def check_output(out: Path, *, encoding: str = "utf-8") -> str:
    """Check where :func:`write` would write: returns ``"xlsx"`` or ``"csv"``.

    Raises
    ------
    copatent._errors.InputError
        For another suffix, an unknown CSV encoding, an encoding given for .xlsx, or a folder
        that does not exist.
    copatent._errors.OutputError
        For a folder where no file can be written (permission, read-only file system, ...).
    """
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        got = f"'{out.suffix}'" if out.suffix else "no suffix"
        raise InputError(f"{out}: the sample is written as .xlsx or .csv, not {got}")
    enc = _encoding(encoding)
    if suffix == ".csv" and enc not in CSV_ENCODINGS:
        raise InputError(
            f"{out}: unknown CSV encoding {encoding!r} (use {', '.join(CSV_ENCODINGS)})"
        )
    if suffix == ".xlsx" and enc != "utf-8":
        raise InputError(f"{out}: an .xlsx workbook has no text encoding; --encoding is for .csv")
    if not out.parent.is_dir():
        raise InputError(f"{out}: folder {out.parent} does not exist")
    files.writable_file(out)
    return suffix[1:]


def readme_path(out: Path) -> Path:
    """Where :func:`write` puts a CSV's statement: ``sample.csv`` -> ``sample.README.txt``."""
    return out.with_name(f"{out.stem}.README.txt")


def write(
    frame: pd.DataFrame,
    out: Path,
    *,
    encoding: str = "utf-8",
    staging: files.Staging | None = None,
) -> Path:
    """Write a generated frame to ``out`` (.xlsx or .csv), stating that it is synthetic.

    A workbook carries the statement in its title, subject and description properties and on a
    second sheet ``说明``. A CSV has no metadata: ``<name>.README.txt`` beside it (UTF-8) holds
    the statement, seed and generator version. CSV content has no timestamps, so the same frame
    gives the same bytes. The files are written whole, as one set (:mod:`copatent.files`), cells
    that a spreadsheet could run as formulas escaped (the generator makes none).

    Parameters
    ----------
    frame
        A table from :func:`generate`.
    out
        Target file; the suffix picks the format.
    encoding
        CSV text encoding: ``utf-8`` (default), ``gbk`` (the GBK-encoded variant older exports
        come in) or ``gb18030``.
    staging
        The set of files (:func:`copatent.files.staged` on ``out``'s folder) to add these to;
        by default a set of their own, in place when this returns.

    Returns
    -------
    pathlib.Path
        ``out``.
    """
    kind = check_output(out, encoding=encoding)
    if staging is None:
        with files.staged(out.parent) as own:
            write(frame, out, encoding=encoding, staging=own)
        return out
    if staging.folder != out.parent:
        raise ValueError(f"{out}: the staging is for {staging.folder}, not {out.parent}")
    meta = frame.attrs.get(_ATTRS_KEY, {})
    lines = _statement(frame, meta)
    if kind == "xlsx":
        _write_xlsx(frame, out, lines, staging)
        return out
    enc = _encoding(encoding)
    try:
        staging.write_csv(out.name, frame, encoding=enc)
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{out}: a cell cannot be encoded as {enc}: {exc.object[exc.start : exc.end]!r}"
        ) from exc
    shape = f"{len(frame):,} rows x {len(frame.columns)} columns"
    details = [f"File: {out.name} ({enc}, comma-separated, header row, {shape})"]
    text = "\n".join([lines[0], "", *details, *lines[1:]]) + "\n"
    staging.write_text(readme_path(out).name, text)
    return out


def _encoding(encoding: str) -> str:
    enc = encoding.strip().lower().replace("_", "-")
    return "utf-8" if enc == "utf8" else enc


def _statement(frame: pd.DataFrame, meta: Mapping[str, Any]) -> list[str]:
    seed = meta.get("seed")
    patents = meta.get("patents")
    generator = meta.get("generator", f"copatent {__version__}")
    lines = [
        notice(seed if isinstance(seed, int) else None),
        (
            "合成样例数据：专利、申请人名称、地址和号码均由程序生成，并非真实专利；"
            "城市和区县是真实的行政区划。"
        ),
        (
            f"Generator: {generator}, "
            f"copatent.sample.generator.generate(n_patents={patents}, seed={seed})."
        ),
        f"Rows: {len(frame):,}, incoPat export headers; ';' separates applicants, the first leads.",
        (
            "Organisation names combine real place names with industry words and legal"
            " suffixes: any match with a real organisation is a coincidence."
        ),
        (
            "Noise included on purpose for the loader's filters: off-topic patents, natural"
            " persons, foreign applicants, single-applicant patents, missing addresses, old city"
            " names (莱芜市, 襄樊市), unparseable application dates and duplicate rows."
        ),
    ]
    if isinstance(patents, int) and isinstance(seed, int):
        lines.append(f"Regenerate: copatent sample --patents {patents} --seed {seed} --out FILE")
    return lines


def _write_xlsx(frame: pd.DataFrame, out: Path, lines: list[str], staging: files.Staging) -> None:
    if len(frame) > XLSX_MAX_ROWS:
        raise InputError(
            f"{out}: {len(frame):,} rows do not fit an .xlsx sheet ({XLSX_MAX_ROWS:,}); write .csv"
        )
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("专利")
    sheet.append(files.xlsx_row(sheet, list(frame.columns)))
    for row in frame.itertuples(index=False, name=None):
        sheet.append(files.xlsx_row(sheet, row))
    about = book.create_sheet("说明")
    for line in lines:
        about.append(files.xlsx_row(about, [line]))
    props = book.properties
    props.title = props.subject = props.description = lines[0]
    props.creator = f"copatent {__version__}"
    props.keywords = "synthetic; sample data; incoPat format; copatent"
    workbook = io.BytesIO()  # saved in memory first: openpyxl leaves a failed save half-closed
    book.save(workbook)
    with staging.binary(out.name) as handle:
        handle.write(workbook.getbuffer())
