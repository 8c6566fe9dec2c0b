"""How to run an engine: which one, on what, with which seeds (no heavy imports: ``--help``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from copatent.analytics.defaults import (
    DEFAULT_BETWEENNESS_SOURCES,
    DEFAULT_RESTARTS,
    DEFAULT_SEED,
)
from copatent.loader.options import ExportOptions

__all__ = ["DEFAULT_BETWEENNESS_SOURCES", "EngineName", "EngineSettings"]

EngineName = Literal["neo4j", "memory"]


@dataclass(frozen=True)
class EngineSettings:
    """The engine and its settings, shared by ``analyze``, ``subgroups`` and ``detect``.

    ``memory`` reads the exports ``inputs`` (read with ``export``); ``neo4j`` analyses what was
    loaded into the database.
    """

    name: EngineName = "neo4j"
    inputs: tuple[Path, ...] = ()
    export: ExportOptions = field(default_factory=ExportOptions)
    seed: int = DEFAULT_SEED
    restarts: int = DEFAULT_RESTARTS
    betweenness_sources: int = DEFAULT_BETWEENNESS_SOURCES
    isolates: bool = False
    leiden: bool = False
