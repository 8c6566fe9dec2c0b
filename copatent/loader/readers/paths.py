"""Which files to read: folders expanded to their export files, in natural order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from copatent._errors import InputError
from copatent.loader.readers._problems import _os_reason
from copatent.tables import one_line

SUFFIXES: Final[tuple[str, ...]] = (".xlsx", ".xls", ".csv")
"""File types read; a folder contributes its files with these suffixes."""

_DIGITS: Final = re.compile(r"(\d+)")


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files to read: folders replaced by their export files, files kept as given.

    A folder contributes the entries whose names end in .xlsx, .xls or .csv (any case), in
    natural order (``part2`` before ``part10``), without hidden files and Excel's ``~$`` lock
    files; sub-folders are not searched. A path named twice is read once.

    Parameters
    ----------
    paths
        Files and folders.

    Returns
    -------
    list of Path

    Raises
    ------
    InputError
        When no path is given, a path does not exist, a folder cannot be listed or holds no
        export file; every such path is named.
    """
    if not paths:
        raise InputError("no input files given")
    found: list[Path] = []
    problems: list[tuple[str, list[str]]] = []
    for path in paths:
        if path.is_dir():
            try:
                entries = [entry for entry in path.iterdir() if _is_export_name(entry.name)]
            except OSError as exc:
                problems.append((str(path), [f"cannot list folder: {_os_reason(exc)}"]))
                continue
            if not entries:
                problems.append((str(path), [f"no {', '.join(SUFFIXES)} files in this folder"]))
            found.extend(sorted(entries, key=_natural_key))
        elif path.exists():
            found.append(path)
        else:
            problems.append((str(path), ["no such file or folder"]))
    if problems:
        raise InputError(one_line(problems))
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _is_export_name(name: str) -> bool:
    return not name.startswith((".", "~$")) and name.lower().endswith(SUFFIXES)


def _natural_key(path: Path) -> tuple[tuple[int, int | str], ...]:
    # (0, number) / (1, text) pairs compare across files whatever the mix of parts
    parts = _DIGITS.split(path.name.casefold())
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)
