"""What the ``places`` commands show: places, the unplaced, one name's placing, name variants.

Each applicant's place and evidence; the unplaced ranked by the collaborations they carry; how one
name is placed, way by way; and candidate name merges.

The tables come from the loader's clean tables (:class:`~copatent.loader.pipeline.Prepared`) or
from the graph; both give one row per applicant with ``name``, ``province_adcode``,
``city_adcode``, ``method``, ``evidence`` and ``collaborations``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final

import pandas as pd

from copatent import regions
from copatent.loader import geocode
from copatent.loader.applicants import split_parts
from copatent.loader.pipeline import Prepared
from copatent.places.keys import incorporated, name_key, normalise_name
from copatent.places.user import Places, Thesaurus

LIST_COLUMNS: Final = ("name", "province_adcode", "city_adcode", "method", "evidence")
"""The keys of ``copatent places list --json``."""
UNPLACED_COLUMNS: Final = ("name", "collaborations", "patents", "reason", "candidates", "evidence")
VARIANT_COLUMNS: Final = ("name", "variant", "rule", "name_place", "variant_place", "apart")
_SHORTEST: Final = 4


def collaborations(applied: pd.DataFrame) -> pd.DataFrame:
    """Per applicant: the collaborations it carries, and its patents.

    A leader carries ``k - 1`` collaborations in a patent of ``k`` applicants, every other
    applicant 1 (the first applicant → each other applicant).

    >>> applied = pd.DataFrame({"name": ["a", "b", "c", "a", "c"],
    ...                         "pub_no": ["p1", "p1", "p1", "p2", "p2"],
    ...                         "position": [0, 1, 2, 1, 0]})
    >>> collaborations(applied).to_dict(orient="index")["a"]
    {'collaborations': 3, 'patents': 2}
    """
    size = applied.groupby("pub_no")["name"].transform("size")
    carried = (size - 1).where(applied["position"] == 0, 1)
    frame = pd.DataFrame({"name": applied["name"], "carried": carried})
    out = frame.groupby("name").agg(collaborations=("carried", "sum"), patents=("carried", "size"))
    return out.astype(int)


def from_prepared(prepared: Prepared) -> pd.DataFrame:
    """Every applicant of a load with its place, evidence, reason and collaborations."""
    applicants = prepared.applicants.merge(
        prepared.unresolved[["name", "reason", "candidates"]], on="name", how="left"
    )
    counts = collaborations(prepared.applied)
    frame = applicants.join(counts, on="name")
    return frame.astype(object).where(frame.notna(), None)


def coverage(prepared: Prepared) -> dict[str, tuple[int, int]]:
    """Per regional scale: the collaborations with both ends placed at it, and all of them.

    A collaboration is a (first applicant → other applicant) pair of a loaded patent; it counts
    at the province scale when both ends have a province, at the city scale when both have a city.
    """
    from copatent.analytics.collab import collaborations as pairs  # noqa: PLC0415

    found = pairs(prepared.applied, prepared.patents, prepared.applicants)
    total = len(found)
    return {
        scale: (
            int((found[f"leader_{c}"].notna() & found[f"participant_{c}"].notna()).sum()),
            total,
        )
        for scale, c in (("province", "province_adcode"), ("city", "city_adcode"))
    }


def unplaced(places: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """The unplaced applicants, most collaborations first (ties: name)."""
    rows = places[places["province_adcode"].isna()]
    rows = rows.sort_values(["collaborations", "name"], ascending=[False, True], kind="stable")
    if top is not None:
        rows = rows.head(top)
    return rows.reindex(columns=list(UNPLACED_COLUMNS)).reset_index(drop=True)


def region_name(city: object, province: object) -> str:
    """'成都市 (四川省)', '四川省', or '' for an applicant without a place."""
    names, provinces = _names()
    if isinstance(city, str) and city:
        province_name = provinces.get(city[:2] + "0000", "")
        city_name = names.get(city, city)
        return city_name if city_name == province_name else f"{city_name} ({province_name})"
    if isinstance(province, str) and province:
        return provinces.get(province, province)
    return ""


@functools.cache
def _names() -> tuple[dict[str, str], dict[str, str]]:
    """City and province names by adcode."""
    return tuple(  # type: ignore[return-value]
        {str(a): str(n) for a, n in zip(t["adcode"], t["name"], strict=True)}
        for t in (regions.cities(), regions.provinces())
    )


# --------------------------------------------------------------------------------------------
# explain


@dataclass(frozen=True)
class Step:
    """One way of placing, as it went for one name."""

    method: str
    outcome: str  # "placed", "no answer", "two places", "not asked", "skipped"
    place: str
    evidence: str


def explain(
    name: str,
    *,
    places: Places | None = None,
    thesaurus: Thesaurus | None = None,
    observations: pd.DataFrame | None = None,
) -> tuple[str, list[Step], geocode.Placement]:
    """How ``name`` is placed: the name as the loader keys it, each way in order, the decision.

    ``observations``: the name's rows in the exports (``address``, ``province_text``,
    ``city_text``), if the exports were read; without them, the columns and the address are
    ``not asked``.
    """
    key = normalise_name(name)
    if thesaurus is not None:
        key = thesaurus.apply(key)
    steps: list[Step] = []
    user = places.find(key) if places is not None else None
    if places is None:
        steps.append(Step("places", "not asked", "", "no --places table"))
    elif user is None:
        steps.append(Step("places", "no answer", "", f"not in {places.path.name}"))
    else:
        where = region_name(user.city_adcode, user.province_adcode)
        steps.append(Step("places", "placed", where, user.evidence))
    steps += _from_exports(key, observations)
    for method, placement in (
        ("gazetteer", geocode.by_gazetteer(key)),
        ("name", geocode.by_name(key)),
    ):
        if placement.method:
            where = region_name(placement.city_adcode, placement.province_adcode)
            steps.append(Step(method, "placed", where, placement.evidence or ""))
        elif placement.candidates:
            where = " / ".join(region_name(c, c) for c in placement.candidates)
            steps.append(Step(method, "two places", where, placement.evidence or ""))
        else:
            steps.append(Step(method, "no answer", "", placement.reason or ""))
    rows = pd.DataFrame(
        {
            "name": [key] * max(1, len(observations) if observations is not None else 1),
            "address": _column(observations, "address"),
            "province_text": _column(observations, "province_text"),
            "city_text": _column(observations, "city_text"),
        }
    )
    decided = geocode.geocode(rows, places).iloc[0]
    decision = geocode.Placement(
        decided["city_adcode"],
        decided["province_adcode"],
        decided["method"],
        decided["evidence"],
        decided["reason"],
        tuple(str(decided["candidates"] or "").split(";")) if decided["candidates"] else (),
    )
    return key, steps, decision


def _column(observations: pd.DataFrame | None, column: str) -> list[str]:
    if observations is None or observations.empty:
        return [""]
    return observations[column].fillna("").astype(str).tolist()


def _from_exports(name: str, observations: pd.DataFrame | None) -> list[Step]:
    if observations is None:
        return [
            Step(m, "not asked", "", "no --input: the exports were not read")
            for m in ("columns", "address")
        ]
    steps = []
    for method, columns in (("columns", ["province_text", "city_text"]), ("address", ["address"])):
        rows = observations[columns].fillna("").astype(str)
        texts = rows.agg(" ".join, axis=1).str.strip()
        seen = [t for t in pd.unique(texts) if t]
        if not seen:
            steps.append(Step(method, "no answer", "", f"{len(rows)} rows, none with a value"))
            continue
        frame = pd.DataFrame({"name": name, "address": "", "province_text": "", "city_text": ""},
                             index=range(len(rows)))  # fmt: skip
        for column in columns:
            frame[column] = rows[column].to_numpy()
        placed = geocode.geocode(frame).iloc[0]
        where = region_name(placed["city_adcode"], placed["province_adcode"])
        outcome = "placed" if placed["method"] == method else "no answer"
        steps.append(
            Step(method, outcome, where if outcome == "placed" else "", "; ".join(seen[:3]))
        )
    return steps


# --------------------------------------------------------------------------------------------
# variants


def variants(places: pd.DataFrame, raw_cells: pd.Series | None = None) -> pd.DataFrame:
    """Candidate merges among the applicants' names, never applied.

    Rules: ``same key`` (equal once brackets, widths, punctuation and company forms are ignored:
    中煤第三建设(集团)有限责任公司 / 中煤第三建设有限责任公司); ``extends`` (one name is the
    other with a leading 中国, or a unit or branch of it: …研究所, …天津分公司; a subsidiary
    company, 中铁十一局集团第五工程有限公司, is an applicant of its own and not suggested);
    ``width`` (export texts in full and half width that the loader already keys as one name,
    from ``raw_cells``). ``apart``: the two would be
    placed in different places, so merging them moves one.
    """
    names = places["name"].astype(str).tolist()
    where = {
        str(n): region_name(c, p)
        for n, c, p in zip(names, places["city_adcode"], places["province_adcode"], strict=True)
    }
    weight = dict(
        zip(names, places.get("collaborations", pd.Series([0] * len(names))), strict=True)
    )
    keys: dict[str, list[str]] = {}
    for name in names:
        keys.setdefault(name_key(name), []).append(name)
    pairs: list[tuple[str, str, str]] = []
    for group in keys.values():
        ordered = sorted(group, key=lambda n: (-(weight.get(n) or 0), len(n), n))
        pairs += [(ordered[0], other, "same key") for other in ordered[1:]]
    for key, group in keys.items():
        for other in _extended_by(key, keys):
            for shorter in keys[other]:
                pairs += [
                    (shorter, longer, "extends")
                    for longer in group
                    if key == "中国" + other or _part_of(longer)
                ]
    if raw_cells is not None:
        pairs += _width_pairs(raw_cells, set(names))
    rows = [
        (a, b, rule, where.get(a, ""), where.get(b, ""), _apart(where.get(a), where.get(b)))
        for a, b, rule in pairs
    ]
    frame = pd.DataFrame(rows, columns=list(VARIANT_COLUMNS))
    return frame.drop_duplicates(["name", "variant"]).reset_index(drop=True)


def _extended_by(key: str, keys: dict[str, list[str]]) -> list[str]:
    """The other keys that ``key`` begins or ends with (at least four characters)."""
    found = []
    for end in range(_SHORTEST, len(key)):
        if key[:end] in keys:
            found.append(key[:end])
        if key[len(key) - end :] in keys:
            found.append(key[len(key) - end :])
    return list(dict.fromkeys(found))


def _width_pairs(raw_cells: pd.Series, names: set[str]) -> list[tuple[str, str, str]]:
    texts: dict[str, set[str]] = {}
    for cell in pd.unique(raw_cells.dropna().astype(str)):
        for text, name in split_parts(cell):
            if name in names and text != name:
                texts.setdefault(name, set()).add(text)
    return [(name, text, "width") for name, seen in texts.items() for text in sorted(seen)]


def _apart(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and a != b


def _part_of(name: str) -> bool:
    """Whether a longer name is a unit or branch of the shorter one, not a company of its own.

    >>> _part_of("某某研究院集团有限公司铁道建筑研究所"), _part_of("某某集团有限公司天津分公司")
    (True, True)
    >>> _part_of("中铁十一局集团第五工程有限公司")
    False
    """
    return not incorporated(name) or name.endswith("分公司")
