"""Server provisioning that needs no server: neo4j.conf, jar de-duplication, Java discovery."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

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


def test_cli_start_without_java_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _installation(home)
    env = {**os.environ, "COPATENT_HOME": str(home), "JAVA_HOME": str(tmp_path / "nowhere")}
    proc = subprocess.run(
        [sys.executable, "-m", "copatent", "db", "start"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
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
