"""Helpers of the integration tests: the tests' own queries, the command line, killed loads.

The server itself (one per session, fixtures ``neo4j_server`` and ``db``) is in tests/conftest.py,
shared with the browser tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from copatent import server
from copatent.db import Database

TEST_QUERIES = ("tests.integration.cypher",)


@pytest.fixture
def fixture_db(neo4j_server: server.LocalServer) -> Iterator[Database]:
    """Runner for the tests' own queries (tests/integration/cypher), on an emptied database."""
    with Database(neo4j_server.settings(), queries=TEST_QUERIES) as database:
        database.run("fixture/delete_all", write=True)
        yield database


@pytest.fixture
def spare_server(
    installation: server.Installation, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[server.LocalServer]:
    """A second, small server of its own, for tests that stop it, replace its database by a bulk
    import or change its password."""
    local = server.LocalServer(
        installation,
        tmp_path_factory.mktemp("spare-instance"),
        memory=server.Memory("256m", "1g", "128m"),
    )
    local.start(bolt_port=server.free_port(), http_port=server.free_port())
    try:
        yield local
    finally:
        local.stop()


def run_cli(
    local: server.LocalServer, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m copatent ARGS`` against ``local`` (URI and password from the environment;
    ``env`` adds or replaces variables)."""
    settings = local.settings()
    env = {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_PASSWORD": settings.password,
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "copatent", *args],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip


def kill_load(
    local: server.LocalServer, admin: Database, export: Path, *, batch_size: int, batches: int = 5
) -> None:
    """Run ``copatent load EXPORT --batch-size N`` and SIGKILL it after ``batches`` patent batches."""
    settings = local.settings()
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password}
    load = [sys.executable, "-m", "copatent", "load", str(export), "--batch-size", str(batch_size)]
    proc = subprocess.Popen(
        [*load, "--json"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if int(admin.run("fixture/count_batches").iloc[0]["patent_batches"]) >= batches:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    assert proc.wait(timeout=60) == -signal.SIGKILL, "the load ended before it could be killed"


def dump_graph(db: Database) -> dict[str, list[str]]:
    """Everything the loader writes, canonically ordered, to compare two loads (needs TEST_QUERIES)."""
    row = db.run("fixture/dump_graph").iloc[0]
    return {k: sorted(map(repr, row[k])) for k in ("patents", "applicants", "applied", "cities")}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.neo4j)
