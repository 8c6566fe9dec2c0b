"""``copatent subgroups``: CONCOR, Louvain and Leiden blocks, block matrices and the E-I index."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer

from copatent.analytics import analysis, community, subgroups
from copatent.analytics.engines.neo4j import DEFAULT_BETWEENNESS_SOURCES
from copatent.commands._blocks import (
    ConcorTies,
    ConcorTiesOption,
    DepthOption,
    SelfTies,
    SelfTiesOption,
    print_blocks,
)
from copatent.commands._engines import (
    EngineChoice,
    EngineOption,
    InputsOption,
    RegionScale,
    RestartsOption,
    check_inputs,
    open_engine,
    require_edges,
)
from copatent.commands._inputs import (
    ColumnsOption,
    DropPolicyOption,
    KeywordsOption,
    Policy,
    Topic,
    TopicOption,
)
from copatent.commands._output import console, emit_json
from copatent.db import Database


class MethodChoice(StrEnum):
    concor = "concor"
    louvain = "louvain"
    leiden = "leiden"
    all = "all"


_WRITE_QUERY: dict[str, str] = {
    "province": "subgroups/write_province_blocks",
    "city": "subgroups/write_city_blocks",
}


def subgroups_command(
    scale: Annotated[
        RegionScale, typer.Option(help="Scale of the networks; all = province and city.")
    ] = RegionScale.all,
    period: Annotated[
        list[str] | None,
        typer.Option(help="Period START-END, repeatable. Default: 2016-2020."),
    ] = None,
    method: Annotated[
        MethodChoice,
        typer.Option(
            help="Partition: CONCOR, Louvain or Leiden (the last two the best of --restarts by "
            "modularity), or all three."
        ),
    ] = MethodChoice.all,
    self_ties: SelfTiesOption = SelfTies.reciprocal,
    depth: DepthOption = subgroups.DEFAULT_DEPTH,
    concor_ties: ConcorTiesOption = ConcorTies.valued,
    engine: EngineOption = EngineChoice.neo4j,
    inputs: InputsOption = None,
    columns: ColumnsOption = None,
    topic: TopicOption = Topic.rare_earth,
    keywords: KeywordsOption = None,
    drop_policy: DropPolicyOption = Policy.patent,
    out: Annotated[Path, typer.Option(file_okay=False, help="Folder for the CSV tables.")] = Path(
        "subgroups"
    ),
    restarts: RestartsOption = community.DEFAULT_RESTARTS,
    seed: Annotated[int, typer.Option(help="Seed of Louvain's and Leiden's runs.")] = (
        community.DEFAULT_SEED
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Cohesive subgroups of the regional networks: blocks, density and image matrices, E-I.

    Writes into --out, per scale, period and method: <scale>_<period>_<method>_members.csv (node,
    block, weighted degree and its tier), _blocks.csv (size, share and core member of each block),
    _density_binary.csv, _density_valued.csv, _image_binary.csv, _image_valued.csv and _ei.csv
    (per block, the whole network, and the sum of the block rows that the study prints as its
    "entire network"); and summary.csv, one row per scale, period and method (blocks, modularity
    on W + W^T, whole-network densities, E-I), to compare the methods side by side. With the
    neo4j engine each node also gets the property <method>_<start>_<end> = its block (e.g.
    leiden_2016_2020), for colouring in Neo4j Browser.
    """
    periods = (
        tuple(analysis.parse_period(p) for p in period) if period else (analysis.DEFAULT_BASELINE,)
    )
    scales = scale.scales()
    methods: tuple[subgroups.Method, ...] = (
        subgroups.METHODS if method is MethodChoice.all else (method.value,)  # type: ignore[assignment]
    )
    check_inputs(engine, inputs)
    analysis.writable_folder(out)
    found: list[tuple[str, str, subgroups.Subgroups]] = []
    with open_engine(
        inputs,
        columns=columns,
        topic=topic,
        keywords=keywords,
        drop_policy=drop_policy,
        seed=seed,
        restarts=restarts,
        betweenness_sources=DEFAULT_BETWEENNESS_SOURCES,
        isolates=False,
        leiden="leiden" in methods,
    ) as (chosen, db):
        result = analysis.analyse(chosen, scales=scales, periods=periods)
        require_edges(result)
        for t in result:
            if t.graph.edges.empty:
                continue
            order = t.graph.nodes["node"].tolist()
            centrality = t.centrality.set_index("node").loc[order].reset_index()
            weights = t.graph.network.weights.toarray()
            for m in methods:
                if m == "concor":
                    labels = subgroups.concor(
                        weights,
                        depth=depth,
                        self_ties=self_ties.value,
                        binary=concor_ties is ConcorTies.binary,
                    )
                elif m == "louvain":
                    labels = t.graph.communities
                elif t.graph.leiden is not None:
                    labels = t.graph.leiden
                else:
                    raise RuntimeError("the engine was opened without leiden=True")
                found.append(
                    (
                        t.graph.scale,
                        t.graph.label,
                        subgroups.describe(m, weights, labels, centrality),
                    )
                )
        if db is not None:
            _write_back(db, found)
    files = _write(out, found)
    if as_json:
        emit_json(
            {
                "subgroups": [_as_json(s, p, g) for s, p, g in found],
                "files": [str(f) for f in files],
            }
        )
        return
    for scale_name, label, g in found:
        print_blocks(f"{g.method} blocks · {scale_name} {label}", g)
    console.print(f"{len(files)} tables written to {out}/")


