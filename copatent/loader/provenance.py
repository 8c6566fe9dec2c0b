"""Which input files brought each patent, and retiring the files that left a study.

Every load links each patent it writes ``(:Patent)-[:FROM]->(:Source)`` to every input file
with a row of it (:mod:`copatent.loader.writer`; a source is the SHA-256 of a file's bytes,
:mod:`copatent.loader.sources`). A study keeps the graph equal to its current inputs in two
steps: load the current files (patents they bring again gain links to them; a patent whose row
changed is updated by the load), then :func:`retire` the files that are no longer among them.

A corrected export replacing a file is the usual case: it is a new source. After it is loaded,
the patents it still has link to both files, those it dropped only to the old one; retiring the
old one removes exactly those.

Patents written by a copatent that kept no provenance have no FROM at all. :func:`retire` leaves
them alone (it cannot know which file brought them) unless ``unsourced=True``; loading their
files again gives them their links (the load keys of provenance-keeping loads are new, so such
a load writes again).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from copatent._errors import LoadInProgressError
from copatent.db import Database
from copatent.loader import journal
from copatent.loader.sources import check_hashes


@dataclass(frozen=True)
class RetiredFile:
    """A source :func:`retire` removed: its hash and the path and name it was last loaded as."""

    sha256: str
    path: str | None
    name: str | None


@dataclass(frozen=True)
class Retired:
    """What :func:`retire` removed.

    ``patents``: patents left with no file that brought them (with ``unsourced``, also those
    that had none); ``unsourced``: how many of them had none; ``applicants``: applicants of
    those patents left with no patent; ``loads``: completed load records that read a retired
    file (forgotten, so that loading those files again writes them).
    """

    files: tuple[RetiredFile, ...]
    patents: int
    applicants: int
    unsourced: int = 0
    loads: int = 0

    @property
    def sources(self) -> int:
        """The number of files retired."""
        return len(self.files)


@dataclass(frozen=True)
class SourceSummary:
    """A source as ``copatent graph sources`` lists it.

    ``patents``: the patents it brought; ``only``: those no other file brought, which retiring
    it removes.
    """

    sha256: str
    path: str | None
    resolved: str | None
    name: str | None
    bytes: int | None
    loaded_at: str | None
    patents: int
    only: int


def retire(db: Database, keep: Collection[str], *, unsourced: bool = False) -> Retired:
    """Remove every source not in ``keep``, and what only those sources brought.

    One write transaction (``load/retire_sources``): the FROM links to the retired sources and
    the sources go; patents left with no FROM go with their APPLIED relationships; their
    applicants left with no patent go, with a city or province left with nothing in it. It
    counts up the generation of the ``(:Lock {name: 'loads'})`` node, as a load does, so an
    analysis reading meanwhile notices the change, and a load cannot start while it runs.

    Parameters
    ----------
    db
        The database.
    keep
        The SHA-256 of every file of the study's current inputs
        (:func:`copatent.loader.sources.identify`). An empty ``keep`` retires every file.
    unsourced
        Also remove the patents that no file brought (loaded by a copatent that kept no
        provenance), and their applicants left with no patent.

    Raises
    ------
    InputError
        A ``keep`` entry that is not a SHA-256 (a path given by mistake would retire its file).
    LoadInProgressError
        A load is unfinished: nothing was removed. Finish or discard it first.
    """
    hashes = sorted(set(check_hashes(list(keep))))
    journal.require_complete(db)  # the one-line refusal naming the load; checked again inside
    row = db.run("load/retire_sources", {"keep": hashes, "unsourced": unsourced}, write=True)
    found = row.iloc[0]
    if int(found["unfinished"]):
        journal.require_complete(db)  # a load started between the two checks: name it
        raise LoadInProgressError("a load is unfinished: nothing was retired")
    files = tuple(
        RetiredFile(str(f["sha256"]), f.get("path"), f.get("name"))
        for f in sorted(found["files"], key=lambda f: (str(f.get("path")), str(f["sha256"])))
    )
    return Retired(
        files=files,
        patents=int(found["patents"]),
        applicants=int(found["applicants"]),
        unsourced=int(found["unsourced"]),
        loads=int(found["loads"]),
    )


def list_sources(db: Database) -> tuple[tuple[SourceSummary, ...], int]:
    """Every source in the graph, oldest first, and the number of patents no file brought."""
    row = db.run("graph/list_sources").iloc[0]
    listed = tuple(
        SourceSummary(
            sha256=str(s["sha256"]),
            path=s.get("path"),
            resolved=s.get("resolved"),
            name=s.get("name"),
            bytes=None if s.get("bytes") is None else int(s["bytes"]),
            loaded_at=s.get("loaded_at"),
            patents=int(s["patents"]),
            only=int(s["only"]),
        )
        for s in row["sources"]
    )
    return listed, int(row["unsourced"])
