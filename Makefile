# The portal's everyday commands. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
HOST ?= 127.0.0.1
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast test-dates fuzz lint format chromium pdf-libs fhir-check migrate clean bench

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed pdf-libs ## Create .venv and install the pinned dependencies

# WeasyPrint (the clinic summary PDF) draws with Debian's Pango and HarfBuzz and needs a font.
PDF_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
PDF_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0

pdf-libs: ## Make sure Debian's Pango, HarfBuzz and DejaVu fonts are there for PDFs
	@missing=""; for lib in $(PDF_LIBS); do \
	  ldconfig -p | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	[ -d /usr/share/fonts/truetype/dejavu ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's libraries for PDF output:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_DEBS); \
	  else \
	    echo "The clinic summary PDF needs:$$missing"; \
	    echo "Install them as root with:  apt-get install -y $(PDF_DEBS)"; \
	    exit 1; \
	  fi; \
	fi

migrate: install ## Apply migrations to the configured database
	$(FLASK) db upgrade

# Web and worker together (Procfile, run by honcho); Ctrl-C stops both.
run: migrate ## Serve the portal with demo data on http://$(HOST):$(PORT), and its job worker
	$(FLASK) demo-data
	HOST=$(HOST) $(BIN)/honcho --procfile Procfile start --port $(PORT)

chromium: ## Make sure Debian's chromium is there for the browser tests
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM)."; \
	    echo "Install it as root with:  apt-get install -y chromium"; \
	    exit 1; \
	  fi; \
	fi

# The tests check the portal's FHIR output a second time with Medplum's validator (npm,
# pinned in tests/fhir_check/package-lock.json); installed here, never at test time.
FHIR_CHECK := tests/fhir_check

$(FHIR_CHECK)/node_modules/.package-lock.json: $(FHIR_CHECK)/package-lock.json
	npm ci --prefix $(FHIR_CHECK) --no-audit --no-fund --loglevel=error
	@touch $@

fhir-check: $(FHIR_CHECK)/node_modules/.package-lock.json ## Install the test-only FHIR validator (Medplum, from npm)

test: install chromium fhir-check ## Run the whole suite (unit, web and browser tests)
	$(BIN)/python -m pytest

# The tests that read the clock (units, web pages and browser journeys), replayed with the
# clock set to each instant of tests/clock_dates.txt: clock changes, leap day, New Year.
DATE_SENSITIVE ?= tests/unit tests/web
DATE_SENSITIVE_BROWSER ?= tests/browser
# Units and pages replay in parallel processes (pytest-xdist), one per core; the browser
# journeys one at a time (two Chromiums on two cores make their waits flaky).
TEST_WORKERS ?= 2

test-dates: install chromium fhir-check ## Replay the date-sensitive tests at each hard date in tests/clock_dates.txt
	@set -e; for when in $$(grep -v '^#' tests/clock_dates.txt); do \
	  echo "== clock at $$when"; \
	  PORTAL_TEST_NOW=$$when $(BIN)/python -m pytest -q -n $(TEST_WORKERS) $(DATE_SENSITIVE); \
	  PORTAL_TEST_NOW=$$when $(BIN)/python -m pytest -q $(DATE_SENSITIVE_BROWSER); \
	done

test-fast: install fhir-check ## Run the suite without the browser tests
	$(BIN)/python -m pytest -m "not browser"

# `make test` runs the route fuzzer with 50 examples per route; this runs it with 2,000.
FUZZ_EXAMPLES ?= 2000

fuzz: install ## Fuzz every route's query parameters and JSON fields (FUZZ_EXAMPLES per route)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -m fuzz tests/security

# Requests per second of the portal beside a lean peer (benchmarks/throughput.py): SQLite
# with 2 workers, then PostgreSQL with 4 when BENCH_PG_URL names an empty database.
bench: install ## Time the diary's calls against a lean Flask peer with wrk (installs wrk as root)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = "0" ] && apt-get install -y -qq wrk; } || \
	  { echo "Install wrk as root with:  apt-get install -y wrk"; exit 1; }
	$(BIN)/python -m benchmarks.throughput --workers 2
	@if [ -n "$(BENCH_PG_URL)" ]; then \
	  $(BIN)/python -m benchmarks.throughput --workers 4 --database "$(BENCH_PG_URL)"; fi

lint: install ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the virtualenv and generated files
	rm -rf $(VENV) portal/static/gen .webassets-cache .pytest_cache
