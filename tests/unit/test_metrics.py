"""``copatent metrics``: known answers on reference networks, the undirected conventions, bad input."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from copatent import cli
from copatent._errors import InputError
from copatent.analytics.metrics import NODE_COLUMNS, Metrics, metrics
from copatent.commands import _json
from copatent.commands._json import METRICS_KEYS, SUBGROUPS_KEYS
from copatent.tables import read_table
from tests.reference import reference_data

SNA = reference_data() / "sna"
SEED = 42


def reference(edges: str, nodes: str, *, directed: bool = True) -> Metrics:
    """A reference network read as the command reads it (text cells)."""
    edge_frame, problems = read_table(SNA / f"{edges}.csv")
    node_frame, more = read_table(SNA / f"{nodes}.csv")
    assert edge_frame is not None, problems
    assert node_frame is not None, more
    return metrics(edge_frame, node_frame, directed=directed, seed=SEED)


def frame(
    rows: Sequence[tuple[str, ...]], columns: tuple[str, ...] = ("source", "target", "weight")
) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def node(result: Metrics, name: str) -> dict[str, Any]:
    """One entry of the JSON ``nodes_table``."""
    rows = cast("list[dict[str, Any]]", _json.metrics(result)["nodes_table"])
    return next(row for row in rows if row["node"] == name)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


# -- known answers


@pytest.fixture(scope="module")
def karate() -> Metrics:
    return reference("karate_weighted", "karate_weighted_nodes", directed=False)


def test_karate_undirected_whole_network(karate: Metrics) -> None:
    t = karate.indicators
    # Zachary's karate club: 34 members, 78 ties (KONECT ucidata-zachary)
    assert (t.nodes, t.edges) == (34, 78)
    # KONECT ucidata-zachary, http://konect.cc/networks/ucidata-zachary/: "Fill 0.139037", diameter 5
    assert_allclose(t.density_binary, 0.13903743315508021)
    assert t.diameter == 5
    # Gephi's undirected average: over the 33 members with 2 or more neighbours (member 11 has
    # one). networkx average_clustering over all 34 (degree < 2 counts 0) is 0.5706384782076823
    # (graphrs test_algorithms_cluster.rs: 0.571), so the sum is 34 x that and the average
    # 34/33 x 0.5706384782076823; igraph's transitivity_avglocal_undirected(mode="nan") gives
    # the same. Member 9 (degree 2, no triangle) stays in: leaving it out too (networkx
    # count_zeros=False) would give 34/32 x 0.5706...
    assert_allclose(t.avg_clustering_gephi, 34 / 33 * 0.5706384782076823)
    assert_allclose(t.avg_clustering_gephi, 0.5879305533048848)
    # networkx average_shortest_path_length
    assert_allclose(t.avg_path_length_gephi, 2.408199643493761)
    assert t.reciprocity == 1.0  # every undirected edge reads both ways
    assert t.weak_components == 1


def test_karate_modularity_is_near_the_proven_optimum(karate: Metrics) -> None:
    # the proven optimum of the weighted karate graph (networkx weights): Q = 0.4449035812672174,
    # 4 communities (igraph community_optimal_modularity); Louvain cannot beat it
    optimum = 0.4449035812672174
    q = karate.indicators.modularity
    assert optimum - 0.01 <= q <= optimum + 1e-12
    assert karate.indicators.communities == karate.table["community"].nunique()


def test_karate_undirected_node_measures(karate: Metrics) -> None:
    table = karate.table.set_index("node")
    # malcolmvr/graphrs tests/test_algorithms_centrality_betweenness.rs @26aec100: 231.07 and
    # 160.55 (unordered pairs, not normalised; networkx gives the digits)
    assert_allclose(table.loc["0", "betweenness"], 231.0714285714286)
    assert_allclose(table.loc["33", "betweenness"], 160.5515873015873)
    # (n - 1) / sum of distances; graphrs test_algorithms_centrality_closeness.rs: 0.57
    assert_allclose(table.loc["0", "out_closeness"], 0.5689655172413793)
    # undirected conventions: out = in, weighted degree = strength (not doubled)
    assert (table["out_degree"] == table["in_degree"]).all()
    assert_allclose(table["out_closeness"], table["in_closeness"])
    assert_allclose(table["weighted_degree"], table["out_strength"])
    assert table.loc["33", "out_degree"] == 17  # Mr Hi's rival, the best-connected member
    assert table["effective_flow"].isna().all()
    assert table["role"].isna().all()
    # sum of degrees = twice the edges
    assert table["out_degree"].sum() == 2 * 78
    t = karate.indicators
    assert t.out_centralization_binary_pct == t.in_centralization_binary_pct
    # Freeman undirected: max degree 17, sum(17 - d) = 34 * 17 - 156 = 422, over 33 * 32
    assert_allclose(t.out_centralization_binary_pct, 100 * 422 / (33 * 32))


@pytest.mark.parametrize(
    ("relation", "arcs", "mutual"),
    [
        # Rawlings, Smith, Moody & McFarland 2023, Network Analysis (CUP), dyad census of the
        # advice network M/A/N = 45/100/65 (tutorial inarwhal/NetworkAnalysisR-book, chapter 7)
        ("krackhardt_advice", 190, 45),
        # the same source: friendship, 102 arcs, M = 23
        ("krackhardt_friendship", 102, 23),
    ],
    ids=["advice", "friendship"],
)
def test_krackhardt_density_and_reciprocity(relation: str, arcs: int, mutual: int) -> None:
    result = reference(relation, "krackhardt_nodes")
    t = result.indicators
    assert (t.nodes, t.edges) == (21, arcs)
    assert_allclose(t.density_binary, arcs / (21 * 20))
    # reciprocity = share of arcs whose reverse exists = 2M / arcs
    assert_allclose(t.reciprocity, 2 * mutual / arcs)
    assert result.directed
    assert result.notes == ()


def test_region_collab12_a_region_that_only_sends() -> None:
    result = reference("region_collab12", "region_collab12_nodes")
    w3 = node(result, "W3")
    # W3 sends W3->N1 9, N2 5, N3 2, S3 4, E1 9 and receives nothing (region_collab12.csv)
    assert (w3["out_degree"], w3["in_degree"]) == (5, 0)
    assert (w3["out_strength"], w3["in_strength"]) == (29.0, 0.0)
    assert w3["in_closeness"] == 0.0  # nobody reaches it
    assert (w3["effective_flow"], w3["role"]) == (1.0, "leader")
    n1 = node(result, "N1")
    # N1 receives from N2 3, N3 8, S1 2, S2 1, S3 6, E1 7, W1 8, W2 5, W3 9: 9 arcs, weight 49
    assert (n1["in_degree"], n1["in_strength"]) == (9, 49.0)
    assert n1["weighted_degree"] == n1["out_strength"] + n1["in_strength"]
    assert (result.indicators.nodes, result.indicators.edges) == (12, 61)
    tiers = result.table["tier"]
    assert tiers.notna().all()
    assert tiers.max() == 4  # the 4 classes asked for, 1 = lowest


# -- hand-computed


def test_directed_out_star() -> None:
    # c sends 2 to each of x, y, z; the loop c->c is dropped
    result = metrics(frame([("c", "x", "2"), ("c", "y", "2"), ("c", "z", "2"), ("c", "c", "5")]))
    t = result.indicators
    assert (t.nodes, t.edges) == (4, 3)
    # Freeman: out-degrees 3,0,0,0 -> 100 * 9 / 9; in-degrees 0,1,1,1 -> 100 * 1 / 9
    assert_allclose(t.out_centralization_binary_pct, 100.0)
    assert_allclose(t.in_centralization_binary_pct, 100 / 9)
    assert_allclose(t.out_centralization_valued_pct, 200.0)  # strengths 6,0,0,0: 18 / 9
    assert t.reciprocity == 0.0
    table = result.table.set_index("node")
    assert table.loc["c", "weighted_degree"] == 6.0
    assert table["effective_flow"].tolist() == [1.0, -1.0, -1.0, -1.0]
    assert table["role"].tolist() == ["leader", "participant", "participant", "participant"]
    assert any("1 loop row" in note for note in result.notes)


def test_undirected_star_conventions() -> None:
    # edges {c,x} (rows c,x and x,c: weights 1 + 1), {c,y} 2, {z,c} 2: a star of weight 2
    rows = [("c", "x", "1"), ("x", "c", "1"), ("c", "y", "2"), ("z", "c", "2")]
    result = metrics(frame(rows), directed=False, classes=2)
    t = result.indicators
    assert (t.nodes, t.edges) == (4, 3)
    assert_allclose([t.density_binary, t.density_valued], [3 / 6, 6 / 6])
    # Freeman undirected, (n-1)(n-2) = 6: degrees 3,1,1,1 -> 6 / 6; strengths 6,2,2,2 -> 12 / 6
    assert_allclose([t.out_centralization_binary_pct, t.in_centralization_binary_pct], 100.0)
    assert_allclose([t.out_centralization_valued_pct, t.in_centralization_valued_pct], 200.0)
    # distances: centre-leaf 1 (3 pairs), leaf-leaf 2 (3 pairs)
    assert_allclose(t.avg_path_length_gephi, 9 / 6)
    assert t.diameter == 2
    assert t.reciprocity == 1.0
    table = result.table.set_index("node")
    assert table["out_degree"].tolist() == table["in_degree"].tolist() == [3, 1, 1, 1]
    assert table["weighted_degree"].tolist() == [6.0, 2.0, 2.0, 2.0]  # strength, not doubled
    assert table["betweenness"].tolist() == [3.0, 0.0, 0.0, 0.0]  # the 3 leaf pairs, unordered
    assert_allclose(table["out_closeness"], [1.0, 3 / 5, 3 / 5, 3 / 5])
    assert table["tier"].tolist() == [2, 1, 1, 1]
    assert table["tier_range"].tolist() == ["2: (2, 6]", "1: [2, 2]", "1: [2, 2]", "1: [2, 2]"]
    record = node(result, "c")
    assert (record["effective_flow"], record["role"]) == (None, None)
    summed = "weights of 1 row added to an earlier row of the same edge (u,v and v,u are one edge)"
    assert result.notes == (summed,)


def test_undirected_average_clustering_over_degree_two() -> None:
    # Gephi's ClusteringCoefficientTest.testSpecial3UndirectedGraphClusteringCoefficient graph
    # (gephi/gephi, modules/StatisticsPlugin/src/test/java/org/gephi/statistics/plugin/): a
    # triangle a-b-c with a pendant at each corner. Each corner: 1 link among 3 neighbours, 1/3
    # (the test asserts 0.333 for a); the pendants have one neighbour and are left out:
    # 3 x 1/3 / 3 = 1/3. Read as arcs, the same rows average over all 6 nodes: 1/6
    rows = [("a", "b"), ("b", "c"), ("c", "a"), ("a", "x"), ("b", "y"), ("c", "z")]
    edges = frame(rows, ("source", "target"))
    assert_allclose(metrics(edges, directed=False).indicators.avg_clustering_gephi, 1 / 3)
    both = frame(rows + [(v, u) for u, v in rows], ("source", "target"))
    assert_allclose(metrics(both).indicators.avg_clustering_gephi, 1 / 6)


def test_undirected_average_clustering_without_a_node_of_degree_two() -> None:
    # Gephi's testTwoConectedNodesClusteringCoefficient: one edge -> NaN (0 / 0); here null
    # with a note. Directed, the same network averages to 0 over its 2 nodes
    result = metrics(frame([("a", "b")], ("source", "target")), directed=False, classes=2)
    assert math.isnan(result.indicators.avg_clustering_gephi)
    assert _json.metrics(result)["avg_clustering_gephi"] is None
    assert any("avg_clustering_gephi is null" in note for note in result.notes)
    directed = metrics(frame([("a", "b"), ("b", "a")], ("source", "target")), classes=2)
    assert directed.indicators.avg_clustering_gephi == 0.0
    assert not any("avg_clustering_gephi" in note for note in directed.notes)


def test_node_file_order_isolates_and_too_few_values_for_tiers() -> None:
    edges = frame([("b", "a", "1"), ("a", "b", "1")], ("source", "target", "weight"))
    nodes = pd.DataFrame({"id": ["z", "a", "b"], "label": ["x", "y", "w"]})
    result = metrics(edges, nodes)
    assert result.table["node"].tolist() == ["z", "a", "b"]
    z = node(result, "z")
    assert (z["effective_flow"], z["role"], z["tier"], z["tier_range"]) == (
        None,
        "none",
        None,
        None,
    )
    assert result.indicators.weak_components == 2
    # weighted degrees 0, 2, 2: two distinct values for 4 classes -> a note, not an error
    assert result.breaks is None
    assert result.table["tier"].isna().all()
    reason = (
        "natural breaks of weighted degree: 2 distinct values (0, 2), fewer than the 4 classes "
        "asked for: tier and tier_range are null"
    )
    assert result.notes == (reason,)


def test_first_appearance_order_and_no_weight_column() -> None:
    result = metrics(frame([("b", "a"), ("c", "b"), ("b", "a")], ("source", "target")))
    assert result.table["node"].tolist() == ["b", "a", "c"]  # row by row, source first
    assert result.table["out_strength"].tolist() == [2.0, 0.0, 1.0]  # every row weighs 1
    assert "no weight column: every row weighs 1" in result.notes
    assert "weights of 1 row added to an earlier row of the same arc" in result.notes


def test_reruns_give_the_same_partition() -> None:
    first = reference("krackhardt_friendship", "krackhardt_nodes")
    again = reference("krackhardt_friendship", "krackhardt_nodes")
    assert first.table["community"].tolist() == again.table["community"].tolist()


# -- command line


def test_cli_json_keys_and_nulls(tmp_path: Path) -> None:
    edges = write(tmp_path / "e.csv", "\ufeffsource,target,weight\nA,B,2\nB,A,1\nA,C,3\n")
    nodes = write(tmp_path / "n.csv", "node,kind\nA,x\nB,x\nC,y\nNA,isolate\n")
    args = ["metrics", "--edges", str(edges), "--nodes", str(nodes), "--json"]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert tuple(report) == METRICS_KEYS
    assert [tuple(row) for row in report["nodes_table"]] == [NODE_COLUMNS] * 4
    assert [row["node"] for row in report["nodes_table"]] == ["A", "B", "C", "NA"]  # BOM, "NA"
    isolate = report["nodes_table"][3]
    assert (isolate["effective_flow"], isolate["role"]) == (None, "none")
    assert report["directed"] is True
    assert report["edges"] == 3
    assert report["nodes_table"][0]["effective_flow"] == pytest.approx((5 - 1) / 6)
    assert report["notes"]  # 3 distinct weighted degrees for 4 classes
    assert report["nodes_table"][0]["tier"] is None


def test_cli_undirected_json(tmp_path: Path) -> None:
    edges = write(tmp_path / "e.csv", "source,target,weight\nA,B,2\nB,A,1\nA,C,3\n")
    result = CliRunner().invoke(
        cli.app, ["metrics", "--edges", str(edges), "--undirected", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["directed"], report["edges"], report["reciprocity"]) == (False, 2, 1.0)
    a = report["nodes_table"][0]
    assert (a["out_strength"], a["in_strength"], a["weighted_degree"]) == (6.0, 6.0, 6.0)
    assert (a["effective_flow"], a["role"]) == (None, None)
    # n = 3: (n-1)(n-2) = 2; degrees 2, 1, 1 -> 100 * 2 / 2
    assert report["out_centralization_binary_pct"] == report["in_centralization_binary_pct"] == 100


def test_cli_human_tables() -> None:
    args = [
        "metrics",
        "--edges", str(SNA / "karate_weighted.csv"),
        "--nodes", str(SNA / "karate_weighted_nodes.csv"),
        "--undirected",
    ]  # fmt: skip
    result = CliRunner().invoke(cli.app, args, env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "karate_weighted.csv (undirected)" in result.stdout
    assert "top 20 of 34 nodes by strength" in result.stdout
    assert "and 14 more nodes" in result.stdout
    assert "231.071" in result.stdout  # node 0's betweenness
    assert "avg clustering (Gephi: degree ≥ 2)" in result.stdout
    assert "0.588" in result.stdout


BAD_INPUT = [
    ("source,target,weight\na,b,1\nb,c,\n", None, "row 3, column weight: no value"),
    ("source,target,weight\na,b,1\nb,c,-2\n", None, "row 3, column weight: negative weight '-2'"),
    ("source,target,weight\na,b,many\n", None, "row 2, column weight: 'many' is not a number"),
    ("source,target,weight\na,b,inf\n", None, "row 2, column weight: 'inf' is not a finite number"),
    ("source,target\na,b\na,x\n", "node\na\nb\n", "row 3, column target: node 'x' is not in"),
    ("source,target\na,\n", None, "row 2, column target: no node name"),
    ("from,to,weight\na,b,1\n", None, "missing column(s) source, target; columns found: from, to"),
    ("", None, "empty file (no header row)"),
    ("source,target,weight\n", None, "no data rows below the header"),
    ("source,target,weight\na,b,1,2\n", None, "row 2: 4 fields, more than the 3 of the header"),
    ("source,target\na,b\n", "node\na\nb\na\n", "row 4, column node: node 'a' repeats row 2"),
]


@pytest.mark.parametrize(
    "case",
    BAD_INPUT,
    ids=[
        "missing-weight",
        "negative-weight",
        "text-weight",
        "infinite-weight",
        "unknown-node",
        "empty-target",
        "missing-columns",
        "empty-file",
        "header-only",
        "extra-field",
        "duplicate-node",
    ],
)
def test_cli_bad_input_is_one_line_exit_6(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: tuple[str, str | None, str],
) -> None:
    edges, nodes, expected = case
    edge_file = write(tmp_path / "edges.csv", edges)
    args = ["copatent", "metrics", "--edges", str(edge_file), "--json"]
    if nodes is not None:
        args += ["--nodes", str(write(tmp_path / "nodes.csv", nodes))]
    # main() turns InputError into the one-line message and exit code (CliRunner runs app only)
    monkeypatch.setattr(sys, "argv", args)
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == InputError.exit_code == 6
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing printed, nothing written
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("copatent: error: ")
    assert expected in captured.err
    assert str(tmp_path / ("nodes.csv" if "repeats" in expected else "edges.csv")) in captured.err


def test_cli_runner_sees_the_input_error(tmp_path: Path) -> None:
    edge_file = write(tmp_path / "edges.csv", "source,target,weight\na,b,-1\n")
    result = CliRunner().invoke(cli.app, ["metrics", "--edges", str(edge_file)])
    assert isinstance(result.exception, InputError)
    assert result.exception.exit_code == 6
    assert "\n" not in str(result.exception)


def test_every_problem_in_one_error() -> None:
    edges = frame([("a", "b", "x"), ("", "b", "-1"), ("a", "q", "1")])
    nodes = pd.DataFrame({"node": ["a", "b", "b"]})
    with pytest.raises(InputError) as caught:
        metrics(edges, nodes, edges_source="e.csv", nodes_source="n.csv")
    assert str(caught.value) == (
        "n.csv: row 4, column node: node 'b' repeats row 3; "
        "e.csv: row 2, column weight: 'x' is not a number; "
        "row 3, column source: no node name; row 3, column weight: negative weight '-1'; "
        "row 4, column target: node 'q' is not in n.csv"
    )


def test_numbers_as_well_as_text() -> None:
    # a caller may pass numeric columns; blank rows (all cells empty) are skipped
    edges = pd.DataFrame(
        {"source": ["a", "", "b"], "target": ["b", "", "c"], "weight": [1.5, np.nan, 2]}
    )
    result = metrics(edges)
    assert result.table["weighted_degree"].tolist() == [1.5, 3.5, 2.0]


def test_weights_beyond_a_float_are_an_input_error() -> None:
    """Two arcs of 1e308 sum past the largest float: an error, not Infinity in the JSON."""
    edges = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "weight": ["1e308", "1e308"]})
    with pytest.raises(InputError, match="more than a float can hold"):
        metrics(edges, directed=True)


# -- blocks: --groups and --concor (issue 5 item 6)


def run_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli.app, ["metrics", *args, "--json"])
    assert result.exit_code == 0, result.output
    return cast("dict[str, Any]", json.loads(result.stdout))


def test_cli_groups_krackhardt_departments_counted_independently() -> None:
    """Krackhardt's managers with their departments: members, E-I and densities by counting."""
    with (SNA / "krackhardt_nodes.csv").open(encoding="utf-8") as f:
        department = {row["node"]: row["department"] for row in csv.DictReader(f)}
    with (SNA / "krackhardt_friendship.csv").open(encoding="utf-8") as f:
        arcs = [(row["source"], row["target"]) for row in csv.DictReader(f)]
    report = run_json(
        "--edges", str(SNA / "krackhardt_friendship.csv"),
        "--nodes", str(SNA / "krackhardt_nodes.csv"),
        "--groups", f"{SNA / 'krackhardt_nodes.csv'}:Department",  # headers match case-folded
    )  # fmt: skip
    labels = sorted(set(department.values()), key=int)
    assert report["groups_labels"] == labels
    assert report["groups_blocks"] == [
        [n for n in department if department[n] == label] for label in labels
    ]
    assert report["blocks_method"] == "groups"
    inside = sum(department[s] == department[t] for s, t in arcs)
    between = len(arcs) - inside
    assert report["ei_whole_binary"] == pytest.approx((between - inside) / len(arcs))
    for row, label in zip(report["ei_groups"], labels, strict=True):
        internal = sum(department[s] == department[t] == label for s, t in arcs)
        external = sum((department[s] == label) != (department[t] == label) for s, t in arcs)
        assert (row["internal"], row["external"]) == (internal, external), label
    # a block's density: its arcs over the ordered pairs it can hold
    sizes = [len(b) for b in report["groups_blocks"]]
    for r, a in enumerate(labels):
        for s, b in enumerate(labels):
            count = sum(department[x] == a and department[y] == b for x, y in arcs)
            cells = sizes[r] * sizes[s] - (sizes[r] if r == s else 0)
            expected = count / cells if cells else None
            assert report["density_matrix_binary"][r][s] == pytest.approx(expected), (a, b)
    assert [row["block"] for row in report["nodes_table"]] == [
        labels.index(department[row["node"]]) + 1 for row in report["nodes_table"]
    ]


