"""Studies run again as exports arrive: the study file, runs, what changed between runs.

:mod:`copatent.runs.study` reads and checks the study file; :mod:`copatent.runs.record` keeps each
run's record and folder, ``<output dir>/<run id>/`` (the folder ``copatent report --out`` writes,
plus ``run.json``); :mod:`copatent.runs.lock` lets one run at a time; :mod:`copatent.runs.diff`
compares two runs' folders.
"""
