"""Studies run again as exports arrive: the study file, runs, what changed between runs."""
