"""``copatent export`` with the neo4j engine: the real server, read back by other readers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import networkx as nx
import pytest
from numpy.testing import assert_allclose

from copatent import engines, server
from copatent.analytics.analysis import Analysis
from copatent.db import Database
from copatent.engines.neo4j import Neo4jEngine
from copatent.loader import pipeline, writer
from copatent.sample import generator as sample
from tests.integration.conftest import TEST_QUERIES, run_cli

pytestmark = pytest.mark.neo4j

PERIOD = "2016-2020"


@pytest.fixture(scope="module")
def loaded(
    neo4j_server: server.LocalServer, db: Database, tmp_path_factory: pytest.TempPathFactory
) -> Analysis:
    """A sample in the emptied database, and the neo4j engine's analysis of it."""
    folder = tmp_path_factory.mktemp("export-neo4j")
    export = sample.write(sample.generate(2_000, seed=7), folder / "sample.csv")
    prepared = pipeline.prepare_files([export], keywords=pipeline.default_keywords())
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        admin.run("fixture/delete_all", write=True)
        writer.write(db, prepared, key="export-sample")
    return engines.analyze(Neo4jEngine(db), scales=["province", "city"])


@pytest.mark.parametrize("scale", ["province", "city"])
def test_gexf_and_gpkg_from_the_graph_hold_table_1s_network(
    neo4j_server: server.LocalServer, loaded: Analysis, scale: str, tmp_path: Path
) -> None:
    tables = loaded.tables[(scale, PERIOD)]  # type: ignore[index]
    nodes, arcs = tables.indicators.nodes, tables.indicators.edges
    weight = float(tables.graph.edges["weight"].sum())
    assert arcs > 0

    gexf = tmp_path / "net.gexf"
    proc = run_cli(neo4j_server, "export", "--format", "gexf", "--scale", scale,
                   "--period", PERIOD, "--out", str(gexf), "--json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["engine"] == "neo4j"
    assert summary["periods"] == [
        {"period": PERIOD, "nodes": nodes, "arcs": arcs, "weight": weight}
    ]
    graph = nx.read_gexf(gexf, version="1.3")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, arcs)
    assert_allclose(graph.size(weight="weight"), weight)

    gpkg = tmp_path / "net.gpkg"
    proc = run_cli(neo4j_server, "export", "--format", "gpkg", "--scale", scale,
                   "--period", PERIOD, "--out", str(gpkg))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    points = gpd.read_file(gpkg, layer="nodes", engine="pyogrio")
    lines = gpd.read_file(gpkg, layer="arcs", engine="pyogrio")
    assert (len(points), len(lines)) == (nodes, arcs)
    assert_allclose(lines["weight"].sum(), weight)
    with sqlite3.connect(gpkg) as found:
        assert found.execute("SELECT count(*), sum(weight) FROM arcs").fetchone() == (arcs, weight)


def test_export_leaves_the_graph_unwritten(
    neo4j_server: server.LocalServer, loaded: Analysis, db: Database, tmp_path: Path
) -> None:
    """The export only reads: no COLLABORATES relationships appear (analyze writes those)."""
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        before = admin.run("fixture/count_collaborates").to_dict("records")
        proc = run_cli(neo4j_server, "export", "--format", "csv", "--scale", "city",
                       "--period", "all", "--out", str(tmp_path / "tables"))  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert admin.run("fixture/count_collaborates").to_dict("records") == before
