"""Cohesive subgroups: CONCOR, block density and image matrices, and the E-I index.

**CONCOR** (Breiger, Boorman & Arabie 1975, doi:10.1016/0022-2496(75)90028-0), as UCINET and the
R package concorR run it (DESIGN.md item 10):

1. Isolates (no tie in or out) are set aside; they form the last block.
2. Actor ``i``'s profile is row ``i`` of ``X`` followed by row ``i`` of ``Xᵀ`` (ties sent, then
   ties received). The first correlation matrix ``C1`` holds the Pearson correlation of every
   pair of profiles. Self-ties (the cells ``x_ii``, ``x_ij``, ``x_ji``, ``x_jj`` of a pair) are
   handled in one of two ways:

   - ``"ignore"`` (concorR's only mode): the diagonal is missing, so for the pair ``(i, j)`` the
     four positions ``i`` and ``j`` of each half are left out and the correlation runs over the
     other ``2(n − 2)`` cells;
   - ``"reciprocal"`` (UCINET's default): all ``2n`` positions are kept, but UCINET's help
     ("we replace the comparison of elements x_ii with x_ji and x_ij with x_jj by the comparisons
     x_ii with x_jj and x_ij with x_ji") pairs ``x_ii`` with ``x_jj`` and ``x_ij`` with ``x_ji``,
     in the row half and, by the same rule, in the transposed half.

3. ``C ← cor(C)`` (columns, Pearson) until every off-missing ``|c| > cutoff`` (0.9999999) or
   ``max_iter`` (50) further iterations have run; then signs: ``c > 0 → 1``, ``c < 0 → −1``.
4. A block splits by the sign of each member's converged correlation with the block's first
   member: the members at −1 become the first child, the first member's group the second (the
   order concorR numbers them in). An empty child is dropped.
5. Every later split restricts ``C1`` to the block and iterates again; ``depth`` splits give up
   to ``2^depth`` blocks.

A profile of zero variance (a constant row of ``C``) has correlation 0 with every other profile,
so no NaN ever enters; a block of one member is not split. The result does not depend on how the
nodes are labelled, only on their order (which member is "first").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from copatent.analytics import community
from copatent.analytics.analysis import Analysis
from copatent.analytics.defaults import DEFAULT_DEPTH
from copatent.analytics.periods import Scale

SelfTies = Literal["reciprocal", "ignore"]

CUTOFF: Final = 0.9999999
MAX_ITER: Final = 50

FloatMatrix = npt.NDArray[np.float64]


def profile_correlations(x: npt.ArrayLike, *, self_ties: SelfTies = "reciprocal") -> FloatMatrix:
    """``C1``: Pearson correlations of the actors' row-and-column profiles (see the module).

    >>> x = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=float)
    >>> profile_correlations(x, self_ties="reciprocal").round(3).tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """
    m = np.asarray(x, dtype=float)
    n = len(m)
    d = np.diag(m)
    profiles = np.hstack([m, m.T])  # row i: ties sent, then ties received
    s = profiles.sum(axis=1)
    ss = (profiles**2).sum(axis=1)
    sxy = profiles @ profiles.T
    # the cells of actor i that pair (i, j) treats specially: x_ii, x_ij (row half) and
    # x_ii, x_ji (column half); actor j's are x_ji, x_jj and x_ij, x_jj
    mt = m.T
    di, dj = d[:, None], d[None, :]
    special_x = 2 * di + m + mt  # sum of i's four special cells, for every j
    special_x2 = 2 * di**2 + m**2 + mt**2
    special_y = 2 * dj + m + mt
    special_y2 = 2 * dj**2 + m**2 + mt**2
    default_pairs = di * mt + m * dj + di * m + mt * dj
    if self_ties == "ignore":
        count = 2 * n - 4
        sx = s[:, None] - special_x
        sy = s[None, :] - special_y
        sxx = ss[:, None] - special_x2
        syy = ss[None, :] - special_y2
        sxy = sxy - default_pairs
    elif self_ties == "reciprocal":
        count = 2 * n
        sx = np.broadcast_to(s[:, None], (n, n))
        sy = np.broadcast_to(s[None, :], (n, n))
        sxx = np.broadcast_to(ss[:, None], (n, n))
        syy = np.broadcast_to(ss[None, :], (n, n))
        swapped = 2 * di * dj + 2 * m * mt  # x_ii·x_jj and x_ij·x_ji, in both halves
        sxy = sxy - default_pairs + swapped
    else:
        raise ValueError(f"self_ties must be 'reciprocal' or 'ignore', not {self_ties!r}")
    result = _pearson(count, sx=sx, sy=sy, sxx=sxx, syy=syy, sxy=sxy)
    np.fill_diagonal(result, 1.0)
    return result


def _pearson(
    count: int,
    *,
    sx: FloatMatrix,
    sy: FloatMatrix,
    sxx: FloatMatrix,
    syy: FloatMatrix,
    sxy: FloatMatrix,
) -> FloatMatrix:
    """Pearson's r from sums; 0 where either variance is 0 (no NaN)."""
    if count < 2:
        return np.zeros_like(sxy)
    var_x = count * sxx - sx**2
    var_y = count * syy - sy**2
    cov = count * sxy - sx * sy
    scale = np.sqrt(np.clip(var_x, 0, None) * np.clip(var_y, 0, None))
    tiny = 1e-12 * np.maximum(1.0, np.abs(count * sxx) * np.abs(count * syy)) ** 0.5
    out = np.zeros_like(cov)
    np.divide(cov, scale, out=out, where=scale > tiny)
    return np.clip(out, -1.0, 1.0)


