# The commands a developer and CI use. `make test` and `make demo` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

.PHONY: install demo test lint typecheck client constraints ci bench clean

# What running needs (`make demo`), and on top of it the development tools. Editable
# installs, so a change to bff/ needs no reinstall; setuptools' notice about them is muted.
export PYTHONWARNINGS := ignore::Warning:setuptools.command.editable_wheel

# Versions are pinned by constraints.txt (`make constraints` regenerates it). When
# pyproject.toml asks for more than it pins (a dependency added or raised since), the
# install goes on without the pins and says so, rather than failing.
CONSTRAINTS := constraints.txt
pinned_install = $(BIN)/pip install --quiet -c $(CONSTRAINTS) $(1) 2>/dev/null \
	|| { echo "$(CONSTRAINTS) is behind pyproject.toml: installing unpinned; run make constraints" >&2; \
	     $(BIN)/pip install --quiet $(1); }

$(RUN_STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(call pinned_install,-e .)
	touch $(RUN_STAMP)

DEV_EXTRAS := dev,otel,fast,postgresql
$(STAMP): $(RUN_STAMP)
	$(call pinned_install,-e '.[$(DEV_EXTRAS)]')
	touch $(STAMP)

# Every dependency of every extra, resolved afresh in a clean virtualenv, then frozen.
constraints:
	rm -rf .venv-constraints
	$(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/pip install --quiet --upgrade pip
	.venv-constraints/bin/pip install --quiet -e '.[$(DEV_EXTRAS)]'
	{ echo "# Pinned versions of every dependency (all extras). Regenerate: make constraints"; \
	  .venv-constraints/bin/pip freeze --exclude-editable | grep -v '^-e '; } > $(CONSTRAINTS)
	rm -rf .venv-constraints

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

# TypeScript types of the API for frontends: the OpenAPI document -> openapi-typescript ->
# clients/typescript/src/kcc-bff.ts, then `tsc` compiles it with src/usage.ts. npm
# packages are pinned by clients/typescript/package-lock.json.
CLIENT := clients/typescript

$(CLIENT)/node_modules/.package-lock.json: $(CLIENT)/package-lock.json
	cd $(CLIENT) && npm ci --no-audit --no-fund --loglevel=error

client: $(RUN_STAMP) $(CLIENT)/node_modules/.package-lock.json
	$(BIN)/python -c 'import json, bff.app; print(json.dumps(bff.app.api_document(), indent=2))' \
		> $(CLIENT)/openapi.json
	cd $(CLIENT) && npm run --silent generate && npm run --silent check

ci: lint typecheck test client

# `make bench` (three repetitions, a few minutes) or `make bench BENCH=--quick` (one, shorter):
# writes bench/report.md and bench/report.json. See the README, "Performance".
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage $(CLIENT)/node_modules
