"""From raw export rows to the clean tables the graph is written from, with a funnel.

The inclusion rules are DESIGN.md item 1. Every step is counted:

rows read → dates parsed (unparseable rows quarantined) → duplicates merged → topic kept →
natural-person patents dropped → foreign dropped → single-applicant dropped → applicants geocoded →
patents loaded.

``drop_policy="patent"`` (the default, as the study did) drops a patent that has a natural person
or a foreign applicant; ``"applicant"`` drops only those applicants and keeps the patent if two or
more remain. Positions are renumbered among the kept applicants, so position 0 is always the
leader of what is loaded.

The rows go through in chunks (:func:`prepare_files`, ``copatent load --chunk-rows``), with the
result of one pass over the whole table: what must cross chunks (the publication numbers seen,
the counts, the distinct applicants to geocode once at the end, the quarantine) is kept, and
the kept patents go to a spool on disk (:mod:`copatent.loader.spool`) that the writers stream.
The memory holds one chunk, the distinct applicants and 11 bytes a publication number.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from copatent import config, regions
from copatent._errors import InputError
from copatent.loader import applicants as appl
from copatent.loader import geocode, readers
from copatent.loader import sources as src
from copatent.loader import spool as spool_
from copatent.loader.options import DEFAULT_CHUNK_ROWS
from copatent.loader.spool import Spool
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
    """The clean tables, ready to write, and the record of how they were made.

    The patents, their APPLIED rows and their provenance are kept in a :class:`Spool` (on disk
    for :func:`prepare_files`), which the writers stream: :attr:`patents`, :attr:`applied` and
    :attr:`provenance` build the whole tables from it, for the consumers of small data (the
    memory engine, the places commands, tests); the load path never calls them.
    """

    applicants: pd.DataFrame  # name, kind, city_adcode, province_adcode, method, evidence
    cities: pd.DataFrame  # adcode, name, province_adcode, lat, lon (only those used)
    provinces: pd.DataFrame  # adcode, name (only those used)
    funnel: tuple[Step, ...]
    quarantine: pd.DataFrame  # source_file, source_row, column, value, reason
    unresolved: pd.DataFrame  # name, reason, candidates, evidence
    spool: Spool = field(default_factory=Spool, repr=False)
    options: dict[str, object] = field(default_factory=dict)
    sources: pd.DataFrame = field(default_factory=lambda: src.table([]))
    # sha256, path, resolved, name, bytes: the input files (empty: provenance not known)
    merges: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MERGE_COLUMNS)))
    # name, variant, city_adcode, province_adcode, method, evidence, conflict: the thesaurus's
    # merges, each variant with the place it would have had alone

    @property
    def patent_count(self) -> int:
        """The number of patents loaded (without building :attr:`patents`)."""
        return self.spool.count

    @property
    def patents(self) -> pd.DataFrame:
        """pub_no, app_no, title, app_date, year, kind: the patents, in the export's order."""
        return _patents_of(self._spooled())

    @property
    def applied(self) -> pd.DataFrame:
        """name, pub_no, position: each patent's applicants, position 0 its leader."""
        return _applied_of(self._spooled())

    @property
    def provenance(self) -> pd.DataFrame:
        """pub_no, sha256: every file that brought each loaded patent, duplicates included."""
        return (
            _provenance_of(self._spooled(), self.spool.extra)
            .sort_values(["pub_no", "sha256"])
            .reset_index(drop=True)
        )

    def patent_tables(self) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
        """(patents, applied, provenance) chunk by chunk, as the ``--bulk`` writer streams them."""
        for table in self.spool.tables():
            yield _patents_of(table), _applied_of(table), _provenance_of(table, self.spool.extra)

    def close(self) -> None:
        """Remove the spool's files (the patents are gone afterwards)."""
        self.spool.close()

    def _spooled(self) -> pa.Table:
        tables = list(self.spool.tables())
        if not tables:
            return spool_.SCHEMA.empty_table()
        return pa.concat_tables(tables).sort_by("order")

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


