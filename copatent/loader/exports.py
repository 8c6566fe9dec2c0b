"""From export files to the loader's clean tables, with the options the user gave."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from copatent._errors import InputError
from copatent.loader import pipeline, readers
from copatent.loader.options import DEFAULT_CHUNK_ROWS, ExportOptions
from copatent.places import gazetteer
from copatent.places.user import read_places, read_thesaurus


def prepare_exports(
    paths: Sequence[Path], options: ExportOptions, *, chunk_rows: int | None = DEFAULT_CHUNK_ROWS
) -> tuple[list[Path], pipeline.Prepared, dict[str, Any]]:
    """Read, clean, geocode and filter the exports: the files, the clean tables, the options.

    ``chunk_rows``: export rows read and filtered at a time (:func:`pipeline.prepare_files`);
    it changes the memory used, never the result, so it is not among the options recorded.
    """
    columns = column_map(options.columns)
    files = readers.expand_paths(paths)
    chosen = pipeline.read_keywords(options.keywords) if options.keywords else None
    if chosen is None and options.topic == "rare-earth":
        chosen = pipeline.default_keywords()
    places = read_places(options.places) if options.places else None
    thesaurus = read_thesaurus(options.thesaurus) if options.thesaurus else None
    prepared = pipeline.prepare_files(
        files,
        columns=columns,
        keywords=chosen,
        drop_policy=options.drop_policy,
        places=places,
        thesaurus=thesaurus,
        chunk_rows=chunk_rows,
    )
    recorded: dict[str, Any] = {
        "columns": columns.name if columns else "incopat",
        "keywords": list(chosen) if chosen is not None else None,
        "drop_policy": options.drop_policy,
        # what places applicants: the graph of another gazetteer or table is another load
        "gazetteer": gazetteer.digest(),
    }
    for option, path in (("places", options.places), ("thesaurus", options.thesaurus)):
        if path is not None:
            recorded[option] = {"path": str(path), "sha256": _sha256(path)}
    return files, prepared, recorded


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def column_map(value: str | None) -> readers.ColumnMap | None:
    """The column map ``--columns`` names: a built-in one, a TOML file, or None (incoPat)."""
    if value is None:
        return None
    path = Path(value)
    if path.suffix == ".toml":
        if not path.is_file():
            raise InputError(f"{value}: no such column-map file")
        return readers.ColumnMap.from_toml(path)
    return readers.builtin_column_map(value)
