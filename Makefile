# Docket: `make demo` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
DOCKET := $(BIN)/docket
CHROMIUM ?= /usr/bin/chromium
# PostgreSQL for the second test run; the test database is created and dropped by Django.
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# pytest-xdist workers: one per core by default (each has its own test database).
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS) --durations=10
LINT_PATHS := $(wildcard src tests bench requirements verifier)

.PHONY: help demo serve test lint typecheck pytest-sqlite pytest-postgres browser-deps \
        format clean lock lock-check lock-installed

help:
	@echo "make demo   set up .venv, migrate, load the fictional demo, serve on http://$(BIND)"
	@echo "make test   ruff, mypy, pytest on SQLite (with browser tests), then on PostgreSQL"
	@echo "make lock   re-resolve requirements/*.txt after editing pyproject.toml (UPGRADE=1: newest)"
	@echo "other targets: lint typecheck pytest-sqlite pytest-postgres browser-deps format clean lock-installed"

# --- virtual environment, installed from the lock ---------------------------------------
# requirements/*.txt pin every package with its hashes (docs/decisions/0012). pip installs
# exactly those (--require-hashes --no-deps), then the project itself without resolving
# anything (--no-deps --no-build-isolation: its build backend comes from the lock too).
LOCK_DIR := requirements
LOCKFILE := $(PYTHON) $(LOCK_DIR)/lockfile.py
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Docket needs $(PYTHON) (set PYTHON=... to use another)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Fails, saying to run `make lock`, when pyproject.toml changed after the lock was made.
lock-check:
	@$(LOCKFILE) check

$(VENV)/.installed: pyproject.toml $(LOCK_DIR)/runtime.txt | lock-check $(BIN)/python
	$(PIP_INSTALL) --require-hashes --no-deps -r $(LOCK_DIR)/runtime.txt
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(LOCK_DIR)/dev.txt | lock-check $(BIN)/python
	$(PIP_INSTALL) --require-hashes --no-deps -r $(LOCK_DIR)/dev.txt
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $(VENV)/.installed $@

# Shows that what is installed is what the lock says (CI prints it before the tests).
lock-installed: $(VENV)/.installed-dev
	@$(BIN)/python $(LOCK_DIR)/lockfile.py installed $(LOCK_DIR)/dev.txt

# Re-resolve after editing pyproject.toml, keeping every other version as it is;
# `make lock UPGRADE=1` takes the newest versions pyproject.toml admits. Then run
# `make test` and read the changelogs (docs/operations.md, "Upgrading dependencies").
lock: | $(BIN)/python
	$(PIP_INSTALL) --require-hashes --no-deps -r $(LOCK_DIR)/dev.txt
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python $(LOCK_DIR)/lockfile.py make $(if $(UPGRADE),--upgrade)

# --- demo --------------------------------------------------------------------------------
# Where `make demo` and `make serve` listen; links in notices and invitations follow it
# unless DOCKET_SITE_URL says otherwise (e.g. make demo BIND=0.0.0.0:8080).
BIND ?= 127.0.0.1:8000

demo: $(VENV)/.installed
	$(DOCKET) migrate --noinput
	$(DOCKET) keys init
	$(DOCKET) demo --bind $(BIND)
	@echo
	$(DOCKET) serve --bind $(BIND)

serve: $(VENV)/.installed
	$(DOCKET) serve --bind $(BIND)

# --- checks ------------------------------------------------------------------------------
# Runs every step even when an earlier one fails, then names the failed steps.
TEST_STEPS := lint typecheck pytest-sqlite pytest-postgres
test: lock-check
	@start=$$(date +%s); failed=""; \
	for step in $(TEST_STEPS); do \
	  $(MAKE) --no-print-directory $$step || failed="$$failed $$step"; \
	done; \
	echo "make test took $$(( $$(date +%s) - start ))s"; \
	if [ -n "$$failed" ]; then echo "make test FAILED:$$failed" >&2; exit 1; fi; \
	echo "make test: all checks passed"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# Debian's Chromium drives the browser tests, and poppler-utils (pdftoppm) turns report
# PDFs into images; install them when missing and we are root.
browser-deps:
	@if [ ! -x $(CHROMIUM) ] || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium and poppler-utils for the browser and report tests"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium poppler-utils; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM) and pdftoppm (poppler-utils)." >&2; \
	    echo "Install them (Debian/Ubuntu: sudo apt-get install chromium poppler-utils) and run make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

pytest-sqlite: $(VENV)/.installed-dev browser-deps
	@echo "== pytest on SQLite (including browser tests) =="
	env -u DATABASE_URL $(PYTEST)

pytest-postgres: $(VENV)/.installed-dev
	@if env DATABASE_URL=$(PG_URL) $(BIN)/python .ci/pg_reachable.py; then \
	  db="test_docket_$$(date +%s)_$$$$"; \
	  echo "== pytest on PostgreSQL (throwaway database $$db; browser tests ran on SQLite) =="; \
	  DATABASE_URL=$(PG_URL) DOCKET_TEST_DB_NAME=$$db $(PYTEST) -m "not browser"; \
	else \
	  echo "PostgreSQL not reachable — skipping the PostgreSQL run"; \
	fi

format: $(VENV)/.installed-dev
	$(BIN)/ruff format $(LINT_PATHS)

clean:
	rm -rf $(VENV) var/staticfiles test-artifacts .pytest_cache .mypy_cache .ruff_cache
