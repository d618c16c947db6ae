# The two commands that matter: `make run` and `make test`. Everything else is what they use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
THEME := theme/static_src
CSS := theme/static/css/dist/styles.css
CHARTJS := theme/static/vendor/chart.umd.min.js
HOST ?= 127.0.0.1
PORT ?= 8000

# Development defaults; a real deployment sets its own environment (docs/deployment.md).
run migrations-check: export DEBUG ?= true

.PHONY: run test lint format migrations-check setup css clean bench bench-import bench-pages screenshots docker-smoke loadtest fault-pg-restart fuzz

setup: .env $(VENV)/.installed $(CSS) $(CHARTJS)

# Local development settings for manage.py (never committed; production uses its environment).
.env:
	printf '# Local development settings, read by manage.py only (see .env.example).\nDEBUG=true\n' > $@

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# `npm install` rather than `npm ci`: npm 11 leaves other platforms' optional Tailwind
# binaries out of the lock file and `npm ci` then refuses it. The lock is still honoured.
$(THEME)/node_modules/.installed: $(THEME)/package.json $(THEME)/package-lock.json
	cd $(THEME) && npm install --no-audit --no-fund --loglevel=error
	touch $@

# Rebuilt whenever a template, script or the stylesheet source changes.
$(CSS): $(THEME)/node_modules/.installed $(THEME)/src/styles.css $(shell find templates static/js -type f 2>/dev/null) $(wildcard */templatetags/*.py) | $(VENV)/.installed
	DEBUG=true $(PY) manage.py tailwind build

# Chart.js comes from npm too (the CSS build copies it; this rebuilds it alone if it went missing).
$(CHARTJS): $(THEME)/node_modules/.installed
	cd $(THEME) && npm run --silent build:vendor

css: $(CSS) $(CHARTJS)

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the demo accounts above."
	@echo "The import worker (manage.py db_worker) runs beside the web server; Ctrl-C stops both."
	@echo
	trap 'kill 0' EXIT; \
	$(PY) manage.py db_worker --no-reload & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Two processes (pytest-xdist): the suite with its browser journeys, crawl and HTML check takes
# about 4 minutes that way on these 2-core machines, twice that serially. TEST_WORKERS=0 runs
# it in one process.
TEST_WORKERS ?= 2
test: setup
	$(PY) -m pytest -n $(TEST_WORKERS)

# The property tests (hypothesis) with random examples, FUZZ_SCALE times their budgets (10;
# conftest.py's "fuzz" profile). `make test` runs them derandomized. A short run:
# make fuzz FUZZ_SCALE=2
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -m hypothesis

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat

bench: bench-import bench-pages

# Uses DATABASE_URL's PostgreSQL server too when it is set (a scratch database `cms_bench`).
bench-import: setup
	$(PY) bench/bench_import.py

# Page times at 10k, 100k and 1M customers against the admin, in a scratch database
# `cms_bench_pages` on DATABASE_URL's PostgreSQL server (default: the local one). Quick run:
# make bench-pages BENCH_ARGS="--sizes 10000,100000 --repeat 5"
bench-pages: setup
	$(PY) bench/bench_pages.py $(BENCH_ARGS)

# Many logged-in users against gunicorn + PostgreSQL with 200,000 customers (a scratch database
# `cms_loadtest` on DATABASE_URL's server), stepping up the user count until p95 reaches 300 ms
# or an error appears. A few minutes. make loadtest LOADTEST_ARGS="--users 10,20 --out load.md"
loadtest: setup
	$(PY) bench/loadtest.py $(LOADTEST_ARGS)

# PostgreSQL restarted in the middle of a steady load: requests recover, nothing half-written.
# It restarts the local PostgreSQL server, so it first waits until no test suite is using it.
fault-pg-restart: setup
	$(PY) bench/fault_pg_restart.py $(FAULT_ARGS)

# The user guide's pictures come from the browser tests: run them, then copy what they took.
screenshots: setup
	$(PY) -m pytest tests/browser -q
	mkdir -p docs/screenshots
	cp test-results/screenshots/*.png docs/screenshots/

# The Dockerfile's build and start steps for real, without Docker: a clean virtualenv, the npm
# build, collectstatic, migrate on a scratch PostgreSQL database (SMOKE_PG), gunicorn + worker.
docker-smoke:
	bin/docker-smoke

migrations-check: setup
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) $(THEME)/node_modules theme/static/css/dist theme/static/vendor staticfiles .pytest_cache test-results
