"""``copatent export``: every format read back by a reader that copatent did not write.

The expected numbers are the analysis' own (Table 1: ``indicators.nodes``, ``indicators.edges``;
the weight is the sum of the period graph's arc weights), computed by the memory engine on a
generated sample; each file is read back with networkx, igraph, geopandas/pyogrio, sqlite3,
pandas, or (UCINET DL, which no Python library reads) :func:`read_dl` below, written from the
vendor's description of the format.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

import geopandas as gpd
import igraph
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from copatent import cli, engines, exports
from copatent._errors import InputError
from copatent.analytics.analysis import Analysis
from copatent.analytics.periods import DEFAULT_PERIODS, Scale
from copatent.engines.memory import MemoryEngine
from copatent.exports import Format, gexf
from copatent.exports.network import PeriodNetwork, period_networks, require_arcs
from copatent.exports.ucinet import Layout
from copatent.geo.names import Lang
from copatent.loader import pipeline
from copatent.sample import generator as sample

SEED = 3
PERIOD = "2016-2020"
GEXF = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}


@pytest.fixture(scope="module")
def export_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    return sample.write(sample.generate(2_000, seed=SEED), folder / "sample.csv")


@pytest.fixture(scope="module")
def result(export_file: Path) -> Analysis:
    prepared = pipeline.prepare_files([export_file], keywords=pipeline.default_keywords())
    engine = MemoryEngine(prepared, restarts=1)
    return engines.analyze(engine, scales=["province", "city", "applicant"])


def expected(result: Analysis, scale: Scale, period: str = PERIOD) -> tuple[int, int, float]:
    """Nodes, arcs and total weight of the analysis (Table 1 and the period graph)."""
    tables = result.tables[(scale, period)]
    weight = float(tables.graph.edges["weight"].sum())
    return tables.indicators.nodes, tables.indicators.edges, weight


def one(result: Analysis, scale: Scale, period: str = PERIOD, labels: Lang = "zh") -> PeriodNetwork:
    """The network of ``scale`` in ``period``, as the command exports it."""
    networks = period_networks(result, scale, labels=labels)
    (network,) = [n for n in networks if n.period.label == period]
    return network


def test_the_sample_has_a_network_at_every_scale(result: Analysis) -> None:
    for scale in ("province", "city", "applicant"):
        nodes, arcs, weight = expected(result, scale)  # type: ignore[arg-type]
        assert min(nodes, arcs) > 10, scale
        assert weight >= arcs, scale


# --------------------------------------------------------------------------------------------
# GEXF


@pytest.mark.parametrize("scale", ["province", "city", "applicant"])
def test_gexf_static_reads_back_in_networkx(result: Analysis, scale: Scale, tmp_path: Path) -> None:
    path = exports.write("gexf", [one(result, scale)], tmp_path / "net.gexf")[0]
    graph = nx.read_gexf(path, version="1.3")
    nodes, arcs, weight = expected(result, scale)
    assert graph.is_directed()
    assert graph.number_of_nodes() == nodes
    assert graph.number_of_edges() == arcs
    assert_allclose(graph.size(weight="weight"), weight)
    data = dict(graph.nodes(data=True))
    centrality = result.tables[(scale, PERIOD)].centrality.set_index("node")
    for key, row in centrality.iterrows():
        found = data[str(key)]
        assert_allclose(found["weighted_degree"], row["weighted_degree"])
        assert_allclose(found["betweenness"], row["betweenness"])
        assert found["community"] == row["community"]
        assert {"effective_flow", "flow_role", "in_strength", "out_strength"} <= set(found)
    if scale == "applicant":
        assert all("viz" not in d and "longitude" not in d for d in data.values())
    else:
        beijing = data["110000"]
        assert beijing["label"] == "北京市"
        assert_allclose([beijing["longitude"], beijing["latitude"]], [116.407394, 39.904211])
        position = beijing["viz"]["position"]
        assert_allclose([position["x"], position["y"]], [11640.7394, 3990.4211])


def test_gexf_dynamic_spells_give_each_periods_network(result: Analysis, tmp_path: Path) -> None:
    networks = period_networks(result, "city")
    path = exports.write("gexf", networks, tmp_path / "all.gexf")[0]
    graph = nx.read_gexf(path, version="1.3")
    assert graph.graph["mode"] == "dynamic"
    node_spells: Counter[tuple[str, str]] = Counter()
    for _, data in graph.nodes(data=True):
        node_spells.update(data["spells"])
    arc_spells: Counter[tuple[str, str]] = Counter()
    for _, _, data in graph.edges(data=True):
        arc_spells.update(data["spells"])
    # networkx declares an edge "weight" static, so the per-period weights are read as XML
    weights: defaultdict[str, float] = defaultdict(float)
    root = ET.parse(path).getroot()  # noqa: S314 (our own file)
    assert root.find("g:graph", GEXF).get("timeformat") == "date"  # type: ignore[union-attr]
    for value in root.iterfind("g:graph/g:edges/g:edge/g:attvalues/g:attvalue", GEXF):
        if value.get("for") == "weight":
            weights[value.get("start", "")[:4]] += float(value.get("value", "nan"))
    for period in DEFAULT_PERIODS:
        nodes, arcs, weight = expected(result, "city", period.label)
        spell = (f"{period.start}-01-01", f"{period.end}-12-31")
        assert node_spells[spell] == nodes, period
        assert arc_spells[spell] == arcs, period
        assert_allclose(weights[str(period.start)], weight)
    # a node's measure per period: Beijing's weighted degree in each period it appears in
    beijing = graph.nodes["110000"]["weighted_degree"]
    for value, start, _ in beijing:
        table = result.tables[("city", f"{start[:4]}-{int(start[:4]) + 4}")].centrality
        assert_allclose(value, table.set_index("node").loc["110000", "weighted_degree"])


def test_gexf_spell_is_the_periods_inclusive_days() -> None:
    assert gexf.spell(DEFAULT_PERIODS[0]) == {"start": "2001-01-01", "end": "2005-12-31"}


# --------------------------------------------------------------------------------------------
# GraphML


@pytest.mark.parametrize("scale", ["province", "applicant"])
def test_graphml_reads_back_in_networkx_and_igraph(
    result: Analysis, scale: Scale, tmp_path: Path
) -> None:
    path = exports.write("graphml", [one(result, scale)], tmp_path / "net.graphml")[0]
    nodes, arcs, weight = expected(result, scale)
    graph = nx.read_graphml(path)
    assert graph.is_directed()
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, arcs)
    assert_allclose(graph.size(weight="weight"), weight)
    typed = next(iter(graph.nodes.values()))
    assert isinstance(typed["weighted_degree"], float)
    assert isinstance(typed["out_degree"], int)
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.is_directed()
    assert (g.vcount(), g.ecount()) == (nodes, arcs)
    assert_allclose(sum(g.es["weight"]), weight)
    keys = {v["node"]: v for v in g.vs}
    centrality = result.tables[(scale, PERIOD)].centrality
    top = centrality.iloc[0]
    assert_allclose(keys[top["node"]]["weighted_degree"], top["weighted_degree"])


# --------------------------------------------------------------------------------------------
# UCINET DL


def read_dl(path: Path, encoding: str) -> tuple[list[str], dict[tuple[str, str], float]]:
    """Labels and valued arcs of a DL file, by Analytic Technologies' description.

    http://www.analytictech.com/networks/dataentry.htm: ``dl``, ``n=``, ``format =``,
    ``labels:`` (labels separated by commas or line ends, no blanks or commas inside), ``data:``;
    ``fullmatrix``: n rows of n blank-separated values (row i, column j: the tie i -> j);
    ``edgelist1``: one ordered pair of positions 1..n per line, optionally a value.
    """
    text = path.read_text(encoding)
    header, data = re.split(r"(?im)^\s*data\s*:\s*$", text, maxsplit=1)
    assert re.match(r"(?i)\s*dl\b", header)
    found = re.search(r"(?i)\bn\s*=\s*(\d+)", header)
    layout = re.search(r"(?i)\bformat\s*=\s*(\w+)", header)
    assert found is not None
    assert layout is not None
    n = int(found[1])
    listed = re.split(r"(?im)^\s*labels\s*:\s*$", header, maxsplit=1)[1]
    labels = [x.strip() for x in re.split(r"[,\r\n]+", listed) if x.strip()]
    assert len(labels) == n
    assert not any(" " in x for x in labels)
    arcs: dict[tuple[str, str], float] = {}
    if layout[1].lower() == "fullmatrix":
        matrix = np.array(data.split(), dtype=float).reshape(n, n)
        for i, j in zip(*np.nonzero(matrix), strict=True):
            arcs[(labels[i], labels[j])] = float(matrix[i, j])
    else:
        assert layout[1].lower() == "edgelist1"
        for line in data.splitlines():
            if line.strip():
                i, j, value = line.split()
                arcs[(labels[int(i) - 1], labels[int(j) - 1])] = float(value)
    return labels, arcs


@pytest.mark.parametrize("layout", ["fullmatrix", "edgelist1"])
@pytest.mark.parametrize(
    ("scale", "labels", "encoding"),
    [("province", "zh", "gb18030"), ("city", "en", "ascii"), ("applicant", "zh", "gb18030")],
    ids=["province-zh", "city-en", "applicant-zh"],
)
def test_dl_reads_back_by_the_format_description(
    result: Analysis, layout: Layout, scale: Scale, labels: Lang, encoding: str, *, tmp_path: Path
) -> None:
    network = one(result, scale, labels=labels)
    path = exports.write(
        "dl", [network], tmp_path / "net.dl", dl_layout=layout, ascii_labels=labels == "en"
    )[0]
    assert b"\r\n" in path.read_bytes()
    found, arcs = read_dl(path, encoding)
    nodes, n_arcs, weight = expected(result, scale)
    assert (len(found), len(arcs)) == (nodes, n_arcs)
    assert_allclose(sum(arcs.values()), weight)
    if scale == "province":
        assert "北京市" in found
        assert arcs[("北京市", "上海市")] == float(
            network.arcs.set_index(["source", "target"]).loc[("110000", "310000"), "weight"]
        )
    if scale == "city":
        assert set(found) == set(network.nodes["name_en"].str.replace(" ", "_"))
        assert all(label.isascii() for label in found)


def test_dl_english_labels_have_no_blanks_and_are_ascii(result: Analysis, tmp_path: Path) -> None:
    network = one(result, "province", labels="en")
    path = exports.write("dl", [network], tmp_path / "net.dl", ascii_labels=True)[0]
    labels, _ = read_dl(path, "ascii")
    assert "Beijing" in labels
    if "150000" in set(network.nodes["node"]):
        assert "Inner_Mongolia" in labels


# --------------------------------------------------------------------------------------------
# Pajek


@pytest.mark.parametrize("scale", ["province", "city", "applicant"])
def test_pajek_reads_back_in_networkx_and_igraph(
    result: Analysis, scale: Scale, tmp_path: Path
) -> None:
    path = exports.write("pajek", [one(result, scale)], tmp_path / "net.net")[0]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf%")  # BOM (Pajek's Unicode), then a comment
    nodes, arcs, weight = expected(result, scale)
    graph = nx.read_pajek(path)  # a MultiDiGraph keyed by label
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, arcs)
    assert_allclose(graph.size(weight="weight"), weight)
    g = igraph.Graph.Read_Pajek(str(path))
    assert g.is_directed()
    assert (g.vcount(), g.ecount()) == (nodes, arcs)
    assert_allclose(sum(g.es["weight"]), weight)
    if scale != "applicant":
        assert min(g.vs["x"]) >= 0
        assert max(g.vs["x"]) <= 1
        labels = g.vs["name"]
        beijing = g.vs[labels.index("北京市")]
        north = max(g.vs, key=lambda v: v["y"])  # y counts down from the top
        assert beijing["y"] < north["y"] or beijing.index == north.index


# --------------------------------------------------------------------------------------------
# GeoJSON and GeoPackage


@pytest.mark.parametrize("scale", ["province", "city"])
def test_geojson_layers_read_back_in_geopandas(
    result: Analysis, scale: Scale, tmp_path: Path
) -> None:
    node_path, arc_path = exports.write("geojson", [one(result, scale)], tmp_path / "net.geojson")
    assert (node_path.name, arc_path.name) == ("net-nodes.geojson", "net-arcs.geojson")
    nodes, arcs, weight = expected(result, scale)
    points = gpd.read_file(node_path, engine="pyogrio")
    lines = gpd.read_file(arc_path, engine="pyogrio")
    assert (len(points), len(lines)) == (nodes, arcs)
    assert_allclose(lines["weight"].sum(), weight)
    assert points.crs.to_epsg() == 4326
    assert set(points.geom_type) == {"Point"}
    assert set(lines.geom_type) == {"LineString"}
    assert {"weighted_degree", "effective_flow", "flow_role", "degree_tier"} <= set(points)
    assert {"source_name", "target_name", "tier", "distance_km"} <= set(lines)
    # RFC 7946: [longitude, latitude]; each line runs from its source to its target
    raw = json.loads(node_path.read_text("utf-8"))
    beijing = next(f for f in raw["features"] if f["properties"]["node"] == "110000")
    assert beijing["geometry"]["coordinates"] == [116.407394, 39.904211]
    where = dict(zip(points["node"], points.geometry, strict=True))
    first = lines.iloc[0]
    start, end = first.geometry.coords[0], first.geometry.coords[-1]
    assert start == where[first["source"]].coords[0]
    assert end == where[first["target"]].coords[0]


def test_gpkg_has_two_layers_in_epsg_4326(result: Analysis, tmp_path: Path) -> None:
    path = exports.write("gpkg", [one(result, "city")], tmp_path / "net.gpkg")[0]
    nodes, arcs, weight = expected(result, "city")
    points = gpd.read_file(path, layer="nodes", engine="pyogrio")
    lines = gpd.read_file(path, layer="arcs", engine="pyogrio")
    assert (len(points), len(lines)) == (nodes, arcs)
    assert_allclose(lines["weight"].sum(), weight)
    assert points.crs.to_epsg() == 4326
    # the same counts straight from the SQLite tables, without GDAL
    with sqlite3.connect(path) as db:
        layers = dict(db.execute("SELECT table_name, srs_id FROM gpkg_contents").fetchall())
        assert layers == {"nodes": 4326, "arcs": 4326}
        assert db.execute("SELECT count(*) FROM nodes").fetchone()[0] == nodes
        assert db.execute("SELECT count(*), sum(weight) FROM arcs").fetchone() == (arcs, weight)


def test_gpkg_and_csv_hold_every_period_with_a_period_column(
    result: Analysis, tmp_path: Path
) -> None:
    networks = period_networks(result, "province")
    path = exports.write("gpkg", networks, tmp_path / "all.gpkg")[0]
    nodes, edges = exports.write("csv", networks, tmp_path / "tables")
    lines = gpd.read_file(path, layer="arcs", engine="pyogrio")
    table = pd.read_csv(edges, encoding="utf-8-sig", dtype={"source": str, "target": str})
    node_table = pd.read_csv(nodes, encoding="utf-8-sig", dtype={"node": str})
    for period in DEFAULT_PERIODS:
        n_nodes, arcs, weight = expected(result, "province", period.label)
        assert (lines["period"] == period.label).sum() == arcs
        assert (node_table["period"] == period.label).sum() == n_nodes
        in_table = table[table["period"] == period.label]
        assert len(in_table) == arcs
        assert_allclose(in_table["weight"].sum(), weight)


# --------------------------------------------------------------------------------------------
# CSV


@pytest.mark.parametrize("scale", ["province", "applicant"])
def test_csv_reads_back_in_pandas(result: Analysis, scale: Scale, tmp_path: Path) -> None:
    nodes_csv, edges_csv = exports.write("csv", [one(result, scale)], tmp_path / "tables")
    assert nodes_csv.read_bytes().startswith(b"\xef\xbb\xbf")  # the project's CSV: UTF-8, BOM
    n_nodes, arcs, weight = expected(result, scale)
    nodes = pd.read_csv(nodes_csv, encoding="utf-8-sig")
    edges = pd.read_csv(edges_csv, encoding="utf-8-sig")
    assert (len(nodes), len(edges)) == (n_nodes, arcs)
    assert_allclose(edges["weight"].sum(), weight)
    # every arc's weight counts at both of its ends
    assert_allclose(nodes["weighted_degree"].sum(), 2 * weight)


# --------------------------------------------------------------------------------------------
# refusals


def test_an_empty_period_is_one_error_naming_scale_and_period(result: Analysis) -> None:
    first = period_networks(result, "city")[0]
    empty = [PeriodNetwork(first.scale, first.period, first.nodes.iloc[0:0], first.arcs.iloc[0:0])]
    with pytest.raises(InputError, match=r"^city 2001-2005: no collaborations between"):
        require_arcs(empty)


def test_applicants_have_no_english_labels(result: Analysis) -> None:
    with pytest.raises(InputError, match="--labels en"):
        period_networks(result, "applicant", labels="en")


# --------------------------------------------------------------------------------------------
# the command line


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_cli_export_each_format_with_the_memory_engine(
    export_file: Path, result: Analysis, fmt: Format, tmp_path: Path
) -> None:
    out = tmp_path / f"net.{fmt}"
    args = ["export", "--engine", "memory", "--input", str(export_file), "--restarts", "1",
            "--format", fmt, "--scale", "province", "--period", PERIOD, "--out", str(out),
            "--json"]  # fmt: skip
    proc = CliRunner().invoke(cli.app, args)
    assert proc.exit_code == 0, proc.output
    found = json.loads(proc.output)
    nodes, arcs, weight = expected(result, "province")
    assert found["periods"] == [{"period": PERIOD, "nodes": nodes, "arcs": arcs, "weight": weight}]
    assert [Path(p) for p in found["files"]] == exports.targets(fmt, out)
    assert all(Path(p).is_file() for p in found["files"])


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-m", "copatent", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


def test_python_m_copatent_exports_every_period_as_one_dynamic_gexf(
    export_file: Path, result: Analysis, tmp_path: Path
) -> None:
    out = tmp_path / "all.gexf"
    proc = run("export", "--engine", "memory", "--input", str(export_file), "--restarts", "1",
               "--format", "gexf", "--scale", "city", "--period", "all", "--out", str(out),
               cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert f"written: {out}" in proc.stdout
    graph = nx.read_gexf(out, version="1.3")
    assert graph.graph["mode"] == "dynamic"
    every = {
        n for p in DEFAULT_PERIODS for n in result.tables[("city", p.label)].graph.nodes["node"]
    }
    assert set(graph.nodes) == every


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--format", "svg"], "--format 'svg': expected one of gexf, graphml, dl, pajek"),
        (["--format", "gexf", "--period", "2020"], "period '2020': expected two years"),
        (["--format", "graphml", "--period", "all"], "--period all: graphml holds one"),
        (["--format", "gpkg", "--scale", "applicant"], "--format gpkg: applicants have no"),
        (["--format", "csv", "--scale", "town"], "--scale 'town': expected one of"),
        (["--format", "dl", "--dl-layout", "nodelist1"], "--dl-layout 'nodelist1'"),
        (["--format", "gexf", "--period", "1990-1994"], "province 1990-1994: no collaborations"),
    ],
    ids=["format", "period", "all-graphml", "gpkg-applicant", "scale", "dl-layout", "empty"],
)
def test_cli_refusals_are_one_line_and_write_nothing(
    export_file: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    proc = run("export", "--engine", "memory", "--input", str(export_file), "--restarts", "1",
               *options, "--out", str(out / "net.x"), cwd=tmp_path)  # fmt: skip
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]
    assert "Traceback" not in proc.stderr
    assert list(out.iterdir()) == []
