from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from copatent._errors import ConfigError
from copatent.config import URI_SCHEMES, Neo4jSettings, check_uri, copatent_home, settings_from_env
from copatent.db import Database


def test_home_defaults_to_user_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPATENT_HOME", raising=False)
    assert copatent_home() == Path("~/.cache/copatent").expanduser().resolve()


def test_home_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COPATENT_HOME", str(tmp_path))
    assert copatent_home() == tmp_path.resolve()


def test_no_uri_means_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert settings_from_env() is None


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-value")
    monkeypatch.delenv("NEO4J_USER", raising=False)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    settings = settings_from_env()
    assert settings == Neo4jSettings("bolt://db.example:7687", "neo4j", "s3cret-value", "neo4j")


def test_password_is_not_in_repr() -> None:
    settings = Neo4jSettings("bolt://127.0.0.1:7687", password="s3cret-value")
    assert "s3cret-value" not in repr(settings)
    assert "s3cret-value" not in str(settings)


# the URI: what the driver would refuse (or print) is refused here, in one line without secrets

SECRET = "s3cret-in-the-uri"


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        (f"bolt://reader:{SECRET}@db.example:7687", "bolt://db.example:7687"),
        (f"neo4j+s://reader:{SECRET}@db.example", "neo4j+s://db.example"),
        (f"bolt://{SECRET}@db.example:7687", "bolt://db.example:7687"),  # a user name alone
        # a password holding "/", "#" or "@" would fool a URL parser into another host or path
        (f"bolt://reader:pa/ss#{SECRET}@db.example:7687", "bolt://db.example:7687"),
        (f"bolt://reader:p@ss{SECRET}@db.example:7687", "bolt://db.example:7687"),
        (f"reader:{SECRET}@db.example:7687", None),  # no scheme: nothing is shown
    ],
    ids=["user-password", "neo4j+s", "user-only", "slash-hash", "at-in-password", "no-scheme"],
)
def test_credentials_in_the_uri_are_refused_unrepeated(uri: str, shown: str | None) -> None:
    with pytest.raises(ConfigError) as caught:
        check_uri(uri)
    message = str(caught.value)
    assert SECRET not in message
    assert "reader" not in message
    assert "give them in NEO4J_USER and NEO4J_PASSWORD instead" in message
    assert (f"the URI as {shown}" in message) if shown else ("URI as" not in message)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    "uri",
    [
        "http://db.example:7474",
        "https://db.example",
        "bolt+routing://db.example",
        "db.example:7687",
    ],
    ids=["http", "https", "bolt+routing", "no-scheme"],
)
def test_a_scheme_other_than_bolts_names_the_supported_ones(uri: str) -> None:
    with pytest.raises(ConfigError, match="copatent connects over Bolt") as caught:
        check_uri(uri)
    assert "bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s://, neo4j+ssc://" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("bolt://db.example:notaport", "is not scheme://host"),
        ("bolt://db.example:70000", "is not scheme://host"),
        ("bolt://:7687", "is not scheme://host"),
        ("bolt://db.example:7687/neo4j", "has a path, query or fragment"),
        ("bolt://db.example:7687?policy=eu", "has a path, query or fragment"),
        ("neo4j://db.example:7687#x", "has a path, query or fragment"),
    ],
    ids=["port-text", "port-range", "no-host", "path", "query-on-bolt", "fragment"],
)
def test_a_malformed_uri_is_one_error(uri: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        check_uri(uri)


@pytest.mark.parametrize(
    "uri",
    [
        *(f"{scheme}://db.example:7687" for scheme in URI_SCHEMES),
        "bolt://127.0.0.1",
        "bolt://[::1]:7687/",
        "BOLT://db.example",
        "neo4j://db.example:7687?policy=eu",  # a routing context
    ],
)
def test_uris_the_driver_takes_pass(uri: str) -> None:
    check_uri(uri)
    assert Neo4jSettings(uri).uri == uri


def test_settings_cannot_hold_a_password_in_the_uri() -> None:
    with pytest.raises(ConfigError):
        Neo4jSettings(f"bolt://neo4j:{SECRET}@db.example")


@pytest.mark.parametrize(
    ("how", "uri", "code", "says"),
    [
        ("env", f"bolt://reader:{SECRET}@127.0.0.1:7687", 2, "holds a user name or password"),
        ("option", f"bolt://reader:{SECRET}@127.0.0.1:7687", 2, "holds a user name or password"),
        ("env", "http://127.0.0.1:7474", 2, "copatent connects over Bolt, with bolt://"),
    ],
    ids=["credentials-env", "credentials-option", "http-env"],
)
@pytest.mark.parametrize("command", [["db", "ping"], ["graph", "stats"]], ids=" ".join)
def test_cli_refuses_the_uri_in_one_line(
    how: str, uri: str, code: int, says: str, command: list[str]
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    args = [*command, "--neo4j-uri", uri] if how == "option" else command
    if how == "env":
        env["NEO4J_URI"] = uri
    proc = subprocess.run(
        [sys.executable, "-m", "copatent", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == code
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("copatent: error: NEO4J_URI (--neo4j-uri) ")
    assert says in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr


def test_a_routing_context_the_driver_refuses_is_one_error() -> None:
    """check_uri leaves routing contexts to the driver, whose refusal becomes a ConfigError."""
    with pytest.raises(
        ConfigError, match=r"^the Neo4j driver refuses NEO4J_URI: Duplicated query parameters"
    ):
        Database(Neo4jSettings("neo4j://127.0.0.1:7687?policy=a&policy=b"))
