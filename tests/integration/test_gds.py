"""Graph Data Science end to end: Cypher projection, degree and Louvain, numbers checked.

The graph is two triangles {a, b, c} and {d, e, f} joined by the bridge c-d, all weights 1. By hand:
degrees are a=2, b=2, c=3, d=3, e=2, f=2; the best partition is the two triangles, with Newman
modularity Q = sum_c [l_c/m - (d_c/2m)^2] = 2 * (3/7 - (7/14)^2) = 5/14 (Newman & Girvan 2004,
doi:10.1103/PhysRevE.69.026113, eq. 7).
"""

from __future__ import annotations

import pandas as pd
from numpy.testing import assert_allclose

from copatent.db import Database

EDGES = [
    ("a", "b"),
    ("b", "c"),
    ("c", "a"),  # triangle 1
    ("d", "e"),
    ("e", "f"),
    ("f", "d"),  # triangle 2
    ("c", "d"),  # bridge
]


def _load(fixture_db: Database) -> None:
    edges = [{"source": s, "target": t, "weight": 1.0} for s, t in EDGES]
    fixture_db.run("fixture/create_edges", {"edges": edges}, write=True)


def _with_keys(fixture_db: Database, frame: pd.DataFrame) -> pd.DataFrame:
    keys = fixture_db.run("fixture/node_keys", {"ids": frame["nodeId"].tolist()})
    return frame.merge(keys, on="nodeId").set_index("key").sort_index()


def test_degree_and_louvain_on_two_triangles(fixture_db: Database) -> None:
    _load(fixture_db)
    name = {"graph_name": "two_triangles"}
    with fixture_db.projection("two_triangles", "fixture/project_links") as graph:
        assert graph.node_count == 6
        assert graph.relationship_count == 14  # 7 undirected edges, stored both ways
        degree = _with_keys(fixture_db, fixture_db.run("fixture/gds_degree_stream", name))
        louvain = _with_keys(fixture_db, fixture_db.run("fixture/gds_louvain_stream", name))
        stats = fixture_db.run("fixture/gds_louvain_stats", name).iloc[0]
    assert degree["score"].to_dict() == {"a": 2, "b": 2, "c": 3, "d": 3, "e": 2, "f": 2}
    groups = louvain.groupby("communityId").groups
    assert sorted(sorted(members) for members in groups.values()) == [
        ["a", "b", "c"],
        ["d", "e", "f"],
    ]
    assert stats["community_count"] == 2
    assert_allclose(stats["modularity"], 5 / 14, rtol=1e-9)


def test_projection_is_dropped_even_on_error(fixture_db: Database) -> None:
    _load(fixture_db)
    gds = fixture_db.gds()
    try:
        with fixture_db.projection("dropped_on_error", "fixture/project_links"):
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert not bool(gds.graph.exists("dropped_on_error"))
