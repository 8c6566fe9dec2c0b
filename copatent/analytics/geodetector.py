"""The geographical detector (Wang et al. 2010, doi:10.1080/13658810802443457; DESIGN.md item 11).

Which stratified factor explains the spatial heterogeneity of ``y``? Every detector works on one
numeric ``y`` and factors given as **strata** (one label per observation: a category, or the
class of a discretised continuous factor, :mod:`copatent.analytics.breaks`). The detectors on a
whole table: :mod:`copatent.analytics.detection`, which cuts numeric factors into strata with
:mod:`copatent.analytics.discretization`; on regional statistics joined to the networks' nodes:
:mod:`copatent.analytics.regional`.

- **factor detector**: ``q = 1 − SSW/SST`` with ``SSW = Σ_h Σ_{i∈h} (y_i − ȳ_h)²`` and
  ``SST = Σ_i (y_i − ȳ)²`` (the paper's Eq. 2, ``1 − Σ N_h σ_h² / (N σ²)``). ``q`` is in
  ``[0, 1]``: 0 when every stratum has the same mean, 1 when every stratum is constant.
  ``F = (N − L)/(L − 1) · q/(1 − q)`` with ``df = (L − 1, N − L)`` follows a non-central F with
  ``λ = [Σ_h ȳ_h² − (Σ_h √N_h ȳ_h)² / N] / σ²``; the p-value is its upper tail, from the
  survival function (``scipy.stats.ncf.sf``, never ``1 − cdf``, so that p-values far below
  1e-9 keep their digits; below about 1e-308 they underflow to 0 and a note says so).

  **Conventions where the implementations differ.** ``σ²`` is the *sample* variance
  (``ddof = 1``) by default, as in the CRAN package geodetector and the original GeoDetector
  Excel tool; ``variance="population"`` (``ddof = 0``) is what the R packages GD and gdverse
  use, and gives a different λ and p (never a different q or F). Strata of a single
  observation are kept by default (they have no within-stratum variance and count in ``L``);
  ``singletons="drop"`` removes their rows first, as some tools require.

- **interaction detector**: ``q12`` is the q of the cross-classification ``x1 × x2`` (the
  stratum of an observation is the *pair* of its two labels, never the concatenation of two
  codes: "1" + "11" and "11" + "1" are different strata). With ``lo = min(q1, q2)``,
  ``hi = max(q1, q2)`` and ``s = q1 + q2`` (Wang et al. 2010, Table 1, with the boundaries
  as the R packages GD and gdverse draw them; the CRAN package geodetector differs at the
  boundaries: it calls ``q12 = hi`` "enhance, bi-", ``q12 = lo`` "weaken, nonlinear", and never
  says "independent"):

  ====================================  ====================
  ``q12 < lo``                          weaken, nonlinear
  ``lo ≤ q12 ≤ hi``                     weaken, uni-
  ``hi < q12 < s − tol``                enhance, bi-
  ``|q12 − s| ≤ tol``                   independent
  ``q12 > s + tol``                     enhance, nonlinear
  ====================================  ====================

  ``tol`` = :data:`INDEPENDENCE_TOLERANCE` (1e-6, absolute on q): "independent" means equal up
  to rounding, not "close"; the ranges before it take precedence.

- **risk detector**: the mean of ``y`` in each stratum, and for every pair of strata a Welch
  t-test (unequal variances, two-sided, ``α`` = 0.05): is the mean of ``y`` different? A
  stratum of one observation has no variance: its pairs have no test (NaN, not significant).

- **ecological detector**: do factors ``x1`` and ``x2`` explain ``y`` equally well?
  ``F = N_x1 (N_x2 − 1) SSW_x1 / (N_x2 (N_x1 − 1) SSW_x2)`` with ``df = (N_x1 − 1, N_x2 − 1)``
  (``N_x`` the observations of the factor, the same for both on one table), tested two-sided
  at ``α`` = 0.05 (p = 2 · min(cdf, sf)).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from copatent.tables import natural_order

Variance = Literal["sample", "population"]
Singletons = Literal["keep", "drop"]

ALPHA: Final = 0.05
"""Significance level of the risk and ecological detectors."""

INDEPENDENCE_TOLERANCE: Final = 1e-6
"""``|q12 − (q1 + q2)|`` up to which the interaction detector says "independent"."""

INTERACTION_TYPES: Final[tuple[str, ...]] = (
    "weaken, nonlinear",
    "weaken, uni-",
    "enhance, bi-",
    "independent",
    "enhance, nonlinear",
)


def strata(*factors: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Stratum codes 0, 1, ... (first appearance) of one factor or the cross of several.

    The stratum of an observation is the tuple of its labels, so labels are never merged by
    concatenation:

    >>> strata(["1", "11", "a"], ["11", "1", "a"]).tolist()
    [0, 1, 2]
    >>> strata(["1", "11"], ["11", "1"]).tolist() == strata(["11", "1"], ["1", "11"]).tolist()
    True
    """
    if not factors:
        raise ValueError("no factor")
    codes = [
        pd.factorize(pd.Series(list(np.asarray(f, dtype=object))), sort=False)[0] for f in factors
    ]
    if len(codes) == 1:
        return codes[0].astype(np.int64)
    keys = pd.Series(list(zip(*codes, strict=True)), dtype=object)
    return pd.factorize(keys, sort=False)[0].astype(np.int64)


