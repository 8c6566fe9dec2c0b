"""Natural breaks: hand-checked splits, a brute-force oracle, ties, errors and classification."""

from __future__ import annotations

import itertools

import jenkspy
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from copatent._errors import InputError
from copatent.analytics.breaks import Breaks, jenks, tiers

SEED = 0


def within_ss(values: np.ndarray, classes: np.ndarray) -> float:
    """Sum over classes of the squared deviations from the class mean (what Jenks minimises)."""
    return float(
        sum(((values[classes == c] - values[classes == c].mean()) ** 2).sum() for c in set(classes))
    )


def best_within_ss(values: np.ndarray, k: int) -> float:
    """Independent oracle: try every split of the sorted distinct values into k runs."""
    distinct = np.unique(values)
    best = np.inf
    for cuts in itertools.combinations(range(1, distinct.size), k - 1):
        # class of each value = number of cuts at or below its rank among the distinct values
        rank = np.searchsorted(distinct, values)
        classes = np.searchsorted(np.array(cuts), rank, side="right")
        best = min(best, within_ss(values, classes))
    return best


# --- known answers ------------------------------------------------------------------------------


def test_two_classes_by_hand() -> None:
    # 1 2 3 | 10 11 12: the five possible cuts of the sorted values give
    #   {1}|{2,3,10,11,12} 0 + 89.2;  {1,2}|{3,10,11,12} 0.5 + 50;  {1,2,3}|{10,11,12} 2 + 2 = 4;
    #   {1,2,3,10}|{11,12} 50 + 0.5;  {1,2,3,10,11}|{12} 89.2 + 0  -> the middle cut, SSW 4
    b = jenks([3, 1, 12, 2, 11, 10], 2)
    assert b.bounds == (1.0, 3.0, 12.0)
    assert b.k == 2


def test_three_classes_by_hand() -> None:
    # 1 2 | 4 5 | 9 10: three pairs, each with SS 0.5 -> SSW 1.5; any other split puts two values
    # at least 2 apart in one class, and such a class alone has SS >= 2**2 / 2 = 2
    b = jenks([10, 1, 5, 2, 9, 4], 3)
    assert b.bounds == (1.0, 2.0, 5.0, 10.0)


def test_jenkspy_documented_example() -> None:
    # jenkspy's jenks_breaks docstring: [1.2, 2.3, 5.0, 7.8] for 3 classes; the oracle agrees
    values = np.array([1.3, 7.1, 7.3, 2.3, 3.9, 4.1, 7.8, 1.2, 4.3, 7.3, 5.0, 4.3])
    b = jenks(values, 3)
    assert_allclose(b.bounds, [1.2, 2.3, 5.0, 7.8])
    assert_allclose(within_ss(values, b.classify(values)), best_within_ss(values, 3))


@pytest.mark.parametrize(
    ("seed", "k", "kind"),
    [(s, k, kind) for s in range(8) for k in (2, 3, 4) for kind in ("ties", "floats")],
    ids=str,
)
def test_agrees_with_brute_force(seed: int, k: int, kind: str) -> None:
    # the oracle enumerates every split; several splits can tie, so compare the minimum, not bounds
    rng = np.random.default_rng([SEED, seed])
    n = int(rng.integers(k + 2, 13))
    if kind == "ties":
        values = rng.integers(1, 9, size=n).astype(float)  # few distinct values: many ties
    else:
        values = np.round(rng.lognormal(1.0, 1.0, size=n), 3)  # skewed, like edge weights
    if np.unique(values).size < k:
        values = np.concatenate([values, np.arange(100.0, 100.0 + k)])
    b = jenks(values, k)
    classes = b.classify(values)
    assert_allclose(within_ss(values, classes), best_within_ss(values, k), atol=1e-9)
    assert set(classes.tolist()) == set(range(1, k + 1))  # no empty class
    assert (b.bounds[0], b.bounds[-1]) == (values.min(), values.max())


# --- ties ---------------------------------------------------------------------------------------


def test_exactly_k_distinct_values_are_one_class_each() -> None:
    # four distinct values, four classes: jenkspy returns min then every value, so bounds[0] ==
    # bounds[1] and class 1 is {1} alone
    values = [1, 1, 1, 2, 2, 3, 3, 3, 4]
    breaks, classes = tiers(values, 4)
    assert breaks.bounds == (1.0, 1.0, 2.0, 3.0, 4.0)
    assert classes.tolist() == [1, 1, 1, 2, 2, 3, 3, 3, 4]
    assert breaks.label(1) == "1: [1, 1]"


