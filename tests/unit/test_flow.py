"""Effective flow A = (O − I)/(O + I): pure leaders, participants, balanced and isolated nodes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from copatent._errors import InputError
from copatent.analytics.flow import (
    COLUMNS,
    ROLES,
    SIGN_NOTE,
    FlowSummary,
    effective_flow,
    flow,
    summarize,
)


@pytest.mark.parametrize(
    ("o", "i", "a", "role"),
    [
        (5, 0, 1.0, "leader"),  # led 5, joined none: (5 − 0)/5
        (0, 3, -1.0, "participant"),  # (0 − 3)/3
        (2, 2, 0.0, "balanced"),  # (2 − 2)/4
        (3, 1, 0.5, "leader"),  # (3 − 1)/4: net outflow, not pure
        (1, 4, -0.6, "participant"),  # (1 − 4)/5
        (0, 0, np.nan, "none"),  # isolate: 0/0 is undefined
    ],
    ids=["pure-leader", "pure-participant", "balanced", "mostly-leads", "mostly-joins", "isolate"],
)
def test_one_node(o: int, i: int, a: float, role: str) -> None:
    row = flow([o], [i]).iloc[0]
    assert (row["out_strength"], row["in_strength"]) == (o, i)
    assert_allclose(row["effective_flow"], a)
    assert row["role"] == role


def test_a_pure_leader_is_plus_one_as_the_text_says() -> None:
    # the study's text: A = +1 leads only; its printed Eq. 1, (I − O)/(O + I), would give −1 here
    assert flow([7], [0])["effective_flow"].iloc[0] == 1.0
    assert flow([0], [7])["effective_flow"].iloc[0] == -1.0


def test_from_a_node_table() -> None:
    # arcs a→b 3, a→c 1, c→a 1, b→c 2 and an isolate d:
    #   a: O = 4, I = 1 -> 3/5;  b: O = 2, I = 3 -> −1/5;  c: O = 1, I = 3 -> −1/2;  d: 0, 0
    table = pd.DataFrame(
        {
            "node": ["a", "b", "c", "d"],
            "out_strength": [4.0, 2.0, 1.0, 0.0],
            "in_strength": [1.0, 3.0, 3.0, 0.0],
            "betweenness": [0.0, 1.0, 2.0, 0.0],
        },
        index=[10, 11, 12, 13],
    )
    result = effective_flow(table, what="city 2016-2020")
    assert list(result.columns) == ["node", *COLUMNS]
    assert list(result.index) == [10, 11, 12, 13]
    assert_allclose(result["effective_flow"], [0.6, -0.2, -0.5, np.nan])
    assert result["role"].tolist() == ["leader", "participant", "participant", "none"]


def test_without_node_names() -> None:
    result = effective_flow(pd.DataFrame({"out_strength": [1], "in_strength": [1]}, index=["x"]))
    assert list(result.columns) == list(COLUMNS)
    assert result.loc["x", "role"] == "balanced"


def test_summary_counts_roles() -> None:
    result = flow([5, 0, 2, 0, 1, 3], [0, 3, 2, 0, 4, 1])
    s = summarize(result)
    assert s == FlowSummary(net_outflow=2, net_inflow=2, balanced=1, inactive=1)
    assert s.total == 6
    assert s.as_dict() == {"net_outflow": 2, "net_inflow": 2, "balanced": 1, "inactive": 1}


def test_summary_of_an_empty_table() -> None:
    assert summarize(flow([], [])) == FlowSummary(0, 0, 0, 0)


def test_summary_needs_roles() -> None:
    with pytest.raises(InputError, match="no role column"):
        summarize(pd.DataFrame({"x": [1]}))
    with pytest.raises(InputError, match="unknown role"):
        summarize(pd.DataFrame({"role": ["leader", "boss"]}))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame({"out_strength": [1]}), "t: missing column.s. in_strength"),
        (
            pd.DataFrame({"node": ["a", "b"], "out_strength": [1, -2], "in_strength": [0, 1]}),
            "t: out_strength is not a finite non-negative number for b",
        ),
        (
            pd.DataFrame({"node": ["a", "b"], "out_strength": [1, 2], "in_strength": [None, "x"]}),
            "t: in_strength is not a finite non-negative number for a, b",
        ),
        (
            pd.DataFrame({"out_strength": [np.inf, np.nan], "in_strength": [-1, 0]}),
            "out_strength .* for row 0, row 1; in_strength .* for row 0",
        ),
    ],
    ids=["missing-column", "negative", "text-and-missing", "every-problem"],
)
def test_bad_table(table: pd.DataFrame, message: str) -> None:
    with pytest.raises(InputError, match=message):
        effective_flow(table, what="t")


def test_bad_arrays() -> None:
    with pytest.raises(InputError, match="nodes: out_strength has 2 values, in_strength 1"):
        flow([1, 2], [1])
    with pytest.raises(InputError, match="1 node names for 2 values"):
        flow([1, 2], [1, 2], nodes=["a"])


def test_sign_note_says_what_the_function_computes() -> None:
    # the paper's text: a node that only leads has A = +1 (its printed formula I - O gives -1)
    table = pd.DataFrame({"node": ["lead", "join"], "out_strength": [5, 0], "in_strength": [0, 3]})
    found = effective_flow(table, what="t").set_index("node")
    assert found.loc["lead", "effective_flow"] == 1.0
    assert found.loc["join", "effective_flow"] == -1.0
    assert (found.loc["lead", "role"], found.loc["join", "role"]) == ("leader", "participant")
    assert "\n" not in SIGN_NOTE
    for part in ("(O − I)/(O + I)", "+1 is a pure leader", "I − O", "follows the text"):
        assert part in SIGN_NOTE


strengths = st.integers(min_value=0, max_value=10_000)


@given(st.lists(st.tuples(strengths, strengths), max_size=30))
def test_invariants(pairs: list[tuple[int, int]]) -> None:
    o = np.array([p[0] for p in pairs], dtype=float)
    i = np.array([p[1] for p in pairs], dtype=float)
    result = flow(o, i)
    a = result["effective_flow"].to_numpy()
    active = (o + i) > 0
    assert np.all(np.abs(a[active]) <= 1.0)
    assert np.all(np.isnan(a[~active]))
    assert_allclose(np.sign(a[active]), np.sign(o - i)[active])
    assert set(result["role"]) <= set(ROLES)
    assert summarize(result).total == len(pairs)
