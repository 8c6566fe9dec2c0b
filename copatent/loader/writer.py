"""Write the clean tables into Neo4j: batched ``UNWIND … MERGE``, idempotent and resumable.

- Constraints and indexes first (``cypher/schema/``), then the load's journal is opened
  (``(:LoadJournal {load_key, files, batch_size, ...})``, before anything else is written, so that
  analyses see a load from its start: :mod:`copatent.loader.journal`), then regions, then batches
  of applicants (with their place), then batches of patents with their APPLIED relationships.
  Each batch is one transaction, which also records the batch in the load journal
  (``(:LoadBatch {load_key, batch: "applicants/N" | "patents/N"})``).
- The load key is a SHA-256 of the input files' bytes and the options that shape the tables, so a
  killed load rerun on the same input skips the committed batches and continues. Batches are cut
  from the patents sorted by publication number, with the batch size the load started with (kept
  in its journal, whatever ``batch_size`` the rerun asks for), so a rerun cuts the same batches.
  The patents come from the loader's spool, its chunks merged in that order
  (:meth:`copatent.loader.spool.Spool.batches`): one batch is in memory at a time, and the
  batches are the same whatever chunk size the rerun reads with.
- When all batches are in, ``(:Load {key})`` records the files, the funnel and the options, and
  the journal is removed. Loading the same input again finds the ``Load`` and does
  nothing (``force=True`` merges everything again, which changes no counts: all writes MERGE).
- **A reload replaces.** A patent already in the graph whose applicants (names or positions)
  differ from the new row's, as after loading a corrected export, gets the new row's APPLIED
  relationships in place of its old ones, in the batch's transaction: a patent always has
  exactly one first applicant. The batch's journal entry counts these patents and keeps the
  names taken off them; before the load is recorded, those that no patent has any more are
  deleted, with a city or province left with nothing placed in it, so the graph is the one a
  clean load of the corrected input gives (``load/delete_orphan_applicants``). A patent the new
  input does not load (absent, or filtered out) keeps what it had.
- **Provenance.** Before the batches, one ``(:Source {sha256, path, resolved, name, bytes,
  loaded_at})`` per input file (``load/merge_sources``); each patent batch links its patents
  ``-[:FROM]->`` every file that brought them (``Prepared.provenance``: a patent in two files
  links to both). A patent loaded again from another file gains a link; the links from earlier
  loads stay until the file is retired (:func:`copatent.loader.provenance.retire`). The
  ``(:Load)`` record keeps the files' hashes (``sources``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from copatent import __version__
from copatent.db import Database
from copatent.loader import spool
from copatent.loader.options import DEFAULT_BATCH_SIZE
from copatent.loader.pipeline import Prepared

APPLICANTS_PER_PATENT_BATCH = 2
"""Applicant batches hold this many times ``batch_size`` applicants."""


@dataclass(frozen=True)
class WriteResult:
    """What a load did.

    ``patents_updated``: patents already in the graph whose applicants the load replaced;
    ``applicants_deleted``: applicants it took off patents that no patent has any more.
    """

    load_key: str
    batches: int
    skipped: int
    patents: int
    seconds: float
    already_loaded: bool
    patents_updated: int = 0
    applicants_deleted: int = 0


def load_key(files: Sequence[Path], options: Mapping[str, object]) -> str:
    """SHA-256 of the files' contents (in the given order) and the table-shaping options."""
    digest = hashlib.sha256()
    # "/sources": loads that record provenance have other keys than those of the copatent before
    # it, so loading an input that copatent loaded writes it again, with its sources
    digest.update(f"copatent-load/{__version__.split('+')[0]}/sources\n".encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in files:
        digest.update(b"\0file\0")
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def write(
    db: Database,
    prepared: Prepared,
    *,
    key: str,
    files: Sequence[Path] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    force: bool = False,
    on_batch: Callable[[int], None] = lambda _n: None,
    command: str | None = None,
) -> WriteResult:
    """Write ``prepared`` into the database under ``key`` (see the module docstring).

    ``on_batch`` is called with the number of patents of every patent batch done or skipped.
    ``command`` is the command line that reruns this load, kept in its journal so that the
    message refusing to analyse an unfinished load can name it.
    """
    started = time.monotonic()
    db.apply_schema()
    if not force and not db.run("load/find_load", {"load_key": key}).empty:
        return WriteResult(key, 0, 0, prepared.patent_count, 0.0, already_loaded=True)
    opened = db.run(
        "load/start_load",
        {
            "load_key": key,
            "files": [str(f) for f in files],
            "command": command,
            "batch_size": batch_size,
            "applicants": len(prepared.applicants),
            "patents": prepared.patent_count,
        },
        write=True,
    )
    # a rerun continues the batches the load started with: "patents/3" of another size is
    # another set of patents
    batch_size = int(opened.iloc[0]["batch_size"])
    db.run(
        "load/merge_regions",
        {"provinces": _records(prepared.provinces), "cities": _records(prepared.cities)},
        write=True,
    )
    db.run("load/merge_sources", {"sources": _records(prepared.sources)}, write=True)
    done = set(db.run("load/committed_batches", {"load_key": key})["batch"].astype(str))
    batches = skipped = 0

    # applicants first (few, each written once), then the patents that reference them
    applicants = prepared.applicants.sort_values("name", ignore_index=True)
    step = batch_size * APPLICANTS_PER_PATENT_BATCH
    for number, start in enumerate(range(0, len(applicants), step)):
        batch = f"applicants/{number}"
        batches += 1
        if batch in done:
            skipped += 1
            continue
        rows = _records(applicants.iloc[start : start + step])
        db.run(
            "load/merge_applicants",
            {"load_key": key, "batch": batch, "applicants": rows},
            write=True,
        )

    # the patents in publication-number order, from the spool's chunks merged: the batches
    # are those of the whole table sorted, whatever the chunk size
    for number, chunk in enumerate(prepared.spool.batches(batch_size)):
        batch = f"patents/{number}"
        batches += 1
        if batch in done:
            skipped += 1
        else:
            db.run(
                "load/merge_patents",
                {
                    "load_key": key,
                    "batch": batch,
                    "patents": spool.records(chunk, prepared.spool.extra),
                },
                write=True,
            )
        on_batch(chunk.num_rows)
    # before record_load clears the journal, which holds what every batch, resumed ones too, did
    replaced = db.run("load/delete_orphan_applicants", {"load_key": key}, write=True).iloc[0]
    record_load(db, prepared, key=key, files=files)
    seconds = time.monotonic() - started
    return WriteResult(
        key,
        batches,
        skipped,
        prepared.patent_count,
        seconds,
        already_loaded=False,
        patents_updated=int(replaced["updated"]),
        applicants_deleted=int(replaced["applicants"]),
    )


def record_load(db: Database, prepared: Prepared, *, key: str, files: Sequence[Path] = ()) -> None:
    """Record the completed load ``(:Load {key})`` with its funnel; remove its journal."""
    db.run(
        "load/finish_load",
        {
            "load_key": key,
            "files": [str(f) for f in files],
            "sources": prepared.sources["sha256"].tolist(),
            "patents": prepared.patent_count,
            "funnel": json.dumps([vars(s) for s in prepared.funnel], ensure_ascii=False),
            "options": json.dumps(prepared.options, ensure_ascii=False),
        },
        write=True,
    )


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as dicts of plain Python values (None for missing), as the driver expects."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict(orient="records")  # type: ignore[return-value]
