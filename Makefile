# The handbook's commands. `make serve` and `make test` do all their set-up themselves.
# Set-up needs: Debian, Python 3.11+, Node.js and npm, and root (or sudo) for apt-get.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
# What builds the site: mkdocs (MkDocs 1.6 with Material, the default until Material's end of life on
# 5 May 2027) or zensical (its successor). `make build ENGINE=zensical`; scripts/README.md, "Two engines".
ENGINE ?= mkdocs
ifeq ($(filter $(ENGINE),mkdocs zensical),)
$(error ENGINE must be mkdocs or zensical, not '$(ENGINE)')
endif
# Debian packages only the tests and the benchmark use: Chromium for the browser tests,
# nginx with the module that serves the build's .br files (brotli_static in
# hosting/nginx.conf) and Apache (hosting/apache.conf) for the hosting tests, poppler-utils
# (pdftotext) to read the printed reports.
# Building and serving the site needs none of them.
TEST_PACKAGES := chromium nginx-light libnginx-mod-http-brotli-static apache2 poppler-utils

.PHONY: setup setup-test serve build test lint bench package facts-due clean

## What building and serving need: the Python packages, the pinned Pyodide, the runtime's zip (in .cache/)
setup: $(VENV)/.installed node_modules/.installed
	@$(BIN)/python scripts/stage_runtime.py

## What the tests need as well: Debian's Chromium, nginx and poppler-utils
setup-test: setup .test-packages

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || { echo "Installing python3-venv (Debian's Python has no venv without it)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: .test-packages
.test-packages:
	@missing=""; for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

## Build the site and serve it on http://$(HOST):$(PORT)/ as hosting/ serves it (MkDocs rebuilds on change; Zensical: run it again)
serve: setup
ifeq ($(ENGINE),zensical)
	SITE_URL=http://$(HOST):$(PORT)/ $(BIN)/zensical build --strict
	$(BIN)/python -m scripts.finish site
	$(BIN)/python -m scripts.localsite site --host $(HOST) --port $(PORT)
else
	SITE_URL=http://$(HOST):$(PORT)/ $(BIN)/python scripts/serve.py --dev-addr $(HOST):$(PORT)
endif

## Build the static site into site/ (set SITE_URL to the address it will be served from)
build: setup
ifeq ($(ENGINE),zensical)
	$(BIN)/zensical build --strict
	$(BIN)/python -m scripts.finish site
else
	$(BIN)/mkdocs build --strict
endif

## Build the site for SITE_URL and zip it for a web server: dist/partnership-handbook-<version>.zip
package: setup
	$(BIN)/python scripts/package_site.py --engine $(ENGINE)

## Run every test: lint, engine, build, Pyodide in Node, browser end-to-end
test: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

## Print start-up and response figures for the browser widgets (not part of the tests)
bench: setup-test
	$(BIN)/python scripts/benchmark.py

## List the dated facts whose review date has come (set ON=YYYY-MM-DD for another day)
facts-due: $(VENV)/.installed
	$(BIN)/python -m scripts.facts_due $(if $(ON),--on $(ON))

clean:
	rm -rf site dist .pytest_cache .cache/precompress .cache/stdlib .zensical-builds
