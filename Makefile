# copatent: `make demo` and `make test` set everything up on a fresh machine (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install server demo test lint check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $@

install: $(STAMP)

# Neo4j 5.26 + GDS 2.13 from Maven Central into COPATENT_HOME (default ~/.cache/copatent), started
# on 127.0.0.1 with a generated password. Idempotent.
server: install
	$(BIN)/copatent db install
	$(BIN)/copatent db start

# The main job on the bundled sample: a synthetic incoPat export (default size: about 6,400 patents
# after filtering), loaded into the local server with the funnel printed (rerunning writes nothing),
# then analysed: Table 1, the top of Table 2, effective flow and edge tiers (CSVs in out/analysis),
# the 2016-2020 subgroups (CONCOR, Louvain and Leiden blocks, density and image matrices, E-I),
# and the geographical detector's factor table (Table 5) on the sample's SYNTHETIC statistics;
# then the report (out/report: report.html, tables.xlsx, figures/), whose path it prints; last how
# to log into Neo4j Browser, where the copatent guide opens.
SAMPLE := out/sample-incopat.xlsx
STATISTICS := out/sample-incopat-statistics-province.csv out/sample-incopat-statistics-city.csv
$(SAMPLE) $(STATISTICS) &: $(STAMP)
	mkdir -p out
	$(BIN)/copatent sample --out $(SAMPLE)

demo: server $(SAMPLE) $(STATISTICS)
	$(BIN)/copatent load $(SAMPLE) --report out/load-report.json
	$(BIN)/copatent graph stats
	$(BIN)/copatent analyze --out out/analysis --top 5
	$(BIN)/copatent subgroups --out out/subgroups
	$(BIN)/copatent detect --scale all $(addprefix --factors ,$(STATISTICS))
	$(BIN)/copatent report --out out/report $(addprefix --factors ,$(STATISTICS))
	$(BIN)/copatent browser

# Unit tests, doctests and the integration tests (which start their own server on free ports).
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check copatent tests tools
	$(BIN)/ruff format --check copatent tests tools
	$(BIN)/mypy
	$(BIN)/mypy --strict tools
	$(BIN)/lint-imports

check: lint test

# Benchmarks: the loader (bench/load.py: three write paths), the analysis (bench/analyze.py: both
# engines), on 100k and 1M generated patents, side by side; how close the estimated path lengths
# and swept diameters come to the exact ones (bench/paths.py), and the sampled betweenness of each
# engine (bench/betweenness.py); the command line's start-up
# (bench/startup.py), where the GDS graph comes from (bench/projections.py) and what the report adds
# to the analysis (bench/report.py) and what one machine holds (bench/capacity.py: store size per
# patent, GDS memory per network); figures in bench/RESULTS.md.
bench: install
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.analyze
	$(BIN)/python -m bench.paths
	$(BIN)/python -m bench.betweenness
	$(BIN)/python -m bench.projections
	$(BIN)/python -m bench.report
	$(BIN)/python -m bench.capacity

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis
