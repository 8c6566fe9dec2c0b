"""Where the shared reference data is: ``../shared/reference-data`` beside the project.

That is CI's layout and the developers'. A clone made elsewhere (``git clone . "$(mktemp -d)"``)
finds it beside the repository it was cloned from; ``COPATENT_REFERENCE_DATA`` overrides both.
"""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def reference_data() -> Path:
    """The reference-data folder (the first candidate that exists, else the CI path)."""
    candidates = []
    if os.environ.get("COPATENT_REFERENCE_DATA"):
        candidates.append(Path(os.environ["COPATENT_REFERENCE_DATA"]))
    candidates.append(ROOT.parent / "shared" / "reference-data")
    origin = subprocess.run(
        ["git", "-C", str(ROOT), "remote", "get-url", "origin"],  # noqa: S607
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    if origin and Path(origin).is_dir():  # a clone of a local repository
        candidates.append(Path(origin).resolve().parent / "shared" / "reference-data")
    return next((c for c in candidates if c.is_dir()), candidates[0])
