"""Where an applicant is: its prefecture city and province (6-digit adcodes).

Three sources, in order of trust (the ``method`` column says which one decided):

1. ``columns``: the export's own region columns (incoPat 中国申请人地市 / 申请人省市代码).
2. ``address``: the applicant's address (申请人地址), parsed with ``cpca-new``.
3. ``name``: a place name inside the applicant's name (北京科技大学 → 北京市), also with
   ``cpca-new``. The weakest: 吉林大学 is in 长春, not 吉林市. Used only when 1 and 2 give nothing.

An applicant seen in several patents is placed once: the city named most often by its
observations of the strongest source (ties: the first seen). Old names are mapped to today's units
first (:data:`copatent.regions.ALIASES`). An applicant placed in a province but no city
(e.g. an address that names only the province) keeps the province. Applicants with no location at
all are returned with a reason, never dropped.
"""

from __future__ import annotations

import warnings
from typing import Final

import pandas as pd

from copatent import regions

PLACED_BY: Final = ("columns", "address", "name")
"""How an applicant can be placed, in order of preference (the ``method`` column of the result)."""
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
        rank=found["method"].map({m: i for i, m in enumerate(PLACED_BY)}),
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
    city_key = city_text.astype(object).map(regions.alias).map(regions.strip_brackets)
    province_key = province_text.astype(object).map(regions.strip_brackets)
    city_code = city_key.map(regions.city_by_name())
    province_code = province_key.map(regions.province_by_name())
    # a municipality named in either column is its own city
    municipal = province_code.where(province_code.isin(regions.MUNICIPALITIES))
    city_code = city_code.fillna(municipal)
    # a known city decides the province, also when the province column names another one: the
    # graph places an applicant in its city and the city in its province, and both engines must
    # count the same province
    province_code = city_code.map(regions.province_of).fillna(province_code)
    return pd.DataFrame(
        {"city_adcode": city_code.to_numpy(), "province_adcode": province_code.to_numpy()}
    )


def _parse_places(texts: pd.Series) -> pd.DataFrame:
    """Parse addresses (or names) with cpca-new; unique texts only, aliases applied first."""
    # object: arrow has no null map
    keys = texts.astype(object).fillna("").map(regions.replace_aliases)
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
