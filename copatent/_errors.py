"""Errors that the CLI turns into a one-line message and a non-zero exit code.

Every expected failure (bad input, missing Java, unreachable server, ...) raises a subclass of
:class:`CopatentError`. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class CopatentError(Exception):
    """Base class of the expected failures; ``exit_code`` is what the CLI exits with."""

    exit_code: int = 1


class ConfigError(CopatentError):
    """Settings are missing or contradictory."""

    exit_code = 2


class ServerError(CopatentError):
    """The local Neo4j server cannot be installed, started or stopped."""

    exit_code = 3


class DatabaseUnavailableError(CopatentError):
    """Neo4j cannot be reached, or refuses the credentials."""

    exit_code = 4


class QueryError(CopatentError):
    """A named query does not exist or the database rejected it."""

    exit_code = 5


class InputError(CopatentError):
    """An input file is unusable: the message names the file, row and column."""

    exit_code = 6


class OutputError(CopatentError):
    """An output file or folder cannot be written (disk full, permission, read-only file system).

    Exit code 6 like :class:`InputError`: what the user gave (a path) cannot be used.
    """

    exit_code = 6


class LoadInProgressError(CopatentError):
    """A load is unfinished, or one started or finished while an analysis read the graph.

    The graph then holds part of a load, or the scales of one analysis would describe different
    states of it; the message names the load and how to finish or discard it.
    """

    exit_code = 7