def _patents_of(table: pa.Table) -> pd.DataFrame:
    """A spooled table's patents (pub_no, app_no, title, app_date, year, kind)."""
    columns = list(spool_.PATENT_COLUMNS)
    if not table.num_rows:
        return pd.DataFrame(columns=columns, dtype=object)
    return _nullable(table.select(columns).to_pandas())


def _applied_of(table: pa.Table) -> pd.DataFrame:
    """A spooled table's APPLIED rows (name, pub_no, position), patent by patent."""
    names = table.column("names").combine_chunks()
    lengths = pc.list_value_length(names).to_numpy(zero_copy_only=False).astype(np.int64)
    ends = np.cumsum(lengths)
    positions = np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - lengths, lengths)
    pub_nos = table.column("pub_no").take(pc.list_parent_indices(names))
    return pd.DataFrame(
        {
            "name": pc.list_flatten(names).to_numpy(zero_copy_only=False).astype(object),
            "pub_no": pub_nos.to_numpy(zero_copy_only=False).astype(object),
            "position": positions.astype(np.int64),
        }
    ).astype({"name": _TEXT, "pub_no": _TEXT})


def _provenance_of(table: pa.Table, extra: Mapping[str, list[str]]) -> pd.DataFrame:
    """(pub_no, sha256) of a spooled table's patents, with the files of later chunks."""
    sources = table.column("sources").combine_chunks()
    pub_nos = table.column("pub_no").take(pc.list_parent_indices(sources))
    pairs = pd.DataFrame(
        {
            "pub_no": pub_nos.to_numpy(zero_copy_only=False).astype(object),
            "sha256": pc.list_flatten(sources).to_numpy(zero_copy_only=False).astype(object),
        }
    )
    if extra:
        mine = [(p, sha) for p in table.column("pub_no").to_pylist() for sha in extra.get(p, ())]
        pairs = pd.concat([pairs, pd.DataFrame(mine, columns=["pub_no", "sha256"], dtype=object)])
    return pairs.drop_duplicates(ignore_index=True)


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
    raw: pd.DataFrame | Iterable[pd.DataFrame],
    *,
    keywords: Sequence[str] | None = None,
    drop_policy: DropPolicy = "patent",
    separator: str = appl.DEFAULT_SEPARATOR,
    sources: Sequence[src.SourceFile] = (),
    places: Places | None = None,
    thesaurus: Thesaurus | None = None,
    spool: Spool | None = None,
) -> Prepared:
    """Clean, filter and geocode raw export rows (see the module docstring).

    Parameters
    ----------
    raw
        Rows from :func:`copatent.loader.readers.read_exports`, or those rows in chunks
        (:func:`copatent.loader.readers.iter_exports`): the result is the same.
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
    spool
        Where the kept patents go (default: memory).
    """
    chunks = [raw] if isinstance(raw, pd.DataFrame) else raw
    funnel = _Funnel(
        keywords=keywords,
        drop_policy=drop_policy,
        separator=separator,
        sources=sources,
        thesaurus=thesaurus,
        spool=spool if spool is not None else Spool(),
    )
    for chunk in chunks:
        funnel.add(chunk)
    return funnel.finish(places)