@dataclass(frozen=True)
class Factor:
    """The factor detector's result for one factor (see the module).

    ``n``: observations used; ``dropped``: rows left out as single-observation strata
    (``singletons="drop"``); ``noncentrality``: λ; ``f``, ``p_value``: NaN with one stratum.
    """

    x: str
    q: float
    f: float
    df1: int
    df2: int
    noncentrality: float
    p_value: float
    n_strata: int
    n: int
    dropped: int = 0


def _keep(codes: npt.NDArray[np.int64], singletons: Singletons) -> npt.NDArray[np.bool_]:
    if singletons == "keep":
        return np.ones(len(codes), dtype=bool)
    counts = np.bincount(codes)
    return counts[codes] > 1


def q_statistic(y: npt.ArrayLike, codes: npt.ArrayLike) -> float:
    """``q = 1 − SSW/SST`` of ``y`` stratified by ``codes``; 0 when ``y`` is constant.

    >>> q_statistic([1, 1, 5, 5], [0, 0, 1, 1]), q_statistic([1, 5, 1, 5], [0, 0, 1, 1])
    (1.0, 0.0)
    """
    values = np.asarray(y, dtype=float)
    labels = pd.factorize(pd.Series(np.asarray(codes)))[0]
    if values.size == 0 or np.ptp(values) == 0:
        return 0.0  # constant y: the mean's rounding would make SST and SSW noise, not 0
    sst = float(np.sum((values - values.mean()) ** 2))
    if sst <= len(values) * (np.finfo(float).eps * float(np.max(np.abs(values)))) ** 2:
        return 0.0  # constant y, up to rounding
    return min(1.0, max(0.0, 1.0 - _ssw(values, labels) / sst))


def _ssw(values: npt.NDArray[np.float64], labels: npt.NDArray[np.intp]) -> float:
    """Within-strata sum of squares."""
    n = np.bincount(labels).astype(float)
    means = np.bincount(labels, weights=values) / n
    return float(np.sum((values - means[labels]) ** 2))


