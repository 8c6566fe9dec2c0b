"""Findings and the study's table layouts, on networks small enough to work by hand."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pytest

from copatent import engines
from copatent.analytics import centrality, community, subgroups
from copatent.analytics.analysis import Analysis
from copatent.analytics.network import Network
from copatent.analytics.periods import PeriodGraph, Scale
from copatent.engines.base import sorted_edges
from copatent.report import layout
from copatent.report.findings import findings

# period -> arcs (leader, participant, weight): Beijing leads Shanghai ever more strongly
ARCS = {
    (2001, 2005): [("bj", "sh", 2), ("sh", "bj", 1)],
    (2006, 2010): [("bj", "sh", 3), ("bj", "tj", 1), ("tj", "sh", 1)],
    (2011, 2015): [("bj", "sh", 5), ("bj", "tj", 2), ("sh", "tj", 1), ("hb", "bj", 1)],
    (2016, 2020): [("bj", "sh", 8), ("bj", "tj", 3), ("sh", "tj", 1), ("hb", "bj", 2)],
}
NAMES = {"bj": "北京市", "sh": "上海市", "tj": "天津市", "hb": "河北省"}


class _Periods:
    """An engine stand-in: each period's network is given (the input of the analysis)."""

    name = "fixed"

    def period_graphs(self, scale: Scale, periods: Sequence[tuple[int, int]]) -> list[PeriodGraph]:
        graphs = []
        for p in periods:
            edges = sorted_edges(pd.DataFrame(ARCS[p], columns=["source", "target", "weight"]))
            keys = sorted(set(edges["source"]) | set(edges["target"]))
            net = Network.from_edges(edges, keys)
            nodes = pd.DataFrame({"node": keys, "name": [NAMES[k] for k in keys], "internal": 0})
            measures = centrality.node_measures(net)
            graphs.append(
                PeriodGraph(scale, p, edges, nodes, measures, community.louvain(net), 1.0, 1, 0)
            )
        return graphs


@pytest.fixture(scope="module")
def result() -> Analysis:
    return engines.analyze(_Periods(), scales=["province"], classes=2)


def texts(result: Analysis, topic: str) -> list[str]:
    return [f.text for f in findings(result) if f.topic == topic]


def test_trends_name_the_direction_and_the_end_values(result: Analysis) -> None:
    found = texts(result, "trend")
    # nodes 2, 3, 4, 4: up, then level
    assert (
        "At province scale, the number of nodes rises overall, from 2 in 2001-2005 to 4 in "
        "2016-2020, with a fall or a standstill in 2016-2020." in found
    )
    # arcs 2, 3, 4, 4
    assert any(t.startswith("At province scale, the number of arcs rises overall") for t in found)


def test_strongest_arc_of_every_period(result: Analysis) -> None:
    assert texts(result, "arcs") == [
        (
            "At province scale the strongest arc of every period is 北京市 → 上海市 (2 in 2001-2005, "
            "3 in 2006-2010, 5 in 2011-2015, 8 in 2016-2020)."
        )
    ]


def test_leaders_and_participants(result: Analysis) -> None:
    # 2016-2020: bj leads 11, joins 2 (A = 9/13); sh leads 1, joins 8; tj joins 4; hb leads 2
    (text,) = texts(result, "flow")
    assert text.startswith("In 2016-2020, 2 provinces are net leaders")
    assert "and 2 are net participants" in text
    assert "北京市, is a net leader (led 11, joined 2, A = 0.692)" in text


def test_top_regions_with_weighted_degree(result: Analysis) -> None:
    (top, _) = texts(result, "top")
    # weighted degree 2016-2020: bj 13, sh 9, tj 4, hb 2
    assert top.startswith("In 2016-2020 the 4 provinces of highest weighted degree are 北京市 (13")
    assert "上海市 (9" in top


def test_centralization_sentence_compares_out_and_in(result: Analysis) -> None:
    (text,) = texts(result, "centralization")
    table = result.table1().set_index("period")
    out, into = table["out_centralization_maxtie_pct"], table["in_centralization_maxtie_pct"]
    above = int((out > into).sum())
    assert f"in {above} of 4 periods" in text or (above == 4 and "every period" in text)
    assert f"2016-2020: {out['2016-2020']:.2f} % vs {into['2016-2020']:.2f} %" in text


def test_a_label_function_renames_the_regions(result: Analysis) -> None:
    english = {"北京市": "Beijing", "上海市": "Shanghai"}
    found = findings(result, label=lambda _node, name: english.get(name, name))
    arcs = next(f.text for f in found if f.topic == "arcs")
    assert "Beijing → Shanghai" in arcs


def test_subgroup_sentence_names_the_core(result: Analysis) -> None:
    (part,) = subgroups.of_analysis(
        engines.analyze(_Periods(), scales=["province"], periods=[(2016, 2020)], classes=2),
        ("louvain",),
    )
    found = [f.text for f in findings(result, [part]) if f.topic == "subgroups"]
    blocks = part.subgroups.blocks.sort_values(["members", "block"], ascending=[False, True])
    core = str(blocks.iloc[0]["core_name"])
    assert len(found) == 1
    assert f"centred around {core}" in found[0]


def test_table1_layout_is_indicators_by_periods(result: Analysis) -> None:
    table = layout.table1(result, "province")
    assert list(table.columns) == ["2001-2005", "2006-2010", "2011-2015", "2016-2020"]
    assert table.loc["Nodes"].tolist() == [2, 3, 4, 4]
    assert table.loc["Edges (arcs)"].tolist() == [2, 3, 4, 4]
    assert table.index[:8].tolist() == list(layout.TABLE1_ROWS.values())[:8]


def test_table2_layout_ranks_by_weighted_degree(result: Analysis) -> None:
    table = layout.table2(result, "province", "2016-2020", top=2)
    assert table["rank"].tolist() == [1, 2]
    assert table["region"].tolist() == ["北京市", "上海市"]
    assert table["weighted degree"].tolist() == [13, 9]
