"""What the loader is told about the exports it reads (no heavy imports: ``--help``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

Topic = Literal["rare-earth", "none"]
DropPolicy = Literal["patent", "applicant"]

DEFAULT_BATCH_SIZE: Final = 5000
"""Patents per write transaction."""

DEFAULT_CHUNK_ROWS: Final = 200_000
"""Export rows read and filtered at a time (``copatent load --chunk-rows``): the loader's memory
holds one chunk of rows, not the export."""


@dataclass(frozen=True)
class ExportOptions:
    """How exports are read and filtered, shared by every command that reads them.

    ``columns``: a built-in column map name (``incopat``, ``patsnap``) or a TOML file, ``None``
    for incoPat. ``topic``: the rare-earth keyword list or no topic filter; ``keywords``: a file
    replacing the list. ``drop_policy``: ``patent`` drops patents with a natural person or foreign
    applicant, ``applicant`` only those applicants (DESIGN.md item 1). ``places``: the user's
    table of where applicants sit, over every other way of placing them; ``thesaurus``: names
    replaced by others (VOSviewer's ``label`` / ``replace by``), see :mod:`copatent.places.user`.
    """

    columns: str | None = None
    topic: Topic = "rare-earth"
    keywords: Path | None = None
    drop_policy: DropPolicy = "patent"
    places: Path | None = None
    thesaurus: Path | None = None
