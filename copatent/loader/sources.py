"""Which input file is which: a source file is the SHA-256 of its bytes.

A corrected export is a new file (another hash) even under the same path; the same bytes under
two paths are one source. The graph keeps one ``(:Source {sha256, path, resolved, name, bytes,
loaded_at})`` per file a load read, and ``(:Patent)-[:FROM]->(:Source)`` for each file that
brought the patent (:mod:`copatent.loader.provenance`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from copatent._errors import InputError

SHA256: Final = re.compile(r"[0-9a-f]{64}")
"""A source's identity as the graph stores it: 64 lower-case hex digits."""

COLUMNS: Final[tuple[str, ...]] = ("sha256", "path", "resolved", "name", "bytes")
"""The columns of :func:`table`."""

_CHUNK: Final = 1 << 20


@dataclass(frozen=True)
class SourceFile:
    """One input file: its hash, the path as given, the resolved path, its name and size."""

    sha256: str
    path: str
    resolved: str
    name: str
    bytes: int


def identify(path: Path) -> SourceFile:
    """Hash ``path``'s bytes (read in 1 MiB chunks).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     (Path(folder) / "a.csv").write_bytes(b"abc")
    ...     found = identify(Path(folder) / "a.csv")
    3
    >>> found.sha256[:12], found.name, found.bytes
    ('ba7816bf8f01', 'a.csv', 3)
    """
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(_CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return SourceFile(digest.hexdigest(), str(path), str(path.resolve()), path.name, size)


def identify_all(paths: Sequence[Path]) -> list[SourceFile]:
    """:func:`identify` each path, in order."""
    return [identify(p) for p in paths]


def table(sources: Sequence[SourceFile]) -> pd.DataFrame:
    """The sources as a table of :data:`COLUMNS`, one row per hash (the first path named wins)."""
    frame = pd.DataFrame([vars(s) for s in sources], columns=list(COLUMNS), dtype=object)
    frame = frame.drop_duplicates("sha256", ignore_index=True)
    return frame.astype({"bytes": "int64"})  # text stays object, as the loader's other tables


def check_hashes(hashes: Sequence[str]) -> list[str]:
    """The hashes, lower-cased; raises naming those that are not SHA-256 hex digests.

    >>> check_hashes(["AB" * 32])[0][:4]
    'abab'
    >>> check_hashes(["exports/a.csv"])
    Traceback (most recent call last):
    ...
    copatent._errors.InputError: not a SHA-256 of a file: 'exports/a.csv'
    """
    lowered = [h.strip().lower() for h in hashes]
    bad = [h for h, low in zip(hashes, lowered, strict=True) if not SHA256.fullmatch(low)]
    if bad:
        raise InputError(f"not a SHA-256 of a file: {', '.join(map(repr, bad))}")
    return lowered
