"""``copatent graph``: what the database holds and which files it came from; discarding a load."""

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


@app.command()
@grouped
def sources(connection: Connection = DEFAULT_CONNECTION, as_json: JsonOption = False) -> None:
    """The input files the graph's patents came from, with the patents each brought.

    A file is known by the SHA-256 of its bytes (a corrected export is another file). "only" is
    the patents no other file brought: those that retiring the file would remove.
    """
    from copatent.db import Database  # noqa: PLC0415
    from copatent.loader import provenance  # noqa: PLC0415

    with Database(connection.settings()) as db:
        listed, unsourced = provenance.list_sources(db)
    if as_json:
        emit_json({"sources": [vars(s) for s in listed], "unsourced_patents": unsourced})
        return
    table = Table(title="copatent graph sources", title_justify="left")
    for column in ("sha256", "name", "path"):
        table.add_column(column)
    for column in ("bytes", "patents", "only"):
        table.add_column(column, justify="right")
    table.add_column("loaded at")
    for s in listed:
        table.add_row(
            s.sha256[:SHA_SHOWN],
            s.name or "",
            s.path or "",
            "" if s.bytes is None else f"{s.bytes:,d}",
            f"{s.patents:,d}",
            f"{s.only:,d}",
            (s.loaded_at or "")[:19],
        )
    console.print(table, highlight=False)
    if unsourced:
        console.print(
            f"{unsourced:,d} patents have no source (loaded by a copatent that kept none): "
            "load their files again to record it",
            highlight=False,
        )


SHA_SHOWN = 12
"""Hex digits of a file's SHA-256 shown in the table (``--json`` gives them all)."""
