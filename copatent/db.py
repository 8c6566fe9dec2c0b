"""The one module that talks to Neo4j: connection, named-query runner, GDS projections.

Queries live in ``copatent/cypher/<area>/<verb_noun>.cypher``, one per file, and are run by name::

    with Database(settings) as db:
        df = db.run("db/server_versions")

User values reach Cypher only as ``$parameters``. Every transaction carries metadata
``{"app": "copatent/<version>", "query": "<name>"}`` so it can be found in the server's query log;
GDS calls made through the ``graphdatascience`` client carry the client's own tag
(``{"app": "gds-v<version>"}``).

Errors the user can act on become one-line :class:`copatent._errors.CopatentError` subclasses:
an unreachable server, refused credentials, an unknown query name, a query the server rejects.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

import neo4j
import numpy as np
import pandas as pd
from graphdatascience import GraphDataScience
from neo4j import exceptions as neo4j_errors

from copatent import __version__
from copatent._errors import ConfigError, DatabaseUnavailableError, QueryError
from copatent.config import DEFAULT_USER, Neo4jSettings

# the driver logs retries at WARNING; a library leaves handlers to the application
logging.getLogger("neo4j").addHandler(logging.NullHandler())

APP_TAG: Final = f"copatent/{__version__}"
DEFAULT_RETRY_SECONDS: Final = 30.0
_QUERY_NAME = re.compile(r"[A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)*")


class ServerNotReadyError(DatabaseUnavailableError):
    """The server does not accept connections (yet): refused, starting up, database offline."""


class AuthenticationError(DatabaseUnavailableError):
    """The server refused the user name or password."""


# --------------------------------------------------------------------------------------------
# named queries


QUERY_PACKAGE: Final = "copatent.cypher"


@functools.cache
def query_text(name: str, package: str = QUERY_PACKAGE) -> str:
    """Text of the named query ``<package>/<name>.cypher`` (by default ``copatent/cypher/``).

    >>> "gds.version()" in query_text("db/server_versions")
    True
    """
    if not _QUERY_NAME.fullmatch(name):
        raise QueryError(f"invalid query name {name!r}: use area/verb_noun")
    *folders, stem = name.split("/")
    res = resources.files(package).joinpath(*folders, f"{stem}.cypher")
    if not res.is_file():
        raise QueryError(f"no query named {name!r} in {package}")
    return res.read_text(encoding="utf-8")


def unfold(frame: pd.DataFrame) -> pd.DataFrame:
    """A result whose records carry lists of equal length as one row per list element.

    The driver decodes a result a record at a time, about 40 µs a record here, so a query that
    returns a row per node costs seconds at tens of thousands of nodes; the same values as a few
    records of lists (``collect`` per group) cost milliseconds (bench/RESULTS.md). The list
    columns are the ones whose first record holds a list; the other columns repeat.

    >>> unfold(pd.DataFrame({"run": ["a", "b"], "id": [[1, 2], [3]], "x": [[0.5, 1.0], [2.0]]}))
      run  id    x
    0   a   1  0.5
    1   a   2  1.0
    2   b   3  2.0
    """
    if frame.empty:
        return frame
    listed = [c for c in frame.columns if isinstance(frame[c].iloc[0], list)]
    if not listed:
        return frame
    lengths = frame[listed[0]].map(len).to_numpy()
    columns = {}
    for column in frame.columns:
        if column in listed:
            columns[column] = pd.Series(list(itertools.chain.from_iterable(frame[column])))
        else:
            columns[column] = pd.Series(np.repeat(frame[column].to_numpy(), lengths))
    return pd.DataFrame(columns)


# --------------------------------------------------------------------------------------------
# errors


@contextlib.contextmanager
def _translated(settings: Neo4jSettings, query: str | None = None) -> Iterator[None]:
    """Turn driver exceptions into one-line copatent errors (never mentioning the password)."""
    try:
        yield
    except neo4j_errors.AuthError:
        raise AuthenticationError(
            f"Neo4j at {settings.uri} refused the credentials of user {settings.user!r}: "
            "check NEO4J_USER / NEO4J_PASSWORD (the local server keeps its password in "
            "$COPATENT_HOME/neo4j-<version>/default/password)"
        ) from None
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError):
        raise ServerNotReadyError(
            f"cannot reach Neo4j at {settings.uri}: start the local server with "
            "`copatent db start`, or point NEO4J_URI at a running server"
        ) from None
    except neo4j_errors.TransientError as exc:
        raise ServerNotReadyError(
            f"Neo4j at {settings.uri} is not ready ({_first_line(exc)}); try again shortly"
        ) from None
    except neo4j_errors.Neo4jError as exc:
        what = f"query {query!r}" if query else "Neo4j"
        raise QueryError(f"{what} failed: {exc.code}: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(text).strip().splitlines()[0][:300]


# --------------------------------------------------------------------------------------------
# the runner


def _driver(settings: Neo4jSettings, retry_seconds: float) -> neo4j.Driver:
    try:
        return neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            user_agent=APP_TAG,
            connection_timeout=10.0,
            max_transaction_retry_time=retry_seconds,
            notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
        )
    except neo4j_errors.ConfigurationError as exc:
        # config.check_uri refuses what the driver would; this is the driver's word on the rest
        # (a routing context it cannot parse). The URI it quotes holds no password by then.
        # (its ``message`` is a generic GQL status; the reason is the exception's text)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise ConfigError(f"the Neo4j driver refuses NEO4J_URI: {reason}") from None


class Database:
    """A connection to one Neo4j database and the runner for copatent's named queries.

    Parameters
    ----------
    settings
        Where to connect; see :mod:`copatent.config`.
    queries
        Packages searched for ``.cypher`` files, in order; copatent's own come last. Tests add
        theirs this way.
    retry_seconds
        How long the driver retries a transaction that failed transiently (a deadlock, a lost
        connection) before the error surfaces.
    """

    def __init__(
        self,
        settings: Neo4jSettings,
        *,
        queries: tuple[str, ...] = (),
        retry_seconds: float = DEFAULT_RETRY_SECONDS,
    ) -> None:
        self.settings = settings
        self.queries = (*queries, QUERY_PACKAGE)
        self._driver = _driver(settings, retry_seconds)
        self._gds: GraphDataScience | None = None
        self._verified = False

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._gds is not None:
            self._gds.close()
            self._gds = None
        self._driver.close()

    def verify(self) -> None:
        """Connect and authenticate once, raising a one-line error if that fails.

        Called before the first query: the driver's managed transactions would otherwise retry an
        unreachable server for 30 s before giving up.
        """
        if not self._verified:
            with _translated(self.settings):
                self._driver.verify_connectivity()
            self._verified = True

    def run(
        self, name: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> pd.DataFrame:
        """Run the named query in a managed transaction and return its records as a DataFrame.

        Managed transactions are retried by the driver on transient errors (deadlocks, lost
        connections) for up to ``retry_seconds``. ``write`` selects a write transaction.
        """
        text = self._query_text(name)
        self.verify()
        return self._execute(name, text, dict(params or {}), write=write)

    def run_all(
        self, steps: Sequence[tuple[str, Mapping[str, Any]]], *, write: bool = False
    ) -> list[pd.DataFrame]:
        """Run the named queries ``steps`` in order in ONE managed transaction.

        Each step is ``(name, params)``; the result is one DataFrame per step. Either every step
        commits or none does (a failure, or the driver's retry of a transient error, starts the
        whole unit again). The transaction's metadata names every query: ``a+b+c``.
        """
        texts = [(self._query_text(name), dict(params)) for name, params in steps]
        self.verify()
        tag = "+".join(name for name, _ in steps)

        @neo4j.unit_of_work(metadata={"app": APP_TAG, "query": tag})
        def work(tx: neo4j.ManagedTransaction) -> list[pd.DataFrame]:
            return [tx.run(text, arguments).to_df() for text, arguments in texts]

        with (
            _translated(self.settings, tag),
            self._driver.session(database=self.settings.database) as session,
        ):
            if write:
                return session.execute_write(work)
            return session.execute_read(work)

    def _query_text(self, name: str) -> str:
        for package in self.queries[:-1]:
            with contextlib.suppress(QueryError):
                return query_text(name, package)
        return query_text(name, self.queries[-1])

    def apply_schema(self) -> list[str]:
        """Run the numbered schema files (``cypher/schema/V001__*.cypher``) in order.

        Each file holds ``;``-terminated statements that are idempotent (``IF NOT EXISTS``); each
        runs in its own transaction, as schema changes must. Returns the files applied.
        """
        folder = resources.files(QUERY_PACKAGE).joinpath("schema")
        files = sorted(p.name for p in folder.iterdir() if p.name.endswith(".cypher"))
        self.verify()
        for file in files:
            text = folder.joinpath(file).read_text(encoding="utf-8")
            body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("//"))
            stem = file.removesuffix(".cypher")
            for i, statement in enumerate(part.strip() for part in body.split(";")):
                if statement:
                    self._execute(f"schema/{stem}#{i}", statement, {}, write=True)
        return files

    def _execute(
        self, name: str, text: str, arguments: dict[str, Any], *, write: bool
    ) -> pd.DataFrame:
        @neo4j.unit_of_work(metadata={"app": APP_TAG, "query": name})
        def work(tx: neo4j.ManagedTransaction) -> pd.DataFrame:
            return tx.run(text, arguments).to_df()

        with (
            _translated(self.settings, name),
            self._driver.session(database=self.settings.database) as session,
        ):
            if write:
                return session.execute_write(work)
            return session.execute_read(work)

    # GDS ------------------------------------------------------------------------------------
    def gds(self) -> GraphDataScience:
        """The ``graphdatascience`` client on this connection (Bolt only; no Arrow server)."""
        if self._gds is None:
            self.verify()  # the client would otherwise retry an unreachable server for minutes
            with _translated(self.settings), warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "no Arrow server" notices
                self._gds = GraphDataScience(
                    self._driver,
                    database=self.settings.database,
                    arrow=False,
                    show_progress=False,
                )
        return self._gds

    @contextlib.contextmanager
    def projection(
        self, graph_name: str, query: str, params: Mapping[str, Any] | None = None
    ) -> Iterator[Projection]:
        """Project an in-memory graph with the named Cypher-projection query; always drop it.

        The query receives ``$graph_name`` and ``params`` and must call
        ``gds.graph.project($graph_name, source, target, ...)``.
        """
        gds = self.gds()
        with _translated(self.settings, query):
            if bool(gds.graph.exists(graph_name)):
                gds.graph.drop(graph_name)
            result = gds.graph.project.cypher(
                self._query_text(query), graph_name=graph_name, **dict(params or {})
            )
        try:
            yield Projection(self, result.graph)
        finally:
            with _translated(self.settings, query):
                gds.graph.drop(graph_name, fail_if_missing=False)


@dataclass(frozen=True)
class Projection:
    """An in-memory GDS graph, alive inside :meth:`Database.projection`."""

    db: Database
    graph: Any  # graphdatascience.Graph

    @property
    def node_count(self) -> int:
        return int(self.graph.node_count())

    @property
    def relationship_count(self) -> int:
        return int(self.graph.relationship_count())


# --------------------------------------------------------------------------------------------
# server probes used by copatent.server


def server_versions(settings: Neo4jSettings) -> dict[str, str]:
    """Neo4j version and edition and the GDS version; raises if GDS does not answer."""
    with Database(settings) as db:
        row = db.run("db/server_versions").iloc[0]
    return {"neo4j": str(row["neo4j"]), "edition": str(row["edition"]), "gds": str(row["gds"])}


def change_initial_password(uri: str, new_password: str) -> None:
    """Replace the built-in user's initial password ``neo4j`` (marked for change) over Bolt."""
    settings = Neo4jSettings(uri=uri, user=DEFAULT_USER, password="neo4j", database="system")  # noqa: S106 - Neo4j's built-in initial password
    with Database(settings) as db:
        db.run("db/change_password", {"old": "neo4j", "new": new_password}, write=True)
