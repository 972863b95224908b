# Two entry points, both from a fresh clone with only Python 3.11+ and make:
#   make demo   score examples/accounts.csv against the example profiles, with explanations
#   make test   lint, type-check and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest spark clean

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

# The Spark test runs the generated SQL in a local PySpark session (Java 17+). pyspark is
# large and optional: when it cannot be installed the test is skipped, saying why.
SPARK_STAMP := $(VENV)/.spark-installed
$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet "pyspark>=3.5" \
	  || $(BIN)/python -m pip install --quiet --no-build-isolation "pyspark>=3.5" \
	  || echo "pyspark could not be installed: the Spark test will be skipped"
	touch $(SPARK_STAMP)

spark: $(SPARK_STAMP)

pytest: $(STAMP) $(SPARK_STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