def prepare_files(
    files: Sequence[Path],
    *,
    columns: readers.ColumnMap | None = None,
    keywords: Sequence[str] | None = None,
    drop_policy: DropPolicy = "patent",
    places: Places | None = None,
    thesaurus: Thesaurus | None = None,
    chunk_rows: int | None = DEFAULT_CHUNK_ROWS,
    spool_dir: Path | None = None,
) -> Prepared:
    """Read export files and :func:`prepare` them, ``chunk_rows`` rows at a time.

    The files stream through the funnel in chunks (:func:`copatent.loader.readers.iter_exports`)
    and the patents kept go to a spool of Parquet files in a temporary folder under
    ``spool_dir`` (default ``COPATENT_HOME/tmp``, else the system's), so the memory holds one
    chunk, the distinct applicants and a few bytes per publication number, not the export
    (:class:`_Funnel`). ``chunk_rows=None`` reads each file in one chunk. Each file is identified
    by the SHA-256 of its bytes, so the patents record which files brought them.

    A CSV that shows only after some of its chunks that it must be read otherwise (another
    encoding, the pandas reader) is read again from the start, whole
    (:class:`copatent.loader.readers.RereadError`).
    """
    sources = src.identify_all(readers.expand_paths(files))  # the paths iter_exports names
    separator = readers.applicant_separator(columns)  # the names the readers checked
    whole: set[Path] = set()
    while True:
        spool = Spool(_spool_folder(spool_dir))
        try:
            return prepare(
                readers.iter_exports(files, columns=columns, chunk_rows=chunk_rows, whole=whole),
                keywords=keywords,
                drop_policy=drop_policy,
                separator=separator,
                sources=sources,
                places=places,
                thesaurus=thesaurus,
                spool=spool,
            )
        except readers.RereadError as exc:
            spool.close()
            whole.add(exc.path)
        except BaseException:
            spool.close()
            raise


def _spool_folder(folder: Path | None) -> Path:
    """``folder``, else ``COPATENT_HOME/tmp`` if it can be made, else the system's temporary."""
    if folder is not None:
        return folder
    home = config.copatent_home() / "tmp"
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path(tempfile.gettempdir())
    return home


