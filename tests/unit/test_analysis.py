"""From period networks to the study's tables (memory engine, no server)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from copatent import engines
from copatent._errors import InputError
from copatent.analytics import analysis, breaks, centrality, community, geography
from copatent.analytics.network import Network
from copatent.analytics.periods import DEFAULT_PERIODS, Period, PeriodGraph, Scale
from copatent.engines.base import sorted_edges
from copatent.engines.memory import MemoryEngine
from copatent.loader import pipeline
from copatent.report.analysis import write_analysis
from copatent.sample import generator as sample

SEED = 3


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> MemoryEngine:
    path = sample.write(
        sample.generate(4_000, seed=SEED), tmp_path_factory.mktemp("analysis") / "s.csv"
    )
    prepared = pipeline.prepare_files([path], keywords=pipeline.default_keywords())
    return MemoryEngine(prepared, restarts=2)


@pytest.fixture(scope="module")
def result(engine: MemoryEngine) -> analysis.Analysis:
    return engines.analyze(engine, scales=["province", "city"])


def test_table1_has_a_row_per_scale_and_period(result: analysis.Analysis) -> None:
    table = result.table1()
    assert list(zip(table["scale"], table["period"], strict=True)) == [
        (s, f"{a}-{b}") for s in ("province", "city") for a, b in DEFAULT_PERIODS
    ]
    assert (table["betweenness"] == "exact").all()
    assert (table["nodes"] > 0).all()


def test_edge_tiers_use_the_baseline_breaks_for_every_period(result: analysis.Analysis) -> None:
    for scale in result.scales:
        found = result.edge_breaks[scale]
        assert found is not None
        base = result.tables[(scale, "2016-2020")].edges
        assert_allclose(found.bounds, breaks.jenks(base["weight"], 4).bounds)
        for (s, _), tables in result.tables.items():
            if s == scale:
                # DESIGN.md item 8: class i holds b[i-1] < w <= b[i], the top and bottom classes
                # open-ended for the other periods' weights outside the baseline's range
                b, k = found.bounds, len(found.bounds) - 1
                for w, tier in zip(tables.edges["weight"], tables.edges["tier"], strict=True):
                    assert 1 <= tier <= k
                    assert tier == 1 or w > b[tier - 1]
                    assert tier == k or w <= b[tier]
        counts = result.edge_tiers()
        counts = counts[counts["scale"] == scale]
        assert counts["2016-2020"].gt(0).all(), "the baseline has an edge in every tier"
        for label in counts.columns[5:]:
            assert counts[label].sum() == len(result.tables[(scale, label)].edges)


def test_tables_are_consistent(result: analysis.Analysis) -> None:
    for t in result:
        c = t.centrality
        assert c["weighted_degree"].is_monotonic_decreasing
        assert_allclose(c["weighted_degree"], c["out_strength"] + c["in_strength"])
        f = t.flow.set_index("node")
        o, i = f["out_strength"], f["in_strength"]
        assert_allclose(f["effective_flow"], (o - i) / (o + i))
        assert len(t.edges) == t.indicators.edges
        assert t.indicators.communities == len(set(t.centrality["community"]))


def test_edges_carry_their_geography_and_the_decay_adds_up(result: analysis.Analysis) -> None:
    for t in result:
        edges = t.edges
        assert list(edges.columns[-3:]) == ["distance_km", "same_province", "bordering"]
        assert edges["distance_km"].gt(0).all()  # the sample's regions all have seats
        assert edges["bordering"].notna().all()
        if t.graph.scale == "city":
            assert edges["same_province"].notna().all()
    decay = result.distance_decay()
    assert set(decay["scale"]) == {"province", "city"}
    for (scale, period), rows in decay.groupby(["scale", "period"]):
        edges = result.tables[(str(scale), str(period))].edges
        assert rows["arcs"].sum() == len(edges)
        assert rows["weight"].sum() == edges["weight"].sum()
        assert rows["bordering_weight"].sum() == edges.loc[edges["bordering"], "weight"].sum()
        assert (rows["unplaced_arcs"] == 0).all()
    province = decay[decay["scale"] == "province"]
    assert province["same_province_share"].isna().all()  # no province is in another


def test_a_period_list_without_the_baseline_still_uses_its_breaks(
    engine: MemoryEngine, result: analysis.Analysis
) -> None:
    early = engines.analyze(engine, scales=["city"], periods=[(2001, 2005)])
    assert [p for _, p in early.tables] == ["2001-2005"]
    assert early.edge_breaks["city"] == result.edge_breaks["city"]


class _OneNetwork:
    """An engine stand-in that returns one fixed network (the input of the analysis)."""

    name = "fixed"

    def __init__(self, edges: pd.DataFrame) -> None:
        self.edges = sorted_edges(edges)

    def period_graphs(self, scale: Scale, periods: Sequence[tuple[int, int]]) -> list[PeriodGraph]:
        keys = sorted(set(self.edges["source"]) | set(self.edges["target"]))
        net = Network.from_edges(self.edges, keys)
        nodes = pd.DataFrame({"node": keys, "name": keys, "internal": 0})
        return [
            PeriodGraph(
                scale,
                p,
                self.edges,
                nodes,
                centrality.node_measures(net),
                community.louvain(net),
                1.0,
                1,
                0,
            )
            for p in periods
        ]


def test_too_few_distinct_values_leave_tiers_empty_with_a_note() -> None:
    edges = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [1, 1]})
    result = engines.analyze(_OneNetwork(edges), scales=["city"], periods=[(2016, 2020)])
    t = result.tables[("city", "2016-2020")]
    assert t.centrality["tier"].isna().all()
    assert t.edges["tier"].isna().all()
    assert any("fewer than the 4 classes" in note for note in result.notes())
    assert result.edge_tiers().empty


def test_write_gives_whole_csv_files(result: analysis.Analysis, tmp_path: Path) -> None:
    written = write_analysis(result, tmp_path / "out")
    assert len(written) == 2 + 2 + 3 * 8  # tables, distance decay per scale, per period
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)
    table1 = pd.read_csv(tmp_path / "out" / "table1.csv", encoding="utf-8-sig")
    assert len(table1) == 8
    centrality_file = tmp_path / "out" / "centrality_city_2016-2020.csv"
    frame = pd.read_csv(centrality_file, encoding="utf-8-sig", dtype={"node": str})
    expected = result.tables[("city", "2016-2020")].centrality
    assert frame["node"].tolist() == expected["node"].tolist()
    assert np.isfinite(frame["betweenness"]).all()
    decay = pd.read_csv(tmp_path / "out" / "distance_decay_city.csv", encoding="utf-8-sig")
    assert len(decay) == 4 * (len(geography.BANDS_KM) - 1)  # periods x bands
    edges = pd.read_csv(tmp_path / "out" / "edges_city_2016-2020.csv", encoding="utf-8-sig")
    assert {"distance_km", "same_province", "bordering"} <= set(edges.columns)


@pytest.mark.parametrize("text", ["2016", "2020-2016", "a-b", "2016-2020-2024"])
def test_bad_periods_are_input_errors(text: str) -> None:
    with pytest.raises(InputError, match="expected two years START-END"):
        Period.parse(text)
