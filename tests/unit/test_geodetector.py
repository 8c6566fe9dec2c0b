"""The geographical detector against the published outputs of geodetector, gdverse and py-geodetector.

Sources of the expected numbers (all on Wang et al. 2010's neural-tube-defect data, 185 rows):

- CRAN geodetector 1.0-5 vignette (cran/geodetector inst/doc/geodetector.html @ c65e42dc) on
  ``CollectData`` = reference-data/geodetector/ntd.csv: factor, interaction, risk and ecological
  detector outputs, sample variance in λ.
- py-geodetector example notebook (djw-easy/GeoDetector example.ipynb @ b1fd8c6a) on the same
  data coded type/region/level = reference-data/geodetector/disease.csv.
- gdverse vignette consistency.Rmd (stscl/gdverse @ 56959d83): the same factor detector with the
  population variance in λ (gdverse, GD); gdverse tests/testthat/test-geodetector.R @ 34616791 for
  the 7-row example with a single-row stratum (reference-data/geodetector/tiny7.csv).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import special, stats
from typer.testing import CliRunner

from copatent import cli
from copatent._errors import InputError
from copatent.analytics import geodetector as gd
from copatent.analytics.breaks import SCHEMES
from copatent.analytics.detection import Detection, detect
from copatent.analytics.discretization import Discretization
from copatent.analytics.regional import UnknownMeasureError, join_regions
from copatent.commands._json import DETECTION_KEYS
from copatent.commands.detect import parse_discretization
from tests.reference import reference_data

DATA = reference_data() / "geodetector"
NONE = parse_discretization("none")


@pytest.fixture(scope="module")
def ntd() -> pd.DataFrame:
    return pd.read_csv(DATA / "ntd.csv", dtype=str)


def run(table: pd.DataFrame, y: str, xs: list[str], **options: object) -> Detection:
    return detect(table, y, xs, discretization=NONE, **options)  # type: ignore[arg-type]


def printed(text: str) -> object:
    """A printed number: equal up to half a unit of its last digit, plus 1e-9 absolute, the
    accuracy of R's non-central F (pnbeta's errmax = 1e-9)."""
    decimals = len(text.partition(".")[2])
    return pytest.approx(float(text), abs=0.5 * 10.0**-decimals + 1e-9)


def test_factor_detector_matches_the_cran_geodetector_vignette(ntd: pd.DataFrame) -> None:
    found = run(ntd, "incidence", ["watershed", "soiltype", "elevation"]).factor_table()
    found = found.set_index("x")
    # printed: watershed 0.6377737 0.0001169914; soiltype 0.3857168 0.3632363;
    # elevation 0.6067087 0.04080407 (scipy's ncf.sf gives 1.16990439e-4 for watershed)
    expected = {
        "watershed": ("0.6377737", "0.0001169914"),
        "soiltype": ("0.3857168", "0.3632363"),
        "elevation": ("0.6067087", "0.04080407"),
    }
    for x, (q, p) in expected.items():
        assert found.loc[x, "q"] == printed(q)
        assert found.loc[x, "p_value"] == printed(p)
    assert found["n_strata"].to_dict() == {"watershed": 9, "soiltype": 5, "elevation": 7}
    assert (found["df2"] == 185 - found["n_strata"]).all()


def test_factor_detector_population_variance_matches_gdverse(ntd: pd.DataFrame) -> None:
    found = run(
        ntd, "incidence", ["watershed", "soiltype", "elevation"], variance="population"
    ).factor_table()
    p = dict(zip(found["x"], found["p_value"], strict=True))
    # gdverse consistency vignette, gdverse::gd / GD::gd: 0.000128803, 0.372145486, 0.043382244
    assert p["watershed"] == printed("0.000128803")
    assert p["soiltype"] == printed("0.372145486")
    assert p["elevation"] == printed("0.043382244")


def test_factor_detector_on_the_pypi_coding() -> None:
    table = pd.read_csv(DATA / "disease.csv", dtype=str, encoding="utf-8-sig")
    found = run(table, "incidence", ["type", "region", "level"]).factor_table()
    # py-geodetector notebook: q 0.385717 0.637774 0.606709, p 0.363236 0.000117 0.040804
    assert found["q"].round(6).tolist() == [0.385717, 0.637774, 0.606709]
    assert found["p_value"].round(6).tolist() == [0.363236, 0.000117, 0.040804]


def test_interaction_detector_matches_the_vignette(ntd: pd.DataFrame) -> None:
    found = run(ntd, "incidence", ["watershed", "soiltype", "elevation"], interaction=True)
    q12 = {frozenset((i.x1, i.x2)): i.q12 for i in found.interaction}
    # printed as "0.735680548139531", "0.663523698335635", "0.71359677853471"
    assert q12[frozenset(("soiltype", "watershed"))] == pytest.approx(0.735680548139531, rel=1e-12)
    assert q12[frozenset(("soiltype", "elevation"))] == pytest.approx(0.663523698335635, rel=1e-12)
    assert q12[frozenset(("watershed", "elevation"))] == pytest.approx(0.71359677853471, rel=1e-12)
    # py-geodetector and gdverse: all three "Enhance, bi-"
    assert {i.type for i in found.interaction} == {"enhance, bi-"}


def test_risk_detector_matches_the_vignette(ntd: pd.DataFrame) -> None:
    found = {r.x: r for r in run(ntd, "incidence", ["watershed", "soiltype", "elevation"],
                                 risk=True).risk}  # fmt: skip
    means = {
        "soiltype": [6.340000, 6.687500, 6.583279, 5.843810, 6.347073],
        "watershed": [6.167813, 6.813103, 6.474231, 6.728000, 5.910000, 5.845714, 6.494167,
                      6.360769, 6.579231],
        "elevation": [6.455882, 6.171111, 6.258108, 6.621364, 5.908889, 6.888636, 5.790000],
    }  # fmt: skip
    # the vignette's "Significance t-test:0.05" matrices are TRUE except these pairs
    not_different = {
        "soiltype": {("1", "5"), ("2", "3")},
        "watershed": {("2", "4"), ("3", "7"), ("3", "8"), ("3", "9"), ("5", "6"), ("7", "8"),
                      ("7", "9")},
        "elevation": {("2", "3")},
    }  # fmt: skip
    for x, r in found.items():
        assert r.strata["stratum"].tolist() == [str(i) for i in range(1, len(means[x]) + 1)]
        assert r.strata["mean"].tolist() == pytest.approx(means[x], abs=6e-7)
        pairs = r.pairs
        same = {
            (a, b) for a, b, s in zip(pairs["stratum1"], pairs["stratum2"], pairs["significant"],
                                      strict=True) if not s
        }  # fmt: skip
        assert same == not_different[x], x
        n = len(means[x])
        assert len(pairs) == n * (n - 1) // 2


def test_ecological_detector_matches_the_vignette(ntd: pd.DataFrame) -> None:
    found = run(ntd, "incidence", ["watershed", "soiltype", "elevation"], ecological=True)
    significant = {frozenset((e.x1, e.x2)): e.significant for e in found.ecological}
    # the vignette: soiltype-watershed TRUE, soiltype-elevation TRUE, watershed-elevation FALSE
    # (py-geodetector: Y, Y, N); gdverse tests one direction only and says No to all three
    assert significant == {
        frozenset(("soiltype", "watershed")): True,
        frozenset(("soiltype", "elevation")): True,
        frozenset(("watershed", "elevation")): False,
    }
    for e in found.ecological:
        assert (e.df1, e.df2) == (184, 184)


def test_single_row_strata_kept_or_dropped() -> None:
    table = pd.read_csv(DATA / "tiny7.csv", dtype=str)
    # gdverse test-geodetector.R: factor_detector(y = 1:7, x = c('x', rep('y', 3), rep('z', 3)))
    # gives Q = 0.771429, P = 0.079365: the single-row stratum dropped, population variance
    dropped = run(table, "y", ["x1"], singletons="drop", variance="population").factor[0]
    assert round(dropped.q, 6) == 0.771429
    assert round(dropped.p_value, 6) == 0.079365
    assert (dropped.n, dropped.dropped, dropped.n_strata) == (6, 1, 2)
    # kept (the default): SST = 28, SSW = 0 + 2 + 2 = 4, q = 1 - 4/28 (by hand)
    kept = run(table, "y", ["x1"]).factor[0]
    assert kept.q == pytest.approx(1 - 4 / 28)
    assert (kept.n, kept.dropped, kept.n_strata, kept.df1, kept.df2) == (7, 0, 3, 2, 4)


# -- properties


def noncentral_f_sf(f: float, d1: int, d2: int, lam: float) -> float:
    """P(F' > f) as the Poisson mixture of regularized incomplete betas (Johnson, Kotz &
    Balakrishnan, Continuous Univariate Distributions 2, ch. 30), summed independently of
    scipy.stats.ncf."""
    x = d2 / (d2 + d1 * f)
    terms = [stats.poisson.pmf(j, lam / 2) * special.betainc(d2 / 2, d1 / 2 + j, x)
             for j in range(int(lam / 2 + 60 * math.sqrt(lam / 2 + 1)) + 60)]  # fmt: skip
    return float(math.fsum(terms))


def test_tiny_p_values_keep_their_digits() -> None:
    rng = np.random.default_rng(3)
    labels = np.repeat(["a", "b", "c", "d"], 30)
    y = np.repeat([1.0, 2.0, 3.0, 4.0], 30) + rng.normal(0, 0.6, 120)
    r = gd.factor_detector(y, labels)
    assert 0 < r.p_value < 1e-20  # 1 - cdf would be exactly 0 here
    expected = noncentral_f_sf(r.f, r.df1, r.df2, r.noncentrality)
    assert r.p_value == pytest.approx(expected, rel=1e-6)


# values in tenths from -100 to 100: the properties are about the statistic, not about squares of
# numbers near 1e-200 underflowing to 0
TENTHS = st.integers(-1000, 1000).map(lambda i: i / 10)


@st.composite
def stratified(draw: st.DrawFn) -> tuple[np.ndarray, list[str]]:
    n = draw(st.integers(4, 40))
    y = draw(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=n, max_size=n))
    labels = draw(st.lists(st.sampled_from(["1", "11", "2", "x"]), min_size=n, max_size=n))
    return np.array(y), labels


@settings(max_examples=100, deadline=None)
@given(stratified())
def test_q_is_one_minus_ssw_over_sst_and_in_the_unit_interval(
    data: tuple[np.ndarray, list[str]],
) -> None:
    y, labels = data
    r = gd.factor_detector(y, labels)
    mean = math.fsum(y) / len(y)
    sst = math.fsum((v - mean) ** 2 for v in y)
    ssw = 0.0
    for label in set(labels):
        part = [v for v, g in zip(y, labels, strict=True) if g == label]
        m = math.fsum(part) / len(part)
        ssw += math.fsum((v - m) ** 2 for v in part)
    if sst > 1e-9:
        assert r.q == pytest.approx(1 - ssw / sst, abs=1e-9)
    assert 0.0 <= r.q <= 1.0
    assert math.isnan(r.p_value) or 0.0 <= r.p_value <= 1.0


@settings(max_examples=50, deadline=None)
@given(st.lists(TENTHS, min_size=2, max_size=6, unique=True),
       st.integers(2, 5))  # fmt: skip
def test_q_is_one_when_every_stratum_is_constant(levels: list[float], size: int) -> None:
    y = np.repeat(levels, size)
    labels = np.repeat([f"s{i}" for i in range(len(levels))], size)
    assert gd.factor_detector(y, labels).q == pytest.approx(1.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(TENTHS, min_size=2, max_size=8),
       st.integers(2, 5))  # fmt: skip
@example(values=[29.9, 29.9, 29.9], strata=4)  # constant y: the rounded mean once gave q = 0.75
def test_q_is_zero_when_the_strata_share_a_mean(values: list[float], strata: int) -> None:
    # every stratum holds the same values: the same mean, SSW = SST
    y = np.tile(values, strata)
    labels = np.repeat([f"s{i}" for i in range(strata)], len(values))
    r = gd.factor_detector(y, labels)
    assert r.q == pytest.approx(0.0, abs=1e-9)
    assert math.isnan(r.p_value) or 0.0 <= r.p_value <= 1.0


def test_zero_noncentrality_uses_the_central_f() -> None:
    # stratum means proportional to the square roots of their sizes (1 and 2 for sizes 1 and
    # 4) make λ = Σ ȳ² − (Σ √N ȳ)²/N = 5 − 25/5 = 0 while F > 0; scipy's ncf.sf is negative
    # at λ = 0, the central F is the answer
    y = [1.0, 1.5, 2.5, 1.5, 2.5]
    r = gd.factor_detector(y, ["a", "b", "b", "b", "b"])
    assert r.noncentrality == pytest.approx(0.0, abs=1e-12)
    assert r.f > 0
    assert r.p_value == pytest.approx(stats.f.sf(r.f, 1, 3), rel=1e-6)


def test_the_interaction_key_does_not_concatenate_codes() -> None:
    # concatenated, "1"+"11" and "11"+"1" would both read "111" and merge two strata
    y = np.array([1.0, 1.1, 5.0, 5.2])
    x1 = ["1", "1", "11", "11"]
    x2 = ["11", "11", "1", "1"]
    assert gd.strata(x1, x2).tolist() == [0, 0, 1, 1]
    r = gd.interaction_detector(y, x1, x2)
    assert r.n_strata == 2
    assert r.q12 == pytest.approx(gd.q_statistic(y, [0, 0, 1, 1]))


@pytest.mark.parametrize(
    ("q1", "q2", "q12", "expected"),
    [
        (0.2, 0.3, 0.1, "weaken, nonlinear"),
        (0.2, 0.3, 0.2, "weaken, uni-"),
        (0.2, 0.3, 0.3, "weaken, uni-"),
        (0.2, 0.3, 0.45, "enhance, bi-"),
        (0.2, 0.3, 0.5 + 5e-7, "independent"),
        (0.2, 0.3, 0.5 - 5e-7, "independent"),
        (0.2, 0.3, 0.5 + 2e-6, "enhance, nonlinear"),
    ],
)
def test_interaction_types_and_the_tolerance(
    q1: float, q2: float, q12: float, expected: str
) -> None:
    assert gd.interaction_type(q1, q2, q12) == expected


# -- tables: discretisation and bad input


def test_jenks_five_classes_by_default_and_categorical_columns() -> None:
    table = pd.read_csv(DATA / "ndvi40.csv", dtype=str)
    found = detect(table, "NDVIchange", ["Climatezone", "Mining", "GDP"])
    cut = {s.x: s for s in found.strata}
    assert (cut["Climatezone"].method, cut["Mining"].method) == ("categorical", "categorical")
    assert (cut["GDP"].method, cut["GDP"].k) == ("jenks", 5)
    q = dict(zip(found.factor_table()["x"], found.factor_table()["q"], strict=True))
    # gdverse opgd.Rmd @ 2162e623 prints Climatezone 0.8218335 and Mining 0.1411154
    assert q["Climatezone"] == printed("0.8218335")
    assert q["Mining"] == printed("0.1411154")


def test_optimal_discretisation_keeps_the_best_q() -> None:
    table = pd.read_csv(DATA / "ndvi40.csv", dtype=str)
    found = detect(table, "NDVIchange", ["Precipitation", "GDP"],
                      discretization=parse_discretization("optimal"))  # fmt: skip
    for s, f in zip(found.strata, found.factor, strict=True):
        assert {m for m, _, _ in s.tried} >= {"jenks", "quantile", "equal", "sd"}
        assert {k for _, k, _ in s.tried} == set(range(3, 9))
        # the reported choice, asked for on its own, gives the same q
        alone = detect(table, "NDVIchange", [s.x],
                          discretization=Discretization(s.method, k=s.k_asked))  # fmt: skip
        assert alone.factor[0].q == pytest.approx(f.q, rel=1e-12)
        jenks5 = detect(table, "NDVIchange", [s.x]).factor[0].q
        assert f.q >= jenks5 - 1e-12


def test_optimal_ties_go_to_the_first_method_and_fewest_classes() -> None:
    # three well-separated values: most methods cut them into the same 3 strata
    table = pd.DataFrame({"y": [str(v) for v in range(9)],
                          "x": ["1", "1", "1", "50", "50", "50", "100", "100", "100"]})  # fmt: skip
    found = detect(table, "y", ["x"], discretization=parse_discretization("optimal:3-4"))
    s = found.strata[0]
    best = max(q for _, _, q in s.tried)
    tied = [(m, k) for m, k, q in s.tried if q == pytest.approx(best, abs=1e-12)]
    assert len(tied) >= 3  # jenks:3, quantile:3, equal:3 at least
    assert tied[0] == ("jenks", 3)
    assert (s.method, s.k_asked, s.k) == ("jenks", 3, 3)


def test_ecological_f_is_the_ratio_of_unexplained_shares(ntd: pd.DataFrame) -> None:
    # one table: N_x1 = N_x2, so F = SSW1/SSW2 = (1 - q1)/(1 - q2)
    found = run(ntd, "incidence", ["watershed", "soiltype", "elevation"], ecological=True)
    q = {f.x: f.q for f in found.factor}
    for e in found.ecological:
        assert e.f == pytest.approx((1 - q[e.x1]) / (1 - q[e.x2]), rel=1e-12)
        assert 0.0 <= e.p_value <= 1.0


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"y": ["1", "2", "x", "4"], "f": ["a", "a", "b", "b"]}, "row 4, column y: 'x' is not a number"),
        ({"y": ["1", "2", "3", "4", "5"], "f": ["1", "2", "3", "4", "1,5"]}, "row 6, column f: '1,5' is not a number"),
        ({"y": ["1", "2"], "f": ["a", "b"]}, "2 complete row(s)"),
        ({"y": ["1", "2", "3"], "g": ["a", "b", "c"]}, "no column 'f'; columns found: y, g"),
        ({"y": ["1", "inf", "3"], "f": ["a", "a", "b"]}, "row 3, column y: 'inf' is not finite"),
        ({"y": ["1", "2", "3", "4"], "f": ["1,200", "2,400", "3,600", "1,200"]},
         "column f: text with 3 distinct values in 4 rows"),
    ],
    ids=["text-y", "typo-in-numeric-factor", "too-few-rows", "missing-column", "infinite-y",
         "thousands-separators"],
)  # fmt: skip
def test_bad_tables_name_row_and_column(columns: dict[str, list[str]], expected: str) -> None:
    with pytest.raises(InputError) as caught:
        detect(pd.DataFrame(columns), "y", ["f"], source="stats.csv")
    assert str(caught.value).startswith("stats.csv: ")
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_cells_leave_their_rows_out_with_a_note() -> None:
    table = pd.DataFrame({"y": ["1", "2", "", "4", "5", "6"], "f": ["a", "a", "b", "NA", "b", "b"]})
    found = detect(table, "y", ["f"])
    assert found.n == 4
    assert found.notes == ("2 row(s) with a missing value left out: 4, 5",)


# -- regional statistics joined to the network; the command


def test_join_regions_by_name_or_adcode_and_lists_what_does_not_match() -> None:
    centrality = pd.DataFrame(
        {
            "node": ["110000", "310000", "150000", "440000"],
            "name": ["北京市", "上海市", "内蒙古自治区", "广东省"],
            "weighted_degree": [10.0, 8.0, 5.0, 1.0],
        }
    )
    factors = pd.DataFrame(
        {
            "省份": ["北京", "310000", "内蒙古自治区", "火星", "湖南省"],
            "gdp": ["1", "2", "3", "4", "5"],
            "label": ["a", "b", "c", "d", "e"],  # text: not a default factor
        }
    )
    joined, xs, notes = join_regions(
        centrality, factors, scale="province", y="weighted_degree", source="stats.csv"
    )
    assert xs == ["gdp"]
    assert joined["node"].tolist() == ["110000", "310000", "150000"]
    assert joined["gdp"].tolist() == ["1", "2", "3"]
    assert notes == [
        "stats.csv: 1 row(s) name no province: row 5 '火星'",
        "stats.csv: text column(s) label not used as factors",
        "1 node(s) of the network have no row in stats.csv: 广东省",
        "1 row(s) of stats.csv are regions outside the network: left out",
    ]


def test_join_regions_rejects_a_region_named_twice_and_an_unknown_measure() -> None:
    centrality = pd.DataFrame({"node": ["110000"], "name": ["北京市"], "weighted_degree": [1.0]})
    twice = pd.DataFrame({"region": ["北京市", "北京"], "gdp": ["1", "2"]})
    with pytest.raises(InputError, match="row 3, column region: '北京' is a province named before"):
        join_regions(centrality, twice, scale="province", y="weighted_degree")
    with pytest.raises(UnknownMeasureError, match=r"^'pagerank' is not a node measure"):
        join_regions(centrality, twice, scale="province", y="pagerank")


def test_join_regions_says_when_no_row_names_a_region() -> None:
    # before: the join kept no row and the detector said "0 complete row(s)"
    centrality = pd.DataFrame({"node": ["110000"], "name": ["北京市"], "weighted_degree": [1.0]})
    nowhere = pd.DataFrame({"region": ["", "Atlantis", "Lemuria"], "gdp": ["1", "2", "3"]})
    with pytest.raises(
        InputError, match=r"no row of column region names a city .*row 3: 'Atlantis'"
    ):
        join_regions(centrality, nowhere, scale="city", y="weighted_degree", source="s.csv")


def test_cli_data_json(tmp_path: Path) -> None:
    args = ["detect", "--data", str(DATA / "ntd.csv"), "--y", "incidence", "--x", "watershed",
            "--x", "elevation", "--discretize", "none", "--interaction", "--risk", "--ecological",
            "--json"]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert tuple(report) == DETECTION_KEYS
    first = report["factor"][0]
    assert {"x", "q", "f", "p_value", "n_strata"} <= set(first)
    assert (first["x"], round(first["q"], 7)) == ("watershed", 0.6377737)
    assert report["interaction"][0]["q12"] == pytest.approx(0.71359677853471)
    assert {"x1", "x2", "q12", "type"} <= set(report["interaction"][0])
    assert [r["x"] for r in report["risk"]] == ["watershed", "elevation"]
    assert report["ecological"][0]["significant"] is False


def test_cli_optimal_on_an_xlsx_table(tmp_path: Path) -> None:
    table = pd.read_csv(DATA / "ndvi40.csv")
    table.to_excel(tmp_path / "ndvi.xlsx", index=False)
    args = ["detect", "--data", str(tmp_path / "ndvi.xlsx"), "--y", "NDVIchange", "--x", "GDP",
            "--x", "Climatezone", "--discretize", "optimal:3-5", "--json"]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    strata = {s["x"]: s for s in json.loads(result.stdout)["strata"]}
    assert strata["Climatezone"]["method"] == "categorical"
    assert strata["GDP"]["method"] in SCHEMES
    assert {t["k"] for t in strata["GDP"]["tried"]} == {3, 4, 5}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--y", "incidence", "--x", "nope"], "no column 'nope'"),
        (["--y", "incidence"], "--data needs --y COLUMN and at least one --x COLUMN"),
        (["--y", "incidence", "--x", "watershed", "--discretize", "jenks:1"], "--discretize"),
        (["--y", "watershed", "--x", "watershed"], "named twice"),
    ],
    ids=["unknown-column", "no-factor", "bad-discretization", "y-is-x"],
)
def test_cli_bad_options_are_one_line_exit_6(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    monkeypatch.setattr(sys, "argv", ["copatent", "detect", "--data", str(DATA / "ntd.csv"), *args])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 6
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert expected in err


def test_headers_equal_but_for_case_are_an_error() -> None:
    table = pd.DataFrame([["1", "a", "b"], ["2", "a", "b"], ["3", "b", "b"]],
                         columns=["y", "f", "F"])  # fmt: skip
    with pytest.raises(InputError, match="more than one column is headed 'f'"):
        detect(table, "y", ["f"], source="t.csv")


def test_interaction_with_every_crossed_stratum_dropped() -> None:
    r = gd.interaction_detector([1.0, 2.0, 3.0], ["a", "b", "c"], ["x", "y", "z"],
                                singletons="drop")  # fmt: skip
    assert math.isnan(r.q12)
    assert r.type.startswith("undefined")


def test_cli_prints_names_with_brackets(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("y,GDP [yuan],g[/b]\n1,1,a\n2,1,a\n5,2,b\n6,2,b\n", encoding="utf-8")
    args = ["detect", "--data", str(table), "--y", "y", "--x", "GDP [yuan]", "--x", "g[/b]",
            "--discretize", "none", "--risk", "--interaction"]  # fmt: skip
    result = CliRunner().invoke(cli.app, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "GDP [yuan]" in result.stdout
    assert "g[/b]" in result.stdout


def test_cli_writes_the_tables_with_out(tmp_path: Path) -> None:
    args = ["detect", "--data", str(DATA / "ntd.csv"), "--y", "incidence", "--x", "watershed",
            "--x", "soiltype", "--discretize", "none", "--risk", "--ecological",
            "--out", str(tmp_path / "gd"), "--json"]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    names = sorted(Path(f).name for f in report["files"])
    assert names == ["ntd_ecological.csv", "ntd_factor.csv", "ntd_risk_means.csv",
                     "ntd_risk_tests.csv", "ntd_strata.csv"]  # fmt: skip
    factor = pd.read_csv(tmp_path / "gd" / "ntd_factor.csv", encoding="utf-8-sig")
    assert factor["q"].tolist() == pytest.approx([f["q"] for f in report["factor"]])
    tests = pd.read_csv(tmp_path / "gd" / "ntd_risk_tests.csv", encoding="utf-8-sig")
    assert len(tests) == 36 + 10  # every pair of 9 watersheds and of 5 soil types


def test_numbers_used_as_they_are_are_one_stratum_however_written() -> None:
    table = pd.DataFrame({"y": ["1", "2", "5", "6"], "f": ["2", "2.0", "3", "3.00"]})
    found = detect(table, "y", ["f"], discretization=NONE, risk=True)
    assert found.factor[0].n_strata == 2
    assert found.risk[0].strata["stratum"].tolist() == ["2", "3"]
