"""Where a chunked load keeps its patents until they are written: a spool of Parquet files.

The loader reads an export in chunks (:func:`copatent.loader.pipeline.prepare_files`); the
patents each chunk keeps go here, one file per chunk, sorted by publication number, each patent
with its applicants in position order (``names``) and the files that brought it (``sources``).
Memory then holds one chunk, not the export. The files live in a temporary folder that is
removed when the spool is closed (or garbage-collected, or the process ends).

Two ways back out:

- :meth:`Spool.tables`, chunk by chunk, for the writers that do not care about order (the
  ``--bulk`` CSV files) and for materialising whole tables (small-data consumers);
- :meth:`Spool.batches`, every patent in publication-number order, cut in batches of a given
  size, exactly as a sort of the whole table would cut them: the transactional writer's batches
  (``patents/N`` in its journal) are then the same whatever the chunk size, and a killed load
  resumes with any. It is a k-way merge of the chunk files (``heapq.merge`` on their
  publication numbers, read a column at a time), holding one batch of rows of each file.

A load killed outright (SIGKILL, a power cut) cannot remove its folder; the folder's name carries
the host and the process id (``copatent-spool-<host>-<pid>-...``), and the next spool made in the
same place removes the folders of this host whose process is gone (:func:`remove_stale`).

Without a folder (``Spool(None)``) the tables stay in memory: for the in-memory
:func:`~copatent.loader.pipeline.prepare` of a DataFrame, where the data is in memory anyway.
"""

from __future__ import annotations

import collections
import heapq
import itertools
import os
import shutil
import socket
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

SCHEMA: Final = pa.schema(
    [
        ("pub_no", pa.string()),
        ("app_no", pa.string()),
        ("title", pa.string()),
        ("app_date", pa.string()),
        ("year", pa.int64()),
        ("kind", pa.string()),
        ("order", pa.int64()),  # the patent's row among all rows read: the export's order
        ("names", pa.list_(pa.string())),  # its applicants, position 0 first
        ("sources", pa.list_(pa.string())),  # SHA-256 of the files with a row of it, sorted
    ]
)
"""A spooled chunk's columns."""

PATENT_COLUMNS: Final = ("pub_no", "app_no", "title", "app_date", "year", "kind")

_READ_ROWS: Final = 8192  # rows read back from a chunk file at a time


class Spool:
    """The kept patents of a chunked load, chunk by chunk (see the module docstring).

    Parameters
    ----------
    folder
        Where to make the temporary folder of the chunk files; ``None`` keeps them in memory.
    """

    def __init__(self, folder: Path | None = None) -> None:
        if folder is not None:
            remove_stale(folder)
        self._directory = (
            None if folder is None else Path(tempfile.mkdtemp(prefix=_prefix(), dir=folder))
        )
        # removed when closed, else when the spool is garbage-collected or the process ends
        self._remove = (
            None
            if self._directory is None
            else weakref.finalize(self, shutil.rmtree, self._directory, ignore_errors=True)
        )
        self._files: list[Path] = []
        self._tables: list[pa.Table] = []
        self.count = 0
        self.extra: dict[str, list[str]] = {}
        """Files that brought a patent in rows of later chunks than its first: pub_no → SHA-256s."""

    def add(self, table: pa.Table) -> None:
        """One chunk's patents (:data:`SCHEMA`), sorted here by publication number."""
        table = table.select(SCHEMA.names).cast(SCHEMA).sort_by("pub_no")
        self.count += table.num_rows
        if self._directory is None:
            self._tables.append(table)
            return
        path = self._directory / f"chunk-{len(self._files):06d}.parquet"
        pq.write_table(table, path, row_group_size=_READ_ROWS, compression="zstd")
        self._files.append(path)

    def close(self) -> None:
        """Remove the chunk files (the spool is empty afterwards)."""
        if self._remove is not None:
            self._remove()
        self._files, self._tables, self.count = [], [], 0

    def tables(self) -> Iterator[pa.Table]:
        """Each chunk's patents (sorted by publication number), in the order of the chunks."""
        if self._directory is None:
            yield from self._tables
            return
        for path in self._files:
            yield pq.read_table(path, schema=SCHEMA)

    def batches(self, size: int) -> Iterator[pa.Table]:
        """Every patent in publication-number order, ``size`` at a time."""
        sources = self._sources()
        keys = heapq.merge(*(zip(_keys(s), itertools.repeat(i)) for i, s in enumerate(sources)))
        cursors = [_Cursor(s) for s in sources]
        while taken := collections.Counter(i for _, i in itertools.islice(keys, size)):
            parts = [cursors[i].take(count) for i, count in sorted(taken.items())]
            yield pa.concat_tables(parts).sort_by("pub_no")

    def _sources(self) -> list[Iterable[pa.RecordBatch]]:
        if self._directory is None:
            return [table.to_batches(max_chunksize=_READ_ROWS) for table in self._tables]
        return [_ParquetBatches(path) for path in self._files]


