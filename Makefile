# Entry points, all from a fresh clone with only Python 3.11+ and make:
#   make demo   score examples/accounts.csv against the example profiles, with explanations
#   make serve  open the playground (icp serve) on the example profile and accounts
#   make test   lint, type-check and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo serve test lint typecheck pytest spark browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/icp eval examples/security.icp examples/accounts.csv --explain
	$(BIN)/icp eval examples/segments.icp examples/accounts.csv

serve: $(STAMP)
	$(BIN)/icp serve examples/security.icp examples/accounts.csv

lint: $(STAMP)
	$(BIN)/ruff check icpdsl tests bench examples tools
	$(BIN)/ruff format --check icpdsl tests bench examples tools

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

# The browser tests run Debian's `chromium`: the HTML report by itself, the playground
# (`icp serve`) through Selenium and Debian's `chromium-driver` (never a downloaded driver).
# Idempotent: nothing to do when both are there; installs what is missing as root where
# apt-get exists; otherwise says so, and the browser tests are skipped with that reason.
browser:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	  || missing="chromium"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	if [ -z "$$missing" ]; then \
	  echo "chromium: $$(command -v chromium || command -v chromium-browser)," \
	    "chromedriver: $$(command -v chromedriver)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
	  echo "$$missing not installed (needs root and apt-get): the browser tests will be skipped"; \
	fi

pytest: $(STAMP) $(SPARK_STAMP) browser
	$(BIN)/pytest -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