def _correlate_columns(c: FloatMatrix) -> FloatMatrix:
    """Pearson correlations of the columns of ``c``; 0 for a constant column."""
    n = len(c)
    s = c.sum(axis=0)
    ss = (c**2).sum(axis=0)
    sxy = c.T @ c
    return _pearson(n, sx=s[:, None], sy=s[None, :], sxx=ss[:, None], syy=ss[None, :], sxy=sxy)


def converge(
    c1: FloatMatrix, *, cutoff: float = CUTOFF, max_iter: int = MAX_ITER
) -> tuple[FloatMatrix, int]:
    """Iterate ``C ← cor(C)`` to ±1; the signs (−1, 0, 1) and the iterations run."""
    c = c1.copy()
    iterations = 0
    if len(c) < 2:
        return np.sign(c), 0
    while np.any(np.abs(c) <= cutoff) and iterations <= max_iter:
        c = _correlate_columns(c)
        iterations += 1
    return np.sign(c), iterations


def concor(
    x: npt.ArrayLike,
    *,
    depth: int = DEFAULT_DEPTH,
    self_ties: SelfTies = "reciprocal",
    binary: bool = False,
    cutoff: float = CUTOFF,
    max_iter: int = MAX_ITER,
) -> npt.NDArray[np.int64]:
    """CONCOR blocks of the actors of ``x`` (n × n, binary or valued), numbered 1, 2, ...

    ``binary``: correlate the ties present (``x > 0`` → 1) instead of the values of ``x``.

    Blocks are numbered in concorR's order (each split's −1 side first); the isolates, if any,
    form the last block.

    The concorR README's first example (actors a–e): blocks {b, c, d} and {a, e}.

    >>> a = np.zeros((5, 5))
    >>> for s, t in ["ab", "ac", "ad", "ae", "bc", "cb", "cd", "dc", "ea", "eb", "ec", "ed"]:
    ...     a["abcde".index(s), "abcde".index(t)] = 1
    >>> concor(a, depth=1, self_ties="ignore").tolist()
    [2, 1, 1, 1, 2]
    """
    m = np.asarray(x, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"a square matrix is needed, got shape {m.shape}")
    if binary:
        m = (m > 0).astype(float)
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    n = len(m)
    off = m.copy()
    np.fill_diagonal(off, 0)
    tied = (off != 0).any(axis=0) | (off != 0).any(axis=1)
    members = np.flatnonzero(tied)
    labels = np.zeros(n, dtype=np.int64)
    if len(members):
        c1 = profile_correlations(m[np.ix_(members, members)], self_ties=self_ties)
        blocks = [np.arange(len(members))]
        for _ in range(depth):
            split: list[npt.NDArray[np.intp]] = []
            for block in blocks:
                split += _split(c1, block, cutoff, max_iter)
            blocks = split
        for number, block in enumerate(blocks, start=1):
            labels[members[block]] = number
    if not tied.all():
        labels[~tied] = labels.max() + 1
    return labels


