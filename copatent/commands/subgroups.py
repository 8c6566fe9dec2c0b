"""``copatent subgroups``: CONCOR, Louvain and Leiden blocks, block matrices and the E-I index."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from copatent.analytics.defaults import DEFAULT_DEPTH
from copatent.analytics.periods import DEFAULT_BASELINE
from copatent.commands._blocks import (
    ConcorTies,
    ConcorTiesOption,
    DepthOption,
    ImageCutoffOption,
    SelfTies,
    SelfTiesOption,
    image_cutoff,
)
from copatent.commands._options import (
    DEFAULT_CONNECTION,
    DEFAULT_ENGINE,
    Connection,
    JsonOption,
    RegionScale,
    chosen_periods,
    chosen_scales,
    grouped,
)
from copatent.engines.settings import EngineSettings


class PartitionChoice(StrEnum):
    concor = "concor"
    louvain = "louvain"
    leiden = "leiden"
    all = "all"


@grouped
def subgroups_command(
    scale: Annotated[
        list[RegionScale] | None,
        typer.Option(help="Scale of the networks, repeatable; all (default) = province and city."),
    ] = None,
    period: Annotated[
        list[str] | None,
        typer.Option(help=f"Period START-END, repeatable. Default: {DEFAULT_BASELINE.label}."),
    ] = None,
    method: Annotated[
        list[PartitionChoice] | None,
        typer.Option(
            help="Partition, repeatable: CONCOR, Louvain or Leiden (the last two the best of "
            "--restarts by modularity), or all three (default)."
        ),
    ] = None,
    self_ties: SelfTiesOption = SelfTies.reciprocal,
    depth: DepthOption = DEFAULT_DEPTH,
    concor_ties: ConcorTiesOption = ConcorTies.valued,
    cutoff: ImageCutoffOption = "density",
    out: Annotated[Path, typer.Option(file_okay=False, help="Folder for the CSV tables.")] = Path(
        "subgroups"
    ),
    settings: EngineSettings = DEFAULT_ENGINE,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """Cohesive subgroups of the regional networks: blocks, density and image matrices, E-I.

    Writes into --out, per scale, period and method: <scale>_<period>_<method>_members.csv (node,
    block, weighted degree and its tier), _blocks.csv (size, share and core member of each block),
    _density_binary.csv, _density_valued.csv, _image_binary.csv, _image_valued.csv (1 where
    the block density >= the --image-cutoff of the same kind) and _ei.csv (per block, the whole
    network, and the sum of the block rows that the study prints as its "entire network"); and
    summary.csv, one row per scale, period and method (blocks, modularity on W + W^T,
    whole-network densities, the image cutoff's rule and its binary and valued values, E-I), to
    compare the methods side by side. --json: the same per partition, with image_cutoff_rule,
    image_cutoff_binary and image_cutoff_valued. With the neo4j engine the period's Position
    nodes are published (as by analyze) and each gets its block as the property concor, louvain
    or leiden (docs/graph-model.md), for Cypher and Neo4j Browser.
    """
    import dataclasses  # noqa: PLC0415

    from copatent import engines, publish  # noqa: PLC0415
    from copatent.analytics import subgroups  # noqa: PLC0415
    from copatent.commands import _json  # noqa: PLC0415
    from copatent.commands._blocks import print_blocks  # noqa: PLC0415
    from copatent.commands._output import console, emit_json  # noqa: PLC0415
    from copatent.commands.analyze import require_edges  # noqa: PLC0415
    from copatent.files import writable_folder  # noqa: PLC0415
    from copatent.report.subgroups import write_subgroups  # noqa: PLC0415

    alpha = image_cutoff(cutoff)
    periods = chosen_periods(period, default=(DEFAULT_BASELINE,))
    scales = chosen_scales(scale or [RegionScale.all])
    methods = tuple(
        dict.fromkeys(
            p
            for value in method or [PartitionChoice.all]
            for p in subgroups.PARTITIONS
            if value in (PartitionChoice.all, p)
        )
    )
    writable_folder(out)
    settings = dataclasses.replace(settings, leiden="leiden" in methods)
    with engines.open_engine(settings, connection.settings) as (engine, db):
        result = engines.analyze(engine, scales=scales, periods=periods)
        require_edges(result)
        found = subgroups.of_analysis(
            result,
            methods,
            depth=depth,
            self_ties=self_ties.value,
            binary=concor_ties is ConcorTies.binary,
            image_cutoff=alpha,
        )
        if db is not None:
            publish.analysis(db, result, blocks=found)
    files = write_subgroups(found, out)
    if as_json:
        emit_json(
            {
                "subgroups": [_json.period_subgroups(item) for item in found],
                "files": [str(f) for f in files],
            }
        )
        return
    for item in found:
        print_blocks(f"{item.subgroups.method} blocks · {item.scale} {item.period}", item.subgroups)
    console.print(f"{len(files)} tables written to {out}/")
