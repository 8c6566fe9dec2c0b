"""The geographical detector on a whole table: strata of every factor, then the detectors.

:func:`detect` reads the explained column and the factor columns of a table of text cells
(:func:`copatent.tables.numbers.numeric_columns`), cuts the numeric factors into strata
(:mod:`copatent.analytics.discretization`) and runs the factor detector, and on request the
interaction, risk and ecological detectors (:mod:`copatent.analytics.geodetector`, where the
statistics and their conventions are).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import pandas as pd

from copatent.analytics.discretization import (
    DEFAULT_DISCRETIZATION,
    Discretization,
    Stratified,
    stratify,
)
from copatent.analytics.geodetector import (
    Ecological,
    Factor,
    Interaction,
    Risk,
    Singletons,
    Variance,
    ecological_detector,
    factor_detector,
    interaction_detector,
    pairs,
    risk_detector,
)
from copatent.tables.numbers import numeric_columns


class DetectOptions(TypedDict, total=False):
    """The keyword options of :func:`detect` but ``source``, to pass them on as one."""

    discretization: Discretization | None
    categorical: Sequence[str]
    interaction: bool
    risk: bool
    ecological: bool
    variance: Variance
    singletons: Singletons


@dataclass(frozen=True, eq=False)
class Detection:
    """Everything the detectors found on one table (see :func:`detect`)."""

    y: str
    n: int
    variance: Variance
    singletons: Singletons
    discretization: str
    strata: tuple[Stratified, ...]
    factor: tuple[Factor, ...]
    interaction: tuple[Interaction, ...]
    risk: tuple[Risk, ...]
    ecological: tuple[Ecological, ...]
    notes: tuple[str, ...]

    def factor_table(self) -> pd.DataFrame:
        """One row per factor: the fields of :class:`Factor`, then ``method`` and ``k``."""
        cut = {s.x: (s.method, s.k) for s in self.strata}
        rows = [vars(f) | {"method": cut[f.x][0], "k": cut[f.x][1]} for f in self.factor]
        return pd.DataFrame(rows)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The results as tables for CSV files.

        ``factor`` and ``strata`` always; ``interaction``, ``risk_means``, ``risk_tests`` and
        ``ecological`` when those detectors ran.
        """
        found = {
            "factor": self.factor_table(),
            "strata": pd.DataFrame(
                [
                    {
                        "x": s.x,
                        "method": s.method,
                        "k_asked": s.k_asked,
                        "k": s.k,
                        "bounds": " ".join(f"{b:.17g}" for b in s.bounds) if s.bounds else None,
                    }
                    for s in self.strata
                ]
            ),
        }
        if self.interaction:
            found["interaction"] = pd.DataFrame([vars(i) for i in self.interaction])
        if self.risk:
            found["risk_means"] = pd.concat(
                [r.strata.assign(x=r.x) for r in self.risk], ignore_index=True
            ).loc[:, ["x", "stratum", "n", "mean"]]
            found["risk_tests"] = pd.concat(
                [r.pairs.assign(x=r.x) for r in self.risk], ignore_index=True
            ).loc[:, ["x", *self.risk[0].pairs.columns]]
        if self.ecological:
            found["ecological"] = pd.DataFrame([vars(e) for e in self.ecological])
        return found


def detect(
    table: pd.DataFrame,
    y: str,
    xs: Sequence[str],
    *,
    discretization: Discretization | None = None,
    categorical: Sequence[str] = (),
    interaction: bool = False,
    risk: bool = False,
    ecological: bool = False,
    variance: Variance = "sample",
    singletons: Singletons = "keep",
    source: str = "data",
) -> Detection:
    """Run the detectors on columns of ``table`` (cells as text or numbers).

    Columns are found by their stripped, case-folded header. Cells in
    :data:`~copatent.tables.numbers.MISSING` are missing: rows missing ``y`` or any factor are
    left out (complete cases; a note lists them). ``y`` must be numeric. A factor is numeric when
    every present cell is a number; numeric factors are cut by ``discretization`` (default
    :data:`~copatent.analytics.discretization.DEFAULT_DISCRETIZATION`) unless listed in
    ``categorical``; text factors are used as they are. A factor of mostly numbers with some text
    cells is an error naming them (a typo would otherwise make every value a stratum); see
    :func:`copatent.tables.numbers.numeric_columns`.

    Raises
    ------
    InputError
        One line naming ``source``, the rows and columns at fault; the subclasses
        :class:`~copatent.tables.numbers.RepeatedColumnError`,
        :class:`~copatent.tables.numbers.CategoricalColumnError` (the columns asked for
        contradict each other) and :class:`~copatent.analytics.discretization.ClassesError` (a
        factor cannot be cut as asked) name the parameters, so that a command line can name its
        options instead.
    """
    how = discretization or DEFAULT_DISCRETIZATION
    columns = numeric_columns(table, y, xs, categorical=categorical, source=source)
    values = columns.numbers[y].to_numpy(dtype=float)
    cut = [x in columns.numbers for x in xs]
    stratified = tuple(
        stratify(
            values,
            columns.numbers[x] if numeric else columns.cells[x],
            x=x,
            numeric=numeric,
            how=how,
            singletons=singletons,
            source=source,
        )
        for x, numeric in zip(xs, cut, strict=True)
    )
    labels = {s.x: s.labels for s in stratified}
    factor = tuple(
        factor_detector(values, labels[x], x=x, variance=variance, singletons=singletons)
        for x in xs
    )
    notes = list(columns.notes)
    if np.ptp(values) == 0:
        notes.append(f"{y} is constant: nothing to explain, every q is 0")
    for f in factor:
        if f.dropped:
            notes.append(f"factor {f.x}: {f.dropped} row(s) in single-row strata dropped")
        if f.n_strata == 1:
            notes.append(f"factor {f.x}: one stratum, nothing to compare: no F, no p")
        elif math.isinf(f.f):
            notes.append(f"factor {f.x}: q = 1 (every stratum constant): F is infinite, p = 0")
        elif f.p_value == 0.0:
            notes.append(f"factor {f.x}: p below the smallest double (~1e-308), shown as 0")
    both = pairs(xs)
    return Detection(
        y=y,
        n=len(values),
        variance=variance,
        singletons=singletons,
        discretization=how.label(),
        strata=stratified,
        factor=factor,
        interaction=tuple(
            interaction_detector(values, labels[a], labels[b], x1=a, x2=b, singletons=singletons)
            for a, b in (both if interaction else [])
        ),
        risk=tuple(risk_detector(values, labels[x], x=x) for x in (xs if risk else [])),
        ecological=tuple(
            ecological_detector(values, labels[a], labels[b], x1=a, x2=b)
            for a, b in (both if ecological else [])
        ),
        notes=tuple(notes),
    )
