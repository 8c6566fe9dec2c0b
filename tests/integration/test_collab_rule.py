"""The first-applicant rule inside the database and in memory, on a hand-made export.

DESIGN.md item 2: a patent with ordered applicants a0..ak gives the arcs a0 -> aj only; a
collaboration inside one region is the node's internal count, not an edge; an end without a place
at the scale leaves the collaboration out (counted as unplaced).
"""

from __future__ import annotations

import pytest
from pandas.testing import assert_frame_equal

from copatent.analytics.periods import SCALES, Scale
from copatent.db import Database
from copatent.engines.memory import MemoryEngine
from copatent.engines.neo4j import Neo4jEngine
from copatent.loader import pipeline, writer
from tests.rows import raw_rows


def _hand_made() -> pipeline.Prepared:
    """Three patents. 2016: A (Beijing) leads B (Beijing), C (Baotou), D (Ganzhou); 2017: C leads
    E, an applicant placed in Jiangxi province but in no city; 2018: F leads G, both in Xiamen."""
    firms = {
        "A": ("北京甲稀土公司", "北京市海淀区学院路1号"),
        "B": ("北京乙稀土公司", "北京市朝阳区北辰路2号"),
        "C": ("包头丙稀土研究院", "内蒙古自治区包头市昆都仑区钢铁大街3号"),
        "D": ("赣州丁稀土有限公司", "江西省赣州市章贡区红旗大道4号"),
        "E": ("江西戊稀土集团", "江西省"),
        "F": ("厦门己稀土材料公司", "福建省厦门市思明区湖滨南路5号"),
        "G": ("厦门庚稀土研究所", "福建省厦门市湖里区华光路6号"),
    }

    def row(i: int, year: int, who: str) -> dict[str, str]:
        names, addresses = zip(*(firms[k] for k in who), strict=True)
        return {
            "pub_no": f"CN10000000{i}A",
            "app_no": f"CN{year}1000000{i}",
            "app_date": f"{year}-05-01",
            "title": "一种稀土永磁材料",
            "applicants": ";".join(names),
            "applicant_addresses": ";".join(addresses),
            "applicant_countries": ";".join("CN" for _ in who),
        }

    rows = [row(1, 2016, "ABCD"), row(2, 2017, "CE"), row(3, 2018, "FG")]
    return pipeline.prepare(raw_rows(rows), keywords=None)


# the expected networks of _hand_made(), by the first-applicant rule (DESIGN.md item 2)
HAND_MADE = {
    "applicant": (
        {
            ("北京甲稀土公司", "北京乙稀土公司"): 1,
            ("北京甲稀土公司", "包头丙稀土研究院"): 1,
            ("北京甲稀土公司", "赣州丁稀土有限公司"): 1,
            ("包头丙稀土研究院", "江西戊稀土集团"): 1,
            ("厦门己稀土材料公司", "厦门庚稀土研究所"): 1,
        },
        {},
        0,
        0,
    ),
    # Xiamen's one collaboration is internal: not a node, but counted in the period's internal
    "city": ({("110000", "150200"): 1, ("110000", "360700"): 1}, {"110000": 1}, 1, 2),
    "province": (
        {("110000", "150000"): 1, ("110000", "360000"): 1, ("150000", "360000"): 1},
        {"110000": 1},
        0,
        2,
    ),
}


@pytest.mark.parametrize("scale", SCALES)
def test_first_applicant_rule_on_a_hand_made_export(
    fixture_db: Database, db: Database, scale: Scale
) -> None:
    """4 applicants give 3 arcs; B-C, B-D, C-D are not counted; A-B is internal to Beijing."""
    prepared = _hand_made()
    writer.write(db, prepared, key="hand-made")
    edges, internal, unplaced, internal_total = HAND_MADE[scale]
    for engine in (Neo4jEngine(db, restarts=1), MemoryEngine(prepared, restarts=1)):
        (graph,) = engine.period_graphs(scale, [(2016, 2020)])
        found = {(s, t): w for s, t, w in graph.edges.itertuples(index=False)}
        assert found == edges, engine.name
        inside = graph.nodes.set_index("node")["internal"]
        assert inside[inside > 0].to_dict() == internal, engine.name
        assert graph.unplaced == unplaced, engine.name
        assert graph.internal == internal_total, engine.name


def test_isolates_keep_regions_with_only_internal_collaboration(
    fixture_db: Database, db: Database
) -> None:
    """With isolates (DESIGN.md item 5) Xiamen, whose one collaboration was internal, is a node."""
    prepared = _hand_made()
    writer.write(db, prepared, key="hand-made")
    engines = (
        Neo4jEngine(db, restarts=1, isolates=True),
        MemoryEngine(prepared, restarts=1, isolates=True),
    )
    graphs = [engine.period_graphs("city", [(2016, 2020)])[0] for engine in engines]
    for graph in graphs:
        nodes = graph.nodes.set_index("node")
        assert list(nodes.index) == ["110000", "150200", "350200", "360700"]
        assert nodes.loc["350200", "internal"] == 1
        xiamen = graph.measures.set_index("node").loc["350200"]
        assert xiamen[["out_degree", "in_degree", "betweenness", "out_closeness"]].sum() == 0
        assert graph.measures["component"].tolist() == [1, 1, 2, 1]
        assert len(set(graph.communities)) >= 2
    neo, mem = graphs
    assert_frame_equal(neo.measures, mem.measures, check_dtype=False)
    assert neo.communities.tolist() == mem.communities.tolist()