def _split(
    c1: FloatMatrix, block: npt.NDArray[np.intp], cutoff: float, max_iter: int
) -> list[npt.NDArray[np.intp]]:
    if len(block) < 2:
        return [block]
    signs, _ = converge(c1[np.ix_(block, block)], cutoff=cutoff, max_iter=max_iter)
    against_first = signs[:, 0]
    children = [block[against_first < 0], block[against_first >= 0]]
    return [child for child in children if len(child)]


# ------------------------------------------------------------------------------------------------
# block density and image matrices


CutoffRule = Literal["density", "block-mean"]
"""A rule that draws the image matrix's cutoff α from the densities (see :func:`image_alpha`)."""

ImageCutoff = CutoffRule | float
"""The image matrix's cutoff: a :data:`CutoffRule`, or a fixed α (a number ``≥ 0``)."""

CUTOFF_RULES: Final[tuple[CutoffRule, ...]] = ("density", "block-mean")

ImageRule = Literal["density", "block-mean", "fixed"]
"""How an image matrix's cutoff was drawn: a :data:`CutoffRule`, or ``"fixed"`` (a number)."""


def image_alpha(density: npt.ArrayLike, cutoff: ImageCutoff, *, whole: float) -> float:
    """The cutoff α of an image matrix, for block densities of one kind (binary or valued).

    ``"density"``: ``whole``, the whole network's density of the same kind (the α = density
    criterion of Wasserman & Faust 1994, ch. 10, doi:10.1017/CBO9780511815478); ``"block-mean"``:
    the plain mean of the block densities ``density``, each block pair counted once whatever its
    size (a one-member block's own cell, NaN, has no density and is left out; NaN when no block
    has one), the rule the study's provincial Table 3 follows (DESIGN.md item 10); a number: that
    fixed α, as UCINET asks for one (the caller uses the same α for both kinds).

    The study's Table 3, provincial scale: its 16 block densities average 70.98 / 16 = 4.43625,
    which it prints as 4.44.

    >>> table3 = [[5.80, 3.45, 4.67, 5.50], [11.30, 7.64, 4.77, 2.60],
    ...           [6.00, 4.00, 0.00, 4.00], [6.25, 3.00, 2.00, 0.00]]
    >>> image_alpha(table3, "block-mean", whole=0.0)
    4.43625
    >>> image_alpha(table3, 2.5, whole=0.0), image_alpha(table3, "density", whole=1.13)
    (2.5, 1.13)
    """
    if isinstance(cutoff, str):
        if cutoff == "density":
            return float(whole)
        if cutoff == "block-mean":
            d = np.asarray(density, dtype=float)
            present = d[~np.isnan(d)]
            return float(present.mean()) if present.size else math.nan
        raise ValueError(f"image cutoff must be one of {CUTOFF_RULES} or a number, not {cutoff!r}")
    alpha = float(cutoff)
    if not math.isfinite(alpha) or alpha < 0:
        raise ValueError(f"a fixed image cutoff must be a finite number >= 0, not {cutoff!r}")
    return alpha


def image(density: npt.ArrayLike, alpha: float) -> npt.NDArray[np.int64]:
    """The image matrix: 1 where the block density is at least ``alpha``, else 0 (and for NaN).

    A density equal to ``alpha`` gives 1; a one-member block's own cell (NaN) gives 0:

    >>> image([[5.80, 3.45], [4.44, np.nan]], 4.44).tolist()
    [[1, 0], [1, 0]]
    """
    d = np.asarray(density, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(d), 0, d >= alpha).astype(np.int64)


