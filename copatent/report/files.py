"""The one writer of table files: whole files only, in a folder checked before any work."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from copatent._errors import InputError

if TYPE_CHECKING:
    import pandas as pd


def writable_folder(out: Path) -> Path:
    """Create ``out`` if needed and check that files can be written in it (one-line errors)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".copatent-"):
            pass
    except OSError as exc:
        raise InputError(f"{out}: cannot write the tables there: {exc.strerror or exc}") from None
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """UTF-8 with BOM (opens correctly in Excel), written to a temporary file and renamed."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    try:
        frame.to_csv(temporary, index=False, encoding="utf-8-sig")
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
