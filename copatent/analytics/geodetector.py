"""The geographical detector (Wang et al. 2010, doi:10.1080/13658810802443457; DESIGN.md item 11).

Which stratified factor explains the spatial heterogeneity of ``y``? Every detector works on one
numeric ``y`` and factors given as **strata** (one label per observation: a category, or the
class of a discretised continuous factor, :mod:`copatent.analytics.breaks`).

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from copatent._errors import InputError
from copatent.analytics import breaks
from copatent.analytics._validate import native
from copatent.analytics.defaults import DEFAULT_DISCRETIZATION
from copatent.regions import match_regions
from copatent.tables import listing, natural_order, text_cells

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


# ------------------------------------------------------------------------------------------------
# a whole table: discretisation, then the detectors


OPTIMAL_CLASSES: Final = (3, 8)
"""Class counts tried by optimal discretisation, inclusive."""

MISSING: Final = frozenset({"", "na", "n/a", "nan", "null", "none"})
"""Cells read as missing (case-folded, stripped)."""


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

    @classmethod
    def parse(cls, text: str) -> Discretization:
        """Read ``jenks:5``, ``quantile:4``, ``equal:6``, ``geometric:5``, ``sd:4``, ``none``, ...

        ... ``optimal`` or ``optimal:3-8``; a :class:`ValueError` names what is wrong.

        >>> Discretization.parse("quantile:4"), Discretization.parse("optimal:3-5").ks
        (Discretization(scheme='quantile', k=4, ks=(3, 4, 5, 6, 7, 8)), (3, 4, 5))
        """
        name, _, arg = text.strip().casefold().partition(":")
        usage = (
            f"discretisation {text!r}: expected none, optimal[:MIN-MAX] or METHOD:K with METHOD "
            f"one of {', '.join(breaks.SCHEMES)} and K ≥ 2"
        )
        if name == "none" and not arg:
            return cls("none")
        if name == "optimal":
            if not arg:
                return cls("optimal")
            low, dash, high = arg.partition("-")
            if dash and low.isdigit() and high.isdigit() and 2 <= int(low) <= int(high):
                return cls("optimal", ks=tuple(range(int(low), int(high) + 1)))
            raise ValueError(usage)
        if name in breaks.SCHEMES and arg.isdigit() and int(arg) >= 2:
            return cls(name, k=int(arg))
        raise ValueError(usage)

    def label(self) -> str:
        if self.scheme == "optimal":
            return f"optimal:{self.ks[0]}-{self.ks[-1]}"
        return "none" if self.scheme == "none" else f"{self.scheme}:{self.k}"


@dataclass(frozen=True)
class Stratified:
    """One factor as strata, and how it was cut.

    ``method``, ``k`` (classes made: tied quantiles or bounds outside the range can make fewer),
    ``k_asked`` (classes asked for), ``bounds``; ``method="categorical"`` when the factor is used
    as it is. ``tried``: for optimal discretisation, ``(method, k asked for, q)`` of every
    candidate.
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
    """
    if not numeric:
        return Stratified(x, values.to_numpy(dtype=object), "categorical", None, None)
    numbers = values.to_numpy(dtype=float)
    if how.scheme == "none":
        labels = np.array([f"{v:.17g}" for v in numbers], dtype=object)
        return Stratified(x, labels, "categorical", None, None)
    what = f"factor {x}"
    hint = " (name it with --categorical, or choose another method or fewer classes)"
    if how.scheme != "optimal":
        try:
            cut = breaks.classes(numbers, how.scheme, how.k, what=what)
        except InputError as exc:
            raise InputError(f"{source}: {exc}{hint}") from None
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

    def as_dict(self) -> dict[str, object]:
        """JSON-ready; the keys are listed in :data:`JSON_KEYS`."""

        def clean(row: Mapping[Any, object]) -> dict[str, object]:
            return {str(k): native(v) for k, v in row.items()}

        values: dict[str, object] = {
            "y": self.y,
            "n": self.n,
            "variance": self.variance,
            "singletons": self.singletons,
            "discretization": self.discretization,
            "strata": [
                {
                    "x": s.x,
                    "method": s.method,
                    "k": s.k,
                    "k_asked": s.k_asked,
                    "bounds": list(s.bounds) if s.bounds is not None else None,
                    "tried": [{"method": m, "k": k, "q": q} for m, k, q in s.tried],
                }
                for s in self.strata
            ],
            "factor": [clean(vars(f)) for f in self.factor],
            "interaction": [clean(vars(i)) for i in self.interaction],
            "risk": [
                {
                    "x": r.x,
                    "strata": [clean(row) for row in r.strata.to_dict("records")],
                    "pairs": [clean(row) for row in r.pairs.to_dict("records")],
                }
                for r in self.risk
            ],
            "ecological": [clean(vars(e)) for e in self.ecological],
            "notes": list(self.notes),
        }
        return {key: values[key] for key in JSON_KEYS}


JSON_KEYS: Final[tuple[str, ...]] = (
    "y",
    "n",
    "variance",
    "singletons",
    "discretization",
    "strata",
    "factor",
    "interaction",
    "risk",
    "ecological",
    "notes",
)
"""Keys of :meth:`Detection.as_dict` (``copatent detect --json``), in order."""


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

    Columns are found by their stripped, case-folded header. Cells in :data:`MISSING` are
    missing: rows missing ``y`` or any factor are left out (complete cases; a note lists them).
    ``y`` must be numeric. A factor is numeric when every present cell is a number; numeric
    factors are cut by ``discretization`` (default :data:`DEFAULT_DISCRETIZATION`) unless listed
    in ``categorical``; text factors are used as they are. A factor of mostly numbers with some
    text cells is an error naming them (a typo would otherwise make every value a stratum).

    Raises
    ------
    InputError
        One line naming ``source``, the rows and columns at fault.
    """
    how = discretization or Discretization.parse(DEFAULT_DISCRETIZATION)
    columns = _columns(table, y, xs, categorical, source)
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


