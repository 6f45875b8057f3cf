# lokalsamfund: `make run` serves the app with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# Debian packages: WeasyPrint's libraries and gettext for the app; Chromium and fonts for tests.
RUN_DEBS := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core
TEST_DEBS := $(RUN_DEBS) chromium fonts-liberation fonts-noto-core poppler-utils
BENCH_DEBS := $(RUN_DEBS) wrk
export LOKALSAMFUND_DATA_DIR ?= $(CURDIR)/var

.PHONY: messages-update translations-check
.PHONY: help install run test test-sqlite test-postgres test-clock lint bench messages system-deps-run system-deps-test clean-venv

help:
	@echo "make run    - install, migrate, load demo data if empty, serve on http://127.0.0.1:8000"
	@echo "make test   - the whole suite: lint, types, translations, tests on SQLite and PostgreSQL,"
	@echo "              and on SQLite at four awkward moments (make test-clock)"
	@echo "make bench  - the benchmarks in benchmarks/"
	@echo "make lint   - ruff and mypy"

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Installs only what is missing (apt-get update once first).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system-deps-run:
	$(call apt_install,$(RUN_DEBS))

system-deps-test:
	$(call apt_install,$(TEST_DEBS))

messages: install
	cd src/lokalsamfund && ../../$(BIN)/lokalsamfund compilemessages --ignore=.venv -v 0

# Update the Danish catalogues (src/lokalsamfund/locale and each app's locale/), then
# translate the new entries. `translations-check` fails on any untranslated or fuzzy entry.
MSG_APPS := core surveys bookings decisions activities green residents wellbeing network
MAKEMESSAGES := makemessages -l da --no-obsolete --no-location --no-wrap

messages-update: install
	cd src/lokalsamfund && ../../$(BIN)/lokalsamfund $(MAKEMESSAGES) $(foreach a,$(MSG_APPS),-i '$(a)/*') -i 'static/*' -v 0
	@for app in $(MSG_APPS); do mkdir -p src/lokalsamfund/$$app/locale; \
	  (cd src/lokalsamfund/$$app && ../../../$(BIN)/lokalsamfund $(MAKEMESSAGES) -v 0) || exit 1; done

translations-check: messages-update
	@bad=0; for po in $$(find src/lokalsamfund -name django.po); do \
	  u=$$(msgattrib --untranslated --no-obsolete "$$po" | grep -c '^msgid' || true); \
	  f=$$(msgattrib --only-fuzzy --no-obsolete "$$po" | grep -c '^msgid' || true); \
	  if [ "$$u" -gt 1 ] || [ "$$f" -gt 0 ]; then echo "$$po: untranslated or fuzzy entries:"; \
	    msgattrib --untranslated --no-obsolete "$$po" | grep '^msgid' | tail -n +2; \
	    msgattrib --only-fuzzy --no-obsolete "$$po" | grep '^msgid'; bad=1; fi; done; \
	[ $$bad = 0 ] && echo "Translations: complete."

run: install system-deps-run messages
	$(BIN)/lokalsamfund serve --host 127.0.0.1 --port 8000 --demo-if-empty

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# Two workers (pytest-xdist) for everything but the browser tests, which run in one process:
# with two workers they raced their page loads on this two-core machine (axe saw half-loaded
# pages).
PYTEST := $(BIN)/pytest -p no:cacheprovider -q

test-sqlite: install
	env -u DATABASE_URL $(PYTEST) -n 2 -m "not browser"
	env -u DATABASE_URL $(PYTEST) -m browser

# The suite at the moments where date code breaks (tests/conftest.py pins "now" to
# LOKALSAMFUND_TEST_NOW): just before the spring daylight-saving switch; in the repeated autumn
# hour, which is also a month's last day; late on 29 February, a month's last day in a leap year;
# late on New Year's Eve. SQLite, two workers, stop at the first failure. Without the browser
# tests and schemathesis: they would double the time and are run at the fixed moment by
# test-sqlite and test-postgres. Without the tests that would run exactly as they do there:
# `scenario_moment` (pinned to the default moment at every moment) and `clock_blind` (their
# subject runs in another process, which the pinned clock does not reach).
CLOCK_MOMENTS := 2027-03-28T01:30:00+01:00 2027-10-31T02:30:00+01:00 2028-02-29T23:30:00+01:00 \
	2026-12-31T23:30:00+01:00

test-clock: install
	@for moment in $(CLOCK_MOMENTS); do echo "== the suite at $$moment"; \
	  LOKALSAMFUND_TEST_NOW=$$moment env -u DATABASE_URL $(PYTEST) \
	    -x -n 2 -m "not browser and not scenario_moment and not clock_blind" \
	    --ignore=tests/api/test_schemathesis.py || exit 1; done

# Without the browser crawl (tests/browser/test_crawl.py): it checks what the browser is shown
# (axe, widths, links), which the database does not change, and it is the suite's longest test;
# test-sqlite runs it. The other browser tests, which write through the pages, run on both.
test-postgres: install
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not running on 127.0.0.1:5432"; exit 1; }
	DATABASE_URL=$(PG_URL) $(PYTEST) -n 2 -m "not browser"
	DATABASE_URL=$(PG_URL) $(PYTEST) -m browser --ignore=tests/browser/test_crawl.py

test: install system-deps-test translations-check messages lint
	$(BIN)/lokalsamfund makemigrations --check --dry-run
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-clock

system-deps-bench:
	$(call apt_install,$(BENCH_DEBS))

bench: install system-deps-bench messages
	@for script in $(wildcard benchmarks/*.py); do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean-venv:
	rm -rf $(VENV)
