"""Cohesive subgroups: CONCOR, block matrices, E-I (DESIGN.md item 10)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from copatent.analytics import subgroups
from tests.reference import reference_data

SNA = reference_data() / "sna"


def matrix(edges: str, nodes: str) -> tuple[np.ndarray, list[str]]:
    names = pd.read_csv(SNA / nodes, dtype=str).iloc[:, 0].tolist()
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(names), len(names)))
    for s, t, w in pd.read_csv(SNA / edges, dtype={"source": str, "target": str}).itertuples(
        index=False
    ):
        x[index[s], index[t]] = w
    return x, names


def blocks(labels: np.ndarray, names: list[str]) -> list[set[str]]:
    """The partition as sets of names, in block order."""
    return [
        {n for n, label in zip(names, labels, strict=True) if label == b}
        for b in sorted(set(labels.tolist()))
    ]


# The concorR README (github.com/ATraxLab/concorR, README.md @ d8958a12): `concor(list(a))`
# prints block 1: b, c, d; block 2: a, e; `concor(list(isoA), nsplit = 1)` prints 1: D, E;
# 2: A, B, C; 3: F (F is the isolate). concorR ignores self-ties.
@pytest.mark.parametrize(
    ("edges", "nodes", "expected"),
    [
        ("concorR_readme_a.csv", "concorR_readme_a_nodes.csv", [{"b", "c", "d"}, {"a", "e"}]),
        (
            "concorR_readme_isoA.csv",
            "concorR_readme_isoA_nodes.csv",
            [{"D", "E"}, {"A", "B", "C"}, {"F"}],
        ),
    ],
    ids=["readme-a", "readme-isoA-isolate"],
)
def test_concor_reproduces_the_concorr_readme(
    edges: str, nodes: str, expected: list[set[str]]
) -> None:
    x, names = matrix(edges, nodes)
    assert blocks(subgroups.concor(x, depth=1, self_ties="ignore"), names) == expected


# Regression values, not published output: concorR's algorithm (cran/concorR R/CONCOR.R
# @ 2f1c275b) emulated step by step in numpy with R's pairwise `cor`, nsplit = 2; that emulation
# reproduces both README examples above. copatent computes the same from sums, vectorised.
KRACKHARDT_CONCOR = {
    "advice": [
        {"A10", "A13", "A18", "A19"},
        {"A03", "A04", "A05", "A09", "A15", "A20"},
        {"A02", "A06", "A07", "A12", "A14", "A21"},
        {"A01", "A08", "A11", "A16", "A17"},
    ],
    "friendship": [
        {"A06", "A10", "A11", "A13", "A17", "A19"},
        {"A03", "A05", "A14", "A15", "A20"},
        {"A02", "A07", "A09", "A18", "A21"},
        {"A01", "A04", "A08", "A12", "A16"},
    ],
}


@pytest.mark.parametrize("relation", ["advice", "friendship"])
def test_concor_krackhardt_depth_two(relation: str) -> None:
    x, names = matrix(f"krackhardt_{relation}.csv", "krackhardt_nodes.csv")
    found = blocks(subgroups.concor(x, depth=2, self_ties="ignore"), names)
    assert found == KRACKHARDT_CONCOR[relation]


def _profile_correlation_by_loops(x: np.ndarray, i: int, j: int, self_ties: str) -> float:
    """C1[i, j] the long way: build both profiles cell by cell, as UCINET's help describes."""
    n = len(x)
    pairs = []
    for half in (x, x.T):  # rows of X, then rows of X transposed
        for k in range(n):
            if k in (i, j):
                continue
            pairs.append((half[i, k], half[j, k]))
        if self_ties == "reciprocal":  # x_ii with x_jj, x_ij with x_ji
            pairs += [(half[i, i], half[j, j]), (half[i, j], half[j, i])]
    a, b = np.array(pairs).T
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


@pytest.mark.parametrize("self_ties", ["ignore", "reciprocal"])
@settings(max_examples=40, deadline=None)
@given(x=arrays(np.float64, (6, 6), elements=st.sampled_from([0.0, 0.0, 1.0, 2.0, 5.0])))
def test_profile_correlations_match_the_cell_by_cell_definition(
    x: np.ndarray, self_ties: str
) -> None:
    np.fill_diagonal(x, 0.0)
    fast = subgroups.profile_correlations(x, self_ties=self_ties)  # type: ignore[arg-type]
    assert not np.isnan(fast).any()
    for i, j in itertools.combinations(range(6), 2):
        assert fast[i, j] == pytest.approx(
            _profile_correlation_by_loops(x, i, j, self_ties), abs=1e-9
        )


