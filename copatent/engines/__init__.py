"""Engines: build each period's network from the loaded patents and run the graph algorithms.

``neo4j`` (:mod:`copatent.engines.neo4j`: Cypher + Graph Data Science on the loaded graph) and
``memory`` (:mod:`copatent.engines.memory`: pandas + python-igraph on the exports, no server)
deliver the same :class:`~copatent.analytics.periods.PeriodGraph` objects; :func:`analyze` hands
them to the pure :func:`copatent.analytics.analysis.analyze`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypedDict

from copatent.analytics.defaults import DEFAULT_CLASSES
from copatent.analytics.periods import DEFAULT_BASELINE, DEFAULT_PERIODS, Scale
from copatent.engines.settings import EngineSettings

if TYPE_CHECKING:
    from copatent.analytics.analysis import Analysis
    from copatent.config import Neo4jSettings
    from copatent.db import Database
    from copatent.engines.base import Engine

__all__ = ["EngineSettings", "analyze", "open_engine"]


class _Common(TypedDict):
    """The settings both engines take."""

    seed: int
    restarts: int
    betweenness_sources: int | None
    isolates: bool
    leiden: bool


@contextlib.contextmanager
def open_engine(
    settings: EngineSettings, connect: Callable[[], Neo4jSettings] | None = None
) -> Iterator[tuple[Engine, Database | None]]:
    """The engine of ``settings``, and the database it reads (``None`` for the memory engine).

    The memory engine reads ``settings.inputs``; the neo4j engine connects where ``connect()``
    says (called only then: the local server's password file is not read for the memory engine).
    """
    common: _Common = {
        "seed": settings.seed,
        "restarts": settings.restarts,
        "betweenness_sources": settings.betweenness_sources,
        "isolates": settings.isolates,
        "leiden": settings.leiden,
    }
    if settings.name == "memory":
        from copatent.engines.memory import MemoryEngine  # noqa: PLC0415 (pandas, igraph)
        from copatent.loader.exports import prepare_exports  # noqa: PLC0415

        _, prepared, _ = prepare_exports(settings.inputs, settings.export)
        yield MemoryEngine(prepared, **common), None
        return
    from copatent.db import Database  # noqa: PLC0415 (the driver)
    from copatent.engines.neo4j import Neo4jEngine  # noqa: PLC0415

    if connect is None:
        raise ValueError("the neo4j engine needs a connection")
    with Database(connect()) as db:
        yield Neo4jEngine(db, **common), db


def analyze(
    engine: Engine,
    *,
    scales: Sequence[Scale],
    periods: Sequence[tuple[int, int]] = DEFAULT_PERIODS,
    baseline: tuple[int, int] = DEFAULT_BASELINE,
    classes: int = DEFAULT_CLASSES,
) -> Analysis:
    """Run ``engine`` for ``scales`` × ``periods`` (plus the baseline) and derive every table."""
    from copatent.analytics import analysis  # noqa: PLC0415

    needed = analysis.needed_periods(periods, baseline)
    graphs = {scale: engine.period_graphs(scale, needed) for scale in dict.fromkeys(scales)}
    return analysis.analyze(
        graphs, periods=periods, baseline=baseline, classes=classes, engine=engine.name
    )
