"""Server provisioning that needs no server: neo4j.conf, jar de-duplication, Java discovery."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from copatent import server
from copatent._errors import ServerError


def _installation(tmp_path: Path) -> server.Installation:
    inst = server.Installation(tmp_path / f"neo4j-{server.NEO4J_VERSION}")
    inst.lib.mkdir(parents=True)
    inst.plugins.mkdir()
    inst.manifest.write_text(json.dumps({"neo4j": server.NEO4J_VERSION, "gds": server.GDS_VERSION}))
    return inst


def test_conf_is_loopback_with_auth_and_gds(tmp_path: Path) -> None:
    local = server.LocalServer(_installation(tmp_path), tmp_path / "instance")
    conf = local._render_conf(7688, 7475, browser=True)
    settings = dict(line.split("=", 1) for line in conf.splitlines() if not line.startswith("#"))
    assert settings["server.bolt.listen_address"] == "127.0.0.1:7688"
    assert settings["server.http.listen_address"] == "127.0.0.1:7475"
    assert settings["server.default_listen_address"] == "127.0.0.1"
    assert settings["dbms.security.auth_enabled"] == "true"
    assert settings["dbms.security.procedures.unrestricted"] == "gds.*"
    assert settings["server.https.enabled"] == "false"
    assert settings["server.directories.plugins"] == str(local.installation.plugins)
    assert "0.0.0.0" not in conf


def test_http_is_off_without_the_browser_jar(tmp_path: Path) -> None:
    local = server.LocalServer(_installation(tmp_path), tmp_path / "instance")
    assert not local.installation.has_browser()
    assert "server.http.enabled=false" in local._render_conf(7687, 7474, browser=False)


def test_installation_needs_the_pinned_versions(tmp_path: Path) -> None:
    inst = _installation(tmp_path)
    assert inst.is_installed()
    inst.manifest.write_text(json.dumps({"neo4j": "5.26.0", "gds": server.GDS_VERSION}))
    assert not inst.is_installed()
    inst.manifest.unlink()
    assert not inst.is_installed()


def test_duplicate_jars_are_dropped_from_plugins(tmp_path: Path) -> None:
    lib, plugins = tmp_path / "lib", tmp_path / "plugins"
    lib.mkdir()
    plugins.mkdir()
    for name in (
        "com.fasterxml.jackson.core.jackson-core-2.21.1.jar",
        "org.javassist.javassist-3.30.2-GA.jar",
        "org.neo4j.neo4j-values-5.26.24.jar",
    ):
        (lib / name).touch()
    for name in (
        "com.fasterxml.jackson.core.jackson-core-2.18.6.jar",  # older version: dropped
        "org.javassist.javassist-3.28.0-GA.jar",  # qualifier after the version: dropped
        "org.neo4j.gds.neo4j-values-2.13.9.jar",  # same artifact id, other group: kept
        "org.neo4j.gds.proc-2.13.9.jar",
    ):
        (plugins / name).touch()
    removed = server._drop_duplicate_jars(lib, plugins)
    assert removed == [
        "com.fasterxml.jackson.core.jackson-core-2.18.6.jar",
        "org.javassist.javassist-3.28.0-GA.jar",
    ]
    assert sorted(p.name for p in plugins.iterdir()) == [
        "org.neo4j.gds.neo4j-values-2.13.9.jar",
        "org.neo4j.gds.proc-2.13.9.jar",
    ]


def _fake_java(tmp_path: Path, version: str) -> Path:
    java_home = tmp_path / f"jdk-{version}"
    (java_home / "bin").mkdir(parents=True)
    java = java_home / "bin" / "java"
    java.write_text(f"#!/bin/sh\necho 'openjdk version \"{version}\" 2025-01-01' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    return java_home


@pytest.mark.parametrize(
    ("version", "major"), [("17.0.15", 17), ("21.0.4", 21)], ids=["java17", "java21"]
)
def test_java_home_with_a_supported_java(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, version: str, major: int
) -> None:
    monkeypatch.setenv("JAVA_HOME", str(_fake_java(tmp_path, version)))
    assert server.find_java().major == major


def test_java_home_with_java_25_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JAVA_HOME", str(_fake_java(tmp_path, "25.0.1")))
    with pytest.raises(ServerError, match=r"is Java 25; Neo4j 5\.26\.\d+ needs Java 17 or 21"):
        server.find_java()


def test_java_home_pointing_nowhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    with pytest.raises(ServerError, match="has no bin/java"):
        server.find_java()


def _start_without_java(home: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``copatent db start`` with COPATENT_HOME ``home`` and a JAVA_HOME that has no Java."""
    env = {**os.environ, "COPATENT_HOME": str(home), "JAVA_HOME": str(tmp_path / "nowhere")}
    return subprocess.run(
        [sys.executable, "-m", "copatent", "db", "start"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_start_without_java_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _installation(home)
    proc = _start_without_java(home, tmp_path)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "has no bin/java" in proc.stderr


def test_start_without_install_says_what_to_run(tmp_path: Path) -> None:
    local = server.LocalServer(server.Installation(tmp_path / "none"), tmp_path / "instance")
    with pytest.raises(ServerError, match="run `copatent db install`"):
        local.start()


def test_install_without_maven(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no mvn here
    with pytest.raises(ServerError, match=r"Maven \(mvn\) is not installed: install it with"):
        server.install(server.Installation(tmp_path / "inst"))


def test_password_file_is_private(tmp_path: Path) -> None:
    target = tmp_path / "password"
    server._write_private(target, "value\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    server._write_private(target, "other\n")  # rewriting keeps it private
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == "other\n"


def test_status_of_a_server_never_started(tmp_path: Path) -> None:
    local = server.LocalServer(_installation(tmp_path), tmp_path / "instance")
    status = local.status()
    assert status.installed
    assert not status.running
    assert status.uri == "bolt://127.0.0.1:7687"
    assert "password" not in json.dumps(status.as_dict())


def _open_instance(directory: Path) -> list[Path]:
    """An instance as an older copatent left it: folders 0755, files 0644 (umask 022)."""
    for sub in ("conf", "data/databases/neo4j", "data/transactions/neo4j", "logs", "run"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    for name in ("conf/neo4j.conf", "data/databases/neo4j/neostore", "logs/neo4j.log"):
        (directory / name).write_text("x")
    for path in (directory, *directory.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return [directory, *directory.rglob("*")]


def test_make_private_closes_an_instance_left_open(tmp_path: Path) -> None:
    local = server.LocalServer(_installation(tmp_path), tmp_path / "instance")
    paths = _open_instance(local.directory)
    outside = tmp_path / "shared.csv"
    outside.write_text("x")
    outside.chmod(0o644)
    (local.directory / "import").mkdir()
    (local.directory / "import" / "linked.csv").symlink_to(outside)
    assert local.make_private() == len(paths) + 1  # and the new import folder (0755 by umask)
    for path in [local.directory, *local.directory.rglob("*")]:
        if not path.is_symlink():
            assert stat.S_IMODE(path.lstat().st_mode) & 0o077 == 0, path
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644  # a link's target is not the instance's
    assert local.make_private() == 0


def test_make_private_creates_the_instance_folder_0700(tmp_path: Path) -> None:
    local = server.LocalServer(_installation(tmp_path), tmp_path / "home" / "instance")
    local.make_private()
    assert stat.S_IMODE(local.directory.stat().st_mode) == 0o700


def test_cli_start_closes_an_open_instance_and_says_so(tmp_path: Path) -> None:
    """Even when the start then fails (no Java here), the instance is private afterwards."""
    home = tmp_path / "home"
    inst = _installation(home)
    paths = _open_instance(inst.root / "default")
    proc = _start_without_java(home, tmp_path)
    assert proc.returncode == 3
    note, error = proc.stderr.strip().splitlines()
    assert note == (
        f"copatent: made {inst.root / 'default'} private to you "
        f"({len(paths)} of its files and folders were open to other users)"
    )
    assert error.startswith("copatent: error: JAVA_HOME=")
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in paths)


def test_user_log_rolls_over_and_has_no_console_copy(tmp_path: Path) -> None:
    local = server.LocalServer(_installation(tmp_path), tmp_path / "instance")
    conf = local._render_conf(7687, 7474, browser=False)
    assert f"server.logs.user.config={local.user_log_config}" in conf.splitlines()
    root = ET.fromstring(server._USER_LOGS_XML)  # noqa: S314 - our own constant
    appenders = root.find("Appenders")
    assert appenders is not None
    assert [a.tag for a in appenders] == ["RollingRandomAccessFile"]  # no <Console>
    rolling = appenders[0]
    assert rolling.get("fileName") == "${config:server.directories.logs}/neo4j.log"
    policy = rolling.find("Policies/SizeBasedTriggeringPolicy")
    assert policy is not None
    assert policy.get("size") == "20 MB"
    strategy = rolling.find("DefaultRolloverStrategy")
    assert strategy is not None
    assert strategy.get("max") == "5"
    gds = root.find("Loggers/Logger[@name='org.neo4j.gds']")
    assert gds is not None
    assert gds.get("level") == "warn"


def test_start_failure_quotes_this_starts_error_line(tmp_path: Path) -> None:
    console, user = tmp_path / "console.log", tmp_path / "neo4j.log"
    user.write_text("2026 ERROR an error of an earlier start\n2026 INFO  Stopped.\n")
    offset = user.stat().st_size
    console.write_text("WARNING: a JVM notice\n")
    with user.open("a") as fh:
        fh.write("2026 INFO  Starting...\n2026 ERROR Caused by: bind(..) failed\n2026 INFO x\n")
    logs = {console: 0, user: offset}
    assert server._error_line(logs, default=user) == ("2026 ERROR Caused by: bind(..) failed", user)
    console.write_text("Error: Could not create the Java Virtual Machine.\n")
    assert server._error_line(logs, default=user) == (
        "Error: Could not create the Java Virtual Machine.",
        console,
    )
    console.write_text("")
    user.write_text(user.read_text()[:offset] + "2026 INFO  Starting...\n")
    assert server._error_line(logs, default=user) == ("2026 INFO  Starting...", user)
    assert server._error_line({tmp_path / "none.log": 0}, default=user) == ("no output", user)