def _prefix(pid: int | None = None) -> str:
    """The start of a spool folder's name: this host's, and process ``pid``'s (default ours)."""
    host = "".join(c if c.isalnum() else "_" for c in socket.gethostname()) or "host"
    return f"copatent-spool-{host}-{os.getpid() if pid is None else pid}-"


def remove_stale(folder: Path) -> list[Path]:
    """Remove the spool folders in ``folder`` left by this host's processes that have ended.

    Another host's folders (a shared ``COPATENT_HOME``) and a running process's are kept. Returns
    the folders removed.
    """
    ours = _prefix(0)[: -len("0-")]  # "copatent-spool-<host>-"
    removed = []
    for path in folder.glob(f"{ours}*-*"):
        pid = path.name[len(ours) :].split("-", 1)[0]
        if path.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class _ParquetBatches:
    """A chunk file's record batches; each iteration reads the file again from its start."""

    def __init__(self, path: Path, columns: list[str] | None = None) -> None:
        self._path = path
        self._columns = columns

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        with pq.ParquetFile(self._path) as reader:
            yield from reader.iter_batches(batch_size=_READ_ROWS, columns=self._columns)

    def key_column(self) -> _ParquetBatches:
        return _ParquetBatches(self._path, ["pub_no"])


def _keys(source: Iterable[pa.RecordBatch]) -> Iterator[tuple[bool, str]]:
    """The publication numbers of a chunk, in its order (Arrow's: a missing one last)."""
    if isinstance(source, _ParquetBatches):
        source = source.key_column()  # one column read
    for batch in source:
        for key in batch.column("pub_no").to_pylist():
            yield key is None, key or ""


class _Cursor:
    """Takes the next rows of a chunk, a batch read at a time."""

    def __init__(self, source: Iterable[pa.RecordBatch]) -> None:
        self._batches = iter(source)
        self._held = pa.Table.from_batches([], schema=SCHEMA)

    def take(self, count: int) -> pa.Table:
        while self._held.num_rows < count:
            batch = next(self._batches)
            self._held = pa.concat_tables([self._held, pa.Table.from_batches([batch])])
        taken, self._held = self._held.slice(0, count), self._held.slice(count)
        return taken


def records(table: pa.Table, extra: Mapping[str, list[str]]) -> list[dict[str, object]]:
    """A spooled table's patents as the writer's rows.

    Each row has the patent's properties, ``applicants`` (``[{name, position}]``, position 0
    first) and ``sources`` (the SHA-256 of every file that brought it, sorted).
    """
    rows = []
    for row in table.to_pylist():
        names = row.pop("names")
        row.pop("order")
        brought = row.pop("sources")
        also = extra.get(row["pub_no"])
        row["applicants"] = [{"name": n, "position": p} for p, n in enumerate(names)]
        row["sources"] = sorted({*brought, *also}) if also else brought
        rows.append(row)
    return rows
