"""Console output shared by the command groups: rich for people, JSON for programs."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping

from rich.console import Console
from rich.table import Table

console = Console()
"""Human-readable output (stdout)."""


def emit_json(data: object) -> None:
    """Write ``data`` as JSON on stdout (for ``--json``)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def key_values(title: str, rows: Mapping[str, object]) -> None:
    """Print ``rows`` as a two-column table; ``None`` shows as a dash."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for key, value in rows.items():
        table.add_row(key, "-" if value is None else str(value))
    console.print(table)
