"""CSV: the node and arc tables, ``nodes.csv`` and ``edges.csv`` in one folder.

The project's CSV convention (:meth:`copatent.files.Staging.write_csv`): UTF-8 with a byte-order
mark (Excel opens the Chinese names), LF line ends, text that a spreadsheet could run as a
formula escaped. Both tables start with ``period``, so several periods fit in one table; the
columns are those of :class:`~copatent.exports.network.PeriodNetwork` (``node`` is the key that
``source`` and ``target`` name), as in the tables of ``copatent analyze``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from copatent import files
from copatent.exports.network import PeriodNetwork, long_table


def write_tables(networks: Sequence[PeriodNetwork], folder: Path) -> list[Path]:
    """``folder/nodes.csv`` and ``folder/edges.csv`` (created), as one set."""
    return files.write_tables(
        folder,
        {"nodes.csv": long_table(networks, "nodes"), "edges.csv": long_table(networks, "arcs")},
    )
