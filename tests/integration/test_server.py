"""The local server: versions, start/stop lifecycle, and one-line failures through the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from copatent import server
from copatent._errors import ServerError
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


def _home_with(installation: server.Installation, home: Path) -> server.Installation:
    """A COPATENT_HOME of its own that sees the installed jars (its instances are its own)."""
    (home / installation.root.name).mkdir(parents=True)
    for name in ("lib", "plugins", "installed.json"):
        (home / installation.root.name / name).symlink_to(installation.root / name)
    return server.default_installation(home)


def _modes(directory: Path) -> dict[str, str]:
    """Every file and folder under ``directory`` (itself included) that others may use."""
    return {
        str(path): oct(path.lstat().st_mode & 0o777)
        for path in (directory, *directory.rglob("*"))
        if not path.is_symlink() and path.lstat().st_mode & 0o077
    }


def test_start_twice_status_stop(installation: server.Installation, tmp_path: Path) -> None:
    """A second instance in a COPATENT_HOME of its own, left open by an older copatent: start,
    start again (harmless, through the CLI too), on other ports (refused), status, stop."""
    home = tmp_path / "home"
    local = server.LocalServer(
        _home_with(installation, home),
        home / installation.root.name / "default",
        memory=server.Memory("256m", "1g", "128m"),
    )
    assert server.LocalServer.default(home).directory == local.directory  # the CLI's
    # what an older copatent left: folders 0755, files 0644
    (local.directory / "import").mkdir(parents=True)
    (local.directory / "import" / "old.csv").write_text("a,b\n")
    for path in (local.directory, local.directory / "import", local.directory / "import/old.csv"):
        path.chmod(0o644 if path.is_file() else 0o755)
    bolt = server.free_port()
    first = local.start(bolt_port=bolt, http_port=server.free_port())
    try:
        assert first.running
        assert first.gds_version == server.GDS_VERSION
        assert _modes(local.directory) == {}
        again = local.start()
        assert again.pid == first.pid
        assert again.uri == first.uri

        env = {"COPATENT_HOME": str(home)}
        local.state_file.chmod(0o644)  # one file opened again: the CLI says it closes it
        proc = run_cli("db", "start", "--port", str(bolt), "--json", env=env)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["pid"] == first.pid
        note = f"copatent: made {local.directory} private to you (1 of its files and folders "
        assert proc.stderr.splitlines() == [note + "were open to other users)"]
        assert _modes(local.directory) == {}

        other = server.free_port()
        proc = run_cli("db", "start", "--port", str(other), env=env)
        assert proc.returncode == 3
        refused = (
            f"copatent: error: the local server already runs with Bolt on port {bolt}, not "
            f"{other}: run `copatent db stop` first to start it on another port (--port)"
        )
        assert proc.stderr.splitlines() == [refused]
        http = local.ports()[1]
        with pytest.raises(ServerError, match=f"runs with HTTP on port {http}, not {other}: "):
            local.start(http_port=other)
        assert local.status().pid == first.pid
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
    _home_with(installation, home)
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


def test_the_guide_is_served_to_browser_and_browser_is_told_where(
    neo4j_server: server.LocalServer, fixture_db: Database
) -> None:
    status = neo4j_server.status()
    assert status.guide_url is not None
    _, http = neo4j_server.ports()
    origin = f"http://127.0.0.1:{http}"
    request = urllib.request.Request(status.guide_url, headers={"Origin": origin})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.headers["Access-Control-Allow-Origin"] == origin
        page = response.read().decode("utf-8")
    assert "<title>copatent: the collaboration networks</title>" in page
    # what Browser reads after connecting (dbms.clientConfig on the system database)
    config = fixture_db.run("fixture/client_config")
    settings = dict(zip(config["name"], config["value"], strict=True))
    assert settings["browser.remote_content_hostname_whitelist"] == "localhost,127.0.0.1"
    assert status.guide_url in settings["browser.post_connect_cmd"]


def test_a_guide_server_that_died_comes_back_on_the_next_start(
    neo4j_server: server.LocalServer,
) -> None:
    pid = neo4j_server.guide_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    while neo4j_server.guide_pid() is not None:  # until the kernel has it gone
        time.sleep(0.05)
    assert neo4j_server.status().guide_url is None
    status = neo4j_server.start()  # the server runs: only the guide server is started again
    assert status.guide_url is not None
    assert neo4j_server.guide_pid() not in (None, pid)
    with urllib.request.urlopen(status.guide_url, timeout=30) as response:  # noqa: S310
        assert response.status == 200


def test_copatent_browser_says_where_the_password_is_and_prints_it_only_when_asked(
    neo4j_server: server.LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from copatent.cli import app

    # the command's local server is the session's (already running: it is not restarted)
    monkeypatch.setattr(
        server.LocalServer, "default", classmethod(lambda _cls, _home=None: neo4j_server)
    )
    password = neo4j_server.settings().password
    runner = CliRunner()
    shown = runner.invoke(app, ["browser"])
    assert shown.exit_code == 0, shown.output
    assert password not in shown.output
    assert str(neo4j_server.password_file) in shown.output
    assert f"?dbms=bolt://neo4j@127.0.0.1:{neo4j_server.ports()[0]}" in shown.output
    assert ":guide http://127.0.0.1:" in shown.output
    as_json = json.loads(runner.invoke(app, ["browser", "--json"]).output)
    assert "password" not in as_json
    assert as_json["password_file"] == str(neo4j_server.password_file)
    asked = json.loads(runner.invoke(app, ["browser", "--json", "--show-password"]).output)
    assert asked["password"] == password


def test_instance_is_private_to_its_owner(
    neo4j_server: server.LocalServer, fixture_db: Database
) -> None:
    """After a write, nothing the server or copatent created is open to group or others."""
    fixture_db.run(
        "fixture/create_edges", {"edges": [{"source": "a", "target": "b", "weight": 1}]}, write=True
    )
    directory = neo4j_server.directory
    # the store, its transaction logs, the system database and the logs are there to be checked
    for part in (
        "data/databases/neo4j/neostore",
        "data/databases/system/neostore",
        "data/transactions/neo4j/neostore.transaction.db.0",
        "logs/neo4j.log",
        "logs/debug.log",
        "conf/neo4j.conf",
        "server.json",
        "password",
    ):
        assert (directory / part).is_file(), part
    assert _modes(directory) == {}
    # and what it creates next is private too: the server runs with umask 077
    pid = neo4j_server.pid()
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    assert "Umask:\t0077" in status.splitlines()


def test_logs_roll_over_without_a_console_copy(
    neo4j_server: server.LocalServer, fixture_db: Database
) -> None:
    user_log = neo4j_server.directory / "logs" / "neo4j.log"
    debug_log = neo4j_server.directory / "logs" / "debug.log"
    text = user_log.read_text(encoding="utf-8")
    assert f"Logging config in use: File '{neo4j_server.user_log_config}'" in text
    assert "INFO  Started." in text
    # the console copy of the user log is gone: console.log holds only what the JVM prints
    assert "INFO" not in neo4j_server.console_log.read_text(encoding="utf-8")
    # a Louvain run writes its steps to debug.log only
    user_before, debug_before = user_log.stat().st_size, debug_log.stat().st_size
    edges = [{"source": s, "target": t, "weight": 1.0} for s, t in ("ab", "bc", "ca", "cd")]
    fixture_db.run("fixture/create_edges", {"edges": edges}, write=True)
    with fixture_db.projection("quiet_louvain", "fixture/project_links"):
        fixture_db.run("fixture/gds_louvain_stats", {"graph_name": "quiet_louvain"})
    with debug_log.open("rb") as fh:
        fh.seek(debug_before)
        assert b"Louvain :: Start" in fh.read()
    with user_log.open("rb") as fh:
        fh.seek(user_before)
        assert b"Louvain" not in fh.read()
