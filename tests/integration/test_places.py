"""Placing applicants end to end: the graph keeps method and evidence, and ``copatent places``
reads the graph as it reads the exports."""

from __future__ import annotations

import json
from pathlib import Path

from copatent import server
from copatent.db import Database
from tests.integration.conftest import run_cli
from tests.reference import reference_data

PATSNAP = reference_data() / "patents/chuanzang_railway/data.csv"
READ = ["--columns", "patsnap", "--topic", "none"]


def test_the_graph_keeps_how_and_why(
    neo4j_server: server.LocalServer, fixture_db: Database, tmp_path: Path
) -> None:
    places = tmp_path / "places.csv"
    places.write_text(
        "name,adcode\n中铁九桥工程有限公司,360400\n西南交通大学,510104\n", encoding="utf-8"
    )
    report = tmp_path / "report.json"
    loaded = run_cli(neo4j_server, "load", str(PATSNAP), *READ, "--places", str(places),
                     "--report", str(report))  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    body = json.loads(report.read_text("utf-8"))
    by_name = {r["name"]: r for r in body["applicant_places"]}
    assert by_name["中铁九桥工程有限公司"]["method"] == "places"
    assert by_name["中南大学"]["evidence"] == "中南大学 [moe-2026]"

    from_graph = run_cli(neo4j_server, "places", "list", "--json")
    from_input = run_cli(neo4j_server, "places", "list", "--input", str(PATSNAP), *READ,
                         "--places", str(places), "--json")  # fmt: skip
    assert from_graph.returncode == 0, from_graph.stderr
    graph_rows = json.loads(from_graph.stdout)
    assert graph_rows == sorted(json.loads(from_input.stdout), key=lambda r: r["name"])
    rows = {r["name"]: r for r in graph_rows}
    assert rows["西南交通大学"] == {
        "name": "西南交通大学",
        "province_adcode": "510000",
        "city_adcode": "510100",  # the district's city
        "method": "places",
        "evidence": "places.csv row 3: adcode 510104",
    }
    assert rows["中国科学院武汉岩土力学研究所"]["method"] == "gazetteer"

    unplaced_graph = json.loads(run_cli(neo4j_server, "places", "unplaced", "--json").stdout)
    unplaced_input = json.loads(
        run_cli(
            neo4j_server,
            "places",
            "unplaced",
            "--input",
            str(PATSNAP),
            *READ,
            "--places",
            str(places),
            "--json",
        ).stdout
    )
    assert [(r["name"], r["collaborations"]) for r in unplaced_graph] == [
        (r["name"], r["collaborations"]) for r in unplaced_input
    ]
    assert unplaced_graph
    explained = run_cli(
        neo4j_server, "places", "explain", "中铁九桥工程有限公司", "--graph", "--json"
    )
    assert explained.returncode == 0, explained.stderr
    held = json.loads(explained.stdout)
    # without the table, the gazetteer places it (its own site: 九江); the graph has the table's
    assert (held["method"], held["city_adcode"]) == ("gazetteer", "360400")
    assert held["graph"]["method"] == "places"
    assert held["graph"]["evidence"] == "places.csv row 2: adcode 360400"
    assert "中铁九桥工程有限公司" not in {r["name"] for r in unplaced_graph}


def test_a_merge_that_moves_an_applicant_is_said(
    neo4j_server: server.LocalServer, fixture_db: Database, tmp_path: Path
) -> None:
    thesaurus = tmp_path / "thesaurus.txt"
    thesaurus.write_text("label\treplace by\n中南大学\t西南交通大学\n", encoding="utf-8")
    report = tmp_path / "report.json"
    loaded = run_cli(neo4j_server, "load", str(PATSNAP), *READ, "--thesaurus", str(thesaurus),
                     "--report", str(report))  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    said = " ".join(loaded.stdout.split())
    assert "the thesaurus merged 1 name(s) that alone would be placed elsewhere" in said
    assert "中南大学 → 西南交通大学" in said
    merged = json.loads(report.read_text("utf-8"))["merged_names"]
    assert {(m["variant"], m["city_adcode"], m["conflict"]) for m in merged} == {
        ("中南大学", "430100", True),
        ("西南交通大学", "510100", False),
    }
    names = {
        r["name"] for r in json.loads(run_cli(neo4j_server, "places", "list", "--json").stdout)
    }
    assert "中南大学" not in names
    assert "西南交通大学" in names
