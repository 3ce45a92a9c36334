# The commands a developer and CI use. `make test` and `make demo` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

.PHONY: install demo test lint typecheck ci bench clean

# What running needs (`make demo`), and on top of it the development tools. Editable
# installs, so a change to bff/ needs no reinstall; setuptools' notice about them is muted.
export PYTHONWARNINGS := ignore::Warning:setuptools.command.editable_wheel

$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[dev,otel,fast]'
	touch $(STAMP)

install: $(STAMP)

demo: $(RUN_STAMP)
	$(BIN)/bff demo

test: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term:skip-covered

lint: $(STAMP)
	$(BIN)/ruff check bff tests scripts benchmarks
	$(BIN)/ruff format --check bff tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy bff

ci: lint typecheck test

# `make bench` (three repetitions, a few minutes) or `make bench BENCH=--quick` (one, shorter):
# writes bench/report.md and bench/report.json. See the README, "Performance".
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