def _property(method: str, label: str) -> str:
    """``concor``, ``2016-2020`` → ``concor_2016_2020`` (a closed-set method, checked years)."""
    return f"{method}_{label.replace('-', '_')}"


def _write_back(db: Database, found: list[tuple[str, str, subgroups.Subgroups]]) -> None:
    for scale_name, label, g in found:
        db.run(
            _WRITE_QUERY[scale_name],
            {
                "property": _property(g.method, label),
                "rows": [
                    {"key": str(k), "block": int(b)}
                    for k, b in zip(g.members["node"], g.members["block"], strict=True)
                ],
            },
            write=True,
        )


def _matrix_frame(matrix: np.ndarray, blocks: tuple[int, ...]) -> pd.DataFrame:
    names = [f"block {b}" for b in blocks]
    return pd.DataFrame(matrix, index=pd.Index(names, name="from"), columns=names)


def _ei_frame(g: subgroups.Subgroups) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for kind, r in (("binary", g.ei_binary), ("valued", g.ei_valued)):
        rows.extend(
            {"ties": kind, "row": f"block {row['group']}"} | {str(k): v for k, v in row.items()}
            for row in r.groups.to_dict("records")
        )
        rows.append(
            {"ties": kind, "row": "whole network (Krackhardt & Stern)",
             "internal": r.whole_internal, "external": r.whole_external, "ei": r.whole_ei}
        )  # fmt: skip
        rows.append(
            {"ties": kind, "row": "sum of the block rows (the study's 'entire network')",
             "internal": r.sum_of_groups_internal, "external": r.sum_of_groups_external,
             "ei": r.sum_of_groups_ei}
        )  # fmt: skip
    return pd.DataFrame(rows).drop(columns=["group"])


def _summary(found: list[tuple[str, str, subgroups.Subgroups]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "scale": scale_name,
                "period": label,
                "method": g.method,
                "nodes": len(g.members),
                "blocks": len(g.blocks),
                "modularity": g.modularity,
                "density_binary": g.matrices.whole_binary,
                "density_valued": g.matrices.whole_valued,
                "ei_whole_binary": g.ei_binary.whole_ei,
                "ei_whole_valued": g.ei_valued.whole_ei,
                "ei_sum_of_groups_binary": g.ei_binary.sum_of_groups_ei,
            }
            for scale_name, label, g in found
        ]
    )


def _write(out: Path, found: list[tuple[str, str, subgroups.Subgroups]]) -> list[Path]:
    written = [analysis.write_csv(_summary(found), out / "summary.csv")]
    for scale_name, label, g in found:
        stem = out / f"{scale_name}_{label}_{g.method}"
        m = g.matrices
        frames = {
            "members": g.members,
            "blocks": g.blocks,
            "density_binary": _matrix_frame(m.density_binary, m.blocks).reset_index(),
            "density_valued": _matrix_frame(m.density_valued, m.blocks).reset_index(),
            "image_binary": _matrix_frame(m.image_binary, m.blocks).reset_index(),
            "image_valued": _matrix_frame(m.image_valued, m.blocks).reset_index(),
            "ei": _ei_frame(g),
        }
        for kind, frame in frames.items():
            written.append(analysis.write_csv(frame, Path(f"{stem}_{kind}.csv")))
    return written


def _as_json(scale_name: str, label: str, g: subgroups.Subgroups) -> dict[str, Any]:
    return {
        "scale": scale_name,
        "period": label,
        "blocks": g.blocks.to_dict("records"),
        "members": g.members.astype(object).where(g.members.notna(), None).to_dict("records"),
    } | g.as_dict()
