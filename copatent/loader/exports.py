"""From export files to the loader's clean tables, with the options the user gave."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from copatent._errors import InputError
from copatent.loader import pipeline, readers
from copatent.loader.options import ExportOptions


def prepare_exports(
    paths: Sequence[Path], options: ExportOptions
) -> tuple[list[Path], pipeline.Prepared, dict[str, Any]]:
    """Read, clean, geocode and filter the exports: the files, the clean tables, the options."""
    column_map = _column_map(options.columns)
    files = readers.expand_paths(paths)
    chosen = pipeline.read_keywords(options.keywords) if options.keywords else None
    if chosen is None and options.topic == "rare-earth":
        chosen = pipeline.default_keywords()
    prepared = pipeline.prepare_files(
        files, columns=column_map, keywords=chosen, drop_policy=options.drop_policy
    )
    recorded = {
        "columns": column_map.name if column_map else "incopat",
        "keywords": list(chosen) if chosen is not None else None,
        "drop_policy": options.drop_policy,
    }
    return files, prepared, recorded


def _column_map(value: str | None) -> readers.ColumnMap | None:
    if value is None:
        return None
    path = Path(value)
    if path.suffix == ".toml":
        if not path.is_file():
            raise InputError(f"{value}: no such column-map file")
        return readers.ColumnMap.from_toml(path)
    return readers.builtin_column_map(value)
