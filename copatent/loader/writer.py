"""Write the clean tables into Neo4j: batched ``UNWIND … MERGE``, idempotent and resumable.

- Constraints and indexes first (``cypher/schema/``), then regions, then batches of patents.
  Each batch (its patents, their applicants with their place, the APPLIED relationships) is one
  transaction, which also records the batch in the load journal
  (``(:LoadBatch {load_key, batch})``).
- The load key is a SHA-256 of the input files' bytes and the options that shape the tables, so a
  killed load rerun on the same input skips the committed batches and continues. Batches are cut
  from the patents sorted by publication number, so a rerun cuts the same batches.
- When all batches are in, ``(:Load {key})`` records the files, the funnel and the options, and
  the journal entries are removed. Loading the same input again finds the ``Load`` and does
  nothing (``force=True`` merges everything again, which changes no counts: all writes MERGE).
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
from copatent.loader.pipeline import Prepared

DEFAULT_BATCH_SIZE = 2000
"""Patents per transaction (with their applicants and APPLIED relationships); see bench/."""


@dataclass(frozen=True)
class WriteResult:
    load_key: str
    batches: int
    skipped: int
    patents: int
    seconds: float
    already_loaded: bool


def load_key(files: Sequence[Path], options: Mapping[str, object]) -> str:
    """SHA-256 of the files' contents (in the given order) and the table-shaping options."""
    digest = hashlib.sha256()
    digest.update(f"copatent-load/{__version__.split('+')[0]}\n".encode())
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
) -> WriteResult:
    """Write ``prepared`` into the database under ``key`` (see the module docstring).

    ``on_batch`` is called with the number of patents of every batch done or skipped.
    """
    started = time.monotonic()
    db.apply_schema()
    if not force and not db.run("load/find_load", {"load_key": key}).empty:
        return WriteResult(key, 0, 0, len(prepared.patents), 0.0, already_loaded=True)
    db.run(
        "load/merge_regions",
        {"provinces": _records(prepared.provinces), "cities": _records(prepared.cities)},
        write=True,
    )
    patents = prepared.patents.sort_values("pub_no", ignore_index=True)
    batch_of = pd.Series(patents.index // batch_size, index=patents["pub_no"])
    applied = prepared.applied.assign(batch=prepared.applied["pub_no"].map(batch_of))
    applicants = prepared.applicants.set_index("name", drop=False)
    done = set(db.run("load/committed_batches", {"load_key": key})["batch"].astype(int).tolist())
    total = (len(patents) + batch_size - 1) // batch_size
    applied_by_batch = dict(tuple(applied.groupby("batch", sort=True)))
    for batch in range(total):
        chunk = patents.iloc[batch * batch_size : (batch + 1) * batch_size]
        if batch not in done:
            links = applied_by_batch[batch]
            people = applicants.loc[links["name"].drop_duplicates().tolist()]
            db.run(
                "load/merge_batch",
                {
                    "load_key": key,
                    "batch": batch,
                    "applicants": _records(people),
                    "patents": _records(chunk),
                    "applied": _records(links[["name", "pub_no", "position"]]),
                },
                write=True,
            )
        on_batch(len(chunk))
    db.run(
        "load/finish_load",
        {
            "load_key": key,
            "files": [str(f) for f in files],
            "patents": len(patents),
            "funnel": json.dumps([vars(s) for s in prepared.funnel], ensure_ascii=False),
            "options": json.dumps(prepared.options, ensure_ascii=False),
        },
        write=True,
    )
    seconds = time.monotonic() - started
    return WriteResult(key, total, len(done), len(patents), seconds, already_loaded=False)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as dicts of plain Python values (None for missing), as the driver expects."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict(orient="records")  # type: ignore[return-value]
