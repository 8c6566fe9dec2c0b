"""Where an applicant is: its prefecture city and province (6-digit adcodes), and why.

One order, the first that knows an applicant places it (the ``method`` column), with what decided
it kept as ``evidence`` (:mod:`copatent.places` has the parts):

1. ``places``: the user's table (``--places FILE.csv``), over everything else;
2. ``columns``: the export's own region columns (incoPat 中国申请人地市 / 申请人省市代码);
3. ``address``: the applicant's address (申请人地址), parsed with ``cpca-new``;
4. ``gazetteer``: the institution gazetteer (universities, research institutes, state-owned groups
   and their subsidiaries: 西南交通大学 → 成都市);
5. ``name``: a place name inside the applicant's name (北京科技大学 → 北京市), precision first
   (:mod:`copatent.places.inname`);
6. otherwise unplaced, with the reason and, when two places were possible, the candidates.

An applicant seen in several patents is placed once. For the columns and the address, the city
named most often by its observations of the stronger source wins (ties: the first seen); old names
are mapped to today's units first (:data:`copatent.regions.ALIASES`). An applicant placed in a
province but no city keeps the province. Unplaced applicants are returned with a reason, never
dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import pandas as pd

from copatent import regions
from copatent.places import address, gazetteer, inname
from copatent.places.user import Places

PLACED_BY: Final = ("places", "columns", "address", "gazetteer", "name")
"""How an applicant can be placed, in order of preference (the ``method`` column of the result)."""
OBSERVATION_COLUMNS: Final = ("name", "address", "province_text", "city_text")
RESULT_COLUMNS: Final = (
    "name", "city_adcode", "province_adcode", "method", "evidence", "reason", "candidates",
)  # fmt: skip
NOTHING: Final = "no region columns or address, no gazetteer entry, no place in the name"


def geocode(observations: pd.DataFrame, places: Places | None = None) -> pd.DataFrame:
    """Place every applicant in ``observations``.

    Parameters
    ----------
    observations
        One row per (applicant, patent) with columns ``name``, ``address``, ``province_text``,
        ``city_text`` (empty strings where the export has nothing); or distinct such rows with
        how many times each was observed in a ``weight`` column.
    places
        The user's places table, if any.

    Returns
    -------
    pandas.DataFrame
        One row per distinct name: ``name``, ``city_adcode`` and ``province_adcode`` (None when
        unknown), ``method`` (places / columns / address / gazetteer / name / None),
        ``evidence`` (the table row, region cells, address, gazetteer entry or place words that
        decided), ``reason`` (why it is unplaced, else None) and ``candidates`` (the adcodes it
        could be, when two places were possible, else None).
    """
    # distinct observations with their counts, in order of first appearance: an applicant that
    # recurs in thousands of patents is looked at once per distinct address
    columns = list(OBSERVATION_COLUMNS)
    grouped = observations.fillna(dict.fromkeys(columns, "")).groupby(
        columns, sort=False, dropna=False
    )
    if "weight" in observations.columns:  # observations counted already (a chunked load's)
        obs = grouped["weight"].sum().reset_index()
    else:
        obs = grouped.size().reset_index(name="weight")
    names = pd.unique(obs["name"])
    placed = _from_user(names, places)
    todo = obs[~obs["name"].isin(placed.index)]
    placed = pd.concat([placed, _from_observations(todo)])
    rest = [n for n in names if n not in placed.index]
    looked_up = [from_name(n) for n in rest]
    by_name = pd.DataFrame(
        [p.row(n) for n, p in zip(rest, looked_up, strict=True)],
        columns=[c for c in RESULT_COLUMNS if c != "name"] + ["name"],
    )
    result = pd.DataFrame({"name": names}).merge(
        pd.concat([placed.reset_index(), by_name], ignore_index=True),
        on="name",
        how="left",
        validate="one_to_one",
    )
    result = result.astype(object).where(result.notna(), None)
    return result.loc[:, list(RESULT_COLUMNS)]


@dataclass(frozen=True)
class Placement:
    """One way's answer for one name."""

    city_adcode: str | None = None
    province_adcode: str | None = None
    method: str | None = None
    evidence: str | None = None
    reason: str | None = None
    candidates: tuple[str, ...] = ()

    def row(self, name: str) -> tuple[object, ...]:
        candidates = ";".join(self.candidates) or None
        return (self.city_adcode, self.province_adcode, self.method, self.evidence, self.reason,
                candidates, name)  # fmt: skip


