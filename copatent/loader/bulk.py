"""The ``--bulk`` path: a first load into an empty database with ``neo4j-admin database import``.

For the largest first loads, writing CSV files and letting the offline importer build the store is
far faster than transactions. It needs what the importer needs: the local managed server (its jars
and its data directory), stopped for the import, and an empty database (the import replaces it).
copatent stops the server, imports, starts it again on the same ports, then creates the
constraints and indexes and records the load, so the result is the graph the transactional path
writes (a test compares them). Into an empty database no patent arrives again, so nothing is
replaced (the transactional writer's "a reload replaces"): ``patents_updated`` is 0. The
provenance is imported too: a ``(:Source)`` per input file (``loaded_at`` is the time the CSV
files were written) and ``(:Patent)-[:FROM]->(:Source)`` for every file that brought a patent.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from copatent._errors import InputError
from copatent.db import Database
from copatent.loader.pipeline import Prepared
from copatent.loader.writer import WriteResult, record_load
from copatent.server import LocalServer

# (file, header) per node label and relationship type; ID spaces keep the keys apart
_NODE_FILES: dict[str, tuple[str, ...]] = {
    "Province": ("adcode:ID(Province)", "name"),
    "City": ("adcode:ID(City)", "name", "lat:double", "lon:double"),
    "Applicant": ("name:ID(Applicant)", "kind", "geocode", "geocode_evidence"),
    "Patent": ("pub_no:ID(Patent)", "app_no", "title", "app_date:date", "year:int", "kind"),
    "Source": ("sha256:ID(Source)", "path", "resolved", "name", "bytes:long", "loaded_at:datetime"),
}


def bulk_write(
    server: LocalServer,
    prepared: Prepared,
    *,
    key: str,
    files: Sequence[Path] = (),
    database: str = "neo4j",
) -> WriteResult:
    """Import ``prepared`` into the empty ``database`` of the local ``server``."""
    started = time.monotonic()
    with Database(server.settings()) as db:
        nodes = int(db.run("graph/count_nodes").iloc[0]["nodes"])
    if nodes:
        raise InputError(
            f"--bulk needs an empty database, and {database} holds {nodes} nodes: "
            "load without --bulk (it merges), or start from an empty data directory"
        )
    bolt, http = server.ports()
    folder = server.directory / "import" / f"bulk-{key[:16]}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        arguments = _write_csvs(prepared, folder)
        server.stop()
        server.import_full(database, arguments)
    finally:
        if not server.is_running():
            server.start(bolt_port=bolt, http_port=http)
        shutil.rmtree(folder, ignore_errors=True)
    with Database(server.settings()) as db:
        db.apply_schema()
        record_load(db, prepared, key=key, files=files)
    seconds = time.monotonic() - started
    return WriteResult(key, 1, 0, prepared.patent_count, seconds, already_loaded=False)


def _write_csvs(prepared: Prepared, folder: Path) -> list[str]:
    """The import files and the importer's arguments for them.

    The patents and their APPLIED and FROM relationships are written in one pass over the
    loader's spool, chunk by chunk (:meth:`Prepared.patent_tables`), never as whole tables.
    """
    applicants = prepared.applicants.rename(
        columns={"method": "geocode", "evidence": "geocode_evidence"}
    )
    now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    located = prepared.applicants[["name", "city_adcode", "province_adcode"]]
    in_city = located[located["city_adcode"].notna()]
    in_province = located[located["city_adcode"].isna() & located["province_adcode"].notna()]
    nodes: dict[str, pd.DataFrame | None] = {
        "Province": prepared.provinces,
        "City": prepared.cities,
        "Applicant": applicants,
        "Patent": None,  # from the spool
        "Source": prepared.sources.assign(loaded_at=now).astype({"loaded_at": object}),
    }
    relationships: list[tuple[str, tuple[str, ...], pd.DataFrame | None]] = [
        ("APPLIED", ("name:START_ID(Applicant)", "pub_no:END_ID(Patent)", "position:int"), None),
        ("LOCATED_IN", ("name:START_ID(Applicant)", "adcode:END_ID(City)"),
         in_city[["name", "city_adcode"]]),
        ("LOCATED_IN", ("name:START_ID(Applicant)", "adcode:END_ID(Province)"),
         in_province[["name", "province_adcode"]]),
        ("IN_PROVINCE", ("adcode:START_ID(City)", "province:END_ID(Province)"),
         prepared.cities[["adcode", "province_adcode"]]),
        ("FROM", ("pub_no:START_ID(Patent)", "sha256:END_ID(Source)"), None),
    ]  # fmt: skip
    arguments = []
    multiline = False
    for label, header in _NODE_FILES.items():
        frame = nodes[label]
        if frame is not None:
            frame = frame[[h.split(":")[0] for h in header]]
            multiline |= _has_newline(frame)
            with _CsvFile(folder / f"{label}.csv", header) as out:
                out.write(frame)
        arguments.append(f"--nodes={label}={folder / f'{label}.csv'}")
    for i, (rel_type, header, frame) in enumerate(relationships):
        if frame is not None:
            with _CsvFile(folder / f"{rel_type}-{i}.csv", header) as out:
                out.write(frame)
        arguments.append(f"--relationships={rel_type}={folder / f'{rel_type}-{i}.csv'}")

    patent_columns = [h.split(":")[0] for h in _NODE_FILES["Patent"]]
    with (
        _CsvFile(folder / "Patent.csv", _NODE_FILES["Patent"]) as patent_file,
        _CsvFile(folder / "APPLIED-0.csv", relationships[0][1]) as applied_file,
        _CsvFile(folder / "FROM-4.csv", relationships[4][1]) as from_file,
    ):
        for patents, applied, provenance in prepared.patent_tables():
            multiline |= _has_newline(patents[patent_columns])
            patent_file.write(patents[patent_columns])
            applied_file.write(applied[["name", "pub_no", "position"]])
            from_file.write(provenance[["pub_no", "sha256"]])
    arguments += [
        "--id-type=string",
        f"--multiline-fields={'true' if multiline else 'false'}",
        f"--report-file={folder / 'import.report'}",
    ]
    return arguments


class _CsvFile:
    """A CSV file written frame by frame under ``header``."""

    def __init__(self, path: Path, header: tuple[str, ...]) -> None:
        self.path = path
        self._header = header

    def __enter__(self) -> _CsvFile:
        self._file = self.path.open("w", encoding="utf-8", newline="")
        self._out = csv.writer(self._file, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        self._out.writerow(self._header)
        return self

    def write(self, frame: pd.DataFrame) -> None:
        """Missing values are empty fields (no property)."""
        self._out.writerows(frame.astype(object).where(frame.notna(), "").itertuples(index=False))

    def __exit__(self, *_exc: object) -> None:
        self._file.close()


def _has_newline(frame: pd.DataFrame) -> bool:
    text = frame.select_dtypes(include="object").astype(str)
    return bool(text.apply(lambda col: col.str.contains("\n|\r", regex=True)).to_numpy().any())
