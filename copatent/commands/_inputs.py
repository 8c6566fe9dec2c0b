"""Options of the commands that read patent exports: ``load``, ``analyze --engine memory``."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from copatent._errors import InputError
from copatent.loader import pipeline, readers


class Topic(StrEnum):
    rare_earth = "rare-earth"
    none = "none"


class Policy(StrEnum):
    patent = "patent"
    applicant = "applicant"


ColumnsOption = Annotated[
    str | None,
    typer.Option(
        help="Column map: a built-in name (incopat, patsnap) or a TOML file. Default: incopat."
    ),
]
TopicOption = Annotated[
    Topic, typer.Option(help="Topic filter: the rare-earth keyword list, or none.")
]
KeywordsOption = Annotated[
    Path | None,
    typer.Option(exists=True, dir_okay=False, help="Keyword file replacing the topic list."),
]
DropPolicyOption = Annotated[
    Policy,
    typer.Option(
        help="patent: drop patents with a natural person or foreign applicant; "
        "applicant: drop only those applicants."
    ),
]


def prepare_inputs(
    paths: Sequence[Path],
    columns: str | None,
    topic: Topic,
    keywords: Path | None,
    drop_policy: Policy,
) -> tuple[list[Path], pipeline.Prepared, dict[str, Any]]:
    """Read, clean, geocode and filter the exports: the files, the clean tables, the options."""
    column_map = _column_map(columns)
    files = readers.expand_paths(paths)
    chosen = pipeline.read_keywords(keywords) if keywords else None
    if chosen is None and topic is Topic.rare_earth:
        chosen = pipeline.default_keywords()
    prepared = pipeline.prepare_files(
        files, columns=column_map, keywords=chosen, drop_policy=drop_policy.value
    )
    options = {
        "columns": column_map.name if column_map else "incopat",
        "keywords": list(chosen) if chosen is not None else None,
        "drop_policy": drop_policy.value,
    }
    return files, prepared, options


def _column_map(value: str | None) -> readers.ColumnMap | None:
    if value is None:
        return None
    path = Path(value)
    if path.suffix == ".toml":
        if not path.is_file():
            raise InputError(f"{value}: no such column-map file")
        return readers.ColumnMap.from_toml(path)
    return readers.builtin_column_map(value)