@dataclass(frozen=True)
class _Columns:
    """The complete rows of the wanted columns: numeric ones parsed, the rest as text."""

    numbers: dict[str, pd.Series]
    cells: dict[str, pd.Series]
    notes: tuple[str, ...]


def _columns(
    table: pd.DataFrame, y: str, xs: Sequence[str], categorical: Sequence[str], source: str
) -> _Columns:
    wanted = [y, *xs]
    folded = [c.strip().casefold() for c in wanted]
    headers = _headers(table, wanted, categorical, source)
    as_is = {c.strip().casefold() for c in categorical}
    cells = {c: text_cells(table[headers[f]]) for c, f in zip(wanted, folded, strict=True)}
    rows = np.arange(len(table)) + 2  # spreadsheet rows: the header is row 1
    absent = np.zeros(len(table), dtype=bool)
    for column in wanted:
        absent |= cells[column].str.casefold().isin(MISSING).to_numpy()
    kept = {c: v[~absent].reset_index(drop=True) for c, v in cells.items()}
    n = int((~absent).sum())
    if n < 3:
        raise InputError(f"{source}: {n} complete row(s); the detector needs at least 3")
    numbers: dict[str, pd.Series] = {}
    problems: list[str] = []
    where = rows[~absent]
    for column, key in zip(wanted, folded, strict=True):
        parsed = pd.to_numeric(kept[column], errors="coerce")
        bad = parsed.isna().to_numpy()
        if not bad.any():
            infinite = ~np.isfinite(parsed.to_numpy(dtype=float))
            problems += _listed(where[infinite], kept[column][infinite], column, "not finite")
            if key not in as_is:
                numbers[column] = parsed.astype(float)
        elif column == y or (key not in as_is and bad.mean() < 0.5):
            problems += _listed(where[bad], kept[column][bad], column, "not a number")
        elif key not in as_is and kept[column].nunique() > len(kept[column]) / 2:
            problems.append(
                f"column {column}: text with {kept[column].nunique()} distinct values in "
                f"{len(kept[column])} rows, e.g. {kept[column].iloc[0]!r}: write plain numbers "
                "(no thousands separators or %), or name it with --categorical"
            )
    if problems:
        raise InputError(f"{source}: " + "; ".join(problems))
    notes = []
    if absent.any():
        shown = listing([str(r) for r in rows[absent]], limit=10)
        notes.append(f"{int(absent.sum())} row(s) with a missing value left out: {shown}")
    return _Columns(numbers, kept, tuple(notes))


def _listed(rows: np.ndarray, cells: pd.Series, column: str, what: str) -> list[str]:
    """``row r, column c: 'v' is <what>`` for the first five, then a count of the rest."""
    found = [
        f"row {r}, column {column}: {v!r} is {what}"
        for r, v in zip(rows[:5].tolist(), cells[:5].tolist(), strict=True)
    ]
    if len(rows) > 5:
        found.append(f"(+{len(rows) - 5} more in column {column})")
    return found