def test_tied_values_stay_in_one_class() -> None:
    # fourteen 1s, then 2, 3, 100 in 3 classes: {1 x14} | {2, 3} | {100} has SSW 0.5; moving 2 to
    # the 1s gives 14/225 + 196/225 = 0.93, splitting the 1s cannot lower the SSW
    values = [1] * 14 + [2, 3, 100]
    breaks, classes = tiers(values, 3)
    assert breaks.bounds == (1.0, 1.0, 3.0, 100.0)
    assert classes.tolist() == [1] * 14 + [2, 2, 3]


@given(
    st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=40),
    st.integers(min_value=2, max_value=5),
)
def test_classes_are_ordered_runs(values: list[int], k: int) -> None:
    # invariants: class 1..k, never decreasing with the value, equal values in one class
    if len(set(values)) < k:
        with pytest.raises(InputError, match="fewer than the"):
            jenks(values, k)
        return
    _, classes = tiers(values, k)
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(classes[order]) >= 0)
    assert set(classes.tolist()) == set(range(1, k + 1))
    by_value = pd.Series(classes).groupby(values).nunique()
    assert (by_value == 1).all()


# --- repeated whole numbers: the weighted programme gives jenkspy's breaks ---------------------


def _samples() -> list[tuple[np.ndarray, int]]:
    """Whole numbers with many repeats, shaped like counts of patents: small ranges, squares,
    heavy tails, and a few large ones (degrees of an applicant network)."""
    rng = np.random.default_rng([SEED, 18])
    found = []
    for t in range(1200):
        k = int(rng.integers(2, 7))
        kind = t % 4
        n = int(rng.integers(k, 80)) if kind < 3 else int(rng.integers(200, 1500))
        if kind == 0:
            values = rng.integers(0, int(rng.integers(k, 15)), size=n)
        elif kind == 1:
            values = rng.integers(-50, 50, size=n)
        elif kind == 2:
            values = rng.integers(1, 1000, size=n) ** 2
        else:
            values = np.round(rng.pareto(1.3, size=n) * 3 + 1)
        values = values.astype(float)
        if np.unique(values).size >= k and np.unique(values).size < values.size:
            found.append((values, k))
    return found


def test_repeated_whole_numbers_give_jenkspys_breaks() -> None:
    # jenkspy itself is the oracle: same breaks, also where two splits cost the same
    samples = _samples()
    assert len(samples) > 1000
    differ = [
        (values.tolist(), k)
        for values, k in samples
        if jenks(values, k).bounds
        != tuple(float(b) for b in jenkspy.jenks_breaks(values.tolist(), n_classes=k))
    ]
    assert differ == []


def test_weighted_programme_runs_on_distinct_values(monkeypatch: pytest.MonkeyPatch) -> None:
    # 44,500 degrees, 240-odd distinct: the weighted path, not jenkspy (which takes about 16 s)
    rng = np.random.default_rng([SEED, 44_500])
    degrees = np.round(rng.pareto(1.5, size=44_500) * 3 + 1)
    expected = jenkspy.jenks_breaks(degrees[:3000].tolist(), n_classes=4)

    def refuse(values: object, n_classes: int) -> list[float]:
        raise AssertionError("jenkspy was called")

    monkeypatch.setattr(jenkspy, "jenks_breaks", refuse)
    assert jenks(degrees[:3000], 4).bounds == tuple(float(b) for b in expected)
    b = jenks(degrees, 4)
    assert b.k == 4
    assert (b.bounds[0], b.bounds[-1]) == (degrees.min(), degrees.max())


