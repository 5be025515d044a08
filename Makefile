# The two commands of the README: `make run` starts the app, `make test` runs every check.
# Both create the virtual environment on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test test-slow bench lint screenshots clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/casevault

lint: $(BIN)/.installed
	$(BIN)/ruff check vault tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q

# The long security runs (200 kill -9 rounds of the loop harness, the long import kill run).
test-slow: $(BIN)/.installed
	$(BIN)/pytest -q -m slow

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/run_all.py

screenshots: $(BIN)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.ui.make_screenshots

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
