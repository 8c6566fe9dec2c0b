"""The real Neo4j + GDS server for the tests that need one (tests/integration, tests/browser).

One server per test session, started with the same code as ``copatent db start`` on a fresh data
directory and free ports (its guide server too), and stopped at the end. If it cannot start, every
test that needs it errors with the reason: nothing here skips. Unit tests never start it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from copatent import server
from copatent.db import Database

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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for status in _STARTED:
        terminalreporter.write_line(
            f"integration tests ran against Neo4j {status.neo4j_version} ({status.edition}) "
            f"at {status.uri}; RETURN gds.version() answered {status.gds_version}"
        )
