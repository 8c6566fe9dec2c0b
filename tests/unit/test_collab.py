"""The first-applicant rule on a hand-made export, through the loader's pipeline."""

from __future__ import annotations

import pandas as pd

from copatent.analytics.collab import collaborations, period_network
from copatent.loader import pipeline
from tests.rows import raw_rows

BJ, SH, BT = (
    "北京市海淀区学院路1号",
    "上海市浦东新区张江路2号",
    "内蒙古自治区包头市昆都仑区钢铁大街3号",
)

ROWS = [
    # four applicants: 甲 (Beijing) leads; 乙 (Shanghai), 丙 (Beijing), 丁 (Baotou) participate
    {"pub_no": "P1", "app_date": "2017-01-01", "title": "稀土",
     "applicants": "甲公司;乙公司;丙公司;丁研究院", "applicant_addresses": f"{BJ};{SH};{BJ};{BT}"},
    # two applicants, 2004: 乙 leads 丁
    {"pub_no": "P2", "app_date": "2004-06-01", "title": "稀土",
     "applicants": "乙公司;丁研究院", "applicant_addresses": f"{SH};{BT}"},
]  # fmt: skip


def _collabs() -> pd.DataFrame:
    prepared = pipeline.prepare(raw_rows(ROWS), keywords=None)
    return collaborations(prepared.applied, prepared.patents, prepared.applicants)


def test_four_applicants_give_three_arcs_from_the_first() -> None:
    c = _collabs()
    p1 = c[c["pub_no"] == "P1"]
    assert set(zip(p1["leader_name"], p1["participant_name"], strict=True)) == {
        ("甲公司", "乙公司"),
        ("甲公司", "丙公司"),
        ("甲公司", "丁研究院"),
    }
    assert len(p1) == 3


def test_city_network_has_no_loops_and_counts_internal() -> None:
    net = period_network(_collabs(), scale="city", period=(2016, 2020))
    assert net.edges.to_dict("records") == [
        {"source": "110000", "target": "150200", "weight": 1},
        {"source": "110000", "target": "310000", "weight": 1},
    ]
    assert net.internal.to_dict() == {"110000": 1}  # 甲 -> 丙, both in Beijing
    assert net.unplaced == 0


def test_periods_are_inclusive_years_and_scales_differ() -> None:
    c = _collabs()
    early = period_network(c, scale="province", period=(2001, 2005))
    assert early.edges.to_dict("records") == [{"source": "310000", "target": "150000", "weight": 1}]
    people = period_network(c, scale="applicant", period=(2001, 2020))
    assert len(people.edges) == 4  # three from P1, one from P2; none among 乙, 丙, 丁 in P1
    assert people.internal.empty
