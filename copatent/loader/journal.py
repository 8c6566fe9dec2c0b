"""The load journal as the analyses see it: refuse a partial graph, read one state of it.

A load writes in many transactions (:mod:`copatent.loader.writer`). Before it writes anything it
opens a journal, ``(:LoadJournal {load_key, files, batch_size, ...})``; every batch commits with
a ``(:LoadBatch {load_key, batch})`` entry; when all batches are in, the ``(:Load)`` record
replaces the journal. Each start and each finish of a load also counts up the generation of the
``(:Lock {name: 'loads'})`` node. So:

- a load is **unfinished** while its journal exists: it is still writing, or it stopped (killed,
  server lost) and the graph holds only its committed batches;
- the graph did not change between two reads of the generation that both find no unfinished
  load: a load that started in between counted the generation up, in a transaction committed
  before it wrote anything.

Neo4j reads at the read-committed isolation level: one transaction, or one statement, sees what
other transactions commit while it runs (non-repeatable reads; Operations Manual, "Database
internals and transactional behavior"). One read transaction over all scales therefore gives no
snapshot. The analyses instead check the journal before they read and again after each read
(:func:`require_complete`, :func:`require_unchanged`): everything read between the first check
and the last one describes one state of the graph, with no load written in part.
"""

from __future__ import annotations

import json
import math
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from copatent._errors import InputError, LoadInProgressError
from copatent.db import Database
from copatent.loader.writer import APPLICANTS_PER_PATENT_BATCH

KEY_SHOWN = 12
"""Hex digits of a load key shown in messages; ``copatent graph discard-load`` accepts them."""


@dataclass(frozen=True)
class UnfinishedLoad:
    """A load whose journal is open: still writing, or stopped with some batches committed."""

    key: str
    files: tuple[str, ...]
    command: str | None  # the command line that reruns it, when the load was started by one
    committed: int
    batches: int | None  # None: a journal without its header (written by an earlier copatent)
    started_at: str | None
    last_commit: str | None

    @property
    def short_key(self) -> str:
        return self.key[:KEY_SHOWN]

    def describe(self) -> str:
        """``load 3f2a9c1e4b5d (exports/a.xlsx) is unfinished: 182 of 392 batches committed, ...``.

        >>> UnfinishedLoad("3f2a9c1e4b5d77", ("a b.csv",), None, 2, 9, None, None).describe()
        "load 3f2a9c1e4b5d ('a b.csv') is unfinished: 2 of 9 batches committed"
        """
        files = f" ({' '.join(shlex.quote(f) for f in self.files)})" if self.files else ""
        done = f"{self.committed} of {self.batches}" if self.batches is not None else self.committed
        last = f", the last at {self.last_commit}" if self.last_commit else ""
        return f"load {self.short_key}{files} is unfinished: {done} batches committed{last}"

    def remedy(self) -> str:
        """What to do: wait for a running load; finish a stopped one, or discard its journal."""
        if self.command:
            again = f"`{self.command}`"
        else:
            files = " ".join(shlex.quote(f) for f in self.files) or "FILES"
            again = f"`copatent load {files}` with the options it was started with"
        return (
            f"if it is still running, wait for it; if it stopped, finish it with {again} (the "
            "rerun continues from the committed batches), or keep the graph as it is with "
            f"`copatent graph discard-load {self.short_key}` (what the committed batches wrote "
            "stays)"
        )


@dataclass(frozen=True)
class GraphState:
    """The generation of the ``loads`` lock and the unfinished loads, read in one transaction."""

    generation: int
    unfinished: tuple[UnfinishedLoad, ...]


def graph_state(db: Database) -> GraphState:
    """Read the load generation and the unfinished loads (``load/unfinished_loads``)."""
    row = db.run("load/unfinished_loads").iloc[0]
    journals = {str(j["load_key"]): j for j in row["journals"]}
    batches = {str(b["load_key"]): b for b in row["batches"]}
    unfinished = []
    for key in sorted(journals.keys() | batches.keys()):
        journal, done = journals.get(key), batches.get(key)
        total = None
        if journal is not None and journal.get("batch_size"):
            size = int(journal["batch_size"])
            total = math.ceil(int(journal["applicants"]) / (size * APPLICANTS_PER_PATENT_BATCH))
            total += math.ceil(int(journal["patents"]) / size)
        unfinished.append(
            UnfinishedLoad(
                key=key,
                files=tuple(journal.get("files") or ()) if journal is not None else (),
                command=None if journal is None else journal.get("command"),
                committed=int(done["committed"]) if done is not None else 0,
                batches=total,
                started_at=None if journal is None else journal.get("started_at"),
                last_commit=None if done is None else done.get("last_commit"),
            )
        )
    return GraphState(int(row["generation"]), tuple(unfinished))