class _Seen:
    """The publication numbers seen in earlier chunks, for "duplicates merged" across chunks.

    Each is kept as a 64-bit hash (pandas' ``hash_pandas_object``; a missing number hashes like
    every other missing one, as pandas' ``duplicated`` treats them) in a sorted array, with the
    index of the file its first row came from (2 bytes) and whether its patent was loaded
    (1 byte): 11 bytes a patent, 110 MB for 10 million. Two numbers share a hash with a
    probability of about n²/2⁶⁵ (3·10⁻⁶ for 10 million): the later one would be taken for a
    duplicate.
    """

    def __init__(self) -> None:
        self.keys = np.empty(0, dtype=np.uint64)
        self.source = np.empty(0, dtype=np.uint16)
        self.loaded = np.empty(0, dtype=bool)

    def find(
        self, keys: npt.NDArray[np.uint64]
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
        """Whether each key was seen, and where (valid where seen)."""
        at = np.searchsorted(self.keys, keys)
        found = at < len(self.keys)
        found[found] = self.keys[at[found]] == keys[found]
        return found, at

    def add(
        self,
        keys: npt.NDArray[np.uint64],
        source: npt.NDArray[np.uint16],
        loaded: npt.NDArray[np.bool_],
    ) -> None:
        """Keys not seen before (distinct), with their first file and whether they loaded."""
        order = np.argsort(keys, kind="stable")
        keys, source, loaded = keys[order], source[order], loaded[order]
        at = np.searchsorted(self.keys, keys)
        self.keys = np.insert(self.keys, at, keys)
        self.source = np.insert(self.source, at, source)
        self.loaded = np.insert(self.loaded, at, loaded)


def _hash(values: pd.Series) -> npt.NDArray[np.uint64]:
    return np.asarray(pd.util.hash_pandas_object(values, index=False).to_numpy(), dtype=np.uint64)


class _Funnel:
    """The funnel run chunk by chunk (:meth:`add`), with what crosses chunks; :meth:`finish`.

    Each chunk goes through dates, duplicates, topic, applicants, the person / foreign / single
    filters and positions as a whole table would, because after duplicates are merged each
    patent is in one chunk only (its first row's). What crosses chunks:

    - the publication numbers seen (:class:`_Seen`): a row of one seen in an earlier chunk is a
      duplicate, and its file is kept for the provenance (in :attr:`Spool.extra` if the patent
      loaded) unless it is the file of the first row;
    - each step's count and removed, summed;
    - the distinct applicants' observations (name, address, region cells) with their counts,
      and each name's first kind, for geocoding them once after the last chunk; with a
      thesaurus, the distinct names before and after it (hashes) and the observations of the
      names it merges (for ``merges``);
    - the quarantined rows;
    - the kept patents, with their applicants and files, in the spool.

    So the result is the one of a whole-table pass (a test compares them on chunks of odd sizes).
    """

    def __init__(
        self,
        *,
        keywords: Sequence[str] | None,
        drop_policy: DropPolicy,
        separator: str,
        sources: Sequence[src.SourceFile],
        thesaurus: Thesaurus | None,
        spool: Spool,
    ) -> None:
        self.keywords = keywords
        self.drop_policy = drop_policy
        self.separator = separator
        self.sources = sources
        self.thesaurus = thesaurus
        self.spool = spool
        self.sha = [s.sha256 for s in sources]
        self.file_index = {s.path: i for i, s in enumerate(sources)}
        self.seen = _Seen()
        self.rows = 0
        self.quarantine: list[pd.DataFrame] = []
        self.late: list[pd.DataFrame] = []  # pub_no, key, file: rows of patents seen before
        self.observations = pd.DataFrame(columns=[*geocode.OBSERVATION_COLUMNS, "weight"])
        self.kinds = pd.DataFrame({"name": pd.Series([], dtype=_TEXT), "kind": _KIND_EMPTY})
        self.originals = np.empty(0, dtype=np.uint64)  # with a thesaurus: names before it
        self.names = np.empty(0, dtype=np.uint64)  # and after it
        self.merged: dict[str, None] = {}  # names of the export the thesaurus merges, in order
        self.variants = pd.DataFrame(columns=[*geocode.OBSERVATION_COLUMNS, "weight"])
        unit = "patents" if drop_policy == "patent" else "applicants"
        topic = "off-topic" if keywords is not None else "topic filter off"
        steps = [
            ("rows read", ""),
            ("dates parsed", "rows quarantined"),
            ("duplicates merged", ""),
            ("topic kept", topic),
            *([("thesaurus applied", "")] if thesaurus is not None else []),
            (f"natural-person {unit} dropped", ""),
            (f"foreign {unit} dropped", ""),
            ("single-applicant dropped", ""),
        ]
        self.notes = dict(steps)
        self.counts = {step: (0, 0) for step, _ in steps}  # count, removed

    def _count(self, step: str, count: int, removed: int = 0) -> None:
        before, gone = self.counts[step]
        self.counts[step] = (before + int(count), gone + int(removed))

    def add(self, raw: pd.DataFrame) -> None:
        """Run one chunk of raw rows through the funnel."""
        raw = raw.reset_index(drop=True)
        self.rows += len(raw)
        self._count("rows read", len(raw))

        # dates: unparseable rows are quarantined with their row number
        parsed = parse_dates(raw["app_date"])
        bad = parsed.isna()
        if bad.any():
            self.quarantine.append(
                pd.DataFrame(
                    {
                        "source_file": raw.loc[bad, "source_file"],
                        "source_row": raw.loc[bad, "source_row"],
                        "column": "app_date",
                        "value": raw.loc[bad, "app_date"],
                        "reason": "unparseable application date",
                    }
                )
            )
        dated = ~bad.to_numpy()
        keep = dated.copy()
        self._count("dates parsed", keep.sum(), bad.sum())

        # duplicates: the first dated row of each publication number wins, across chunks too;
        # every file with a dated row of it brought it
        keys = _hash(raw["pub_no"])
        earlier, at = self.seen.find(keys)
        earlier &= keep
        files = self._file_indexes(raw["source_file"])
        repeated = np.zeros(len(raw), dtype=bool)
        repeated[keep] = pd.Series(keys[keep]).duplicated(keep="first").to_numpy()
        first = keep & ~earlier & ~repeated  # the rows that bring a patent
        if len(self.sha) and earlier.any():
            late = earlier.copy()
            late[earlier] = files[earlier] != self.seen.source[at[earlier]]
            if late.any():
                self.late.append(
                    pd.DataFrame(
                        {"pub_no": raw.loc[late, "pub_no"], "key": keys[late], "file": files[late]}
                    )
                )
        duplicate = earlier | repeated
        keep &= ~duplicate
        self._count("duplicates merged", keep.sum(), duplicate.sum())

        if self.keywords is not None:
            off_topic = keep & ~on_topic(raw, self.keywords).to_numpy()
            keep &= ~off_topic
            self._count("topic kept", keep.sum(), off_topic.sum())
        else:
            self._count("topic kept", keep.sum())
        needed = ["pub_no", "app_no", "title", "kind", "applicants", *_ALIGNED]
        frame = raw.loc[keep, needed].assign(parsed_date=parsed[keep])

        rows = self._applicants(frame)
        kept = frame[_isin(frame["pub_no"], rows["pub_no"])]
        self._spool(kept, rows, raw, dated & ~earlier, files)
        loaded = np.zeros(len(raw), dtype=bool)
        loaded[kept.index.to_numpy()] = True  # frame keeps raw's index
        self.seen.add(keys[first], files[first], loaded[first])

    def _file_indexes(self, paths: pd.Series) -> npt.NDArray[np.uint16]:
        if not len(self.sha):
            return np.zeros(len(paths), dtype=np.uint16)
        codes, names = pd.factorize(paths.astype(str), use_na_sentinel=False)  # few files
        unknown = sorted(set(names) - self.file_index.keys())
        if unknown:
            raise ValueError(f"rows from files not among the sources: {', '.join(unknown)}")
        return np.array([self.file_index[n] for n in names], dtype=np.uint16)[codes]

    def _applicants(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Applicants, the person / foreign / single filters and positions, for one chunk."""
        thesaurus = self.thesaurus
        rows = explode(frame, self.separator, thesaurus)
        if thesaurus is not None:
            self.originals = np.union1d(self.originals, _hash(rows["original"]))
            rows = rows.drop_duplicates(["pub_no", "name"], keep="first")  # a patent's two variants
            self.names = np.union1d(self.names, _hash(rows["name"]))
        unit = "patents" if self.drop_policy == "patent" else "applicants"
        for kind, label in (("person", "natural-person"), ("foreign", "foreign")):
            offending = rows["kind"] == kind
            if self.drop_policy == "patent":
                removed = rows.loc[offending, "pub_no"].nunique()
                rows = rows[~_isin(rows["pub_no"], rows.loc[offending, "pub_no"])]
            else:
                removed = int(offending.sum())
                rows = rows[~offending]
            self._count(f"{label} {unit} dropped", rows["pub_no"].nunique(), removed)

        sizes = rows.groupby("pub_no")["name"].transform("size")
        single = rows.loc[sizes < 2, "pub_no"].nunique()
        rows = rows[sizes >= 2].copy()
        self._count("single-applicant dropped", rows["pub_no"].nunique(), single)
        rows["position"] = rows.groupby("pub_no").cumcount()

        self.observations = _observed(self.observations, rows)
        self.kinds = pd.concat([self.kinds, rows[["name", "kind"]]]).drop_duplicates("name")
        if thesaurus is not None:
            names = pd.unique(rows["original"])
            merged = [
                str(n)
                for n in names
                if thesaurus.apply(str(n)) != n or n in thesaurus.replace.values()
            ]
            self.merged.update(dict.fromkeys(merged))
            variants = rows[rows["original"].isin(merged)]
            self.variants = _observed(
                self.variants, variants.drop(columns=["name"]).rename(columns={"original": "name"})
            )
        return rows

    def _spool(
        self,
        kept: pd.DataFrame,
        rows: pd.DataFrame,
        raw: pd.DataFrame,
        bringing: npt.NDArray[np.bool_],
        files: npt.NDArray[np.uint16],
    ) -> None:
        """The chunk's kept patents, with applicants in order and files, into the spool."""
        if kept.empty:
            return
        patents = _nullable(
            pd.DataFrame(
                {
                    "pub_no": kept["pub_no"].to_numpy(),
                    "app_no": kept["app_no"].to_numpy(),
                    "title": kept["title"].to_numpy(),
                    "app_date": kept["parsed_date"].dt.strftime("%Y-%m-%d").to_numpy(),
                    "year": kept["parsed_date"].dt.year.astype(int).to_numpy(),
                    "kind": kept["kind"].to_numpy(),
                }
            )
        )
        patents["order"] = self.rows - len(raw) + kept.index.to_numpy()
        table = pa.Table.from_pandas(patents, preserve_index=False)
        # each patent's rows are together in ``rows``, in position order, in ``kept``'s order
        codes, _ = pd.factorize(rows["pub_no"], sort=False)
        starts = np.flatnonzero(np.diff(codes, prepend=-1))
        offsets = np.append(starts, len(rows)).astype(np.int32)
        names = pa.ListArray.from_arrays(offsets, _string_array(rows["name"]))
        table = table.append_column("names", names)
        table = table.append_column("sources", self._sources(kept, raw, bringing, files))
        self.spool.add(table)

    def _sources(
        self,
        kept: pd.DataFrame,
        raw: pd.DataFrame,
        bringing: npt.NDArray[np.bool_],
        files: npt.NDArray[np.uint16],
    ) -> pa.ListArray:
        """For each kept patent, the SHA-256 of the files of its rows in this chunk, sorted."""
        if not len(self.sha):
            bringing = np.zeros_like(bringing)  # no provenance: no files
        at = pd.Index(kept["pub_no"]).get_indexer(raw.loc[bringing, "pub_no"])
        pairs = pd.DataFrame({"at": at, "sha256": [self.sha[i] for i in files[bringing]]})
        pairs = pairs[pairs["at"] >= 0].drop_duplicates().sort_values(["at", "sha256"])
        counts = np.bincount(pairs["at"].to_numpy(), minlength=len(kept))
        offsets = np.append(0, np.cumsum(counts)).astype(np.int32)
        return pa.ListArray.from_arrays(offsets, _string_array(pairs["sha256"]))

    def finish(self, places: Places | None) -> Prepared:
        """Geocode the distinct applicants and make the tables (after the last chunk)."""
        if self.thesaurus is not None:
            before, after = len(self.originals), len(self.names)
            self.counts["thesaurus applied"] = (after, before - after)
            self.notes["thesaurus applied"] = f"names merged by {self.thesaurus.path.name}"
        funnel = [Step(step, c, r, self.notes[step]) for step, (c, r) in self.counts.items()]
        self._provenance_of_repeats()

        located = geocode.geocode(self.observations, places)
        merges = _merges(self.merged, self.variants, located, places, self.thesaurus)
        applicants = self.kinds.merge(
            located, on="name", how="left", validate="one_to_one"
        ).reset_index(drop=True)
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
        funnel.append(Step("patents loaded", self.spool.count))

        city_codes = set(applicants["city_adcode"].dropna())
        province_codes = set(applicants["province_adcode"].dropna())
        cities = regions.cities()
        cities = cities[cities["adcode"].isin(city_codes)]
        province_codes |= set(cities["province_adcode"])
        provinces = regions.provinces()
        provinces = provinces[provinces["adcode"].isin(province_codes)]
        quarantine = (
            pd.concat(self.quarantine, ignore_index=True)
            if self.quarantine
            else pd.DataFrame(
                {c: pd.Series([], dtype=object) for c in ("source_file", "source_row", "column",
                                                          "value", "reason")}
            )
        )  # fmt: skip

        return Prepared(
            applicants=_nullable(applicants.drop(columns=["reason", "candidates"])),
            cities=_nullable(cities[["adcode", "name", "province_adcode", "lon", "lat"]]),
            provinces=_nullable(provinces[["adcode", "name"]]),
            funnel=tuple(funnel),
            quarantine=quarantine,
            unresolved=_nullable(
                applicants.loc[~resolved, ["name", "reason", "candidates", "evidence"]]
            ),
            spool=self.spool,
            options={
                "topic": "off" if self.keywords is None else f"{len(self.keywords)} keywords",
                "drop_policy": self.drop_policy,
                "places": places.path.name if places else None,
                "thesaurus": self.thesaurus.path.name if self.thesaurus else None,
            },
            sources=src.table(self.sources),
            merges=merges,
        )

    def _provenance_of_repeats(self) -> None:
        """The files of rows repeating a loaded patent of an earlier chunk, into the spool."""
        if not self.late:
            return
        late = pd.concat(self.late, ignore_index=True)
        self.late = []
        found, at = self.seen.find(late["key"].to_numpy(dtype=np.uint64))
        loaded = found.copy()
        loaded[found] = self.seen.loaded[at[found]]
        late = late[loaded]
        late = late.assign(sha256=[self.sha[i] for i in late["file"]])
        extra = late.drop_duplicates(["pub_no", "sha256"]).groupby("pub_no", sort=False)["sha256"]
        self.spool.extra = {str(p): list(shas) for p, shas in extra}


def _isin(values: pd.Series, among: pd.Series) -> npt.NDArray[np.bool_]:
    """``values.isin(among)``, for Arrow-backed text without pandas' loop over ``among``.

    pandas turns each value of ``among`` into a Python object before ``pyarrow.compute.is_in``
    (seconds for a million); this hands ``is_in`` the Arrow arrays, with pandas' result: a
    missing value is in ``among`` if a missing value is. Other types go through pandas.
    """
    if not (
        isinstance(values.array, pd.arrays.ArrowStringArray)
        and isinstance(among.array, pd.arrays.ArrowStringArray)
    ):
        return values.isin(among).to_numpy(dtype=bool)
    if not len(among):
        return np.zeros(len(values), dtype=bool)
    found = pc.is_in(_string_array(values), value_set=_string_array(among))
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _string_array(values: pd.Series) -> pa.Array:
    """Text as one Arrow array (pandas' Arrow-backed text may be chunked)."""
    array = pa.array(values, type=pa.string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


_KIND_EMPTY = pd.Categorical([], categories=appl.KINDS)


def _observed(running: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """``running`` distinct observations (with counts, first seen first) and those of ``rows``."""
    columns = list(geocode.OBSERVATION_COLUMNS)
    part = (
        rows[columns]
        .fillna("")
        .groupby(columns, sort=False, dropna=False)
        .size()
        .reset_index(name="weight")
    )
    if not len(running):
        return part
    both = pd.concat([running, part], ignore_index=True)
    return both.groupby(columns, sort=False, dropna=False)["weight"].sum().reset_index()


def _merges(
    merged: Iterable[str],
    variants: pd.DataFrame,
    located: pd.DataFrame,
    places: Places | None,
    thesaurus: Thesaurus | None,
) -> pd.DataFrame:
    """Each name the thesaurus merged, with the place it would have had alone.

    ``merged`` are the export's names the thesaurus merges, first seen first, and ``variants``
    their observations. A merge is reported as a ``conflict`` when a variant alone would sit
    elsewhere (another city, or another province) than the merged name: a merge never moves an
    applicant silently.
    """
    if thesaurus is None:
        return pd.DataFrame(columns=list(MERGE_COLUMNS))
    groups = merge_groups(thesaurus, pd.Series(list(merged), dtype=object))
    alone = geocode.geocode(variants, places).set_index("name")
    where_of = {
        str(n): [c, p]
        for n, c, p in zip(
            located["name"], located["city_adcode"], located["province_adcode"], strict=True
        )
    }
    records = []
    for name, members in groups.items():
        if name not in where_of:
            continue
        where = where_of[name]
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

    The names are those of :func:`copatent.loader.applicants.split_applicants` and the aligned
    values those of :func:`~copatent.loader.applicants.split_aligned`; each distinct cell of a
    column is split once, and the alignment is worked out on whole columns.
    """
    out = ["pub_no", "name", "address", "province_text", "city_text"]
    parts = []
    splitter = appl.Splitter(separator)  # each distinct applicant part normalised once
    for start in range(0, len(frame), _EXPLODE_CHUNK):
        chunk = frame.iloc[start : start + _EXPLODE_CHUNK]
        cells, distinct = _distinct(chunk["applicants"])
        names, starts, lengths = _flattened([splitter.applicants(c) for c in distinct])
        counts = lengths[cells]  # applicants in each row
        row, position = _slots(counts)
        at = starts[cells[row]] + position  # each output row's name in ``names``
        values = {c: _aligned(chunk[c], splitter, counts, row, position) for c in _ALIGNED}
        pub_nos = np.asarray(chunk["pub_no"].fillna("").astype(str), dtype=object)[row]
        given = names
        if thesaurus is not None:
            given = np.array([thesaurus.apply(n) for n in names], dtype=object)
        named = given[at]
        part = pd.DataFrame(
            {
                "pub_no": pd.array(pub_nos, dtype=_TEXT),
                "name": pd.array(named, dtype=_TEXT),
                "address": pd.array(values["applicant_addresses"], dtype=_TEXT),
                "province_text": pd.array(values["applicant_provinces"], dtype=_TEXT),
                "city_text": pd.array(values["applicant_cities"], dtype=_TEXT),
            }
        )
        if thesaurus is not None:
            part["original"] = pd.array(names[at], dtype=_TEXT)
        kinds = appl.classify_many(
            named.tolist(),
            values["applicant_countries"].tolist(),
            values["applicant_types"].tolist(),
        )
        part["kind"] = pd.Categorical(kinds, categories=appl.KINDS)
        parts.append(part)
    if not parts:
        empty = pd.DataFrame(columns=out + ["original"] * (thesaurus is not None), dtype=_TEXT)
        return empty.assign(kind=pd.Categorical([], categories=appl.KINDS))
    return pd.concat(parts, ignore_index=True)


def _slots(counts: npt.NDArray[np.intp]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """For ``counts[i]`` output rows of each input row ``i``: their input row and place in it.

    >>> _slots(np.array([2, 0, 3]))
    (array([0, 0, 2, 2, 2]), array([0, 1, 0, 1, 2]))
    """
    row = np.repeat(np.arange(len(counts)), counts)
    return row, np.arange(len(row)) - (np.cumsum(counts) - counts)[row]


def _distinct(values: pd.Series) -> tuple[npt.NDArray[np.intp], list[str]]:
    """A column's cells as codes into its distinct texts (``""`` where missing)."""
    codes, distinct = pd.factorize(values.fillna("").astype(str))
    return np.asarray(codes, dtype=np.intp), distinct.tolist()


def _flattened(
    groups: list[tuple[str, ...]],
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The texts of ``groups`` in one array, then ``""``; each group's start and length."""
    counts = np.fromiter(map(len, groups), dtype=np.intp, count=len(groups))
    flat = np.empty(int(counts.sum()) + 1, dtype=object)
    flat[:-1] = list(chain.from_iterable(groups))
    flat[-1] = ""
    return flat, np.cumsum(counts) - counts, counts


def _aligned(
    values: pd.Series,
    splitter: appl.Splitter,
    counts: npt.NDArray[np.intp],
    row: npt.NDArray[np.intp],
    position: npt.NDArray[np.intp],
) -> npt.NDArray[np.object_]:
    """A per-applicant column's value for each output row of :func:`explode`.

    :func:`~copatent.loader.applicants.split_aligned`'s rule on whole columns: a cell with as
    many values as its row has applicants (``counts``) gives each its own; otherwise the first
    applicant gets the first value (``""`` if none) and the others ``""``.
    """
    cells, distinct = _distinct(values)
    texts, starts, lengths = _flattened([splitter.parts(c) for c in distinct])
    blank = len(texts) - 1  # texts[blank] == ""
    cell = cells[row]
    own = lengths[cells] == counts  # rows whose cell aligns with their applicants
    first = np.where((position == 0) & (lengths[cell] > 0), starts[cell], blank)
    return texts[np.where(own[row], starts[cell] + position, first)]


_TEXT = pd.StringDtype("pyarrow")


def _nullable(frame: pd.DataFrame) -> pd.DataFrame:
    """NaN and empty text -> None: a missing value is an absent property, never ``""``."""
    frame = frame.reset_index(drop=True).astype(object)
    return frame.where(frame.notna() & (frame != ""), None)
