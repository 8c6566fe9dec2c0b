"""Settings from the environment.

=================  =========================================================================
variable           meaning
=================  =========================================================================
``COPATENT_HOME``  where the local server is installed and keeps its data
                   (default ``~/.cache/copatent``)
``NEO4J_URI``      an existing Neo4j 5 + GDS server, ``bolt://host:port`` or another of
                   :data:`URI_SCHEMES`, without user name or password; unset means the
                   managed local server
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
from typing import Final
from urllib.parse import urlsplit

from copatent._errors import ConfigError

DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
URI_SCHEMES: Final = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
"""The Bolt schemes of the driver; its ``http``/``https`` (Query API) cannot run GDS or
transactions the way copatent does."""


def copatent_home() -> Path:
    """Return ``COPATENT_HOME`` (default ``~/.cache/copatent``), expanded and absolute."""
    raw = os.environ.get("COPATENT_HOME") or "~/.cache/copatent"
    return Path(raw).expanduser().resolve()


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach a Neo4j server. ``password`` is excluded from ``repr``.

    ``uri`` is checked on creation (:func:`check_uri`), so no settings object ever carries a
    password inside its URI.
    """

    uri: str
    user: str = DEFAULT_USER
    password: str = field(default="", repr=False)
    database: str = DEFAULT_DATABASE

    def __post_init__(self) -> None:
        check_uri(self.uri)


def check_uri(uri: str) -> None:
    """Refuse a server URI that copatent cannot use, in one line that repeats no secret.

    A user name or password inside the URI is refused rather than stripped: the URI shows in
    shell histories, process lists and error messages, and quietly dropping it would connect as
    another user than the one written. The message shows the URI without its user part.

    >>> check_uri("neo4j+s://graph.example.org:7687")
    >>> check_uri("bolt://reader:hunter2@graph.example.org")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    copatent._errors.ConfigError: NEO4J_URI ... instead, and the URI as bolt://graph.example.org
    """
    what = "NEO4J_URI (--neo4j-uri)"
    scheme, sep, rest = uri.partition("://")
    if "@" in uri:
        # everything up to the last "@" is the user part, as in urllib: a password may itself
        # hold "@", "/" or "#", so nothing before that "@" is shown
        bare = f" as {scheme}://{rest.rpartition('@')[2]}" if sep else ""
        raise ConfigError(
            f"{what} holds a user name or password: give them in NEO4J_USER and NEO4J_PASSWORD "
            f"instead, and the URI{bare}"
        )
    supported = ", ".join(f"{s}://" for s in URI_SCHEMES)
    if not sep or scheme.lower() not in URI_SCHEMES:
        got = f"the scheme {scheme}://" if sep else f"no scheme ({uri!r})"
        raise ConfigError(
            f"{what} has {got}: copatent connects over Bolt, with {supported} "
            "(e.g. bolt://127.0.0.1:7687)"
        )
    parts = urlsplit(uri)
    try:
        valid = bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number in 0-65535
        valid = False
    if not valid:
        raise ConfigError(
            f"{what} {uri!r} is not scheme://host[:port] (e.g. bolt://127.0.0.1:7687)"
        )
    routing = scheme.lower().startswith("neo4j")
    if parts.path not in ("", "/") or parts.fragment or (parts.query and not routing):
        allowed = "scheme://host[:port][?routing context]" if routing else "scheme://host[:port]"
        raise ConfigError(
            f"{what} has a path, query or fragment after {scheme}://{parts.netloc}: "
            f"give {allowed} only"
        )


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