def _headers(
    table: pd.DataFrame, wanted: list[str], categorical: Sequence[str], source: str
) -> dict[str, object]:
    """Case-folded header → column label, after checking the wanted columns."""
    headers: dict[str, object] = {}
    repeated: set[str] = set()
    for label in table.columns:
        key = str(label).strip().casefold()
        if key in headers:
            repeated.add(key)
        headers.setdefault(key, label)
    folded = [c.strip().casefold() for c in wanted]
    twice = [c for c, f in zip(wanted, folded, strict=True) if f in repeated]
    if twice:
        raise InputError(
            f"{source}: more than one column is headed {', '.join(map(repr, twice))} "
            "(headers are matched without case)"
        )
    absent = [c for c, f in zip(wanted, folded, strict=True) if f not in headers]
    if absent:
        found = listing([str(c).strip() for c in table.columns])
        raise InputError(
            f"{source}: no column {', '.join(repr(c) for c in absent)}; columns found: {found}"
        )
    if len(wanted) < 2:
        raise InputError(f"{source}: no factor (--x) given")
    if len(set(folded)) < len(folded):
        raise InputError(f"{source}: a column is named twice in --y and --x: {', '.join(wanted)}")
    if {c.strip().casefold() for c in categorical} - set(folded[1:]):
        raise InputError(f"{source}: --categorical {', '.join(categorical)} must be --x columns")
    return headers


# ------------------------------------------------------------------------------------------------
# regional statistics joined to a period's network


def join_regions(
    centrality: pd.DataFrame,
    factors: pd.DataFrame,
    *,
    scale: str,
    y: str,
    xs: Sequence[str] = (),
    source: str = "factors",
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The network's nodes with their ``y`` (a centrality column) and their statistics.

    ``factors``' first column names the region (name or adcode, matched as
    :func:`copatent.regions.match_regions` does); ``xs`` are its factor columns (default:
    every other column whose present cells are all numbers). Returns the joined table (``node``,
    ``name``, ``y``, the factors, one row per node with statistics), the factor names, and notes
    listing the rows that match no region, the regions outside the network and the nodes
    without statistics.
    """
    codes_not_measures = ("node", "name", "tier_range", "role", "component", "community", "tier")
    measures = [c for c in centrality.columns if c not in codes_not_measures]
    if y not in measures:
        raise InputError(f"--y {y!r} is not a node measure; choose one of: {', '.join(measures)}")
    if factors.shape[1] < 2:
        raise InputError(f"{source}: needs a region column and at least one factor column")
    key = str(factors.columns[0]).strip()
    names = text_cells(factors.iloc[:, 0])
    codes = match_regions(names, scale)
    rows = np.arange(len(factors)) + 2
    notes: list[str] = []
    unmatched = (codes.isna() & (names != "")).to_numpy()
    if unmatched.any():
        listed = listing(
            [f"row {r} {v!r}" for r, v in zip(rows[unmatched], names[unmatched], strict=True)],
            limit=10,
        )
        notes.append(f"{source}: {int(unmatched.sum())} row(s) name no {scale}: {listed}")
    repeated = (codes.notna() & codes.duplicated(keep="first")).to_numpy()
    if repeated.any():
        r = int(rows[repeated][0])
        raise InputError(
            f"{source}: row {r}, column {key}: {names.iloc[r - 2]!r} is a {scale} named before"
        )
    cells = {str(c).strip(): text_cells(factors[c]) for c in factors.columns[1:]}
    if not xs:
        xs = [name for name, column in cells.items() if _numeric(column)]
        skipped = [name for name in cells if name not in xs]
        if skipped:
            notes.append(f"{source}: text column(s) {', '.join(skipped)} not used as factors")
        if not xs:
            raise InputError(f"{source}: no numeric factor column besides {key!r}")
    folded = {name.casefold(): name for name in cells}
    absent = [x for x in xs if x.strip().casefold() not in folded]
    if absent:
        raise InputError(
            f"{source}: no column {', '.join(map(repr, absent))}; columns: {', '.join(cells)}"
        )
    stats = pd.DataFrame(
        {x: cells[folded[x.strip().casefold()]].to_numpy() for x in xs}, index=codes.to_numpy()
    )
    stats = stats[stats.index.notna()]
    nodes = centrality.loc[:, ["node", "name", y]]
    present = nodes["node"].isin(set(stats.index)).to_numpy()
    if (~present).any():
        missing = nodes.loc[~present, "name"].astype(str).tolist()
        notes.append(
            f"{len(missing)} node(s) of the network have no row in {source}: "
            f"{listing(missing, limit=10)}"
        )
    outside = int((~stats.index.isin(set(nodes["node"]))).sum())
    if outside:
        notes.append(f"{outside} row(s) of {source} are regions outside the network: left out")
    joined = nodes[present].reset_index(drop=True)
    for x in xs:
        joined[x] = stats.loc[joined["node"], x].to_numpy()
    return joined, list(xs), notes


def _numeric(cells: pd.Series) -> bool:
    """Whether every present cell is a number (and some cell is present)."""
    present = cells[~cells.str.casefold().isin(MISSING)]
    return bool(len(present)) and bool(pd.to_numeric(present, errors="coerce").notna().all())
