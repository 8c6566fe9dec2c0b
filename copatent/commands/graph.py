"""``copatent graph``: what the database holds."""

from __future__ import annotations

import typer
from rich.table import Table

from copatent.commands._options import DEFAULT_CONNECTION, Connection, JsonOption, grouped
from copatent.commands._output import console, emit_json

app = typer.Typer(help="Inspect the property graph.", no_args_is_help=True)


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
