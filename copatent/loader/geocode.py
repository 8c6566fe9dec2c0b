"""Where an applicant is: its prefecture city and province (6-digit adcodes).

Three sources, in order of trust (the ``method`` column says which one decided):

1. ``columns``: the export's own region columns (incoPat 中国申请人地市 / 申请人省市代码).
2. ``address``: the applicant's address (申请人地址), parsed with ``cpca-new``.
3. ``name``: a place name inside the applicant's name (北京科技大学 → 北京市), also with
   ``cpca-new``. The weakest: 吉林大学 is in 长春, not 吉林市. Used only when 1 and 2 give nothing.

An applicant seen in several patents is placed once: the city named most often by its
observations of the strongest source (ties: the first seen). Old names are mapped to today's units
first (:data:`copatent.loader.regions.ALIASES`). An applicant placed in a province but no city
(e.g. an address that names only the province) keeps the province. Applicants with no location at
all are returned with a reason, never dropped.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable
from typing import Final

import pandas as pd

from copatent.loader import regions

METHODS: Final = ("columns", "address", "name")
OBSERVATION_COLUMNS: Final = ("name", "address", "province_text", "city_text")
RESULT_COLUMNS: Final = ("name", "city_adcode", "province_adcode", "method", "reason")


def geocode(observations: pd.DataFrame) -> pd.DataFrame:
    """Place every applicant in ``observations``.

    Parameters
    ----------
    observations
        One row per (applicant, patent) with columns ``name``, ``address``, ``province_text``,
        ``city_text`` (empty strings where the export has nothing).

    Returns
    -------
    pandas.DataFrame
        One row per distinct name: ``name``, ``city_adcode`` and ``province_adcode`` (None when
        unknown), ``method`` (columns / address / name / None) and ``reason`` (why it is
        unresolved, else None).
    """
    # distinct observations with their counts, in order of first appearance: an applicant that
    # recurs in thousands of patents is looked at once per distinct address
    obs = (
        observations.loc[:, list(OBSERVATION_COLUMNS)]
        .fillna("")
        .groupby(list(OBSERVATION_COLUMNS), sort=False, dropna=False)
        .size()
        .reset_index(name="weight")
    )
    names = pd.unique(obs["name"])
    weight = obs["weight"].to_numpy()
    candidates = []
    from_columns = _from_columns(obs["province_text"], obs["city_text"])
    candidates.append(
        from_columns.assign(name=obs["name"].to_numpy(), method="columns", weight=weight)
    )
    from_address = _parse_places(obs["address"])
    candidates.append(
        from_address.assign(name=obs["name"].to_numpy(), method="address", weight=weight)
    )
    found = pd.concat(candidates, ignore_index=True)
    found = found[found["province_adcode"].notna()]
    placed = _consolidate(found)
    missing = [n for n in names if n not in placed.index]
    if missing:
        by_name = _parse_places(pd.Series(missing, dtype=object)).assign(
            name=missing, method="name", weight=1
        )
        placed = pd.concat([placed, _consolidate(by_name[by_name["province_adcode"].notna()])])
    result = pd.DataFrame({"name": names}).merge(
        placed.reset_index(), on="name", how="left", validate="one_to_one"
    )
    result["reason"] = None
    unresolved = result["province_adcode"].isna()
    result.loc[unresolved, "reason"] = (
        "no region columns, no parsable address and no place name in the applicant's name"
    )
    result = result.astype(object).where(result.notna(), None)
    return result.loc[:, list(RESULT_COLUMNS)]


def _consolidate(found: pd.DataFrame) -> pd.DataFrame:
    """Per name: the strongest method's most frequent city (ties: first seen), else province."""
    if found.empty:
        return pd.DataFrame(
            columns=["city_adcode", "province_adcode", "method"], index=pd.Index([], name="name")
        )
    found = found.assign(
        rank=found["method"].map({m: i for i, m in enumerate(METHODS)}),
        order=range(len(found)),
        has_city=found["city_adcode"].notna(),
    )
    best_rank = found.groupby("name")["rank"].transform("min")
    found = found[found["rank"] == best_rank]
    # cities first (any city beats a bare province), then frequency, then first appearance
    counts = found.groupby(["name", "city_adcode", "province_adcode"], dropna=False).agg(
        n=("weight", "sum"),
        first=("order", "min"),
        has_city=("has_city", "first"),
        method=("method", "first"),
    )
    counts = counts.reset_index().sort_values(
        ["name", "has_city", "n", "first"], ascending=[True, False, False, True]
    )
    best = counts.drop_duplicates("name").set_index("name")
    return best.loc[:, ["city_adcode", "province_adcode", "method"]]


