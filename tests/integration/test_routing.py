"""Beyond one machine, tested where possible: a routing URI and a database name.

A cluster or Aura is reached through ``NEO4J_URI`` with the routing scheme (``neo4j+s://``) and
may name its database (``NEO4J_DATABASE``); the local single server answers ``neo4j://`` too.
"""

from __future__ import annotations

import json

from copatent import server
from copatent.db import Database
from tests.integration.conftest import run_cli
from tests.reference import reference_data

PATSNAP = reference_data() / "patents/chuanzang_railway/data.csv"
READ = ["--columns", "patsnap", "--topic", "none"]


def test_a_routing_uri_and_a_database_name_change_nothing(
    neo4j_server: server.LocalServer, fixture_db: Database
) -> None:
    """``neo4j://`` (the routing scheme a cluster or Aura takes, ``neo4j+s://`` there) and
    ``NEO4J_DATABASE`` set: load, GDS analysis and the places commands run unchanged."""
    loaded = run_cli(neo4j_server, "load", str(PATSNAP), *READ)
    assert loaded.returncode == 0, loaded.stderr
    bolt = neo4j_server.settings().uri
    routing = {"NEO4J_URI": bolt.replace("bolt://", "neo4j://"), "NEO4J_DATABASE": "neo4j"}
    assert routing["NEO4J_URI"].startswith("neo4j://127.0.0.1:")
    args = ["analyze", "--scale", "province", "--period", "2001-2025", "--json"]
    direct = run_cli(neo4j_server, *args)
    routed = run_cli(neo4j_server, *args, env=routing)
    assert direct.returncode == 0, direct.stderr
    assert routed.returncode == 0, routed.stderr
    assert json.loads(routed.stdout)["table1"] == json.loads(direct.stdout)["table1"]
    assert json.loads(routed.stdout)["table1"][0]["nodes"] > 5
    listed = run_cli(neo4j_server, "places", "list", "--json", env=routing)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 102
