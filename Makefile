# Two entry points, both from a fresh clone with only Python 3.11+ and make:
#   make demo   score examples/accounts.csv against the example profiles, with explanations
#   make test   lint, type-check and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/icp eval examples/security.icp examples/accounts.csv --explain
	$(BIN)/icp eval examples/segments.icp examples/accounts.csv

lint: $(STAMP)
	$(BIN)/ruff check icpdsl tests bench examples
	$(BIN)/ruff format --check icpdsl tests bench examples

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