@dataclass(frozen=True)
class BlockMatrices:
    """Block density and image matrices of a partition (DESIGN.md item 10).

    ``density_*[r, s]`` is the mean cell of the ties from block ``blocks[r]`` to block
    ``blocks[s]``, the diagonal cells ``x_ii`` left out of the diagonal blocks (NaN for a
    one-member block's own cell, which has no cells); ``binary`` counts ties (``x > 0``),
    ``valued`` averages the weights. ``image_*[r, s]`` is 1 where the density is at least
    ``cutoff_*``, the cutoff α of the same kind, else 0; ``cutoff_rule`` says how α was drawn
    (:func:`image_alpha`): ``"density"`` (α = ``whole_*``, the default), ``"block-mean"`` or
    ``"fixed"`` (a number given, the same for both kinds). ``whole_*``: the whole network's
    densities.
    """

    blocks: tuple[int, ...]
    sizes: tuple[int, ...]
    density_binary: FloatMatrix
    density_valued: FloatMatrix
    image_binary: npt.NDArray[np.int64]
    image_valued: npt.NDArray[np.int64]
    whole_binary: float
    whole_valued: float
    cutoff_rule: ImageRule
    cutoff_binary: float
    cutoff_valued: float


def block_matrices(
    x: npt.ArrayLike, labels: npt.ArrayLike, *, cutoff: ImageCutoff = "density"
) -> BlockMatrices:
    """Block densities (binary and valued) and image matrices of the partition ``labels``.

    ``cutoff``: how each image matrix's α is drawn from the densities of its kind
    (:func:`image_alpha`).

    >>> x = np.array([[0, 1, 0], [1, 0, 0], [2, 0, 0]], dtype=float)
    >>> m = block_matrices(x, [1, 1, 2])
    >>> m.density_binary.tolist(), m.density_valued.tolist(), m.image_binary.tolist()
    ([[1.0, 0.0], [0.5, nan]], [[1.0, 0.0], [1.0, nan]], [[1, 0], [1, 0]])
    >>> m.cutoff_binary, m.cutoff_valued  # the whole network's densities: 3/6 and 4/6
    (0.5, 0.6666666666666666)
    >>> m = block_matrices(x, [1, 1, 2], cutoff="block-mean")  # α = mean of 1, 0, 0.5
    >>> m.cutoff_binary, m.image_binary.tolist()
    (0.5, [[1, 0], [1, 0]])
    """
    m = np.asarray(x, dtype=float).copy()
    np.fill_diagonal(m, 0.0)
    groups = np.asarray(labels)
    blocks = tuple(sorted(set(groups.tolist())))
    n = len(m)
    masks = [groups == b for b in blocks]
    sizes = tuple(int(mask.sum()) for mask in masks)
    k = len(blocks)
    density = {kind: np.full((k, k), np.nan) for kind in ("binary", "valued")}
    ties = (m > 0).astype(float)
    for r, rows in enumerate(masks):
        for s, cols in enumerate(masks):
            cells = sizes[r] * sizes[s] - (sizes[r] if r == s else 0)
            if cells:
                density["binary"][r, s] = ties[np.ix_(rows, cols)].sum() / cells
                density["valued"][r, s] = m[np.ix_(rows, cols)].sum() / cells
    possible = n * (n - 1)
    whole_binary = float(ties.sum() / possible) if possible else 0.0
    whole_valued = float(m.sum() / possible) if possible else 0.0
    alpha_binary = image_alpha(density["binary"], cutoff, whole=whole_binary)
    alpha_valued = image_alpha(density["valued"], cutoff, whole=whole_valued)
    return BlockMatrices(
        blocks=blocks,
        sizes=sizes,
        density_binary=density["binary"],
        density_valued=density["valued"],
        image_binary=image(density["binary"], alpha_binary),
        image_valued=image(density["valued"], alpha_valued),
        whole_binary=whole_binary,
        whole_valued=whole_valued,
        cutoff_rule=cutoff if isinstance(cutoff, str) else "fixed",
        cutoff_binary=alpha_binary,
        cutoff_valued=alpha_valued,
    )


# ------------------------------------------------------------------------------------------------
# E-I index


def ei(external: float, internal: float) -> float:
    """Krackhardt & Stern's E-I index ``(E − I)/(E + I)``; NaN without ties.

    The study's Table 4, provincial scale, from its printed counts: subgroup 1 (I = 6, E = 38),
    subgroup 2 (I = 68, E = 67), the entire network (I = 74, E = 162).

    >>> round(ei(38, 6), 3), round(ei(67, 68), 3), round(ei(162, 74), 3)
    (0.727, -0.007, 0.373)
    """
    total = external + internal
    return (external - internal) / total if total else math.nan


