"""The runs of a study: their records (``run.json``) and folders under the study's output folder.

Layout of ``[output] dir`` (default ``runs/`` beside the study file)::

    runs/
      1/  run.json  report.html  tables.xlsx  analysis/  subgroups/  detect/  figures/
      2/  run.json                        a skipped or failed run: its record only
      .3.json  .3.running/                the run in progress: its record, its outputs so far
      .lock                               held while a run runs (copatent.runs.lock)

A run numbers itself one above the highest number there. It records that it started in
``.N.json``, writes its outputs into ``.N.running/`` and, when everything is written, renames that
to ``N/`` with ``run.json`` inside (a rename within one folder: the new outputs appear whole or
not at all, and the folders of earlier runs are never touched). A run that fails keeps only its
record, ``N/run.json`` with ``status: failed`` and the error; a ``.N.json`` found while no run
holds the lock was left by a killed run, and the next run records it as failed the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from copatent._errors import InputError

RECORD: Final = "run.json"
STATUSES: Final = ("succeeded", "failed", "skipped", "running")
_STARTED = re.compile(r"\.(\d+)\.(?:json|running)")


def now() -> str:
    """The time now in UTC, ISO 8601 to the second (``2026-12-01T16:25:01Z``)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sha256(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of the file's bytes (hex)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(files: Iterable[Path]) -> list[dict[str, object]]:
    """Each input with its path, size and SHA-256, in path order."""
    return [{"path": str(p), "bytes": p.stat().st_size, "sha256": sha256(p)} for p in sorted(files)]


@dataclass(frozen=True)
class RunRecord:
    """What ``run.json`` holds; ``data`` is the whole record, JSON-ready."""

    folder: Path
    data: Mapping[str, Any]

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def status(self) -> str:
        return str(self.data["status"])

    def summary(self) -> dict[str, object]:
        """``id``, ``status``, ``started``, ``finished`` (what ``runs list`` gives)."""
        return {k: self.data.get(k) for k in ("id", "status", "started", "finished")}


def run_ids(output: Path) -> list[int]:
    """Numbers of the runs recorded under ``output`` (finished ones: ``N/run.json``)."""
    if not output.is_dir():
        return []
    return sorted(
        int(p.name) for p in output.iterdir() if p.name.isdigit() and (p / RECORD).is_file()
    )


def next_id(output: Path) -> int:
    """One above every run there, finished or not."""
    taken = set(run_ids(output))
    if output.is_dir():
        taken |= {int(p.name) for p in output.iterdir() if p.name.isdigit()}
        taken |= {int(m[1]) for p in output.iterdir() if (m := _STARTED.fullmatch(p.name))}
    return max(taken, default=0) + 1


def read(output: Path, run_id: int) -> RunRecord:
    folder = output / str(run_id)
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{output}: no run {run_id} (`copatent runs list` lists them)") from None
    except (OSError, ValueError) as error:
        raise InputError(f"{folder / RECORD}: unreadable run record: {error}") from None
    return RunRecord(folder, data)


def records(output: Path) -> list[RunRecord]:
    """Every finished run's record, oldest first."""
    return [read(output, n) for n in run_ids(output)]


def last_succeeded(output: Path) -> RunRecord | None:
    found = [r for r in records(output) if r.status == "succeeded"]
    return found[-1] if found else None


def running_folder(output: Path, run_id: int) -> Path:
    """Where run ``run_id`` writes its outputs until it succeeds."""
    return output / f".{run_id}.running"


def progress_file(output: Path, run_id: int) -> Path:
    """The record of run ``run_id`` while it runs."""
    return output / f".{run_id}.json"


def start(output: Path, run_id: int, data: Mapping[str, Any]) -> None:
    """Record that run ``run_id`` started (``.N.json``)."""
    output.mkdir(parents=True, exist_ok=True)
    path = progress_file(output, run_id)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")
    tmp.replace(path)


def write_record(folder: Path, data: Mapping[str, Any]) -> None:
    """Write ``run.json`` in ``folder`` (created), replacing it whole."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{RECORD}.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")
    tmp.replace(folder / RECORD)


def finish(output: Path, run_id: int, data: Mapping[str, Any], *, keep_outputs: bool) -> Path:
    """Move run ``run_id`` into place as ``N/``; the working folder goes.

    ``keep_outputs``: the working folder becomes ``N/`` (a succeeded run); else ``N/`` holds the
    record only (failed, skipped).
    """
    working = running_folder(output, run_id)
    final = output / str(run_id)
    if keep_outputs:
        write_record(working, data)
        working.replace(final)
    else:
        write_record(final, data)
        shutil.rmtree(working, ignore_errors=True)
    progress_file(output, run_id).unlink(missing_ok=True)
    return final


def abandoned(output: Path) -> list[tuple[int, Mapping[str, Any]]]:
    """Runs that recorded a start (``.N.json``) and no end, with that record.

    Call it only while holding the study's lock: then no run is in progress, so these were killed.
    """
    if not output.is_dir():
        return []
    found = []
    for path in sorted(output.glob(".*.json")):
        match = _STARTED.fullmatch(path.name)
        if match:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {"id": int(match[1])}
            found.append((int(match[1]), data))
    return found
