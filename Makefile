# Two commands on a fresh machine: `make run` and `make test`. Both build .venv by themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench lint clean browser postgres soak mutation coverage

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[bench]'
	touch $@ $(VENV)/.installed

# The web app on http://127.0.0.1:8000 with the default store (SQLite in the user data dir, the
# file the CLI uses); Ctrl-C stops it. `calcml tour` stays the terminal face.
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(VENV)/.installed
	@$(BIN)/calcml serve --host $(HOST) --port $(PORT)  # prints the URL; Ctrl-C stops it

# The browser tests need Chromium: Debian's package (never `playwright install`), installed with
# apt only when missing; Playwright itself comes with the dev extra from pip.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "make: the browser tests need Chromium; run 'sudo apt-get install chromium' (or make test as root)" >&2; exit 1; \
	  fi; \
	  echo "make: installing Debian's chromium for the browser tests (once)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# The store's tests also run on PostgreSQL: Debian's server package, installed with apt only when
# missing; the tests start a throwaway cluster of their own (tests/pg.py), never the system one.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "make: the store tests need PostgreSQL; run 'sudo apt-get install postgresql' (or make test as root)" >&2; exit 1; \
	  fi; \
	  echo "make: installing Debian's postgresql for the store tests (once)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy src
	$(BIN)/lint-imports

test: lint browser postgres
	$(BIN)/pytest

# Fault and load tests too long for `make test`: the soak-marked tests, then 200 simulated
# learners for SOAK_SECONDS against 2 app processes + PostgreSQL, and against 1 + SQLite.
SOAK_SECONDS ?= 300
SOAK_LEARNERS ?= 200
soak: $(VENV)/.dev-installed postgres
	$(BIN)/pytest -n 0 -m soak tests
	$(BIN)/python benchmarks/soak.py --seconds $(SOAK_SECONDS) --learners $(SOAK_LEARNERS)

# Mutation testing (mutmut) of the grader's equivalence, verify, evidence, the derivative rules,
# unbroadcast and optim/analysis, each module against its own tests; not part of `make test`.
# Only some: `make mutation MODULES="analysis verify"`; workers: MUTATION_JOBS=2.
mutation: $(VENV)/.dev-installed
	$(BIN)/python tools/mutation.py $(MODULES)

# Line coverage of src/calcml (pytest-cov over the whole suite, both xdist workers); the source is
# the path in [tool.coverage.run], never a dotted submodule (see pyproject.toml). One area:
# `make coverage TESTS=tests/learn`; then `.venv/bin/coverage report --include='*/learn/*'`.
TESTS ?=
coverage: $(VENV)/.dev-installed
	$(BIN)/pytest --cov --cov-report=term $(TESTS)

bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .mutation