@pytest.mark.parametrize(
    "values",
    [
        [0.5, 0.5, 1.2, 3.3, 3.3, 9.1],  # repeats, not whole numbers
        [1.0, 2.0, 3.0, 10.0, 11.0],  # whole numbers without repeats
        [2.0**30, 2.0**30, 1.0, 5.0],  # whole, but the squares' sum is not exact
    ],
)
def test_other_values_go_to_jenkspy(values: list[float], monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = jenkspy.jenks_breaks

    def spy(values: list[float], n_classes: int) -> list[float]:
        calls.append(n_classes)
        return real(values, n_classes=n_classes)

    monkeypatch.setattr(jenkspy, "jenks_breaks", spy)
    jenks(values, 2)
    assert calls == [2]


# --- errors -------------------------------------------------------------------------------------


def test_fewer_distinct_values_than_classes() -> None:
    with pytest.raises(InputError) as caught:
        jenks([2, 1, 2, 5, 1], 4, what="edge weights of city 2016-2020")
    assert str(caught.value) == (
        "natural breaks of edge weights of city 2016-2020: "
        "3 distinct values (1, 2, 5), fewer than the 4 classes asked for"
    )


@pytest.mark.parametrize(
    ("values", "k", "message"),
    [
        ([1, 2, 3], 1, "natural breaks of w: k must be at least 2, got 1"),
        ([], 4, "natural breaks of w: no values"),
        ([7, 7, 7], 2, r"natural breaks of w: 1 distinct value \(7\), fewer than the 2 classes"),
        ([1, np.nan, 2, 3], 2, "natural breaks of w: 1 NaN value"),
        ([1, np.inf, 2, 3], 2, "natural breaks of w: 1 infinite value"),
        # every problem in one message
        ([1, np.nan, np.nan, 1], 3, r"2 NaN values; 1 distinct value \(1\), fewer than the 3"),
        (["a", "b"], 2, "w must be numbers"),
        ([[1, 2], [3, 4]], 2, r"w must be one-dimensional, got shape \(2, 2\)"),
    ],
    ids=["k<2", "empty", "one-value", "nan", "inf", "collected", "text", "2-d"],
)
def test_bad_input(values: list[object], k: int, message: str) -> None:
    with pytest.raises(InputError, match=message):
        jenks(values, k, what="w")  # type: ignore[arg-type]


def test_many_distinct_values_are_elided_in_the_message() -> None:
    with pytest.raises(InputError, match=r"11 distinct values \(0, 1, 2, .*, 9, \.\.\.\)"):
        jenks(range(11), 12)


# --- classification and reporting --------------------------------------------------------------


def test_classify_rule_at_the_bounds() -> None:
    # class i holds bounds[i-1] < v <= bounds[i]; class 1 also holds bounds[0]
    b = Breaks((1, 3, 8, 20))
    assert b.classify([1, 2, 3, 3.5, 8, 8.01, 20]).tolist() == [1, 1, 1, 2, 2, 3, 3]


def test_classify_out_of_range_goes_to_the_end_classes() -> None:
    # baseline (2016-2020) breaks applied to another period: below the minimum -> class 1, above
    # the maximum -> class k; an early period can lack the top classes
    # {1,2,2} {5,6} {12,15} {40,44}: SSW 2/3 + 1/2 + 9/2 + 8 = 13.67, the oracle's minimum
    weights = np.array([1, 2, 2, 5, 6, 12, 15, 40, 44], dtype=float)
    baseline = jenks(weights, 4)
    assert baseline.bounds == (1.0, 2.0, 6.0, 15.0, 44.0)
    assert_allclose(best_within_ss(weights, 4), 2 / 3 + 1 / 2 + 9 / 2 + 8)
    early = [0, 1, 1, 2, 3]
    assert baseline.classify(early).tolist() == [1, 1, 1, 1, 2]
    assert baseline.classify([-5, 45, 1000]).tolist() == [1, 4, 4]


def test_classify_rejects_nan() -> None:
    with pytest.raises(InputError, match="cannot classify weights: 1 NaN value"):
        Breaks((1, 2, 3)).classify([1, np.nan], what="weights")


def test_classify_accepts_series_and_returns_integers() -> None:
    classes = Breaks((0, 10, 20)).classify(pd.Series([5, 15], index=["x", "y"]))
    assert classes.dtype == np.int64
    assert_array_equal(classes, [1, 2])


def test_ranges_and_labels() -> None:
    b = Breaks((1, 3, 8.5, 20))
    assert b.ranges() == [(1, 1.0, 3.0), (2, 3.0, 8.5), (3, 8.5, 20.0)]
    assert b.ranges(open_ends=True)[0] == (1, -np.inf, 3.0)
    assert b.ranges(open_ends=True)[-1] == (3, 8.5, np.inf)
    assert [b.label(i) for i in (1, 2, 3)] == ["1: [1, 3]", "2: (3, 8.5]", "3: (8.5, 20]"]
    assert [b.label(i, open_ends=True) for i in (1, 2, 3)] == ["1: ≤ 3", "2: (3, 8.5]", "3: > 8.5"]
    with pytest.raises(ValueError, match="classes are 1 to 3"):
        b.label(4)


@pytest.mark.parametrize(
    "bounds",
    [(1,), (3, 2, 5), (1, 2, 2), (1, np.nan, 2)],
    ids=["one-bound", "decreasing", "empty-inner-class", "nan"],
)
def test_bad_bounds(bounds: tuple[float, ...]) -> None:
    with pytest.raises(InputError, match="class bounds"):
        Breaks(bounds)


def test_bounds_are_python_floats() -> None:
    b = jenks(np.array([1, 2, 9, 10], dtype=np.int64), 2)
    assert all(type(x) is float for x in b.bounds)
    assert b == Breaks((1.0, 2.0, 10.0))
