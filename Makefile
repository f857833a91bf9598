# The handbook's commands. `make serve` and `make test` do all their set-up themselves.
# Set-up needs: Debian, Python 3.11+, Node.js and npm, and root (or sudo) for apt-get.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the tests use: Chromium for the browser tests, nginx for hosting tests,
# with the module that serves the build's .br files (brotli_static in hosting/nginx.conf).
SYSTEM_PACKAGES := chromium nginx-light libnginx-mod-http-brotli-static

.PHONY: setup serve build test lint bench package clean

setup: $(VENV)/.installed node_modules/.installed .system-packages
	@$(BIN)/python scripts/stage_runtime.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: .system-packages
.system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

## Build the site and serve it on http://$(HOST):$(PORT)/ (rebuilds on change)
serve: setup
	SITE_URL=http://$(HOST):$(PORT)/ $(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

## Build the static site into site/ (set SITE_URL to the address it will be served from)
build: setup
	$(BIN)/mkdocs build --strict

## Build the site for SITE_URL and zip it for a web server: dist/partnership-handbook-<version>.zip
package: setup
	$(BIN)/python scripts/package_site.py

## Run every test: lint, engine, build, Pyodide in Node, browser end-to-end
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

## Print start-up and response figures for the browser widgets (not part of the tests)
bench: setup
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf site dist docs/assets/pyodide docs/assets/widgets .pytest_cache .cache/precompress
