"""What publish sends to the graph, checked with a recording runner (no server).

What the database does with it (MERGE, constraints, the replacement on a rerun) is checked on the
real server in tests/integration/test_positions.py.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from copatent import engines, publish
from copatent.analytics import analysis, subgroups
from copatent.analytics.defaults import MAX_CLASSES
from copatent.db import query_text
from copatent.engines.memory import MemoryEngine
from copatent.loader import pipeline
from copatent.sample import generator as sample

SEED = 5


class RecordingRunner:
    """Stands in for :class:`copatent.db.Database`: records each transaction's named queries."""

    def __init__(self) -> None:
        self.transactions: list[list[tuple[str, dict[str, Any]]]] = []

    def apply_schema(self) -> list[str]:
        return []

    def run_all(
        self, steps: Sequence[tuple[str, Mapping[str, Any]]], *, write: bool = False
    ) -> list[pd.DataFrame]:
        assert write
        self.transactions.append([(name, dict(params)) for name, params in steps])
        return [
            pd.DataFrame([{"created": 0, "removed": 0, "placed": 0, "written": 0}]) for _ in steps
        ]

    def run(
        self, name: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> pd.DataFrame:
        return self.run_all([(name, params or {})], write=write)[0]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> analysis.Analysis:
    path = sample.write(
        sample.generate(2_000, seed=SEED), tmp_path_factory.mktemp("publish") / "s.csv"
    )
    prepared = pipeline.prepare_files([Path(path)], keywords=pipeline.default_keywords())
    engine = MemoryEngine(prepared, restarts=1)
    return engines.analyze(engine, scales=["province", "city", "applicant"])


@pytest.fixture(scope="module")
def recorded(result: analysis.Analysis) -> RecordingRunner:
    runner = RecordingRunner()
    found = subgroups.of_analysis(
        dataclasses.replace(result, scales=("province", "city")), ["concor", "louvain"]
    )
    publish.analysis(runner, result, blocks=found)  # type: ignore[arg-type]
    return runner


def test_one_transaction_per_scale_that_takes_the_lock_first(recorded: RecordingRunner) -> None:
    names = [[name for name, _ in steps] for steps in recorded.transactions]
    common = ["publish/delete_positions", "publish/merge_periods"]
    last = ["publish/tier_labels", "publish/create_arcs"]
    assert names == [
        ["publish/province_collaborates", *common, "publish/province_positions", *last,
         "publish/position_blocks"],
        ["publish/city_collaborates", *common, "publish/city_positions", *last,
         "publish/position_blocks"],
        ["publish/applicant_collaborates", *common, "publish/applicant_positions", *last],
    ]  # fmt: skip
    for steps in names:
        first = _code(query_text(steps[0]))
        assert first.startswith("MERGE (lock:Lock {name: 'publish'})"), steps[0]


def test_positions_carry_exactly_the_tables_columns(
    recorded: RecordingRunner, result: analysis.Analysis
) -> None:
    for steps in recorded.transactions:
        params = dict(steps)
        scale = params["publish/delete_positions"]["scale"]
        rows = params[f"publish/{scale}_positions"]["rows"]
        tables = [result.tables[(scale, p.label)] for p in result.periods]
        assert len(rows) == sum(len(t.centrality) for t in tables)
        centrality = set(tables[0].centrality.columns) - {"node"}
        flows = set(publish.FLOW_PROPERTIES.values())
        extra = {"scale", "period", "key", "rank"} | (
            {"name_en"} if scale != "applicant" else set()
        )
        keys = set().union(*(r["properties"] for r in rows))
        assert keys == centrality | flows | extra, scale
        arcs = params["publish/create_arcs"]["arcs"]
        assert len(arcs) == sum(len(t.edges) for t in tables)
        assert {k for arc in arcs for k in arc} == {"period", "source", "target",
                                                    *publish.ARC_COLUMNS}  # fmt: skip


def test_rank_one_is_the_highest_weighted_degree(result: analysis.Analysis) -> None:
    t = result.tables[("province", "2016-2020")]
    rows = publish.position_rows(t)
    by_rank = sorted(rows, key=lambda r: r["properties"]["rank"])
    degrees = [r["properties"]["weighted_degree"] for r in by_rank]
    assert degrees == sorted(degrees, reverse=True)
    assert by_rank[0]["properties"]["name_en"] == "Beijing"  # the sample's busiest region


def test_every_value_is_plain_python(recorded: RecordingRunner) -> None:
    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        else:
            assert value is None or type(value) in {str, int, float, bool}, type(value)
            assert not isinstance(value, np.generic)
            assert not (isinstance(value, float) and math.isnan(value))

    for steps in recorded.transactions:
        for _, params in steps:
            walk(params)


def test_blocks_go_to_the_method_properties(recorded: RecordingRunner) -> None:
    params = dict(recorded.transactions[0])["publish/position_blocks"]
    assert {row["method"] for row in params["rows"]} == {"concor", "louvain"}
    periods = ["2001-2005", "2006-2010", "2011-2015", "2016-2020"]
    assert [(p["period"], p["method"]) for p in params["partitions"]] == [
        (period, method) for period in periods for method in ("concor", "louvain")
    ]


def test_a_method_outside_the_closed_set_is_refused(result: analysis.Analysis) -> None:
    found = subgroups.of_analysis(dataclasses.replace(result, scales=("province",)), ["louvain"])
    renamed = dataclasses.replace(
        found[0], subgroups=dataclasses.replace(found[0].subgroups, method="groups")
    )
    with pytest.raises(ValueError, match="no position property for 'groups' blocks"):
        publish.blocks(RecordingRunner(), [renamed])  # type: ignore[arg-type]


def test_the_tier_labels_cover_every_class_the_commands_accept() -> None:
    text = query_text("publish/tier_labels")
    found = sorted(int(n) for n in re.findall(r"SET pos:Tier(\d+)\)", text))
    assert found == list(range(1, MAX_CLASSES + 1))


def test_more_classes_than_tier_labels_are_refused(result: analysis.Analysis) -> None:
    many = dataclasses.replace(result, classes=MAX_CLASSES + 1)
    with pytest.raises(ValueError, match=f"up to Tier{MAX_CLASSES}"):
        publish.analysis(RecordingRunner(), many)  # type: ignore[arg-type]


def _code(text: str) -> str:
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith("//")).strip()
