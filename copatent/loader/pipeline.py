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
from typing import Final, Literal

import pandas as pd

from copatent import regions
from copatent._errors import InputError
from copatent.loader import applicants as appl
from copatent.loader import geocode, readers
from copatent.loader import sources as src
from copatent.places.user import Places, Thesaurus, merge_groups

DropPolicy = Literal["patent", "applicant"]

MERGE_COLUMNS: Final = (
    "name", "variant", "city_adcode", "province_adcode", "method", "evidence", "conflict",
)  # fmt: skip
"""The load report's ``merged_names``: each variant the thesaurus merged, placed alone."""


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
    applicants: pd.DataFrame  # name, kind, city_adcode, province_adcode, method, evidence
    applied: pd.DataFrame  # name, pub_no, position
    cities: pd.DataFrame  # adcode, name, province_adcode, lat, lon (only those used)
    provinces: pd.DataFrame  # adcode, name (only those used)
    funnel: tuple[Step, ...]
    quarantine: pd.DataFrame  # source_file, source_row, column, value, reason
    unresolved: pd.DataFrame  # name, reason, candidates, evidence
    options: dict[str, object] = field(default_factory=dict)
    sources: pd.DataFrame = field(default_factory=lambda: src.table([]))
    # sha256, path, resolved, name, bytes: the input files (empty: provenance not known)
    provenance: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"pub_no": [], "sha256": []}, dtype=object)
    )  # pub_no, sha256: every file that brought each loaded patent, duplicates included
    merges: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MERGE_COLUMNS)))
    # name, variant, city_adcode, province_adcode, method, evidence, conflict: the thesaurus's
    # merges, each variant with the place it would have had alone

    def report(self) -> dict[str, object]:
        """The load report (``--report FILE.json``): funnel, quarantine, places, merges."""
        placed = self.applicants[["name", "province_adcode", "city_adcode", "method", "evidence"]]
        return {
            "funnel": [vars(s) for s in self.funnel],
            "options": self.options,
            "quarantined_rows": self.quarantine.to_dict(orient="records"),
            "unresolved_applicants": self.unresolved.to_dict(orient="records"),
            "applicant_places": placed.to_dict(orient="records"),
            "merged_names": self.merges.to_dict(orient="records"),
        }

    @property
    def conflicting_merges(self) -> pd.DataFrame:
        """The thesaurus's merges of names that alone would be placed apart."""
        return self.merges[self.merges["conflict"].astype(bool)]


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
    hit = pd.Series(data=False, index=frame.index)
    for column in ("title", "abstract"):  # one column at a time: no concatenated copy
        hit |= frame[column].str.contains(pattern, case=False, regex=True).fillna(value=False)
    return hit.astype(bool)


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
    sources: Sequence[src.SourceFile] = (),
    places: Places | None = None,
    thesaurus: Thesaurus | None = None,
) -> Prepared:
    """Clean, filter and geocode raw export rows (see the module docstring).

    Parameters
    ----------
    raw
        Rows from :func:`copatent.loader.readers.read_exports`.
    keywords
        Topic keywords; ``None`` skips the topic filter.
    drop_policy
        ``"patent"`` or ``"applicant"``.
    separator
        Regex separating applicants (and aligned per-applicant cells).
    sources
        The input files (:func:`copatent.loader.sources.identify_all`), one for every
        ``source_file`` of ``raw``: each loaded patent then lists every file with a row of it
        (``Prepared.provenance``). Empty: no provenance is recorded.
    places
        The user's places table (``--places``): it places the names it lists before anything.
    thesaurus
        Names replaced by others (``--thesaurus``), before the applicants are classified and placed.
    """
    funnel, quarantine, frame, provenance = _select(raw, keywords, sources)
    return _prepare_selected(
        frame,
        funnel,
        quarantine,
        provenance,
        sources,
        drop_policy=drop_policy,
        separator=separator,
        keywords=keywords,
        places=places,
        thesaurus=thesaurus,
    )


def prepare_files(
    files: Sequence[Path],
    *,
    columns: readers.ColumnMap | None = None,
    keywords: Sequence[str] | None = None,
    drop_policy: DropPolicy = "patent",
    places: Places | None = None,
    thesaurus: Thesaurus | None = None,
) -> Prepared:
    """Read export files and :func:`prepare` them, holding the raw cells only while selecting.

    The raw table (every column of every row) is dropped as soon as the rows and columns the
    graph needs are selected, which roughly halves the peak memory of a large load. Each file is
    identified by the SHA-256 of its bytes, so the patents record which files brought them.
    """
    raw = readers.read_exports(files, columns=columns)
    sources = src.identify_all(readers.expand_paths(files))  # the paths read_exports names
    funnel, quarantine, frame, provenance = _select(raw, keywords, sources)
    del raw
    separator = readers.applicant_separator(columns)  # the names the readers checked
    return _prepare_selected(
        frame,
        funnel,
        quarantine,
        provenance,
        sources,
        drop_policy=drop_policy,
        separator=separator,
        keywords=keywords,
        places=places,
        thesaurus=thesaurus,
    )