@dataclass(frozen=True)
class EIResult:
    """The E-I index of a partition (Krackhardt & Stern 1988, doi:10.2307/2786835).

    ``groups``: one row per group: ``group``, ``members``, ``internal`` (ties with both ends in
    the group), ``external`` (ties between the group and outsiders, either direction), ``ei``.
    ``whole_*``: the whole network, ``I`` = ties inside groups, ``E`` = ties between groups.
    ``sum_of_groups_*``: the study's "entire network" row, the sum of the group rows, in which
    every tie between groups is counted at both ends; labelled as such wherever it is shown.
    """

    valued: bool
    groups: pd.DataFrame
    whole_internal: float
    whole_external: float
    whole_ei: float
    sum_of_groups_internal: float
    sum_of_groups_external: float
    sum_of_groups_ei: float


def ei_index(
    x: npt.ArrayLike, labels: npt.ArrayLike, *, valued: bool = False, undirected: bool = False
) -> EIResult:
    """E-I per group and for the whole network; ties are arcs (binary) or weights (valued).

    ``undirected``: ``x`` is symmetric and each edge is one tie, not two arcs; the counts are
    halved (the E-I values do not change).

    >>> x = np.zeros((4, 4)); x[0, 1] = x[1, 0] = x[2, 3] = x[1, 2] = 1
    >>> r = ei_index(x, [1, 1, 2, 2])
    >>> r.groups[["internal", "external", "ei"]].values.tolist(), round(r.whole_ei, 3)
    ([[2.0, 1.0, -0.3333333333333333], [1.0, 1.0, 0.0]], -0.5)
    """
    m = np.asarray(x, dtype=float).copy()
    np.fill_diagonal(m, 0.0)
    if undirected and not np.array_equal(m, m.T):
        raise ValueError("undirected=True needs a symmetric matrix")
    ties = m if valued else (m > 0).astype(float)
    groups = np.asarray(labels)
    rows = []
    for g in sorted(set(groups.tolist())):
        inside = groups == g
        internal = float(ties[np.ix_(inside, inside)].sum())
        external = float(ties[np.ix_(inside, ~inside)].sum() + ties[np.ix_(~inside, inside)].sum())
        rows.append(
            {
                "group": g,
                "members": int(inside.sum()),
                "internal": internal,
                "external": external,
                "ei": ei(external, internal),
            }
        )
    table = pd.DataFrame(rows)
    same = groups[:, None] == groups[None, :]
    whole_internal = float(ties[same].sum())
    whole_external = float(ties[~same].sum())
    if undirected:
        table[["internal", "external"]] /= 2
        whole_internal, whole_external = whole_internal / 2, whole_external / 2
    sum_internal = float(table["internal"].sum())
    sum_external = float(table["external"].sum())
    return EIResult(
        valued=valued,
        groups=table,
        whole_internal=whole_internal,
        whole_external=whole_external,
        whole_ei=ei(whole_external, whole_internal),
        sum_of_groups_internal=sum_internal,
        sum_of_groups_external=sum_external,
        sum_of_groups_ei=ei(sum_external, sum_internal),
    )


# ------------------------------------------------------------------------------------------------
# one partition of one period's network, described for the study's tables

Partition = Literal["concor", "louvain", "leiden", "groups"]
"""Where a partition comes from; ``groups`` is one given by the user (``metrics --groups``)."""

PARTITIONS: Final[tuple[Partition, ...]] = ("concor", "louvain", "leiden")
"""The partitions ``copatent subgroups`` computes."""


