"""Discretisation: how the geographical detector cuts a numeric factor into strata.

A numeric factor becomes strata by a classification scheme of :mod:`copatent.analytics.breaks`
(Jenks natural breaks, quantiles, equal or geometric intervals, standard deviations) with ``k``
classes, or by *optimal* discretisation: every scheme with every ``k`` in a range, the one of
highest q kept (Song et al. 2020, doi:10.1080/15481603.2020.1760434); or it is used as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from copatent._errors import InputError
from copatent.analytics import breaks
from copatent.analytics.geodetector import Singletons, factor_detector

OPTIMAL_CLASSES: Final = (3, 8)
"""Class counts tried by optimal discretisation, inclusive."""


class ClassesError(InputError):
    """A factor's values cannot be cut into the classes asked for.

    Too few distinct values, geometric intervals on values ≤ 0, ...: the factor can be used as
    categories, or cut another way; a command line says how with its options.
    """


@dataclass(frozen=True)
class Discretization:
    """How continuous factors become strata.

    ``none``, one classification scheme with ``k`` classes, or ``optimal``: every scheme of
    :data:`copatent.analytics.breaks.SCHEMES` with every class count in ``ks``, the highest q kept
    (the first on ties; Song et al. 2020, doi:10.1080/15481603.2020.1760434).
    """

    scheme: Literal["none", "optimal"] | breaks.Scheme
    k: int = 5
    ks: tuple[int, ...] = tuple(range(OPTIMAL_CLASSES[0], OPTIMAL_CLASSES[1] + 1))

    def label(self) -> str:
        """How it is written in the results: ``jenks:5``, ``optimal:3-8``, ``none``.

        >>> Discretization("optimal").label(), Discretization("quantile", 4).label()
        ('optimal:3-8', 'quantile:4')
        """
        if self.scheme == "optimal":
            return f"optimal:{self.ks[0]}-{self.ks[-1]}"
        return "none" if self.scheme == "none" else f"{self.scheme}:{self.k}"


DEFAULT_DISCRETIZATION: Final = Discretization("jenks", 5)
"""How :func:`copatent.analytics.detection.detect` cuts a numeric factor unless told (the study:
Jenks, 5 classes)."""


@dataclass(frozen=True)
class Stratified:
    """One factor as strata, and how it was cut.

    ``method`` (the classification scheme used), ``k`` (classes made: tied quantiles or bounds
    outside the range can make fewer), ``k_asked`` (classes asked for), ``bounds``;
    ``method="categorical"`` when the factor is used as it is. ``tried``: for optimal
    discretisation, ``(scheme, k asked for, q)`` of every candidate.
    """

    x: str
    labels: np.ndarray
    method: str
    k: int | None
    bounds: tuple[float, ...] | None
    tried: tuple[tuple[str, int, float], ...] = ()
    k_asked: int | None = None


def stratify(
    y: npt.NDArray[np.float64],
    values: pd.Series,
    *,
    x: str,
    numeric: bool,
    how: Discretization,
    singletons: Singletons = "keep",
    source: str = "data",
) -> Stratified:
    """Strata of one factor: numbers cut as ``how`` says, anything else used as it is.

    Numbers used as they are (``none``) are labelled in their shortest exact form, so that
    ``2`` and ``2.0`` are one stratum. Optimal discretisation scores each candidate by the q the
    factor detector would report (``singletons`` applied).

    Raises
    ------
    ClassesError
        The values cannot be cut into ``how.k`` classes by ``how.scheme`` (one line naming
        ``source``).
    InputError
        No candidate of optimal discretisation works.
    """
    if not numeric:
        return Stratified(x, values.to_numpy(dtype=object), "categorical", None, None)
    numbers = values.to_numpy(dtype=float)
    if how.scheme == "none":
        labels = np.array([f"{v:.17g}" for v in numbers], dtype=object)
        return Stratified(x, labels, "categorical", None, None)
    what = f"factor {x}"
    if how.scheme != "optimal":
        try:
            cut = breaks.classes(numbers, how.scheme, how.k, what=what)
        except InputError as exc:
            raise ClassesError(f"{source}: {exc}") from None
        labels = cut.classify(numbers, what=what)
        return Stratified(x, labels, how.scheme, cut.k, cut.bounds, k_asked=how.k)
    best: tuple[float, str, int, breaks.Breaks] | None = None
    tried: list[tuple[str, int, float]] = []
    for scheme in breaks.SCHEMES:  # ties: the first scheme, then the fewest classes
        for k in how.ks:
            try:
                cut = breaks.classes(numbers, scheme, k, what=what)
            except InputError:
                continue  # too few distinct values for k, or geometric on values ≤ 0
            q = factor_detector(y, cut.classify(numbers, what=what), singletons=singletons).q
            tried.append((scheme, k, q))
            if best is None or q > best[0]:
                best = (q, scheme, k, cut)
    if best is None:
        raise InputError(f"{source}: {what}: no discretisation works (too few distinct values)")
    _, chosen, asked, cut = best
    labels = cut.classify(numbers, what=what)
    return Stratified(x, labels, chosen, cut.k, cut.bounds, tuple(tried), k_asked=asked)