def test_self_tie_handling_matters_on_friendship() -> None:
    """UCINET's reciprocal and concorR's ignore give different blocks here."""
    x, names = matrix("krackhardt_friendship.csv", "krackhardt_nodes.csv")
    ignore = blocks(subgroups.concor(x, depth=2, self_ties="ignore"), names)
    reciprocal = blocks(subgroups.concor(x, depth=2, self_ties="reciprocal"), names)
    assert ignore != reciprocal


@pytest.mark.parametrize("relation", ["advice", "friendship"])
@pytest.mark.parametrize("seed", range(5))
def test_concor_does_not_depend_on_the_node_labels(relation: str, seed: int) -> None:
    """Renaming the nodes (keeping their order) and reordering them give the same partition."""
    x, names = matrix(f"krackhardt_{relation}.csv", "krackhardt_nodes.csv")
    expected = {frozenset(b) for b in blocks(subgroups.concor(x, self_ties="ignore"), names)}
    order = np.random.default_rng(seed).permutation(len(names))
    shuffled = x[np.ix_(order, order)]
    found = blocks(subgroups.concor(shuffled, self_ties="ignore"), [names[i] for i in order])
    assert {frozenset(b) for b in found} == expected


def test_a_star_gives_no_nan() -> None:
    """The leaves' profiles are identical and the centre's differ: zero variances, no NaN."""
    x = np.zeros((5, 5))
    x[0, 1:] = 1
    labels = subgroups.concor(x, depth=2)
    assert blocks(labels, list("abcde")) == [{"b", "c", "d", "e"}, {"a"}]


@settings(max_examples=60, deadline=None)
@given(
    x=arrays(np.float64, (7, 7), elements=st.sampled_from([0.0, 0.0, 1.0, 3.0])),
    labels=arrays(np.int64, 7, elements=st.integers(1, 3)),
)
def test_block_densities_average_back_to_the_whole_density(
    x: np.ndarray, labels: np.ndarray
) -> None:
    """Weighted by their cell counts, block densities average to the network's density."""
    np.fill_diagonal(x, 0.0)
    m = subgroups.block_matrices(x, labels)
    sizes = np.array(m.sizes)
    cells = np.outer(sizes, sizes) - np.diag(sizes)
    for density, whole in ((m.density_binary, m.whole_binary), (m.density_valued, m.whole_valued)):
        total = np.nansum(density * cells)
        assert total / cells.sum() == pytest.approx(whole)
    assert (
        (m.image_binary == 1) == (np.nan_to_num(m.density_binary, nan=-1) >= m.whole_binary)
    ).all()


# -- image matrices: the cutoff (issue 13 item 2)

# Five nodes, block 1 = {a, b, c}, block 2 = {d, e}; arcs a->b 4, b->c 2, a->d 3, d->e 1, e->d 5.
# Cells (diagonal left out): 1->1 3*2 = 6, 1->2 3*2 = 6, 2->1 2*3 = 6, 2->2 2*1 = 2; 20 in all.
#   binary densities: 1->1 2/6, 1->2 1/6, 2->1 0/6, 2->2 2/2
#   valued densities: 1->1 (4+2)/6 = 1, 1->2 3/6, 2->1 0, 2->2 (1+5)/2 = 3
# whole network:     binary 5/20 = 0.25,                 valued 15/20 = 0.75
# mean of the blocks: binary (2/6+1/6+0+1)/4 = 0.375,     valued (1+0.5+0+3)/4 = 1.125
# The big block weighs 6 cells in the whole density and 1 of 4 in the block mean, so block 1's
# own cell (1/3 binary, 1 valued) lies between the two cutoffs: 1 under "density", 0 under
# "block-mean". A fixed 0.5: binary only 2->2; valued 1->1, 1->2 (0.5 >= 0.5) and 2->2.
HAND_ARCS = [(0, 1, 4.0), (1, 2, 2.0), (0, 3, 3.0), (3, 4, 1.0), (4, 3, 5.0)]
HAND_LABELS = [1, 1, 1, 2, 2]


