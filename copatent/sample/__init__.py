"""The synthetic sample: incoPat-format patent exports and regional statistics, for the demo.

:mod:`copatent.sample.generator` writes a deterministic export with incoPat's Chinese headers
(.xlsx or .csv) and :mod:`copatent.sample.statistics` the regional indicators beside it, for the
geographical detector. The cities and districts are real (:mod:`copatent.regions`); the patents,
applicants, addresses and indicator values are **SYNTHETIC**, invented from a seed, and every
file says so. Nothing here loads data: the loader reads these files like any other export.
"""

from typing import Final

DEFAULT_PATENTS: Final = 19_700
"""Distinct patents by default: about 6,400 of them pass the paper's inclusion rules."""

MAX_PATENTS: Final = 5_000_000
"""Upper bound of ``n_patents`` (memory: about 1.6 GB at its peak per million patents)."""
