"""The real Neo4j + GDS server for the integration tests.

One server per test session, started with the same code as ``copatent db start`` on a fresh data
directory and free ports, and stopped at the end. If it cannot start, every integration test errors
with the reason: nothing here skips.
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
_STARTED: list[server.Status] = []


@pytest.fixture(scope="session")
def installation() -> server.Installation:
    inst, _ = server.install()
    return inst


@pytest.fixture(scope="session")
def neo4j_server(
    installation: server.Installation, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[server.LocalServer]:
    local = server.LocalServer(
        installation,
        tmp_path_factory.mktemp("neo4j-instance"),
        memory=server.Memory(heap_initial="512m", heap_max="2g", pagecache="256m"),
    )
    status = local.start(bolt_port=server.free_port(), http_port=server.free_port())
    _STARTED.append(status)
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture(scope="session")
def db(neo4j_server: server.LocalServer) -> Iterator[Database]:
    """Runner for copatent's own named queries."""
    with Database(neo4j_server.settings()) as database:
        yield database


@pytest.fixture
def fixture_db(neo4j_server: server.LocalServer) -> Iterator[Database]:
    """Runner for the tests' own queries (tests/integration/cypher), on an emptied database."""
    with Database(neo4j_server.settings(), queries=TEST_QUERIES) as database:
        database.run("fixture/delete_all", write=True)
        yield database


def run_cli(local: server.LocalServer, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m copatent ARGS`` against ``local`` (URI and password from the environment)."""
    settings = local.settings()
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password}
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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for status in _STARTED:
        terminalreporter.write_line(
            f"integration tests ran against Neo4j {status.neo4j_version} ({status.edition}) "
            f"at {status.uri}; RETURN gds.version() answered {status.gds_version}"
        )
