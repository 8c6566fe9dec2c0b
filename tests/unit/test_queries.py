"""Named queries: found by name, nothing else reaches the file system."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from copatent._errors import QueryError
from copatent.db import query_text, unfold


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


def test_unfold_turns_records_of_lists_into_rows() -> None:
    frame = pd.DataFrame(
        {
            "run": ["out_degree|0", "out_degree|1", "empty|2"],
            "nodeId": [[3, 1], [7], []],
            "value": [[2.0, 0.5], [1.0], []],
            "name": [["a", "b"], ["c"], []],
        }
    )
    rows = unfold(frame)
    assert rows.to_dict("list") == {
        "run": ["out_degree|0", "out_degree|0", "out_degree|1"],
        "nodeId": [3, 1, 7],
        "value": [2.0, 0.5, 1.0],
        "name": ["a", "b", "c"],
    }
    assert rows["nodeId"].dtype == np.int64
    assert rows["value"].dtype == np.float64


def test_unfold_leaves_rows_and_empty_results_alone() -> None:
    rows = pd.DataFrame({"run": ["0", "1"], "longest": [4, 5]})
    assert unfold(rows) is rows
    empty = pd.DataFrame({"run": [], "nodeId": []})
    assert list(unfold(empty).columns) == ["run", "nodeId"]
    nothing = unfold(pd.DataFrame({"nodeId": [[]], "hops": [[]]}))
    assert len(nothing) == 0
    assert list(nothing.columns) == ["nodeId", "hops"]
