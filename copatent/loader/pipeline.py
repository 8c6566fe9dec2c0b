"""From raw export rows to the clean tables the graph is written from, with a funnel.

The inclusion rules are DESIGN.md item 1. Every step is counted:

rows read → dates parsed (unparseable rows quarantined) → duplicates merged → topic kept →
natural-person patents dropped → foreign dropped → single-applicant dropped → applicants geocoded →
patents loaded.

``drop_policy="patent"`` (the default, as the study did) drops a patent that has a natural person
or a foreign applicant; ``"applicant"`` drops only those applicants and keeps the patent if two or
more remain. Positions are renumbered among the kept applicants, so position 0 is always the
leader of what is loaded.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import pandas as pd

from copatent._errors import InputError
from copatent.loader import applicants as appl
from copatent.loader import geocode, regions

DropPolicy = Literal["patent", "applicant"]


@dataclass(frozen=True)
class Step:
    """One line of the funnel: what is left after the step, and what the step removed."""

    step: str
    count: int
    removed: int = 0
    note: str = ""


@dataclass(frozen=True)
class Prepared:
    """The clean tables, ready to write, and the record of how they were made."""

    patents: pd.DataFrame  # pub_no, app_no, title, app_date, year, kind
    applicants: pd.DataFrame  # name, kind, city_adcode, province_adcode, method
    applied: pd.DataFrame  # name, pub_no, position
    cities: pd.DataFrame  # adcode, name, province_adcode, lat, lon (only those used)
    provinces: pd.DataFrame  # adcode, name (only those used)
    funnel: tuple[Step, ...]
    quarantine: pd.DataFrame  # source_file, source_row, column, value, reason
    unresolved: pd.DataFrame  # name, reason
    options: dict[str, object] = field(default_factory=dict)

    def report(self) -> dict[str, object]:
        """The load report (``--report FILE.json``): funnel, quarantine, unresolved applicants."""
        return {
            "funnel": [vars(s) for s in self.funnel],
            "options": self.options,
            "quarantined_rows": self.quarantine.to_dict(orient="records"),
            "unresolved_applicants": self.unresolved.to_dict(orient="records"),
        }


# --------------------------------------------------------------------------------------------
# topic keywords


@functools.cache
def default_keywords() -> tuple[str, ...]:
    """The default topic list (rare earths), from ``loader/data/topic_rare_earth.txt``."""
    text = resources.files("copatent.loader.data").joinpath("topic_rare_earth.txt")
    return _parse_keywords(text.read_text("utf-8"))


def read_keywords(path: Path) -> tuple[str, ...]:
    """A user keyword file: one keyword a line, ``#`` comments, UTF-8."""
    try:
        keywords = _parse_keywords(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the keyword file ({exc})") from None
    if not keywords:
        raise InputError(f"{path}: the keyword file lists no keyword")
    return keywords


def _parse_keywords(text: str) -> tuple[str, ...]:
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(dict.fromkeys(line for line in lines if line))


def on_topic(frame: pd.DataFrame, keywords: Sequence[str]) -> pd.Series:
    """True where the title or abstract contains a keyword (case-insensitive)."""
    pattern = "|".join(re.escape(k) for k in keywords)
    text = frame["title"].fillna("") + "\n" + frame["abstract"].fillna("")
    return text.str.contains(pattern, case=False, regex=True)


# --------------------------------------------------------------------------------------------
# dates

_DATE_FORMATS = ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y%m%d")


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse application dates (2015-03-02, 2015.03.02, 2015/3/2, 20150302); NaT where invalid."""
    text = values.fillna("").astype(str).str.strip().str.slice(0, 10)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    return parsed


# --------------------------------------------------------------------------------------------
# the pipeline


def prepare(
    raw: pd.DataFrame,
    *,
    keywords: Sequence[str] | None = None,
    drop_policy: DropPolicy = "patent",
    separator: str = appl.DEFAULT_SEPARATOR,
) -> Prepared:
    """Clean, filter and geocode raw export rows (see the module docstring).

    Parameters
    ----------
    raw
        Rows from :func:`copatent.loader.sources.read_exports`.
    keywords
        Topic keywords; ``None`` skips the topic filter.
    drop_policy
        ``"patent"`` or ``"applicant"``.
    separator
        Regex separating applicants (and aligned per-applicant cells).
    """
    funnel: list[Step] = [Step("rows read", len(raw))]
    frame = raw.copy()

    # dates: unparseable rows are quarantined with their row number
    frame["parsed_date"] = parse_dates(frame["app_date"])
    bad = frame["parsed_date"].isna()
    quarantine = pd.DataFrame(
        {
            "source_file": frame.loc[bad, "source_file"],
            "source_row": frame.loc[bad, "source_row"],
            "column": "app_date",
            "value": frame.loc[bad, "app_date"],
            "reason": "unparseable application date",
        }
    )
    frame = frame[~bad]
    funnel.append(Step("dates parsed", len(frame), int(bad.sum()), "rows quarantined"))

    # duplicates: the first row of each publication number wins
    before = len(frame)
    frame = frame.drop_duplicates("pub_no", keep="first")
    funnel.append(Step("duplicates merged", len(frame), before - len(frame)))

    if keywords is not None:
        keep = on_topic(frame, keywords)
        funnel.append(Step("topic kept", int(keep.sum()), int((~keep).sum()), "off-topic"))
        frame = frame[keep]
    else:
        funnel.append(Step("topic kept", len(frame), 0, "topic filter off"))

    rows = _explode_applicants(frame, separator)
    unit = "patents" if drop_policy == "patent" else "applicants"
    for kind, label in (("person", "natural-person"), ("foreign", "foreign")):
        offending = rows["kind"] == kind
        if drop_policy == "patent":
            removed = rows.loc[offending, "pub_no"].nunique()
            rows = rows[~rows["pub_no"].isin(rows.loc[offending, "pub_no"])]
        else:
            removed = int(offending.sum())
            rows = rows[~offending]
        funnel.append(Step(f"{label} {unit} dropped", rows["pub_no"].nunique(), removed))

    sizes = rows.groupby("pub_no")["name"].transform("size")
    single = rows.loc[sizes < 2, "pub_no"].nunique()
    rows = rows[sizes >= 2].copy()
    funnel.append(Step("single-applicant dropped", rows["pub_no"].nunique(), single))
    rows["position"] = rows.groupby("pub_no").cumcount()

    located = geocode.geocode(rows[["name", "address", "province_text", "city_text"]])
    applicants = (
        rows.drop_duplicates("name")[["name", "kind"]]
        .merge(located, on="name", how="left", validate="one_to_one")
        .reset_index(drop=True)
    )
    resolved = applicants["province_adcode"].notna()
    with_city = applicants["city_adcode"].notna()
    funnel.append(
        Step(
            "applicants geocoded",
            int(with_city.sum()),
            int((~resolved).sum()),
            f"of {len(applicants)} applicants; {int((resolved & ~with_city).sum())} to a "
            "province only; the unresolved are listed and still loaded",
        )
    )

    kept = frame[frame["pub_no"].isin(rows["pub_no"])]
    patents = pd.DataFrame(
        {
            "pub_no": kept["pub_no"].to_numpy(),
            "app_no": kept["app_no"].to_numpy(),
            "title": kept["title"].to_numpy(),
            "app_date": kept["parsed_date"].dt.strftime("%Y-%m-%d").to_numpy(),
            "year": kept["parsed_date"].dt.year.astype(int).to_numpy(),
            "kind": kept["kind"].to_numpy(),
        }
    )
    funnel.append(Step("patents loaded", len(patents)))

    city_codes = set(applicants["city_adcode"].dropna())
    province_codes = set(applicants["province_adcode"].dropna())
    cities = regions.cities()
    cities = cities[cities["adcode"].isin(city_codes)]
    province_codes |= set(cities["province_adcode"])
    provinces = regions.provinces()
    provinces = provinces[provinces["adcode"].isin(province_codes)]

    return Prepared(
        patents=_nullable(patents),
        applicants=_nullable(applicants.drop(columns="reason")),
        applied=rows[["name", "pub_no", "position"]].reset_index(drop=True),
        cities=_nullable(cities[["adcode", "name", "province_adcode", "lon", "lat"]]),
        provinces=_nullable(provinces[["adcode", "name"]]),
        funnel=tuple(funnel),
        quarantine=quarantine.reset_index(drop=True),
        unresolved=applicants.loc[~resolved, ["name", "reason"]].reset_index(drop=True),
        options={
            "topic": "off" if keywords is None else f"{len(keywords)} keywords",
            "drop_policy": drop_policy,
        },
    )


def _explode_applicants(frame: pd.DataFrame, separator: str) -> pd.DataFrame:
    """One row per (patent, applicant) in order, with the aligned per-applicant cells."""
    aligned = (
        "applicant_countries",
        "applicant_types",
        "applicant_addresses",
        "applicant_provinces",
        "applicant_cities",
    )
    cells = {
        c: frame[c].fillna("").astype(str).tolist() for c in ("pub_no", "applicants", *aligned)
    }
    records: list[tuple[str, ...]] = []
    for i, pub_no in enumerate(cells["pub_no"]):
        names = appl.split_applicants(cells["applicants"][i], separator)
        parts = [appl.split_aligned(cells[c][i], len(names), separator) for c in aligned]
        records.extend(
            (pub_no, name, *(values[j] for values in parts)) for j, name in enumerate(names)
        )
    rows = pd.DataFrame(
        records,
        columns=["pub_no", "name", "country", "type", "address", "province_text", "city_text"],
    )
    rows["kind"] = appl.classify_many(
        rows["name"].tolist(), rows["country"].tolist(), rows["type"].tolist()
    )
    return rows


def _nullable(frame: pd.DataFrame) -> pd.DataFrame:
    """NaN and empty text -> None: a missing value is an absent property, never ``""``."""
    frame = frame.reset_index(drop=True).astype(object)
    return frame.where(frame.notna() & (frame != ""), None)
