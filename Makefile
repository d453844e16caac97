# Two commands on a fresh machine: `make run` and `make test`. Both build .venv by themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench lint clean mutation

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

run: $(VENV)/.installed
	$(BIN)/calcml tour

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy src

test: lint
	$(BIN)/pytest

# Mutation testing (mutmut) of the grader's equivalence, verify, evidence, the derivative rules,
# unbroadcast and optim/analysis, each module against its own tests; not part of `make test`.
# Only some: `make mutation MODULES="analysis verify"`; workers: MUTATION_JOBS=2.
mutation: $(VENV)/.dev-installed
	$(BIN)/python tools/mutation.py $(MODULES)

bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .mutation