def hand_matrix() -> np.ndarray:
    x = np.zeros((5, 5))
    for s, t, w in HAND_ARCS:
        x[s, t] = w
    return x


@pytest.mark.parametrize(
    ("cutoff", "rule", "alphas", "image_binary", "image_valued"),
    [
        ("density", "density", (0.25, 0.75), [[1, 0], [0, 1]], [[1, 0], [0, 1]]),
        ("block-mean", "block-mean", (0.375, 1.125), [[0, 0], [0, 1]], [[0, 0], [0, 1]]),
        (0.5, "fixed", (0.5, 0.5), [[0, 0], [0, 1]], [[1, 1], [0, 1]]),
    ],
    ids=["whole-density", "block-mean", "fixed-0.5"],
)
def test_image_cutoff_rules_by_hand(
    cutoff: subgroups.ImageCutoff,
    rule: str,
    alphas: tuple[float, float],
    image_binary: list[list[int]],
    image_valued: list[list[int]],
) -> None:
    m = subgroups.block_matrices(hand_matrix(), HAND_LABELS, cutoff=cutoff)
    assert_allclose(m.density_binary, [[2 / 6, 1 / 6], [0, 1]])
    assert_allclose(m.density_valued, [[1, 0.5], [0, 3]])
    assert m.cutoff_rule == rule
    assert_allclose((m.cutoff_binary, m.cutoff_valued), alphas)
    assert m.image_binary.tolist() == image_binary
    assert m.image_valued.tolist() == image_valued
    assert_allclose((m.whole_binary, m.whole_valued), (0.25, 0.75))  # whatever the rule


def test_block_mean_leaves_out_a_one_member_blocks_own_cell() -> None:
    # a->b, b->a, c->a; blocks {a, b}, {c}: binary densities 1, 0 / 1/2, NaN -> mean of 3 = 0.5
    x = np.zeros((3, 3))
    x[0, 1] = x[1, 0] = x[2, 0] = 1
    m = subgroups.block_matrices(x, [1, 1, 2], cutoff="block-mean")
    assert m.cutoff_binary == pytest.approx(0.5)
    assert m.image_binary.tolist() == [[1, 0], [1, 0]]


def table3(scale: str) -> pd.DataFrame:
    """The study's Table 3 (../shared/reference-data/study), one scale, as a 4 x 4 frame."""
    rows = pd.read_csv(reference_data() / "study" / "table3_blocks_2016_2020.csv")
    return rows[rows["scale"] == scale].sort_values(["from_block", "to_block"])


def test_block_mean_reproduces_the_studys_provincial_table_3() -> None:
    rows = table3("province")
    density = rows["density"].to_numpy().reshape(4, 4)
    alpha = subgroups.image_alpha(density, "block-mean", whole=math.nan)
    # the study's 16 provincial densities sum to 70.98: mean 4.43625, printed as 4.44
    assert alpha == pytest.approx(70.98 / 16)
    assert round(alpha, 2) == 4.44
    # its printed image column is 1 exactly where density >= that mean, in all 16 cells
    assert subgroups.image(density, alpha).ravel().tolist() == rows["image"].tolist()


def test_block_mean_does_not_give_the_studys_municipal_image() -> None:
    # DESIGN.md item 10: the municipal image fits no rule; e.g. block 4->4 at 2.60 is above the
    # mean of its 16 densities (39.80 / 16 = 2.4875) but printed 0
    rows = table3("city")
    density = rows["density"].to_numpy().reshape(4, 4)
    alpha = subgroups.image_alpha(density, "block-mean", whole=math.nan)
    assert alpha == pytest.approx(2.4875)
    assert subgroups.image(density, alpha).ravel().tolist() != rows["image"].tolist()


@pytest.mark.parametrize(
    "cutoff",
    ["mean", "", -0.1, math.nan, math.inf],
    ids=["name", "empty", "negative", "nan", "inf"],
)
def test_a_bad_image_cutoff_is_refused(cutoff: subgroups.ImageCutoff) -> None:
    with pytest.raises(ValueError, match="image cutoff"):
        subgroups.block_matrices(hand_matrix(), HAND_LABELS, cutoff=cutoff)