def factor_detector(
    y: npt.ArrayLike,
    factor: npt.ArrayLike,
    *,
    x: str = "x",
    variance: Variance = "sample",
    singletons: Singletons = "keep",
) -> Factor:
    """q, F and the non-central-F p-value of ``factor`` (strata labels) for ``y``.

    The CRAN geodetector documentation's NTD example (``factor_detector``) gives
    q = 0.6378 for the watershed strata; see tests/unit/test_geodetector.py.

    By hand: SST = 16.48, SSW = 0.02 + 0.005 + 0.045 = 0.07, q = 1 − 0.07/16.48.

    >>> r = factor_detector([1.0, 1.2, 3.0, 3.1, 5.0, 5.3], ["a", "a", "b", "b", "c", "c"])
    >>> round(r.q, 6) == round(1 - 0.07 / 16.48, 6), r.n_strata, (r.df1, r.df2)
    (True, 3, (2, 3))
    """
    values = np.asarray(y, dtype=float)
    codes = strata(factor)
    keep = _keep(codes, singletons)
    values, codes = values[keep], pd.factorize(pd.Series(codes[keep]))[0]
    n, levels = len(values), int(codes.max()) + 1 if len(codes) else 0
    q = q_statistic(values, codes) if n else math.nan
    df1, df2 = levels - 1, n - levels
    f = p = lam = math.nan
    if df1 > 0 and df2 > 0 and n > 1:
        f = math.inf if q >= 1 else df2 / df1 * q / (1 - q)
        counts = np.bincount(codes).astype(float)
        means = np.bincount(codes, weights=values) / counts
        spread = float(np.var(values, ddof=1 if variance == "sample" else 0))
        if spread > 0:
            lam = (
                float(np.sum(means**2)) - float(np.sum(np.sqrt(counts) * means)) ** 2 / n
            ) / spread
            lam = max(lam, 0.0)  # rounding below 0 when every mean is equal
            p = 0.0 if math.isinf(f) else _upper_tail(f, df1, df2, lam)
    return Factor(
        x=x,
        q=q,
        f=f,
        df1=df1,
        df2=df2,
        noncentrality=lam,
        p_value=p,
        n_strata=levels,
        n=n,
        dropped=int((~keep).sum()),
    )


def _upper_tail(f: float, df1: int, df2: int, lam: float) -> float:
    """P(F' > f) of the non-central F, in [0, 1].

    λ = 0 is the central F: scipy's ``ncf.sf`` returns a negative number there (scipy 1.17:
    ``ncf.sf(2, 3, 10, 0) = −0.82``), so ``f.sf`` is used.
    """
    tail = stats.f.sf(f, df1, df2) if lam <= 0 else stats.ncf.sf(f, df1, df2, lam)
    return min(1.0, max(0.0, float(tail)))


@dataclass(frozen=True)
class Interaction:
    """The interaction detector's result for one pair of factors (see the module)."""

    x1: str
    x2: str
    q1: float
    q2: float
    q12: float
    n_strata: int
    type: str


def interaction_type(
    q1: float, q2: float, q12: float, *, tolerance: float = INDEPENDENCE_TOLERANCE
) -> str:
    """One of :data:`INTERACTION_TYPES` (the module's table).

    >>> interaction_type(0.2, 0.3, 0.1), interaction_type(0.2, 0.3, 0.25)
    ('weaken, nonlinear', 'weaken, uni-')
    >>> [interaction_type(0.2, 0.3, q12) for q12 in (0.4, 0.5, 0.6)]
    ['enhance, bi-', 'independent', 'enhance, nonlinear']
    """
    lo, hi, total = min(q1, q2), max(q1, q2), q1 + q2
    if q12 < lo:
        return INTERACTION_TYPES[0]
    if q12 <= hi:
        return INTERACTION_TYPES[1]
    if q12 < total - tolerance:
        return INTERACTION_TYPES[2]
    if q12 <= total + tolerance:
        return INTERACTION_TYPES[3]
    return INTERACTION_TYPES[4]


def interaction_detector(
    y: npt.ArrayLike,
    factor1: npt.ArrayLike,
    factor2: npt.ArrayLike,
    *,
    x1: str = "x1",
    x2: str = "x2",
    singletons: Singletons = "keep",
    tolerance: float = INDEPENDENCE_TOLERANCE,
) -> Interaction:
    """Q of each factor and of their cross-classification, and the interaction type.

    With ``singletons="drop"`` the rows of single-observation strata of the cross are left out
    of all three q values, so that they compare on the same observations.
    """
    values = np.asarray(y, dtype=float)
    f1 = np.asarray(factor1, dtype=object)
    f2 = np.asarray(factor2, dtype=object)
    crossed = strata(f1, f2)
    keep = _keep(crossed, singletons)
    if keep.sum() < 2:  # every crossed stratum a single row, dropped
        nan = math.nan
        return Interaction(x1, x2, nan, nan, nan, 0, "undefined (no rows left)")
    q1 = q_statistic(values[keep], strata(f1[keep]))
    q2 = q_statistic(values[keep], strata(f2[keep]))
    q12 = q_statistic(values[keep], crossed[keep])
    return Interaction(
        x1=x1,
        x2=x2,
        q1=q1,
        q2=q2,
        q12=q12,
        n_strata=len(np.unique(crossed[keep])),
        type=interaction_type(q1, q2, q12, tolerance=tolerance),
    )


