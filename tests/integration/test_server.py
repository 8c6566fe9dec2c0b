"""The local server: versions, start/stop lifecycle, and one-line failures through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from copatent import server
from copatent.db import Database

PYTHON = sys.executable


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "copatent", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )


def test_server_answers_gds_version(db: Database) -> None:
    row = db.run("db/server_versions").iloc[0]
    assert row["neo4j"] == server.NEO4J_VERSION
    assert row["edition"] == "community"
    assert row["gds"] == server.GDS_VERSION


def test_server_listens_on_loopback_with_auth(neo4j_server: server.LocalServer) -> None:
    conf = neo4j_server.conf_file.read_text(encoding="utf-8")
    assert "dbms.security.auth_enabled=true" in conf
    assert "0.0.0.0" not in conf
    assert oct(neo4j_server.password_file.stat().st_mode & 0o777) == "0o600"
    password = neo4j_server.password_file.read_text(encoding="utf-8").strip()
    assert len(password) >= 24
    # the password is in no file the server or copatent writes besides its own
    for path in neo4j_server.directory.rglob("*"):
        if path.is_file() and path != neo4j_server.password_file and path.stat().st_size < 10**7:
            assert password not in path.read_text(encoding="utf-8", errors="ignore"), path


def test_wrong_password_is_a_one_line_error(neo4j_server: server.LocalServer) -> None:
    # a user name of its own: failed logins lock the attempted user out for a few seconds
    env = {
        "NEO4J_URI": neo4j_server.uri,
        "NEO4J_USER": "nobody",
        "NEO4J_PASSWORD": "wrong-password-123",
    }
    proc = run_cli("db", "ping", env=env)
    assert proc.returncode == 4
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "refused the credentials of user 'nobody'" in lines[0]
    assert "wrong-password-123" not in proc.stderr + proc.stdout


def test_unreachable_server_is_a_one_line_error() -> None:
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{server.free_port()}", "NEO4J_PASSWORD": "x" * 12}
    proc = run_cli("db", "ping", env=env)
    assert proc.returncode == 4
    assert proc.stderr.strip().count("\n") == 0
    assert proc.stderr.startswith("copatent: error: cannot reach Neo4j at bolt://127.0.0.1:")


def test_ping_reports_versions(neo4j_server: server.LocalServer) -> None:
    settings = neo4j_server.settings()
    env = {"NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password}
    proc = run_cli("db", "ping", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    assert f'"gds": "{server.GDS_VERSION}"' in proc.stdout
    assert settings.password not in proc.stdout


def test_start_twice_status_stop(installation: server.Installation, tmp_path: Path) -> None:
    """A second instance: start, start again (harmless), status, stop, stop again."""
    local = server.LocalServer(
        installation, tmp_path / "instance", memory=server.Memory("256m", "1g", "128m")
    )
    first = local.start(bolt_port=server.free_port(), http_port=server.free_port())
    try:
        assert first.running
        assert first.gds_version == server.GDS_VERSION
        again = local.start()
        assert again.pid == first.pid
        assert again.uri == first.uri
    finally:
        assert local.stop() is True
    after = local.status()
    assert not after.running
    assert after.pid is None
    assert after.neo4j_version is None
    assert local.stop() is False


def test_start_with_java_home_nowhere_fails_in_one_line(
    installation: server.Installation, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    # the same installed jars, seen from another COPATENT_HOME
    (home / installation.root.name).mkdir(parents=True)
    for name in ("lib", "plugins", "installed.json"):
        (home / installation.root.name / name).symlink_to(installation.root / name)
    env = {"COPATENT_HOME": str(home), "JAVA_HOME": str(tmp_path / "nowhere")}
    proc = run_cli("db", "start", env=env)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    expected = (
        f"copatent: error: JAVA_HOME={tmp_path / 'nowhere'} has no bin/java: point JAVA_HOME at "
        "a Java 17 or 21, or install one with `apt-get install openjdk-17-jre-headless`"
    )
    assert proc.stderr.strip().splitlines() == [expected]


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_transactions_carry_metadata(fixture_db: Database, write: bool) -> None:
    frame = fixture_db.run(
        "fixture/my_transaction_metadata", {"own_text": "CONTAINS $own_text"}, write=write
    )
    assert frame["metaData"].tolist() == [
        {
            "app": f"copatent/{__import__('copatent').__version__}",
            "query": "fixture/my_transaction_metadata",
        }
    ]


def test_browser_is_served_on_loopback(neo4j_server: server.LocalServer) -> None:
    status = neo4j_server.status()
    assert status.browser_url is not None
    assert status.browser_url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(status.browser_url, timeout=30) as response:  # noqa: S310
        page = response.read().decode("utf-8", errors="replace")
    assert "<title>Neo4j Browser</title>" in page
    # discovery tells Browser the real Bolt port, not the default 7687
    root = status.browser_url.removesuffix("browser/")
    with urllib.request.urlopen(root, timeout=30) as response:  # noqa: S310
        discovery = json.loads(response.read())
    assert discovery["bolt_direct"] == status.uri
