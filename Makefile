# Layanan — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000

help:
	@echo "make run      set up (idempotent), load seeds + demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test     run the whole test suite (SQLite; DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make setup    set up only: environment, dependencies, migrations, seeds, demo data"
	@echo "make lint     ruff check + ruff format --check + makemigrations --check + import cycles + mypy"

$(UV):
	@set -e; base=$$(PYTHON="$(PYTHON)" scripts/find-python.sh); \
	  "$$base" -m venv .tools && .tools/bin/pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	@set -e; base=$$(PYTHON="$(PYTHON)" scripts/find-python.sh); \
	  UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --python "$$base" --quiet
	@touch $@

venv: $(VENV)/.synced

sysdeps:
	@scripts/ensure-system-deps.sh

messages: venv sysdeps
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
	  $(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v 0; fi

setup: venv messages
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py collectstatic --noinput -v 0
	@$(PY) manage.py load_demo

run: setup
	@echo "Layanan on http://$(HOST):$(PORT)/  (staff login: see README)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv messages
	@scripts/ensure-system-deps.sh --with-browser
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/import-cycles.py
	$(PY) -m mypy

.PHONY: help venv sysdeps messages setup run test lint
