"""Settings from the environment.

=================  =========================================================================
variable           meaning
=================  =========================================================================
``COPATENT_HOME``  where the local server is installed and keeps its data
                   (default ``~/.cache/copatent``)
``NEO4J_URI``      an existing Neo4j 5 + GDS server; unset means the managed local server
``NEO4J_USER``     user for ``NEO4J_URI`` (default ``neo4j``)
``NEO4J_PASSWORD`` password for ``NEO4J_URI``; for the local server it is read from its
                   password file
``NEO4J_DATABASE`` database name (default ``neo4j``)
=================  =========================================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"


def copatent_home() -> Path:
    """Return ``COPATENT_HOME`` (default ``~/.cache/copatent``), expanded and absolute."""
    raw = os.environ.get("COPATENT_HOME") or "~/.cache/copatent"
    return Path(raw).expanduser().resolve()


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach a Neo4j server. ``password`` is excluded from ``repr``."""

    uri: str
    user: str = DEFAULT_USER
    password: str = field(default="", repr=False)
    database: str = DEFAULT_DATABASE


def settings_from_env() -> Neo4jSettings | None:
    """Settings for an external server when ``NEO4J_URI`` is set, else ``None``."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return Neo4jSettings(
        uri=uri,
        user=os.environ.get("NEO4J_USER") or DEFAULT_USER,
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
    )