def test_cli_concor_reproduces_the_concorr_readme() -> None:
    # concorR README (github.com/ATraxLab/concorR @ d8958a12): blocks {b, c, d} and {a, e}
    report = run_json(
        "--edges", str(SNA / "concorR_readme_a.csv"),
        "--nodes", str(SNA / "concorR_readme_a_nodes.csv"),
        "--concor", "--self-ties", "ignore", "--depth", "1",
    )  # fmt: skip
    assert report["concor_blocks"] == [["b", "c", "d"], ["a", "e"]]
    assert report["blocks_method"] == "concor"
    assert "groups_labels" not in report
    # the keys issue 5 promises, then the rest, in the documented order
    promised = ["concor_blocks", "density_matrix_binary", "density_matrix_valued",
                "image_matrix_binary", "image_matrix_valued", "ei_groups", "ei_whole_binary",
                "ei_whole_valued"]  # fmt: skip
    added = list(report)[len(METRICS_KEYS) :]
    assert set(promised) <= set(added)
    assert added == ["concor_blocks", *SUBGROUPS_KEYS]


def test_groups_undirected_count_each_edge_once(tmp_path: Path) -> None:
    # two triangles joined at c-d: 6 edges inside the two groups, 1 between
    edges = write(tmp_path / "e.csv", "source,target\na,b\nb,c\nc,a\nd,e\ne,f\nf,d\nc,d\n")
    groups = write(tmp_path / "g.csv", "node,side\na,10\nb,10\nc,10\nd,2\ne,2\nf,2\nz,2\n")
    report = run_json("--edges", str(edges), "--undirected", "--groups", f"{groups}:side")
    assert report["groups_labels"] == ["2", "10"]  # numerically ordered
    assert report["groups_blocks"] == [["d", "e", "f"], ["a", "b", "c"]]
    assert [(r["internal"], r["external"]) for r in report["ei_groups"]] == [(3, 1), (3, 1)]
    assert report["ei_whole_binary"] == pytest.approx((1 - 6) / 7)
    assert report["block_modularity"] == pytest.approx(5 / 14)
    assert report["density_matrix_binary"] == [[1.0, 1 / 9], [1 / 9, 1.0]]
    assert any("1 row of" in note and "not in the network ignored" in note
               for note in report["notes"])  # fmt: skip


