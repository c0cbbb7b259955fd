# kotacerdas: `make run` serves the platform with demo data, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?=

.PHONY: run test install install-runtime setup lint typecheck migrations-check test-tools test-sqlite test-postgres messages openapi clean

# Running needs only the runtime dependencies; tests and checks add the dev extras.
$(BIN)/kotacerdas: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(BIN)/kotacerdas
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install-runtime: $(BIN)/kotacerdas

install: $(VENV)/.dev-installed

messages: install-runtime
	@command -v msgfmt >/dev/null 2>&1 || scripts/apt-install.sh gettext
	$(BIN)/kotacerdas compilemessages -v 0  # the package's catalogues, wherever it is installed

setup: install-runtime messages
	$(BIN)/kotacerdas setup --demo

# uvloop + httptools: the plain asyncio loop loses TCP_NODELAY with several workers (a ~40 ms
# delayed-ACK stall on every keep-alive response); keep the same stack as production.
run: setup
	@echo "kotacerdas: http://$(HOST):$(PORT)/  (akun demo: lihat README)"
	@# The notification and photo workers run beside the web server and stop with it.
	$(BIN)/kotacerdas deliver_notifications & worker=$$!; \
	  $(BIN)/kotacerdas publish_photos & photos=$$!; trap 'kill $$worker $$photos' EXIT; \
	  $(BIN)/uvicorn kotacerdas.asgi:application --host $(HOST) --port $(PORT) --loop uvloop --http httptools --timeout-graceful-shutdown 5

openapi: install  ## refresh the committed OpenAPI snapshot after an intended API change
	$(BIN)/kotacerdas export_openapi_schema --api kotacerdas.api.api --indent 2 --sorted --output docs/openapi.json

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache  # the layers between apps (pyproject: tool.importlinter)

typecheck: install
	$(BIN)/mypy

migrations-check: install
	$(BIN)/kotacerdas makemigrations --check --dry-run

# The PDF tests render pages to images with poppler's pdftoppm.
test-tools:
	scripts/ensure-chromium.sh
	scripts/ensure-redis.sh
	@command -v pdftoppm >/dev/null 2>&1 || scripts/apt-install.sh poppler-utils

test-sqlite: install messages test-tools
	DATABASE_URL=sqlite:///var/test.sqlite3 scripts/pytest.sh

test-postgres: install messages test-tools
	scripts/with-postgres.sh scripts/pytest.sh

test: lint typecheck migrations-check test-sqlite test-postgres

clean:
	rm -rf $(VENV) var/test* .pytest_cache .mypy_cache .ruff_cache
