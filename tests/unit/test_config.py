from __future__ import annotations

from pathlib import Path

import pytest

from copatent.config import Neo4jSettings, copatent_home, settings_from_env


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