@dataclass(frozen=True)
class Risk:
    """The risk detector's result for one factor.

    ``strata``: ``stratum`` (the label), ``n``, ``mean`` of y, in the order of the labels.
    ``pairs``: ``stratum1``, ``stratum2``, ``mean1``, ``mean2``, ``t``, ``df`` (Welch), ``p_value``
    (two-sided), ``significant`` (``p_value < alpha``), one row per pair of strata.
    """

    x: str
    strata: pd.DataFrame
    pairs: pd.DataFrame
    alpha: float


def risk_detector(
    y: npt.ArrayLike, factor: npt.ArrayLike, *, x: str = "x", alpha: float = ALPHA
) -> Risk:
    """Stratum means of ``y`` and Welch t-tests between every pair of strata."""
    frame = pd.DataFrame({"y": np.asarray(y, dtype=float), "s": np.asarray(factor, dtype=object)})
    found: dict[object, np.ndarray] = {
        label: g["y"].to_numpy() for label, g in frame.groupby("s", sort=False)
    }
    groups = {label: found[label] for label in natural_order(found)}
    table = pd.DataFrame(
        {
            "stratum": list(groups),
            "n": [len(v) for v in groups.values()],
            "mean": [float(v.mean()) for v in groups.values()],
        }
    )
    rows = []
    for (a, ya), (b, yb) in itertools.combinations(groups.items(), 2):
        t = df = p = math.nan
        if len(ya) > 1 and len(yb) > 1 and (ya.var(ddof=1) > 0 or yb.var(ddof=1) > 0):
            result = stats.ttest_ind(ya, yb, equal_var=False)
            t, p = float(result.statistic), float(result.pvalue)
            df = float(result.df)
        rows.append(
            {
                "stratum1": a,
                "stratum2": b,
                "mean1": float(ya.mean()),
                "mean2": float(yb.mean()),
                "t": t,
                "df": df,
                "p_value": p,
                "significant": bool(p < alpha),
            }
        )
    columns = ["stratum1", "stratum2", "mean1", "mean2", "t", "df", "p_value", "significant"]
    return Risk(x=x, strata=table, pairs=pd.DataFrame(rows, columns=columns), alpha=alpha)


@dataclass(frozen=True)
class Ecological:
    """The ecological detector's result for one pair of factors (see the module)."""

    x1: str
    x2: str
    f: float
    df1: int
    df2: int
    p_value: float
    significant: bool


def ecological_detector(
    y: npt.ArrayLike,
    factor1: npt.ArrayLike,
    factor2: npt.ArrayLike,
    *,
    x1: str = "x1",
    x2: str = "x2",
    alpha: float = ALPHA,
) -> Ecological:
    """F = SSW ratio of the two factors, two-sided F test at ``alpha``."""
    values = np.asarray(y, dtype=float)
    n1 = n2 = len(values)
    ssw1 = _ssw(values, strata(factor1))
    ssw2 = _ssw(values, strata(factor2))
    df1, df2 = n1 - 1, n2 - 1
    f = p = math.nan
    if ssw2 > 0 and df1 > 0:
        f = n1 * (n2 - 1) * ssw1 / (n2 * (n1 - 1) * ssw2)
        p = float(min(1.0, 2 * min(stats.f.cdf(f, df1, df2), stats.f.sf(f, df1, df2))))
    return Ecological(x1=x1, x2=x2, f=f, df1=df1, df2=df2, p_value=p, significant=bool(p < alpha))


def pairs(names: Sequence[str]) -> list[tuple[str, str]]:
    """Every pair of factors, in the order given: (x1, x2), (x1, x3), ..., (x2, x3), ..."""
    return list(itertools.combinations(names, 2))