def require_complete(db: Database) -> int:
    """Refuse, in one line, while a load is unfinished; else return the load generation.

    Every command that analyses the loaded graph calls this before it reads (the neo4j engine
    does, :class:`copatent.engines.neo4j.Neo4jEngine`), and :func:`require_unchanged` with the
    generation after each read.

    Raises
    ------
    LoadInProgressError
        Naming the unfinished load(s), and how to finish or discard them.
    """
    state = graph_state(db)
    if state.unfinished:
        raise LoadInProgressError(_refusal(state.unfinished, during=False))
    return state.generation


def require_unchanged(db: Database, generation: int) -> None:
    """Refuse, in one line, if a load started or finished since ``generation`` was read.

    Raises
    ------
    LoadInProgressError
        The graph changed while the analysis read it: its scales and periods may describe
        different states.
    """
    state = graph_state(db)
    if state.unfinished:
        raise LoadInProgressError(_refusal(state.unfinished, during=True))
    if state.generation != generation:
        raise LoadInProgressError(
            "a load started or finished while this analysis read the graph, so its tables "
            "could describe different states of it: run the analysis again"
        )


def discard(db: Database, key: str) -> tuple[UnfinishedLoad, int]:
    """Close the journal of the unfinished load whose key starts with ``key``.

    What its committed batches wrote stays in the graph. Returns the load and the number of its
    committed batches, whose journal entries were removed.

    Raises
    ------
    InputError
        No unfinished load, or more than one, has a key starting with ``key``.
    """
    prefix = key.strip().casefold()
    unfinished = graph_state(db).unfinished
    found = [u for u in unfinished if prefix and u.key.startswith(prefix)]
    if len(found) != 1:
        open_keys = ", ".join(u.short_key for u in unfinished) or "none"
        what = "no unfinished load" if not found else f"{len(found)} unfinished loads"
        raise InputError(f"{what} with a key starting {key!r} (unfinished: {open_keys})")
    (load,) = found
    row = db.run("load/discard_load", {"load_key": load.key}, write=True).iloc[0]
    return load, int(row["batches"])


def _refusal(unfinished: Sequence[UnfinishedLoad], *, during: bool) -> str:
    """One line: each unfinished load, why nothing was analysed, what to do about it."""
    why = (
        "it was being written while this analysis read the graph"
        if during
        else "the graph holds only part of it"
    )
    if len(unfinished) == 1:
        (load,) = unfinished
        return f"{load.describe()}; {why}, so nothing was analysed: {load.remedy()}"
    listed = "; ".join(f"{u.describe()}: {u.remedy()}" for u in unfinished)
    return f"{len(unfinished)} loads are unfinished, so nothing was analysed. {listed}"


@dataclass(frozen=True)
class CompletedLoad:
    """A completed load as ``(:Load)`` records it: the funnel is a list of step objects."""

    key: str
    files: tuple[str, ...]
    patents: int
    funnel: tuple[dict[str, object], ...]
    options: dict[str, object]
    completed_at: str


def completed_loads(db: Database) -> tuple[int, tuple[CompletedLoad, ...]]:
    """The load generation and every completed load, oldest first (``load/completed_loads``)."""
    row = db.run("load/completed_loads").iloc[0]
    loads = tuple(
        CompletedLoad(
            key=str(item["key"]),
            files=tuple(str(f) for f in item.get("files") or ()),
            patents=int(item.get("patents") or 0),
            funnel=tuple(json.loads(item["funnel"])) if item.get("funnel") else (),
            options=json.loads(item["options"]) if item.get("options") else {},
            completed_at=str(item.get("completed_at") or ""),
        )
        for item in row["loads"]
    )
    return int(row["generation"]), loads