def _select(
    raw: pd.DataFrame, keywords: Sequence[str] | None, sources: Sequence[src.SourceFile]
) -> tuple[list[Step], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Dates, duplicates and topic as masks on the raw rows; one selection of what is needed.

    Also the provenance: (pub_no, sha256) for every dated row, before duplicates are merged,
    so a patent in two files lists both.
    """
    funnel: list[Step] = [Step("rows read", len(raw))]
    # masks first, one selection at the end: the raw table is not copied step by step

    # dates: unparseable rows are quarantined with their row number
    parsed = parse_dates(raw["app_date"])
    bad = parsed.isna()
    quarantine = pd.DataFrame(
        {
            "source_file": raw.loc[bad, "source_file"],
            "source_row": raw.loc[bad, "source_row"],
            "column": "app_date",
            "value": raw.loc[bad, "app_date"],
            "reason": "unparseable application date",
        }
    )
    keep = ~bad
    funnel.append(Step("dates parsed", int(keep.sum()), int(bad.sum()), "rows quarantined"))

    provenance = _provenance(raw.loc[keep.to_numpy(), ["pub_no", "source_file"]], sources)

    # duplicates: the first row of each publication number wins; every file with a row of it
    # brought it (provenance, above)
    duplicate = raw["pub_no"].where(keep).duplicated(keep="first") & keep
    keep &= ~duplicate
    funnel.append(Step("duplicates merged", int(keep.sum()), int(duplicate.sum())))

    if keywords is not None:
        off_topic = keep & ~on_topic(raw, keywords)
        keep &= ~off_topic
        funnel.append(Step("topic kept", int(keep.sum()), int(off_topic.sum()), "off-topic"))
    else:
        funnel.append(Step("topic kept", int(keep.sum()), 0, "topic filter off"))
    needed = ["pub_no", "app_no", "title", "kind", "applicants", *_ALIGNED]
    frame = raw.loc[keep.to_numpy(), needed].assign(parsed_date=parsed[keep])

    return funnel, quarantine, frame, provenance


def _provenance(rows: pd.DataFrame, sources: Sequence[src.SourceFile]) -> pd.DataFrame:
    """(pub_no, sha256) pairs, once each, from rows' pub_no and source_file."""
    if not sources:
        return pd.DataFrame({"pub_no": [], "sha256": []}, dtype=object)
    sha_of = {s.path: s.sha256 for s in sources}
    pairs = rows.drop_duplicates()
    unknown = sorted(set(pairs["source_file"].astype(str)) - sha_of.keys())
    if unknown:
        raise ValueError(f"rows from files not among the sources: {', '.join(unknown)}")
    out = pd.DataFrame(
        {
            "pub_no": pairs["pub_no"].astype(str).to_numpy(dtype=object),
            "sha256": pairs["source_file"].astype(str).map(sha_of).to_numpy(dtype=object),
        }
    )
    return out.drop_duplicates(ignore_index=True)  # the same bytes under two paths


def _prepare_selected(
    frame: pd.DataFrame,
    funnel: list[Step],
    quarantine: pd.DataFrame,
    provenance: pd.DataFrame,
    sources: Sequence[src.SourceFile],
    *,
    drop_policy: DropPolicy,
    separator: str,
    keywords: Sequence[str] | None,
    places: Places | None = None,
    thesaurus: Thesaurus | None = None,
) -> Prepared:
    """Applicants, the person/foreign/single filters, places, and the clean tables."""
    rows = explode(frame, separator, thesaurus)
    if thesaurus is not None:
        before = rows["original"].nunique()
        rows = rows.drop_duplicates(["pub_no", "name"], keep="first")  # a patent's two variants
        funnel.append(
            Step(
                "thesaurus applied",
                rows["name"].nunique(),
                before - rows["name"].nunique(),
                f"names merged by {thesaurus.path.name}",
            )
        )
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

    observed = ["name", "address", "province_text", "city_text"]
    located = geocode.geocode(rows[observed], places)
    merges = _merges(rows, located, places, thesaurus)
    applicants = (
        rows.drop_duplicates("name")[["name", "kind"]]
        .merge(located, on="name", how="left", validate="one_to_one")
        .reset_index(drop=True)
    )
    resolved = applicants["province_adcode"].notna()
    with_city = applicants["city_adcode"].notna()
    methods = applicants["method"].value_counts()
    by = ", ".join(f"{m} {int(methods[m])}" for m in geocode.PLACED_BY if m in methods)
    funnel.append(
        Step(
            "applicants geocoded",
            int(with_city.sum()),
            int((~resolved).sum()),
            f"of {len(applicants)} applicants; {int((resolved & ~with_city).sum())} to a "
            f"province only; placed by {by or 'nothing'}; the unresolved are listed and still "
            "loaded",
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
        applicants=_nullable(applicants.drop(columns=["reason", "candidates"])),
        applied=rows[["name", "pub_no", "position"]].reset_index(drop=True),
        cities=_nullable(cities[["adcode", "name", "province_adcode", "lon", "lat"]]),
        provinces=_nullable(provinces[["adcode", "name"]]),
        funnel=tuple(funnel),
        quarantine=quarantine.reset_index(drop=True),
        unresolved=_nullable(
            applicants.loc[~resolved, ["name", "reason", "candidates", "evidence"]]
        ),
        options={
            "topic": "off" if keywords is None else f"{len(keywords)} keywords",
            "drop_policy": drop_policy,
            "places": places.path.name if places else None,
            "thesaurus": thesaurus.path.name if thesaurus else None,
        },
        sources=src.table(sources),
        provenance=provenance[provenance["pub_no"].isin(patents["pub_no"])]
        .sort_values(["pub_no", "sha256"])
        .reset_index(drop=True),
        merges=merges,
    )


def _merges(
    rows: pd.DataFrame,
    located: pd.DataFrame,
    places: Places | None,
    thesaurus: Thesaurus | None,
) -> pd.DataFrame:
    """Each name the thesaurus merged, with the place it would have had alone.

    A merge is reported as a ``conflict`` when a variant alone would sit elsewhere (another city,
    or another province) than the merged name: a merge never moves an applicant silently.
    """
    if thesaurus is None:
        return pd.DataFrame(columns=list(MERGE_COLUMNS))
    groups = merge_groups(thesaurus, rows["original"])
    variants = [v for members in groups.values() for v in members]
    observed = rows[rows["original"].isin(variants)]
    alone = geocode.geocode(
        observed[["original", "address", "province_text", "city_text"]].rename(
            columns={"original": "name"}
        ),
        places,
    ).set_index("name")
    merged = {
        str(n): [c, p]
        for n, c, p in zip(
            located["name"], located["city_adcode"], located["province_adcode"], strict=True
        )
    }
    records = []
    for name, members in groups.items():
        if name not in merged:
            continue
        where = merged[name]
        for variant in members:
            own = alone.loc[variant]
            place = [own["city_adcode"], own["province_adcode"]]
            conflict = place != where and any(v is not None for v in place)
            records.append((name, variant, *place, own["method"], own["evidence"], bool(conflict)))
    return pd.DataFrame(records, columns=list(MERGE_COLUMNS))


_ALIGNED = (
    "applicant_countries",
    "applicant_types",
    "applicant_addresses",
    "applicant_provinces",
    "applicant_cities",
)
"""Per-applicant cells, aligned with the applicant cell."""

_EXPLODE_CHUNK = 50_000
"""Rows turned into Python strings at a time when splitting applicants (bounds peak memory)."""


def explode(
    frame: pd.DataFrame, separator: str, thesaurus: Thesaurus | None = None
) -> pd.DataFrame:
    """One row per (patent, applicant) in order, with the aligned per-applicant cells.

    With a thesaurus, ``name`` is the name it gives and ``original`` the name in the export.
    """
    aligned = _ALIGNED
    out = ["pub_no", "name", "country", "type", "address", "province_text", "city_text"]
    parts = []
    for start in range(0, len(frame), _EXPLODE_CHUNK):
        chunk = frame.iloc[start : start + _EXPLODE_CHUNK]
        cells = {
            c: chunk[c].fillna("").astype(str).tolist() for c in ("pub_no", "applicants", *aligned)
        }
        records: list[tuple[str, ...]] = []
        for i, pub_no in enumerate(cells["pub_no"]):
            names = appl.split_applicants(cells["applicants"][i], separator)
            values = [appl.split_aligned(cells[c][i], len(names), separator) for c in aligned]
            records.extend(
                (pub_no, name, *(column[j] for column in values)) for j, name in enumerate(names)
            )
        part = pd.DataFrame(records, columns=out).astype(_TEXT)
        if thesaurus is not None:
            part["original"] = part["name"]
            part["name"] = part["name"].map(thesaurus.apply).astype(_TEXT)
        part["kind"] = pd.Categorical(
            appl.classify_many(
                part["name"].tolist(), part["country"].tolist(), part["type"].tolist()
            ),
            categories=appl.KINDS,
        )
        parts.append(part.drop(columns=["country", "type"]))
    if not parts:
        columns = [c for c in out if c not in ("country", "type")]
        empty = pd.DataFrame(columns=columns + ["original"] * (thesaurus is not None), dtype=_TEXT)
        return empty.assign(kind=pd.Categorical([], categories=appl.KINDS))
    return pd.concat(parts, ignore_index=True)


_TEXT = pd.StringDtype("pyarrow")


def _nullable(frame: pd.DataFrame) -> pd.DataFrame:
    """NaN and empty text -> None: a missing value is an absent property, never ``""``."""
    frame = frame.reset_index(drop=True).astype(object)
    return frame.where(frame.notna() & (frame != ""), None)
