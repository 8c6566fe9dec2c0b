"""``copatent sample``: write a synthetic incoPat-format export (demo, tests, benchmarks)."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from copatent.commands._options import JsonOption
from copatent.commands._output import console, emit_json
from copatent.sample import DEFAULT_PATENTS, MAX_PATENTS


class Encoding(StrEnum):
    """Text encodings of the CSV variant."""

    utf8 = "utf-8"
    gbk = "gbk"
    gb18030 = "gb18030"


def sample(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="File to write: .xlsx, or .csv (with a <name>.README.txt beside it).",
            dir_okay=False,
            show_default=False,
        ),
    ],
    patents: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_PATENTS,
            help="Distinct patents; the default leaves about 6,400 after the paper's filters.",
        ),
    ] = DEFAULT_PATENTS,
    seed: Annotated[int, typer.Option(min=0, help="Random seed: same seed, same file.")] = 0,
    encoding: Annotated[
        Encoding, typer.Option(help="CSV text encoding; gbk writes the GBK-encoded variant.")
    ] = Encoding.utf8,
    statistics: Annotated[
        bool,
        typer.Option(
            help="Also write <name>-statistics-province.csv and -city.csv beside it: SYNTHETIC "
            "regional indicators for the geographical detector (copatent detect --factors)."
        ),
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Write a deterministic SYNTHETIC incoPat-format export: real cities, invented patents."""
    from copatent import files  # noqa: PLC0415
    from copatent.sample import generator  # noqa: PLC0415 (pandas, openpyxl)
    from copatent.sample import statistics as sample_statistics  # noqa: PLC0415

    generator.check_output(out, encoding=encoding.value)  # fail before the work
    started = time.monotonic()
    with (
        console.status(f"generating {patents:,} synthetic patents", spinner="dots"),
        files.staged(out.parent) as staging,  # the export and the files beside it: all or none
    ):
        frame = generator.generate(patents, seed=seed)
        generator.write(frame, out, encoding=encoding.value, staging=staging)
        tables = (
            sample_statistics.write_beside(out, seed=seed, staging=staging) if statistics else {}
        )
    readme = generator.readme_path(out) if out.suffix.lower() == ".csv" else None
    result = {
        "path": str(out),
        "rows": len(frame),
        "patents": patents,
        "seed": seed,
        "encoding": encoding.value if readme else None,
        "readme": str(readme) if readme else None,
        "statistics": {scale: str(path) for scale, path in tables.items()},
        "synthetic": True,
        "notice": generator.notice(seed),
        "seconds": round(time.monotonic() - started, 1),
    }
    if as_json:
        emit_json(result)
        return
    beside = f" (+ {readme.name})" if readme else ""
    console.print(
        f"wrote {len(frame):,} rows ({patents:,} patents, seed {seed}) to {out}{beside}: "
        "SYNTHETIC sample data, not real patents",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    for scale, path in tables.items():
        console.print(
            f"wrote {path}: SYNTHETIC {scale} statistics for copatent detect",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
