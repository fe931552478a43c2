# The two commands of the README:  make run  (the bot on the embedded default)  and  make test.
# Each creates or updates the virtualenv in .venv and installs what it needs first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# pip installs with constraints.txt so torch can only ever be the CPU build on this disk.
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test test-postgres test-postgres-ci test-fast install install-test browser medusa-deps clean

run: $(VENV)/.installed
	$(BIN)/kefu model prepare
	$(BIN)/kefu run

# make test: the whole suite on SQLite in two pytest-xdist processes, a file per process at a time (the
# Medusa tests apart: their harness writes one project folder), then POSTGRES_CI_TESTS on PostgreSQL.
XDIST := -n 2 --dist loadfile
test: $(VENV)/.installed-test browser medusa-deps
	$(BIN)/python -m pytest $(XDIST) --ignore=tests/shops/medusa
	$(BIN)/python -m pytest tests/shops/medusa
	$(MAKE) test-postgres-ci

# The files of the store, the turn commit, the channels' and the console's own tables, promotions, CSAT,
# privacy and the dialogue flows, again with every store on a private PostgreSQL: what CI's 30 minutes
# hold of the whole PostgreSQL run below (docs/SCALING.md, "Tests on both engines").
POSTGRES_CI_TESTS := tests/test_store.py tests/test_store_tables.py tests/test_assistant.py tests/test_turn_result.py \
    tests/test_serve.py tests/test_web_channel.py tests/test_web_drain.py tests/test_web_limits.py \
    tests/test_ratelimit_store.py tests/test_csat.py tests/test_csat_channels.py tests/test_privacy.py \
    tests/test_observability.py tests/test_channel_port.py tests/test_wechat_units.py tests/test_fuzz_webhooks.py \
    tests/promotions tests/staff tests/telegram tests/slack tests/reports tests/shops/test_shop_port.py \
    tests/shops/test_shop_sync.py tests/test_dialogue_flows2.py tests/test_dialogue_corrections.py
test-postgres-ci: $(VENV)/.installed-test medusa-deps
	$(BIN)/python -m pytest $(XDIST) --db-engine postgresql -m "not slow" $(POSTGRES_CI_TESTS)

# The whole suite (but the slow tests) again with every store on a private PostgreSQL (docs/SCALING.md,
# "Tests on both engines"); the tests marked no_store or sqlite_only are skipped, they would not touch it.
test-postgres: $(VENV)/.installed-test medusa-deps
	$(BIN)/python -m pytest $(XDIST) --db-engine postgresql -m "not slow"

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
