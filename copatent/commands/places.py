"""``copatent places``: where applicants sit, which are unplaced, why, and name variants.

Each command reads the exports (``--input`` with the loader's options, ``--places`` and
``--thesaurus`` included) or, without ``--input``, the graph that ``copatent load`` wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from copatent.commands._options import (
    DEFAULT_CONNECTION,
    DEFAULT_EXPORT,
    Connection,
    JsonOption,
    grouped,
)
from copatent.commands._output import console, emit_json
from copatent.loader.options import ExportOptions

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(
    help="Where applicants sit: the list, the unplaced, how a name is placed, name variants.",
    no_args_is_help=True,
)

InputsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--input",
        exists=True,
        readable=True,
        help="Export file or folder, repeatable; read with the loader's options. "
        "Without it: the applicants of the graph.",
    ),
]


def _table(inputs: list[Path] | None, export: ExportOptions, connection: Connection) -> Any:
    """The applicants with place, evidence and collaborations, from the exports or the graph."""
    from copatent.loader import placed  # noqa: PLC0415

    if inputs:
        from copatent.loader.exports import prepare_exports  # noqa: PLC0415

        _, prepared, _ = prepare_exports(inputs, export)
        return placed.from_prepared(prepared)
    from copatent.db import Database  # noqa: PLC0415
    from copatent.loader import geocode  # noqa: PLC0415

    with Database(connection.settings()) as db:
        frame = db.run("places/applicants")
    frame = frame.astype(object).where(frame.notna(), None)
    reasons = [
        (None, None) if p else _why(geocode.from_name(str(n)))
        for n, p in zip(frame["name"], frame["province_adcode"], strict=True)
    ]
    frame["reason"] = [r for r, _ in reasons]
    frame["candidates"] = [c for _, c in reasons]
    return frame


def _why(placement: Any) -> tuple[str, str | None]:
    if placement.method:  # the gazetteer or the name knows it now: the load predates that
        return "unplaced when loaded; load again to place it by " + placement.method, None
    return placement.reason, ";".join(placement.candidates) or None


@app.command("list")
@grouped
def list_places(
    inputs: InputsOption = None,
    export: ExportOptions = DEFAULT_EXPORT,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """Every applicant: its province and city, how it was placed and on what evidence."""
    from copatent.loader import placed  # noqa: PLC0415

    frame = _table(inputs, export, connection)
    rows = frame.loc[:, list(placed.LIST_COLUMNS)]
    if as_json:
        emit_json(_records(rows))
        return
    table = Table(title=f"copatent places list · {len(rows)} applicants", title_justify="left")
    for column in ("name", "place", "method", "evidence"):
        table.add_column(column, overflow="fold")
    for row in rows.itertuples(index=False):
        where = placed.region_name(row.city_adcode, row.province_adcode)
        table.add_row(
            escape(str(row.name)),
            where or "-",
            row.method or "unplaced",
            escape(row.evidence or ""),
        )
    console.print(table)
    _summary(frame)


@app.command()
@grouped
def unplaced(
    inputs: InputsOption = None,
    export: ExportOptions = DEFAULT_EXPORT,
    top: Annotated[
        int | None, typer.Option(min=1, help="Only the N that carry the most collaborations.")
    ] = None,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """The unplaced applicants, those carrying the most collaborations first: fix these few."""
    from copatent.loader import placed  # noqa: PLC0415

    frame = _table(inputs, export, connection)
    rows = placed.unplaced(frame, top)
    if as_json:
        emit_json(_records(rows))
        return
    table = Table(title=f"copatent places unplaced · {len(rows)} shown", title_justify="left")
    for column in ("#", "name", "collaborations", "patents", "why", "candidates"):
        table.add_column(column, overflow="fold", justify="right" if column in "#" else "left")
    for i, row in enumerate(rows.itertuples(index=False), start=1):
        candidates = " / ".join(
            placed.region_name(c, c) for c in str(row.candidates or "").split(";") if c
        )
        table.add_row(str(i), escape(str(row.name)), str(row.collaborations), str(row.patents),
                      escape(str(row.reason or "")), candidates)  # fmt: skip
    console.print(table)
    _summary(frame)
    console.print(
        "place them with --places FILE.csv (columns name and adcode, or name and address)"
    )


@app.command()
@grouped
def explain(
    name: Annotated[str, typer.Argument(help="The applicant's name, as in the export.")],
    inputs: InputsOption = None,
    export: ExportOptions = DEFAULT_EXPORT,
    graph: Annotated[
        bool, typer.Option("--graph", help="Also show where the loaded graph has the name.")
    ] = False,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """How one name is placed, way by way, in the loader's order."""
    from copatent.loader import placed  # noqa: PLC0415
    from copatent.places.user import read_places, read_thesaurus  # noqa: PLC0415

    places = read_places(export.places) if export.places else None
    thesaurus = read_thesaurus(export.thesaurus) if export.thesaurus else None
    observations = _observations(name, inputs, export, thesaurus) if inputs else None
    key, steps, decision = placed.explain(
        name, places=places, thesaurus=thesaurus, observations=observations
    )
    where = placed.region_name(decision.city_adcode, decision.province_adcode)
    result: dict[str, Any] = {
        "name": key,
        "province_adcode": decision.province_adcode,
        "city_adcode": decision.city_adcode,
        "method": decision.method,
        "evidence": decision.evidence,
        "reason": decision.reason,
        "candidates": list(decision.candidates),
        "steps": [vars(s) for s in steps],
    }
    if graph:
        result["graph"] = _in_graph(key, connection)
    if as_json:
        emit_json(result)
        return
    table = Table(title=f"copatent places explain · {escape(key)}", title_justify="left")
    for column in ("way", "outcome", "place", "evidence"):
        table.add_column(column, overflow="fold")
    for step in steps:
        table.add_row(step.method, step.outcome, step.place or "-", escape(step.evidence))
    console.print(table)
    if decision.method:
        console.print(f"placed by {decision.method}: {where} ({escape(decision.evidence or '')})")
    else:
        shown = " / ".join(placed.region_name(c, c) for c in decision.candidates)
        console.print(f"unplaced: {decision.reason}" + (f"; candidates {shown}" if shown else ""))
    if graph:
        held = result["graph"]
        if held is None:
            console.print("in the graph: no applicant of that name")
        else:
            where = placed.region_name(held["city_adcode"], held["province_adcode"]) or "no place"
            how = (
                f"placed by {held['method']} ({escape(str(held['evidence']))})"
                if held["method"]
                else ""
            )
            console.print(f"in the graph: {where} {how}".rstrip())