def by_gazetteer(name: str) -> Placement:
    """The gazetteer's placement of a name (no method: it does not know the name)."""
    found = gazetteer.find(name)
    if found is None:
        return Placement(reason="not in the gazetteer")
    if found.entry is None:
        return Placement(
            evidence=found.evidence,
            reason="gazetteer entries in different places",
            candidates=found.candidates,
        )
    entry = found.entry
    return Placement(entry.city_adcode, entry.province_adcode, "gazetteer", found.evidence)


def by_name(name: str) -> Placement:
    """The place names inside a name (no method: none, or two places).

    A name that extends a gazetteer entry is read after the entry's name: 哈尔滨工业大学(威海) is
    in 威海, and the 哈尔滨 of the university's name says nothing of its campus. When the rest
    names no place, the whole name is read.
    """
    extended = gazetteer.extension(name)
    after = f" (after {extended[0]})" if extended else ""
    found = inname.find(extended[1] if extended else name)
    if extended and not found.words:  # nothing in the rest: the whole name (北京大学生…科技)
        after, found = "", inname.find(name)
    if found.placed:
        words = "+".join(found.words)
        return Placement(found.city_adcode, found.province_adcode, "name", words + after)
    if found.candidates:
        return Placement(
            evidence="+".join(found.words),
            reason="its name names more than one place",
            candidates=found.candidates,
        )
    return Placement(reason="no place name in its name")


def from_name(name: str) -> Placement:
    """The gazetteer, then a place in the name; else unplaced with the candidates of either.

    What places a name when the user's table, the region columns and the address do not.
    """
    gazetteer_says = by_gazetteer(name)
    if gazetteer_says.method:
        return gazetteer_says
    name_says = by_name(name)
    if name_says.method:
        return name_says
    for doubt in (gazetteer_says, name_says):
        if doubt.candidates:
            return Placement(
                evidence=doubt.evidence, reason=doubt.reason, candidates=doubt.candidates
            )
    return Placement(reason=NOTHING)


def _from_user(names: Iterable[str], places: Places | None) -> pd.DataFrame:
    """The names the user's table places."""
    rows = []
    if places is not None:
        for name in names:
            found = places.find(name)
            if found is not None:
                rows.append((name, found.city_adcode, found.province_adcode, "places",
                             found.evidence))  # fmt: skip
    frame = pd.DataFrame(
        rows, columns=["name", "city_adcode", "province_adcode", "method", "evidence"]
    )
    return frame.set_index("name")


def _from_observations(obs: pd.DataFrame) -> pd.DataFrame:
    """The export's region columns, else its addresses."""
    weight = obs["weight"].to_numpy()
    names = obs["name"].to_numpy()
    from_columns = _from_columns(obs["province_text"], obs["city_text"]).assign(
        name=names,
        method="columns",
        weight=weight,
        evidence=(obs["province_text"] + " " + obs["city_text"]).str.strip().to_numpy(),
    )
    from_address = address.parse(obs["address"]).assign(
        name=names, method="address", weight=weight, evidence=obs["address"].to_numpy()
    )
    found = pd.concat([from_columns, from_address], ignore_index=True)
    return _consolidate(found[found["province_adcode"].notna()])


def _consolidate(found: pd.DataFrame) -> pd.DataFrame:
    """Per name: the strongest method's most frequent city (ties: first seen), else province."""
    columns = ["city_adcode", "province_adcode", "method", "evidence"]
    if found.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="name"))
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
        evidence=("evidence", "first"),
    )
    counts = counts.reset_index().sort_values(
        ["name", "has_city", "n", "first"], ascending=[True, False, False, True]
    )
    best = counts.drop_duplicates("name").set_index("name")
    return best.loc[:, columns]


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