@settings(max_examples=60, deadline=None)
@given(
    x=arrays(np.float64, (6, 6), elements=st.sampled_from([0.0, 0.0, 1.0, 4.0])),
    labels=arrays(np.int64, 6, elements=st.integers(1, 3)),
    cutoff=st.one_of(st.sampled_from(subgroups.CUTOFF_RULES), st.floats(0, 5, allow_nan=False)),
)
def test_image_is_one_exactly_where_the_density_reaches_the_cutoff(
    x: np.ndarray, labels: np.ndarray, cutoff: subgroups.ImageCutoff
) -> None:
    np.fill_diagonal(x, 0.0)
    m = subgroups.block_matrices(x, labels, cutoff=cutoff)
    for density, image, alpha, whole in (
        (m.density_binary, m.image_binary, m.cutoff_binary, m.whole_binary),
        (m.density_valued, m.image_valued, m.cutoff_valued, m.whole_valued),
    ):
        if cutoff == "density":
            expected = whole
        elif cutoff == "block-mean":
            expected = float(np.nanmean(density))  # each block pair once, NaN cells left out
        else:
            expected = float(cutoff)
        assert alpha == pytest.approx(expected)
        assert ((image == 1) == (np.nan_to_num(density, nan=-1) >= alpha)).all()


@settings(max_examples=60, deadline=None)
@given(
    x=arrays(np.float64, (6, 6), elements=st.sampled_from([0.0, 1.0, 2.0])),
    labels=arrays(np.int64, 6, elements=st.integers(1, 3)),
    valued=st.booleans(),
)
def test_ei_bounds_and_the_sum_of_groups(x: np.ndarray, labels: np.ndarray, valued: bool) -> None:
    np.fill_diagonal(x, 0.0)
    r = subgroups.ei_index(x, labels, valued=valued)
    values = [*r.groups["ei"].dropna(), r.whole_ei, r.sum_of_groups_ei]
    assert all(-1 <= v <= 1 for v in values if not np.isnan(v))
    # the study's "entire network" row counts every tie between groups at both ends
    assert r.sum_of_groups_internal == pytest.approx(r.whole_internal)
    assert r.sum_of_groups_external == pytest.approx(2 * r.whole_external)


def test_ei_of_the_study_table_4_from_its_counts() -> None:
    """Hu et al., Table 4, provincial scale: subgroup 1 I = 6, E = 38 -> 0.727; subgroup 2
    I = 68, E = 67 -> -0.007; entire network I = 74, E = 162 -> 0.373 (as printed)."""
    assert_allclose(
        [subgroups.ei(38, 6), subgroups.ei(67, 68), subgroups.ei(162, 74)],
        [0.727, -0.007, 0.373],
        atol=5e-4,
    )


def test_ei_krackhardt_departments_counted_independently() -> None:
    """Advice ties inside and between Krackhardt's departments, counted with the csv rows."""
    nodes = pd.read_csv(SNA / "krackhardt_nodes.csv", dtype=str)
    department = dict(zip(nodes["node"], nodes["department"], strict=True))
    arcs = pd.read_csv(SNA / "krackhardt_advice.csv", dtype=str)
    inside = sum(
        department[s] == department[t] for s, t in zip(arcs["source"], arcs["target"], strict=True)
    )
    x, names = matrix("krackhardt_advice.csv", "krackhardt_nodes.csv")
    r = subgroups.ei_index(x, [department[n] for n in names])
    assert (r.whole_internal, r.whole_external) == (inside, len(arcs) - inside)
    assert r.whole_ei == pytest.approx((len(arcs) - 2 * inside) / len(arcs))


def test_describe_reports_the_partition_modularity() -> None:
    # two triangles joined by one edge, split at the bridge: Q = 5/14 (Newman's formula by hand:
    # 2m = 14, each side holds 6 of the 14 ends inside and has degree sum 7: 2·(6/14 − (7/14)²))
    x = np.zeros((6, 6))
    for s, t in [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)]:
        x[s, t] = 1
    centrality = pd.DataFrame(
        {"node": list("abcdef"), "name": list("abcdef"), "weighted_degree": 1.0, "tier": 1}
    )
    found = subgroups.describe("louvain", x, [1, 1, 1, 2, 2, 2], centrality)
    assert found.modularity == pytest.approx(5 / 14, rel=1e-12)
    whole = subgroups.describe("louvain", x, [1] * 6, centrality)
    assert whole.modularity == pytest.approx(0.0, abs=1e-12)
