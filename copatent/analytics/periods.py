"""Periods and the per-period network an engine delivers.

:class:`Period` is the one period type: inclusive application years, named ``START-END`` in files,
tables and the graph (DESIGN.md item 3). :class:`PeriodGraph` is one period's network at one scale
with the graph algorithms' results, whichever engine computed them (``copatent.engines``): the
input of :func:`copatent.analytics.analysis.analyze`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

from copatent._errors import InputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from copatent.analytics.network import Network

Scale = Literal["province", "city", "applicant"]
"""The scales of a network: its nodes are provinces, prefecture-level cities or applicants."""

SCALES: Final[tuple[Scale, ...]] = ("province", "city", "applicant")
REGION_SCALES: Final[tuple[Scale, ...]] = ("province", "city")

_PERIOD: Final = re.compile(r"\s*([0-9]{4})\s*-\s*([0-9]{4})\s*")


class Period(NamedTuple):
    """Application years ``start`` to ``end``, both inclusive; equal to the tuple of the two.

    >>> Period.parse("2016-2020")
    Period(start=2016, end=2020)
    >>> Period(2001, 2005).label, Period(2001, 2005) == (2001, 2005)
    ('2001-2005', True)
    """

    start: int
    end: int

    @property
    def label(self) -> str:
        """``2016-2020``: the period's name in files, tables and the graph."""
        return f"{self.start}-{self.end}"

    @classmethod
    def parse(cls, text: str) -> Period:
        """``"2016-2020"`` → ``Period(2016, 2020)``; a one-line error for anything else."""
        found = _PERIOD.fullmatch(text)
        if found:
            start, end = int(found[1]), int(found[2])
            if start <= end:
                return cls(start, end)
        raise InputError(f"period {text!r}: expected two years START-END with START <= END")

    @classmethod
    def of(cls, value: tuple[int, int]) -> Period:
        """A period from any pair of years."""
        return cls(int(value[0]), int(value[1]))


DEFAULT_PERIODS: Final[tuple[Period, ...]] = (
    Period(2001, 2005),
    Period(2006, 2010),
    Period(2011, 2015),
    Period(2016, 2020),
)
"""Application-year periods of the study, inclusive at both ends."""

DEFAULT_BASELINE: Final = Period(2016, 2020)
"""The period whose edge-weight breaks define the edge tiers of every period."""


def periods(values: Iterable[tuple[int, int]]) -> tuple[Period, ...]:
    """The distinct periods of ``values`` in their first order."""
    return tuple(dict.fromkeys(Period.of(v) for v in values))


@dataclass(frozen=True, eq=False)
class PeriodGraph:
    """One period's network at one scale, with the engine's algorithm results.

    Attributes
    ----------
    edges
        ``source``, ``target`` (node keys), ``weight`` (float), sorted by source then target.
    nodes
        ``node`` (key: adcode or applicant name), ``name``, ``internal`` (collaborations inside
        the node), sorted by key: the nodes incident to at least one edge (DESIGN.md item 5), and
        with ``isolates`` also the regions whose collaborations were all internal.
    measures
        ``node`` and :data:`copatent.analytics.centrality.MEASURES`, in ``nodes`` order.
    communities
        Louvain labels, 1, 2, ... in node order.
    leiden
        Leiden labels in the same form, when the engine was asked for them, else ``None``.
    path_length, diameter
        Gephi's average path length and the longest shortest path (DESIGN.md item 6).
    unplaced
        Collaborations of the period left out because an end has no place at this scale.
    internal
        Collaborations of the period inside one node, nodes of the network or not.
    betweenness_sources
        ``None`` when betweenness is exact, else the number of sampled source nodes.
    path_sources, diameter_sweeps
        ``None`` when the average path length (the diameter) is exact, else the sampled sources
        of its estimate (the sweeps of its lower bound): :mod:`copatent.analytics.paths`.
    """

    scale: Scale
    period: Period
    edges: pd.DataFrame
    nodes: pd.DataFrame
    measures: pd.DataFrame
    communities: np.ndarray
    path_length: float
    diameter: int
    unplaced: int
    internal: int = 0
    betweenness_sources: int | None = None
    leiden: np.ndarray | None = None
    path_sources: int | None = None
    diameter_sweeps: int | None = None

    @property
    def label(self) -> str:
        return self.period.label

    @functools.cached_property
    def network(self) -> Network:
        from copatent.analytics.network import Network  # noqa: PLC0415 (igraph, scipy)

        return Network.from_edges(self.edges, self.nodes["node"].tolist())