def test_cli_groups_human_tables(tmp_path: Path) -> None:
    edges = write(tmp_path / "e.csv", "source,target\na,b\nb,c\nc,a\nd,e\ne,f\nf,d\nc,d\n")
    groups = write(
        tmp_path / "g.csv", "node,side\na,left\nb,left\nc,left\nd,right\ne,right\nf,right\n"
    )
    args = ["metrics", "--edges", str(edges), "--groups", f"{groups}:side"]
    result = CliRunner().invoke(cli.app, args, env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "groups blocks · e.csv" in result.stdout
    assert "modularity Q = 0.3571" in result.stdout
    assert "right" in result.stdout


GROUP_PROBLEMS = [
    (["--groups", "{g}:side"], "node,side\na,x\nb,\nc,y\n", "row 3, column side: no group for node 'b'"),
    (["--groups", "{g}:side"], "node,side\na,x\nb,y\n", "no row for node(s) 'c'"),
    (["--groups", "{g}:side"], "node,side\na,x\na,y\nb,y\nc,y\n", "row 3, column node: node 'a' repeats row 2"),
    (["--groups", "{g}:block"], "node,side\na,x\n", "no group column 'block' after the node column; columns found: side"),
    (["--groups", "{g}"], "node,side\n", "expected NODES.csv:COLUMN"),
    (["--groups", "{g}:side", "--concor"], "node,side\n", "give one partition at a time"),
    (["--groups", "{g}.missing:side"], "", "cannot read"),
]  # fmt: skip


@pytest.mark.parametrize(
    "case",
    GROUP_PROBLEMS,
    ids=["no-group", "node-without-row", "repeated-node", "no-column", "no-colon", "both",
         "no-file"],
)  # fmt: skip
def test_cli_bad_groups_are_one_line_exit_6(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: tuple[list[str], str, str],
) -> None:
    options, text, expected = case
    edges = write(tmp_path / "edges.csv", "source,target\na,b\nb,c\n")
    group_file = write(tmp_path / "groups.csv", text)
    args = ["copatent", "metrics", "--edges", str(edges), "--json"]
    args += [option.format(g=group_file) for option in options]
    monkeypatch.setattr(sys, "argv", args)
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 6
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert expected in captured.err
    if "partition at a time" not in expected:
        assert str(group_file) in captured.err


def test_cli_concor_on_binary_ties_ignores_the_weights(tmp_path: Path) -> None:
    """--concor-ties binary on weighted arcs = --concor on the same arcs without weights."""
    edges = pd.read_csv(SNA / "krackhardt_advice.csv", dtype=str)
    weighted = edges.assign(weight=[str(1 + i % 7) for i in range(len(edges))])
    weighted.to_csv(tmp_path / "weighted.csv", index=False)
    edges[["source", "target"]].to_csv(tmp_path / "plain.csv", index=False)
    nodes = str(SNA / "krackhardt_nodes.csv")
    binary = run_json("--edges", str(tmp_path / "weighted.csv"), "--nodes", nodes, "--concor",
                      "--concor-ties", "binary")  # fmt: skip
    plain = run_json("--edges", str(tmp_path / "plain.csv"), "--nodes", nodes, "--concor")
    valued = run_json("--edges", str(tmp_path / "weighted.csv"), "--nodes", nodes, "--concor")
    assert binary["concor_blocks"] == plain["concor_blocks"]
    assert valued["concor_blocks"] != plain["concor_blocks"]  # the weights do change the blocks


def test_groups_spelt_apart_but_numerically_equal_keep_a_stable_order(tmp_path: Path) -> None:
    edges = write(tmp_path / "e.csv", "source,target\na,b\nb,c\nc,d\n")
    groups = write(tmp_path / "g.csv", "node,g\na,1.0\nb,01\nc,1\nd,2\nz,\n")
    report = run_json("--edges", str(edges), "--groups", f"{groups}:g")
    # by number, then by text; the row of z (not in the network) needs no group
    assert report["groups_labels"] == ["01", "1", "1.0", "2"]
    assert report["groups_blocks"] == [["b"], ["c"], ["a"], ["d"]]


def test_group_column_is_looked_for_after_the_node_column(tmp_path: Path) -> None:
    edges = write(tmp_path / "e.csv", "source,target\na,b\n")
    groups = write(tmp_path / "g.csv", "grp,grp\na,x\nb,y\n")
    report = run_json("--edges", str(edges), "--groups", f"{groups}:grp")
    assert report["groups_labels"] == ["x", "y"]


def test_cli_concor_options_without_concor_are_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edges = str(SNA / "krackhardt_advice.csv")
    monkeypatch.setattr(sys, "argv", ["copatent", "metrics", "--edges", edges, "--depth", "3"])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 6
    assert "--depth: CONCOR options; add --concor" in capsys.readouterr().err


def test_problems_of_the_edges_and_the_groups_in_one_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edges = write(tmp_path / "e.csv", "source,target,weight\na,b,-1\n")
    groups = write(tmp_path / "g.csv", "node,g\na,1\na,2\n")
    argv = ["copatent", "metrics", "--edges", str(edges), "--groups", f"{groups}:g"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit):
        cli.main()
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{edges}: row 2, column weight: negative weight '-1'" in err
    assert f"{groups}: row 3, column node: node 'a' repeats row 2" in err


def test_cli_json_has_ucinet_valued_centralization(tmp_path: Path) -> None:
    # by hand: out-strengths a 5, b 2, c 0; in-strengths a 0, b 3, c 4; w_max 3, n 3
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target,weight\na,b,3\na,c,2\nb,c,2\n", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["metrics", "--edges", str(edges), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["out_centralization_maxtie_pct"] == pytest.approx(100 * (3 + 5) / (4 * 3))
    assert found["in_centralization_maxtie_pct"] == pytest.approx(100 * (4 + 1) / (4 * 3))
    assert found["out_centralization_valued_pct"] == pytest.approx(100 * (3 + 5) / 4)


# -- the image matrices' cutoff: --image-cutoff (issue 13 item 2)

# The hand-worked network of tests/unit/test_subgroups.py (HAND_ARCS): blocks {a, b, c}, {d, e};
# binary densities 2/6, 1/6 / 0, 1 (whole network 5/20 = 0.25, block mean 0.375); valued
# densities 1, 0.5 / 0, 3 (whole network 15/20 = 0.75, block mean 1.125).
HAND_EDGES = "source,target,weight\na,b,4\nb,c,2\na,d,3\nd,e,1\ne,d,5\n"
HAND_GROUPS = "node,side\na,1\nb,1\nc,1\nd,2\ne,2\n"


def hand_files(tmp_path: Path) -> list[str]:
    edges = write(tmp_path / "e.csv", HAND_EDGES)
    groups = write(tmp_path / "g.csv", HAND_GROUPS)
    return ["--edges", str(edges), "--groups", f"{groups}:side"]


@pytest.mark.parametrize(
    ("option", "rule", "alphas", "images"),
    [
        ([], "density", [0.25, 0.75], [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]),
        (["--image-cutoff", "density"], "density", [0.25, 0.75],
         [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]),
        (["--image-cutoff", "block-mean"], "block-mean", [0.375, 1.125],
         [[[0, 0], [0, 1]], [[0, 0], [0, 1]]]),
        (["--image-cutoff", "2.5"], "fixed", [2.5, 2.5], [[[0, 0], [0, 0]], [[0, 0], [0, 1]]]),
    ],
    ids=["default", "density", "block-mean", "fixed-2.5"],
)  # fmt: skip
def test_cli_image_cutoff_json(
    tmp_path: Path, option: list[str], rule: str, alphas: list[float], images: list[list[int]]
) -> None:
    report = run_json(*hand_files(tmp_path), *option)
    assert report["image_cutoff_rule"] == rule
    assert_allclose([report["image_cutoff_binary"], report["image_cutoff_valued"]], alphas)
    assert [report["image_matrix_binary"], report["image_matrix_valued"]] == images
    assert_allclose(report["density_matrix_valued"], [[1, 0.5], [0, 3]])  # whatever the rule
    keys = list(report)
    at = keys.index("image_matrix_valued")
    assert keys[at + 1 : at + 4] == ["image_cutoff_rule", "image_cutoff_binary",
                                     "image_cutoff_valued"]  # fmt: skip


def test_cli_image_cutoff_with_concor(tmp_path: Path) -> None:
    report = run_json("--edges", str(SNA / "krackhardt_advice.csv"), "--concor",
                      "--image-cutoff", "block-mean")  # fmt: skip
    density = np.array(report["density_matrix_binary"], dtype=float)
    assert report["image_cutoff_binary"] == pytest.approx(np.nanmean(density))
    assert report["image_matrix_binary"] == (density >= np.nanmean(density)).astype(int).tolist()


def test_cli_image_cutoff_is_named_in_the_printed_matrix(tmp_path: Path) -> None:
    args = ["metrics", *hand_files(tmp_path), "--image-cutoff", "block-mean"]
    result = CliRunner().invoke(cli.app, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "binary: ■ image 1 where ≥ block mean 0.3750, else □" in result.stdout
    assert "valued: ■ image 1 where ≥ block mean 1.1250, else □" in result.stdout
    # each density carries the mark of its own kind's image: block 1's own cell is 0 in both;
    # block 2's own cell 1 in both
    assert "□ 0.333 · □ 1.000" in result.stdout
    assert "■ 1.000 · ■ 3.000" in result.stdout
    fixed = CliRunner().invoke(cli.app, [*args[:-1], "0.5"], env={"COLUMNS": "160"})
    assert "binary: ■ image 1 where ≥ fixed alpha 0.5000" in fixed.stdout
    # a fixed 0.5: binary 1/6 is 0, valued 0.5 is 1, in the same cell
    assert "□ 0.167 · ■ 0.500" in fixed.stdout
    default = CliRunner().invoke(cli.app, args[:-2], env={"COLUMNS": "160"})
    assert "binary: ■ image 1 where ≥ whole-network density 0.2500" in default.stdout
    assert "valued: ■ image 1 where ≥ whole-network density 0.7500" in default.stdout


@pytest.mark.parametrize(
    "case",
    [
        ("foo", True, "--image-cutoff 'foo': expected density, block-mean or a number >= 0"),
        ("-1", True, "--image-cutoff '-1': expected density, block-mean or a number >= 0"),
        ("nan", True, "--image-cutoff 'nan': expected"),
        ("inf", True, "--image-cutoff 'inf': expected"),
        ("Block-Mean", True, "--image-cutoff 'Block-Mean': expected"),
        ("2", False, "--image-cutoff: an option of the blocks; add --groups or --concor"),
    ],
    ids=["word", "negative", "nan", "inf", "capitals", "without-blocks"],
)
def test_cli_bad_image_cutoff_is_one_line_exit_6(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: tuple[str, bool, str],
) -> None:
    value, partition, expected = case
    files = hand_files(tmp_path) if partition else hand_files(tmp_path)[:2]
    argv = ["copatent", "metrics", *files, "--image-cutoff", value, "--json"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 6
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert expected in captured.err