def _in_graph(name: str, connection: Connection) -> dict[str, object] | None:
    """The graph's record of one applicant, or None."""
    from copatent.db import Database  # noqa: PLC0415

    with Database(connection.settings()) as db:
        rows = db.run("places/applicant", {"name": name})
    return _records(rows)[0] if len(rows) else None


@app.command()
@grouped
def variants(
    inputs: InputsOption = None,
    export: ExportOptions = DEFAULT_EXPORT,
    out: Annotated[
        Path | None,
        typer.Option(
            dir_okay=False,
            help="Write the suggestions as a thesaurus draft (label, replace by; tab-separated) "
            "to edit and pass to --thesaurus.",
        ),
    ] = None,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """Candidate merges of name variants, suggested and never applied."""
    from copatent import files as output  # noqa: PLC0415
    from copatent.loader import placed  # noqa: PLC0415

    if out is not None:
        output.writable_file(out)
    frame = _table(inputs, export, connection)
    raw = _raw_applicant_cells(inputs, export) if inputs else None
    rows = placed.variants(frame, raw)
    if out is not None:
        merges = rows[rows["rule"] != "width"]
        lines = ["label\treplace by"] + [
            f"{v}\t{n}" for n, v in zip(merges["name"], merges["variant"], strict=True)
        ]
        output.write_text(out, "\n".join(lines) + "\n")
    if as_json:
        emit_json(_records(rows))
        return
    table = Table(
        title=f"copatent places variants · {len(rows)} candidate merges (none applied)",
        title_justify="left",
    )
    for column in ("name", "variant", "rule", "places"):
        table.add_column(column, overflow="fold")
    for row in rows.itertuples(index=False):
        mine, theirs = str(row.name_place or "-"), str(row.variant_place or "-")
        where = mine
        if row.apart:
            where = f"{mine} ≠ {theirs}"
        elif mine != theirs:
            where = f"{mine} / {theirs}"
        table.add_row(escape(str(row.name)), escape(str(row.variant)), str(row.rule), where)
    console.print(table)
    if rows["apart"].any():
        console.print(f"{int(rows['apart'].sum())} would join differently placed names (≠)")
    if out is not None:
        console.print(f"thesaurus draft written to {out}: keep the lines you agree with")


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict(orient="records")  # type: ignore[return-value]


def _summary(frame: pd.DataFrame) -> None:
    placed_rows = frame["province_adcode"].notna()
    methods = frame.loc[placed_rows, "method"].value_counts()
    by = ", ".join(f"{m} {int(n)}" for m, n in methods.items())
    carried = frame["collaborations"].fillna(0)
    console.print(
        f"{int(placed_rows.sum())} of {len(frame)} applicants placed ({by or 'none'}); "
        f"{int(carried[~placed_rows].sum())} collaboration ends on unplaced applicants"
    )


def _observations(
    name: str, inputs: list[Path], export: ExportOptions, thesaurus: Any
) -> pd.DataFrame:
    """The name's rows in the exports: its address and region cells."""
    from copatent.loader import pipeline, readers  # noqa: PLC0415
    from copatent.loader.exports import column_map  # noqa: PLC0415
    from copatent.places.keys import normalise_name  # noqa: PLC0415

    columns = column_map(export.columns)
    raw = readers.read_exports(readers.expand_paths(inputs), columns=columns)
    rows = pipeline.explode(raw, readers.applicant_separator(columns), thesaurus)
    key = normalise_name(name)
    if thesaurus is not None:
        key = thesaurus.apply(key)
    return rows[rows["name"] == key].reset_index(drop=True)


def _raw_applicant_cells(inputs: list[Path], export: ExportOptions) -> pd.Series:
    from copatent.loader import readers  # noqa: PLC0415
    from copatent.loader.exports import column_map  # noqa: PLC0415

    raw = readers.read_exports(readers.expand_paths(inputs), columns=column_map(export.columns))
    return raw["applicants"]
