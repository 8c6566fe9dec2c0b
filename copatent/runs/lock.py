"""One run at a time: of a study, and against a database.

A run holds two file locks (the ``filelock`` library; on Linux ``flock``): the study's,
``<output dir>/.lock``, and the database's, under ``COPATENT_HOME/locks/`` named after the URI
and database it writes (the memory engine writes no database and takes only the first). A
second ``copatent run`` of the same study, or of another study against the same database,
refuses with one line naming the run that holds it, or with ``--wait`` waits for it.

Why file locks and not a lock node in the graph: the operating system releases a ``flock`` when
its process dies, however it dies, so a killed run never leaves a lock for the next one to
judge stale (a node would need a lease and a clock); the lock also covers the memory engine,
which has no database. What it does not cover: runs on two machines against one remote
database. There the graph's own locks still serialise the writes (the loader's journal, the
publish step's lock node), but two runs may interleave their steps.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from copatent._errors import CopatentError
from copatent.runs.record import now


class RunLockedError(CopatentError):
    """Another run holds the study's or the database's lock."""

    exit_code = 8


def database_lock_path(home: Path, uri: str, database: str) -> Path:
    """The lock file of the database ``database`` at ``uri``."""
    name = hashlib.sha256(f"{uri}\n{database}".encode()).hexdigest()[:16]
    return home / "locks" / f"database-{name}.lock"


@contextlib.contextmanager
def held(path: Path, what: str, *, wait: bool) -> Iterator[None]:
    """Hold the lock file ``path`` (``what`` names it in messages); refuse or wait if taken."""
    from filelock import FileLock, Timeout  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    owner = path.with_name(path.name + ".owner")
    lock = FileLock(path, timeout=-1 if wait else 0)
    try:
        lock.acquire()
    except Timeout:
        holder = _holder(owner)
        raise RunLockedError(
            f"another run holds {what} ({holder}; lock {path}): wait for it to end, "
            "or run with --wait"
        ) from None
    try:
        owner.write_text(json.dumps({"pid": os.getpid(), "since": now()}) + "\n", "utf-8")
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()


def _holder(owner: Path) -> str:
    try:
        data = json.loads(owner.read_text(encoding="utf-8"))
        return f"pid {data['pid']} since {data['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "a run starting or ending"