@dataclass(frozen=True, eq=False)
class Subgroups:
    """A partition of one period's network with everything the study reports about it.

    ``members``: one row per node: ``node``, ``name``, ``block``, ``weighted_degree``, ``tier``
    (natural-break tier of weighted degree). ``blocks``: one row per block: ``block``, ``members``,
    ``share`` (of the nodes), ``core`` (the member of highest weighted degree: the study names a
    block "centred around" it), ``core_name``. ``matrices`` and ``ei``: as their functions.
    ``modularity``: Newman's Q of the partition on ``W + Wᵀ``
    (:func:`copatent.analytics.community.modularity`), for any method, so that CONCOR's blocks
    and the modularity-based communities can be compared on one scale.
    """

    method: Partition
    members: pd.DataFrame
    blocks: pd.DataFrame
    matrices: BlockMatrices
    ei_binary: EIResult
    ei_valued: EIResult
    modularity: float


def describe(
    method: Partition,
    weights: FloatMatrix,
    labels: npt.ArrayLike,
    centrality: pd.DataFrame,
    *,
    undirected: bool = False,
    block_labels: Sequence[str] | None = None,
    image_cutoff: ImageCutoff = "density",
) -> Subgroups:
    """The tables of partition ``labels`` of a network (``weights`` in ``centrality`` node order).

    ``centrality`` has ``node``, ``name``, ``weighted_degree`` and ``tier`` in the node order of
    ``weights``. ``undirected``: ``weights`` is symmetric and E-I counts edges once (see
    :func:`ei_index`). ``block_labels``: a name for each block, in block order (the user's group
    values), added to ``blocks`` as ``label``. ``image_cutoff``: the image matrices' cutoff
    (:func:`block_matrices`).
    """
    members = centrality.loc[:, ["node", "name", "weighted_degree", "tier"]].copy()
    members.insert(2, "block", np.asarray(labels, dtype=np.int64))
    rows = []
    for block in sorted(set(members["block"].tolist())):
        group = members[members["block"] == block]
        core = group.sort_values(["weighted_degree", "node"], ascending=[False, True]).iloc[0]
        rows.append(
            {
                "block": block,
                "members": len(group),
                "share": len(group) / len(members),
                "core": core["node"],
                "core_name": core["name"],
            }
        )
    table = pd.DataFrame(rows)
    if block_labels is not None:
        table.insert(1, "label", list(block_labels))
    return Subgroups(
        method=method,
        members=members,
        blocks=table,
        matrices=block_matrices(weights, labels, cutoff=image_cutoff),
        ei_binary=ei_index(weights, labels, undirected=undirected),
        ei_valued=ei_index(weights, labels, valued=True, undirected=undirected),
        modularity=community.modularity(weights, np.asarray(labels)),
    )


@dataclass(frozen=True, eq=False)
class PeriodSubgroups:
    """One partition of one period's network at one scale."""

    scale: Scale
    period: str
    """The period's label, ``2016-2020``."""
    subgroups: Subgroups


def of_analysis(
    result: Analysis,
    methods: Sequence[Partition],
    *,
    depth: int = DEFAULT_DEPTH,
    self_ties: SelfTies = "reciprocal",
    binary: bool = False,
    image_cutoff: ImageCutoff = "density",
) -> list[PeriodSubgroups]:
    """Every partition in ``methods`` of every network of ``result`` that has an edge.

    CONCOR runs here (``depth``, ``self_ties``, on the ties present when ``binary``); Louvain and
    Leiden are the engine's partitions (:attr:`PeriodGraph.communities`, :attr:`PeriodGraph.leiden`,
    the latter present only when the engine was asked for it). ``image_cutoff``: the image
    matrices' cutoff, for every partition (:func:`block_matrices`).
    """
    image_alpha(np.empty(0), image_cutoff, whole=0.0)  # a bad cutoff fails before any work
    found = []
    for t in result:
        if t.graph.edges.empty:
            continue
        order = t.graph.nodes["node"].tolist()
        centrality = t.centrality.set_index("node").loc[order].reset_index()
        weights = t.graph.network.weights.toarray()
        for m in methods:
            if m == "concor":
                labels = concor(weights, depth=depth, self_ties=self_ties, binary=binary)
            elif m == "louvain":
                labels = t.graph.communities
            elif m == "leiden" and t.graph.leiden is not None:
                labels = t.graph.leiden
            else:
                raise ValueError(f"no {m} partition in the networks")
            described = describe(m, weights, labels, centrality, image_cutoff=image_cutoff)
            found.append(PeriodSubgroups(t.graph.scale, t.graph.label, described))
    return found
