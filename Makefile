# The two commands of the README: `make run` starts the app, `make test` runs every check.
# Both create the virtual environment on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test bench lint screenshots dist guide-pdf icons clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The desktop check runs with the system's python3 before the virtual environment exists, so a
# missing libxcb-cursor0 (or friend) is named in the first second, not after the download.
run:
	@$(PYTHON) vault/desktop_libs.py
	@$(MAKE) --no-print-directory $(BIN)/.installed
	$(BIN)/casevault

lint: $(BIN)/.installed
	$(BIN)/ruff check vault tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/run_all.py

screenshots: $(BIN)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.ui.make_screenshots

# The installable app: a PyInstaller one-folder bundle (dist/casevault-bundle/), the user
# guide as a PDF inside it, and dist/casevault-<version>-linux-<arch>.tar.gz with install.sh.
# Prints the bundle's size and start-up time.
dist: $(BIN)/.installed
	$(BIN)/python packaging/build_bundle.py

# The user guide (resources/guide/user-guide.md) as a PDF, for reps who prefer paper.
guide-pdf: $(BIN)/.installed
	$(BIN)/python -m vault.reports.user_guide dist/casework-vault-guide.pdf

# Redraw the app icon's PNG/ICO/ICNS sizes from resources/icons/app/casevault.svg.
icons: $(BIN)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/render_icons.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
