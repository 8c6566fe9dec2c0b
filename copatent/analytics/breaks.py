"""Natural-break tiers (DESIGN.md item 8): Jenks's classes of edge weights and node centrality.

Conventions:

- **algorithm**: Fisher–Jenks natural breaks, the optimal split of the sorted values into ``k``
  contiguous classes with the least within-class sum of squared deviations (Fisher 1958,
  doi:10.1080/01621459.1958.10501479; Jenks 1967, "The data model concept in statistical
  mapping", International Yearbook of Cartography 7, 186–190, no DOI). It is what ArcGIS's
  "Natural Breaks (Jenks)" computes; the breaks come from jenkspy's C implementation.
- **repeated whole numbers** (edge weights and weighted degrees are patent counts): jenkspy's
  time grows with the square of the number of values (16 s for 44,500 applicants' degrees), so
  such values go through the same dynamic programme run on the distinct values weighted by their
  counts, with jenkspy's arithmetic and its choice among equal costs. Whole-number sums are exact
  in floating point, so the breaks are jenkspy's (tested against it on thousands of samples);
  any other values go to jenkspy itself.
- **bounds**: ``k + 1`` values, ``min, b_1, ..., b_{k-1}, max``; each ``b_i`` is the largest
  value of class ``i``. jenkspy never splits tied values between two classes.
- **classes** are numbered ``1`` = lowest values ... ``k`` = highest. A value ``v`` is in class
  ``i`` when ``bounds[i-1] < v <= bounds[i]``; class 1 also holds ``bounds[0]``. (The study calls
  its strongest edges the "fourth tier" but its most central nodes the "first tier"; copatent
  always numbers from the bottom and reports each class with its range.)
- **baseline breaks**: edge tiers apply the breaks of one baseline period (default 2016–2020) to
  every period, so other periods' values can fall outside ``[min, max]``: those below go to
  class 1, those above to class ``k``, and early periods can lack the top classes.
- **too few values**: fewer distinct values than classes is an error, as in mapclassify's
  ``FisherJenks`` (a split would need empty classes).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

import jenkspy
import numpy as np
import numpy.typing as npt

from copatent._errors import InputError
from copatent.analytics._validate import as_numbers
from copatent.analytics.defaults import DEFAULT_CLASSES


@dataclass(frozen=True)
class Breaks:
    """Class bounds of a natural-break classification.

    Attributes
    ----------
    bounds
        ``k + 1`` non-decreasing values: the minimum, the upper bound of each class, the
        maximum last. Only the first two may be equal (a lowest class of one value).

    Examples
    --------
    >>> b = Breaks((1, 3, 8, 20))
    >>> b.k, b.classify([1, 3, 4, 8, 20]).tolist()
    (3, [1, 1, 2, 2, 3])
    >>> b.classify([0, 25]).tolist()  # outside the bounds: the end classes
    [1, 3]
    >>> [b.label(i) for i in (1, 2, 3)]
    ['1: [1, 3]', '2: (3, 8]', '3: (8, 20]']
    """

    bounds: tuple[float, ...]

    def __post_init__(self) -> None:
        bounds = tuple(float(b) for b in self.bounds)
        problems = []
        if len(bounds) < 2:
            problems.append(f"need at least 2 bounds, got {len(bounds)}")
        if not all(math.isfinite(b) for b in bounds):
            problems.append("bounds must be finite")
        elif any(hi < lo for lo, hi in _pairs(bounds)) or any(
            hi <= lo for lo, hi in _pairs(bounds[1:])
        ):
            problems.append("bounds must increase (only the first two may be equal)")
        if problems:
            raise InputError(f"class bounds {bounds}: " + "; ".join(problems))
        object.__setattr__(self, "bounds", bounds)

    @property
    def k(self) -> int:
        """Number of classes."""
        return len(self.bounds) - 1

    def classify(self, values: npt.ArrayLike, *, what: str = "values") -> npt.NDArray[np.int64]:
        """The class (1 ... k) of each value.

        Values below ``bounds[0]`` are put in class 1 and values above ``bounds[-1]`` in class
        ``k``, so that a baseline period's breaks classify any other period (see the module).

        Parameters
        ----------
        values
            Numbers to classify, one-dimensional; NaN is an error.
        what
            What the values are, for the error message.

        Returns
        -------
        numpy.ndarray
            Integer classes, same length as ``values``.

        Raises
        ------
        InputError
            When ``values`` are not numbers, not one-dimensional, or contain NaN.
        """
        array = as_numbers(values, what)
        missing = int(np.isnan(array).sum())
        if missing:
            raise InputError(f"cannot classify {what}: {_count(missing, 'NaN value')}")
        inner = np.asarray(self.bounds[1:-1])
        return np.searchsorted(inner, array, side="left").astype(np.int64) + 1

    def ranges(self, *, open_ends: bool = False) -> list[tuple[int, float, float]]:
        """``(class, low, high)`` for each class; class ``i`` holds ``low < v <= high``.

        Class 1 also holds ``low`` itself. With ``open_ends`` the first ``low`` is ``-inf`` and
        the last ``high`` is ``inf``, which is what :meth:`classify` does with values outside
        the bounds.

        >>> Breaks((1, 3, 8)).ranges()
        [(1, 1.0, 3.0), (2, 3.0, 8.0)]
        >>> Breaks((1, 3, 8)).ranges(open_ends=True)
        [(1, -inf, 3.0), (2, 3.0, inf)]
        """
        result = [(i, lo, hi) for i, (lo, hi) in enumerate(_pairs(self.bounds), start=1)]
        if open_ends:
            first, last = result[0], result[-1]
            result[0] = (first[0], -math.inf, first[2])
            result[-1] = (last[0], last[1], math.inf)
        return result

    def label(self, i: int, *, open_ends: bool = False) -> str:
        """Class ``i`` and its range, in interval notation: ``"1: [1, 3]"``, ``"2: (3, 8]"``.

        The lowest class is closed on both sides, the others are open below: ``(3, 8]`` holds the
        values above 3 up to and including 8. Integral bounds print without a decimal point. With
        ``open_ends`` the end classes read ``"1: ≤ 3"`` and ``"k: > 8"`` (baseline breaks applied
        to another period, see :meth:`classify`).

        >>> Breaks((1, 3.5, 8)).label(2), Breaks((1, 3.5, 8)).label(2, open_ends=True)
        ('2: (3.5, 8]', '2: > 3.5')
        """
        if not 1 <= i <= self.k:
            raise ValueError(f"class {i} does not exist: classes are 1 to {self.k}")
        lo, hi = _number(self.bounds[i - 1]), _number(self.bounds[i])
        if open_ends and self.k > 1 and i == self.k:
            return f"{i}: > {lo}"
        if open_ends and i == 1:
            return f"{i}: ≤ {hi}" if self.k > 1 else f"{i}: all values"
        return f"{i}: [{lo}, {hi}]" if i == 1 else f"{i}: ({lo}, {hi}]"


def jenks(values: npt.ArrayLike, k: int = DEFAULT_CLASSES, *, what: str = "values") -> Breaks:
    """Fisher–Jenks natural breaks of ``values`` into ``k`` classes.

    Parameters
    ----------
    values
        One-dimensional numbers (edge weights, a centrality measure, ...).
    k
        Number of classes, at least 2.
    what
        What the values are, named in the error message (``"edge weights of city 2016-2020"``).

    Returns
    -------
    Breaks
        ``k + 1`` bounds; with exactly ``k`` distinct values each is a class of its own.

    Raises
    ------
    InputError
        One message naming ``what`` and every problem: ``k < 2``, no values, NaN or infinite
        values, fewer distinct values than ``k``.

    Examples
    --------
    jenkspy's documented example (its ``jenks_breaks`` docstring):

    >>> jenks([1.3, 7.1, 7.3, 2.3, 3.9, 4.1, 7.8, 1.2, 4.3, 7.3, 5.0, 4.3], 3).bounds
    (1.2, 2.3, 5.0, 7.8)
    >>> jenks([1, 1, 2, 2], 3, what="edge weights of city 2001-2005")
    Traceback (most recent call last):
    ...
    copatent._errors.InputError: natural breaks of edge weights of city 2001-2005: 2 distinct values (1, 2), fewer than the 3 classes asked for
    """  # noqa: E501 (a doctest's expected line cannot be wrapped)
    array = as_numbers(values, what)
    problems = _size_problems(array, k)
    missing = int(np.isnan(array).sum())
    if missing:
        problems.append(_count(missing, "NaN value"))
    infinite = int(np.isinf(array).sum())
    if infinite:
        problems.append(_count(infinite, "infinite value"))
    distinct = np.unique(array[np.isfinite(array)])
    if array.size and k >= 2 and distinct.size < k:
        shown = ", ".join(_number(float(v)) for v in distinct[:10])
        more = ", ..." if distinct.size > 10 else ""
        problems.append(
            f"{_count(distinct.size, 'distinct value')} ({shown}{more}), "
            f"fewer than the {k} classes asked for"
        )
    if problems:
        raise InputError(f"natural breaks of {what}: " + "; ".join(problems))
    if distinct.size < array.size and _exact_in_floats(array):
        values, counts = np.unique(array, return_counts=True)
        return Breaks(_fisher_weighted(values, counts.astype(float), k))
    return Breaks(tuple(float(b) for b in jenkspy.jenks_breaks(array.tolist(), n_classes=k)))


_EXACT: Final = 2.0**53
"""Whole numbers below this are exact in a float64, and so are their sums."""

_CELLS: Final = 4_000_000
"""(class end, class start) pairs evaluated at a time by :func:`_fisher_weighted` (32 MB)."""


def _exact_in_floats(array: npt.NDArray[np.float64]) -> bool:
    """Whether every sum of values and of squares of ``array`` is exact in float64."""
    return bool(np.all(array == np.round(array)) and float(np.sum(array * array)) < _EXACT)


def _fisher_weighted(
    values: npt.NDArray[np.float64], counts: npt.NDArray[np.float64], k: int
) -> tuple[float, ...]:
    """Fisher's dynamic programme on sorted distinct ``values`` that occur ``counts`` times.

    The cost of a class is jenkspy's ``sum_squares - sum * sum / n`` (exact operands for whole
    numbers, so the same float as jenkspy's), a class ends where the least total cost of the
    classes before it plus its own is found, and among equal totals the earliest start wins, as
    jenkspy's ``>=`` does. Returns the bounds: the minimum, each class's largest value.
    """
    m = values.size
    weight = np.concatenate([[0.0], np.cumsum(counts)])
    total = np.concatenate([[0.0], np.cumsum(counts * values)])
    squares = np.concatenate([[0.0], np.cumsum(counts * values * values)])

    def cost(start: npt.NDArray[np.int64], end: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        n = weight[end + 1] - weight[start]
        s = total[end + 1] - total[start]
        with np.errstate(invalid="ignore", divide="ignore"):  # start > end: masked by the caller
            return np.asarray((squares[end + 1] - squares[start]) - (s * s) / n)

    best = cost(np.zeros(m, dtype=np.int64), np.arange(m))  # one class ending at each value
    starts = np.zeros((k, m), dtype=np.int64)
    rows = max(1, _CELLS // m)
    for j in range(1, k):
        found = np.full(m, np.inf)
        for first in range(j, m, rows):
            end = np.arange(first, min(m, first + rows))
            start = np.arange(j, end[-1] + 1)
            costs = best[start - 1][None, :] + cost(start[None, :], end[:, None])
            costs[start[None, :] > end[:, None]] = np.inf
            pick = np.argmin(costs, axis=1)  # the first of equal minima: the earliest start
            found[end] = costs[np.arange(end.size), pick]
            starts[j, end] = start[pick]
        best = found
    upper, last = [], m - 1
    for j in range(k - 1, 0, -1):
        begins = int(starts[j, last])
        upper.append(float(values[begins - 1]))
        last = begins - 1
    return (float(values[0]), *reversed(upper), float(values[-1]))


Scheme = Literal["jenks", "quantile", "equal", "geometric", "sd"]
"""A classification scheme: how a continuous variable is cut into classes (mapclassify's term;
the geographical detector's discretisation)."""

SCHEMES: Final[tuple[Scheme, ...]] = ("jenks", "quantile", "equal", "geometric", "sd")


def classes(values: npt.ArrayLike, scheme: Scheme, k: int, *, what: str = "values") -> Breaks:
    """Class bounds of ``values`` into (at most) ``k`` classes by ``scheme``.

    - ``jenks``: :func:`jenks` (exactly ``k`` classes, or an error);
    - ``quantile``: bounds at the ``i/k`` quantiles (numpy's default, R's type 7);
    - ``equal``: ``k`` intervals of equal width between the minimum and the maximum;
    - ``geometric``: ``k`` intervals whose bounds grow by a constant factor from the minimum to
      the maximum (``min · (max/min)^(i/k)``); the values must be positive;
    - ``sd``: intervals one standard deviation (sample) wide centred on the mean: inner bounds
      ``mean + (i − k/2) · sd`` for ``i = 1 ... k − 1``, the end classes open.

    Bounds that coincide (tied quantiles) or fall outside the values' range are dropped, so the
    other schemes can give fewer than ``k`` classes, and a class can be empty (no value between
    its bounds); the detector counts only the strata that have observations.

    >>> classes([1, 2, 3, 4, 5, 6, 7, 8], "equal", 2).bounds
    (1.0, 4.5, 8.0)
    >>> classes([1, 2, 4, 8, 16], "geometric", 2).bounds
    (1.0, 4.0, 16.0)
    >>> classes([1, 1, 1, 1, 2, 3], "quantile", 4).bounds
    (1.0, 1.0, 1.75, 3.0)
    """
    if scheme == "jenks":
        return jenks(values, k, what=what)
    array = as_numbers(values, what)
    problems = _size_problems(array, k)
    if array.size and not np.isfinite(array).all():
        problems.append("NaN or infinite values")
    elif scheme == "geometric" and array.size and array.min() <= 0:
        least = _number(float(array.min()))
        problems.append(f"geometric intervals need positive values; the minimum is {least}")
    if problems:
        raise InputError(f"{scheme} classes of {what}: " + "; ".join(problems))
    lo, hi = float(array.min()), float(array.max())
    steps = np.arange(1, k) / k
    if scheme == "quantile":
        inner = np.quantile(array, steps)
    elif scheme == "equal":
        inner = lo + steps * (hi - lo)
    elif scheme == "geometric":
        inner = lo * (hi / lo) ** steps
    elif scheme == "sd":
        inner = array.mean() + (np.arange(1, k) - k / 2) * array.std(ddof=1)
    else:
        raise ValueError(f"unknown scheme {scheme!r}")
    kept = sorted({float(b) for b in inner if lo <= b < hi})
    return Breaks((lo, *kept, hi)) if hi > lo else Breaks((lo, hi))


def tiers(
    values: npt.ArrayLike, k: int = DEFAULT_CLASSES, *, what: str = "values"
) -> tuple[Breaks, npt.NDArray[np.int64]]:
    """Natural breaks of ``values`` and the class (1 ... k) of each value.

    >>> breaks, classes = tiers([1, 2, 2, 9, 10, 30], 3, what="edge weights")
    >>> breaks.bounds, classes.tolist()
    ((1.0, 2.0, 10.0, 30.0), [1, 1, 1, 2, 2, 3])
    """
    breaks = jenks(values, k, what=what)
    return breaks, breaks.classify(values, what=what)


@dataclass(frozen=True)
class Tiers:
    """Tiers of a column that may have missing values, or why there are none.

    ``tier`` and ``label`` hold one entry per value, ``None`` where the value is missing or
    where no tiers could be computed; ``reason`` is then the one-line explanation.
    """

    breaks: Breaks | None
    tier: list[int | None]
    label: list[str | None]
    reason: str | None


def tiers_where_possible(
    values: npt.ArrayLike, k: int = DEFAULT_CLASSES, *, what: str = "values"
) -> Tiers:
    """:func:`tiers` of the non-missing ``values``; too few distinct values give a reason.

    >>> t = tiers_where_possible([1.0, float("nan"), 5.0], 4, what="flows")
    >>> t.tier, t.reason is not None
    ([None, None, None], True)
    """
    array = as_numbers(values, what)
    known = ~np.isnan(array)
    tier: list[int | None] = [None] * len(array)
    label: list[str | None] = [None] * len(array)
    if not known.any():
        return Tiers(None, tier, label, None)
    try:
        found, classified = tiers(array[known], k, what=what)
    except InputError as exc:
        return Tiers(None, tier, label, str(exc))
    for i, t in zip(np.flatnonzero(known), classified.tolist(), strict=True):
        tier[i], label[i] = t, found.label(t)
    return Tiers(found, tier, label, None)


def _size_problems(array: npt.NDArray[np.float64], k: int) -> list[str]:
    """What makes ``k`` classes of ``array`` impossible before looking at its values."""
    problems = []
    if k < 2:
        problems.append(f"k must be at least 2, got {k}")
    if array.size == 0:
        problems.append("no values")
    return problems


def _pairs(bounds: tuple[float, ...]) -> Iterator[tuple[float, float]]:
    return itertools.pairwise(bounds)


def _number(x: float) -> str:
    """``3.0`` as ``"3"``, other values to 6 significant digits."""
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else f"{x:.6g}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
