"""Named queries: found by name, nothing else reaches the file system."""

from __future__ import annotations

import pytest

from copatent._errors import QueryError
from copatent.db import query_text


def test_known_query() -> None:
    assert "gds.version()" in query_text("db/server_versions")


@pytest.mark.parametrize(
    "name",
    ["../db/server_versions", "db/../db/server_versions", "/etc/passwd", "db/x.cypher", ""],
    ids=["parent", "inner-parent", "absolute", "suffix", "empty"],
)
def test_names_outside_the_query_tree_are_refused(name: str) -> None:
    with pytest.raises(QueryError, match="invalid query name"):
        query_text(name)


def test_unknown_query() -> None:
    with pytest.raises(QueryError, match="no query named 'db/nothing_here'"):
        query_text("db/nothing_here")
