"""The neo4j engine's directed phase: which queries run, in which order (no server needed)."""

from __future__ import annotations

from typing import Any

from copatent.engines.neo4j import _longest_first


def _runs(periods: list[int]) -> dict[str, list[dict[str, Any]]]:
    return {
        "degree": [{"run": f"out_degree|{j}", "config": {}} for j in periods],
        "betweenness": [{"run": f"betweenness|{j}", "config": {}} for j in periods],
        "closeness": [
            {"run": f"{m}|{j}", "config": {}}
            for j in periods
            for m in ("out_closeness", "in_closeness", "out_reach")
        ],
        "wcc": [{"run": f"component|{j}", "config": {}} for j in periods],
        "diameter": [{"run": str(j), "config": {}} for j in periods[:1]],
    }


def test_long_runs_are_queries_of_their_own_largest_period_first() -> None:
    jobs = _longest_first("g", _runs([0, 1]), {0: 100, 1: 5_000})
    order = [(query, [run["run"] for run in params["runs"]]) for query, params in jobs]
    assert order == [
        ("collab/gds_betweenness", ["betweenness|1"]),  # twice a closeness run's arcs
        ("collab/gds_closeness", ["out_closeness|1"]),
        ("collab/gds_closeness", ["in_closeness|1"]),
        ("collab/gds_closeness", ["out_reach|1"]),
        ("collab/gds_betweenness", ["betweenness|0"]),
        ("collab/gds_closeness", ["out_closeness|0"]),
        ("collab/gds_closeness", ["in_closeness|0"]),
        ("collab/gds_closeness", ["out_reach|0"]),
        ("collab/gds_degree", ["out_degree|0", "out_degree|1"]),  # quick ones together, last
        ("collab/gds_wcc", ["component|0", "component|1"]),
        ("collab/gds_diameter", ["0"]),
    ]
    assert all(params["graph_name"] == "g" for _, params in jobs)


def test_every_run_is_asked_for_once() -> None:
    runs = _runs([0, 1, 2, 3])
    jobs = _longest_first("g", runs, {0: 10, 1: 20, 2: 30, 3: 40})
    asked = sorted(run["run"] for _, params in jobs for run in params["runs"])
    assert asked == sorted(run["run"] for found in runs.values() for run in found)


def test_algorithms_without_runs_ask_nothing() -> None:
    runs = _runs([0]) | {"diameter": []}
    assert "collab/gds_diameter" not in [query for query, _ in _longest_first("g", runs, {0: 1})]
