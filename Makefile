# The two commands of the README:  make run  (the bot on the embedded default)  and  make test.
# Each creates or updates the virtualenv in .venv and installs what it needs first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# pip installs with constraints.txt so torch can only ever be the CPU build on this disk.
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test test-postgres test-fast install install-test browser medusa-deps clean

run: $(VENV)/.installed
	$(BIN)/kefu model prepare
	$(BIN)/kefu run

test: $(VENV)/.installed-test browser medusa-deps
	$(BIN)/python -m pytest
	$(MAKE) test-postgres

# The whole suite (but the slow tests) again with every store on a private PostgreSQL (docs/SCALING.md,
# "Tests on both engines"); the tests marked no_store or sqlite_only are skipped, they would not touch it.
test-postgres: $(VENV)/.installed-test medusa-deps
	$(BIN)/python -m pytest --db-engine postgresql -m "not slow"

# Developers: everything but the slow tests (real models, the browser, the Medusa server).
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not slow"

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) -e '.[llm]'
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) -e '.[test,llm]'
	touch $@ $(VENV)/.installed

# Headless Chromium and a Chinese font for the browser tests: Debian's packages, installed when missing.
browser:
	@scripts/install-chromium.sh

# The Medusa tests (tests/shops/medusa): Debian's postgresql and nodejs/npm when missing, and
# npm ci in the test project when its node_modules is missing or older than its lockfile.
medusa-deps:
	@scripts/install-medusa-deps.sh

clean:
	rm -rf $(VENV) var .pytest_cache
