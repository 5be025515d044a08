# The two commands of the README: `make run` starts the app, `make test` runs every check.
# Both create the virtual environment on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: run test test-long bench bench-quick demo lint screenshots dist guide-pdf icons clean

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

# The long security runs (200 kill -9 rounds of the loop harness, the long import kill run),
# left out of `make test` (about 30 minutes here).
test-long: $(BIN)/.installed
	$(BIN)/pytest -q -m long

# Every benchmark, ours and its peer interleaved (>= 5 rounds); JSON in benchmarks/results/,
# docs/benchmarks.md generated from it. About 20-30 minutes on the project's 2-core VM.
bench: $(BIN)/.installed
	$(BIN)/python benchmarks/run_all.py

# The same at toy sizes, to prove the suite runs (CI smoke); figures go to .bench/quick/.
bench-quick: $(BIN)/.installed
	$(BIN)/python benchmarks/run_all.py --quick --out .bench/quick

# A fresh vault of fictional casework (DEMO_CASES cases), then the app opened on it.
DEMO_VAULT ?= .demo-vault
DEMO_CASES ?= 2000
DEMO_PASSPHRASE ?= demo vault lantern orbit harbour
demo: $(BIN)/.installed
	rm -rf $(DEMO_VAULT)
	@umask 077; printf '%s\n' '$(DEMO_PASSPHRASE)' > .demo-passphrase
	$(BIN)/casevault demo --cases $(DEMO_CASES) --vault $(DEMO_VAULT) --passphrase-file .demo-passphrase
	@rm -f .demo-passphrase
	@echo "Opening the demo vault; its passphrase is: $(DEMO_PASSPHRASE)"
	$(BIN)/casevault --vault $(DEMO_VAULT)

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
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .bench .demo-vault
