"""``copatent graph``: what the database holds; discarding an unfinished load."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from copatent.commands._options import DEFAULT_CONNECTION, Connection, JsonOption, grouped
from copatent.commands._output import console, emit_json

app = typer.Typer(
    help="Inspect the property graph; discard an unfinished load.", no_args_is_help=True
)


@app.command()
@grouped
def stats(connection: Connection = DEFAULT_CONNECTION, as_json: JsonOption = False) -> None:
    """Node counts by label and relationship counts by type (labels with no node left out)."""
    from copatent.db import Database  # noqa: PLC0415

    with Database(connection.settings()) as db:
        frame = db.run("graph/count_by_label")
    counts = {
        kind: {str(n): int(c) for n, c in zip(part["name"], part["count"], strict=True) if c}
        for kind, part in frame.groupby("kind")
    }
    result = {"nodes": counts.get("node", {}), "relationships": counts.get("relationship", {})}
    if as_json:
        emit_json(result)
        return
    table = Table(title="copatent graph stats", title_justify="left")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for kind, key in (("node", "nodes"), ("relationship", "relationships")):
        for name, count in sorted(result[key].items()):
            table.add_row(kind, name, str(count))
    console.print(table)


@app.command("discard-load")
@grouped
def discard_load(
    key: Annotated[
        str, typer.Argument(help="The unfinished load's key, or its first digits as messages show.")
    ],
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """Give up finishing an unfinished load: remove its journal, keep what it wrote.

    Analyses refuse to read the graph while a load is unfinished (it is being written, or it
    stopped). Finishing it (`copatent load` of the same files again) is the other way out; after
    this command the graph is analysed as it is, with the batches the load committed.
    """
    from copatent.db import Database  # noqa: PLC0415
    from copatent.loader import journal  # noqa: PLC0415

    with Database(connection.settings()) as db:
        load, removed = journal.discard(db, key)
    if as_json:
        emit_json({"load_key": load.key, "files": list(load.files), "batches": removed})
        return
    console.print(
        f"discarded the journal of load {load.short_key} ({removed} committed batches): what "
        "they wrote stays in the graph",
        markup=False,
        highlight=False,
    )