def _from_columns(province_text: pd.Series, city_text: pd.Series) -> pd.DataFrame:
    """Resolve the export's province/city name columns against the region tables."""
    city_key = city_text.astype(object).map(_alias).map(_strip_brackets)
    province_key = province_text.astype(object).map(_strip_brackets)
    city_code = city_key.map(_city_by_name())
    province_code = province_key.map(_province_by_name())
    # a municipality named in either column is its own city
    municipal = province_code.where(province_code.isin(regions.MUNICIPALITIES))
    city_code = city_code.fillna(municipal)
    # a known city decides the province, also when the province column names another one: the
    # graph places an applicant in its city and the city in its province, and both engines must
    # count the same province
    province_code = city_code.map(_province_of).fillna(province_code)
    return pd.DataFrame(
        {"city_adcode": city_code.to_numpy(), "province_adcode": province_code.to_numpy()}
    )


def _parse_places(texts: pd.Series) -> pd.DataFrame:
    """Parse addresses (or names) with cpca-new; unique texts only, aliases applied first."""
    keys = texts.astype(object).fillna("").map(_replace_aliases)  # object: arrow has no null map
    unique = [t for t in pd.unique(keys) if t]
    codes = dict(zip(unique, _cpca_adcodes(unique), strict=True))
    adcode = keys.map(codes)
    city = adcode.map(lambda a: regions.city_of(a) if isinstance(a, str) else None)
    province = adcode.map(lambda a: a[:2] + "0000" if isinstance(a, str) else None)
    province = province.where(province.isin(set(regions.provinces()["adcode"])))
    return pd.DataFrame({"city_adcode": city.to_numpy(), "province_adcode": province.to_numpy()})


def _cpca_adcodes(texts: list[str]) -> list[str | None]:
    if not texts:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # cpca-new's open_binary
        import cpca_new  # noqa: PLC0415 - 0.3 s of table building, only when addresses are parsed

        frame = cpca_new.transform(texts)
    return [a[:6] if isinstance(a, str) and len(a) >= 6 else None for a in frame["adcode"]]


def _alias(text: str) -> str:
    return regions.ALIASES.get(text.strip(), text.strip())


def _replace_aliases(text: str) -> str:
    for old, new in _alias_pairs():
        if old in text:
            text = text.replace(old, new)
    return text


@functools.cache
def _alias_pairs() -> tuple[tuple[str, str], ...]:
    # longest first, so that 莱芜市 is replaced before 莱芜
    return tuple(sorted(regions.ALIASES.items(), key=lambda kv: -len(kv[0])))


def _strip_brackets(text: str) -> str:
    """'北京(11)' / '北京（11）' -> '北京' (some exports append the code)."""
    for bracket in ("(", "（"):
        if bracket in text:
            text = text.split(bracket, 1)[0]
    return text.strip()


@functools.cache
def _city_by_name() -> dict[str, str]:
    cities = regions.cities()
    mapping: dict[str, str] = {}
    for adcode, name in zip(cities["adcode"], cities["name"], strict=True):
        for key in _name_variants(name):
            mapping.setdefault(key, adcode)
    return mapping


@functools.cache
def _province_by_name() -> dict[str, str]:
    provinces = regions.provinces()
    mapping: dict[str, str] = {}
    for adcode, name, short in zip(
        provinces["adcode"], provinces["name"], provinces["short"], strict=True
    ):
        mapping[name] = adcode
        mapping[short] = adcode
    return mapping


def _name_variants(name: str) -> Iterable[str]:
    yield name
    for suffix in ("市", "地区", "盟", "自治州"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            yield name[: -len(suffix)]


def _province_of(city: object) -> str | None:
    return city[:2] + "0000" if isinstance(city, str) else None


def match_regions(keys: pd.Series, scale: str) -> pd.Series:
    """The adcode of each region named in ``keys`` at ``scale`` (``province`` or ``city``).

    A key is a 6-digit adcode of that scale, or a name as the region tables spell it, with or
    without its suffix (北京市 / 北京, 内蒙古自治区 / 内蒙古, 包头市 / 包头), an old name
    (:data:`copatent.loader.regions.ALIASES`), or a name followed by a bracketed code. A
    municipality is both a province and a city. Keys that match nothing give ``None``.

    >>> match_regions(pd.Series(["北京", "150000", "内蒙古自治区", "火星"]), "province").tolist()
    ['110000', '150000', '150000', None]
    >>> match_regions(pd.Series(["包头", "襄樊市", "上海市", "150200"]), "city").tolist()
    ['150200', '420600', '310000', '150200']
    """
    if scale not in ("province", "city"):
        raise ValueError(f"scale must be province or city, got {scale!r}")
    table = regions.provinces() if scale == "province" else regions.cities()
    codes = set(table["adcode"])
    by_name = _province_by_name() if scale == "province" else _city_by_name()

    def one(key: object) -> str | None:
        text = _strip_brackets(str(key)) if isinstance(key, str) else ""
        if text in codes:
            return text
        found = by_name.get(_alias(text)) if text else None
        if found is None and scale == "city":  # a municipality named as a province
            province = _province_by_name().get(text)
            found = province if province in regions.MUNICIPALITIES else None
        return found

    return pd.Series([one(k) for k in keys], index=keys.index, dtype=object)
