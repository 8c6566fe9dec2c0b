"""Runs of a study: the output folders of scheduled re-analyses, and what changed between two.

Each run writes ``<output dir>/<run id>/``: the folder ``copatent report --out`` writes, plus a
``run.json``. :mod:`copatent.runs.diff` compares two such folders.
"""
