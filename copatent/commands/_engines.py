"""Choosing and opening the analysis engine: shared by ``analyze``, ``subgroups`` and ``detect``."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from copatent import server
from copatent._errors import InputError
from copatent.analytics.analysis import Analysis
from copatent.analytics.collab import Scale
from copatent.analytics.engines.base import Engine
from copatent.analytics.engines.memory import MemoryEngine
from copatent.analytics.engines.neo4j import Neo4jEngine
from copatent.commands._inputs import Policy, Topic, prepare_inputs
from copatent.db import Database


class EngineChoice(StrEnum):
    neo4j = "neo4j"
    memory = "memory"


ENGINE_HELP = (
    "neo4j: Cypher + Graph Data Science on the loaded graph; "
    "memory: pandas + igraph on the exports given with --input, no server."
)


EngineOption = Annotated[EngineChoice, typer.Option(help=ENGINE_HELP)]
InputsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--input", exists=True, readable=True, help="Export file or folder (--engine memory)."
    ),
]
RestartsOption = Annotated[
    int,
    typer.Option(
        min=1, help="Louvain (and Leiden) runs per network; the best by modularity is kept."
    ),
]


class RegionScale(StrEnum):
    """The regional scales a command can take; ``all`` is both."""

    province = "province"
    city = "city"
    all = "all"

    def scales(self) -> tuple[Scale, ...]:
        """``all`` → ``("province", "city")``, otherwise the one scale."""
        if self is RegionScale.all:
            return ("province", "city")
        return ("province",) if self is RegionScale.province else ("city",)


def check_inputs(engine: EngineChoice, inputs: Sequence[Path] | None) -> None:
    """The memory engine reads exports (--input); the neo4j engine reads the database."""
    if (engine is EngineChoice.memory) != bool(inputs):
        raise InputError(
            "--engine memory reads the exports: give them with --input"
            if engine is EngineChoice.memory
            else "--input is for --engine memory; the neo4j engine analyses what was loaded"
        )


@contextlib.contextmanager
def open_engine(
    inputs: Sequence[Path] | None,
    *,
    columns: str | None,
    topic: Topic,
    keywords: Path | None,
    drop_policy: Policy,
    seed: int,
    restarts: int,
    betweenness_sources: int,
    isolates: bool,
    leiden: bool = False,
) -> Iterator[tuple[Engine, Database | None]]:
    """The memory engine on ``inputs`` if given, else the neo4j engine on the configured server."""
    if inputs:
        _, prepared, _ = prepare_inputs(inputs, columns, topic, keywords, drop_policy)
        yield (
            MemoryEngine(prepared, seed=seed, restarts=restarts, isolates=isolates, leiden=leiden),
            None,
        )
        return
    with Database(server.connection_settings()) as db:
        yield (
            Neo4jEngine(
                db,
                seed=seed,
                restarts=restarts,
                betweenness_sources=betweenness_sources,
                isolates=isolates,
                leiden=leiden,
            ),
            db,
        )


def require_edges(result: Analysis) -> None:
    if all(t.graph.edges.empty for t in result):
        raise InputError(
            "no collaborations between different nodes in the chosen periods and scales: load "
            "multi-applicant patents first (copatent load), or choose other periods or scales"
        )
