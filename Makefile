# The two commands a new user needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PASSWORD ?= demo-2021
export PORT

.PHONY: run test setup migrate seed lint typecheck check bench bench-pg clean

# Re-install only when the requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(BIN)/python manage.py migrate --noinput -v0

seed: migrate
	$(BIN)/python manage.py seed_demo --password "$(DEMO_PASSWORD)"

## make run: set up, migrate, seed the demo, start web + Celery worker + Celery beat.
run: seed
	@echo
	@echo "  Case tracker: http://127.0.0.1:$(PORT)/accounts/login/"
	@echo "  Demo logins (password: $(DEMO_PASSWORD)): staff (承办人), leader (负责人), admin, staff2 (another agency)"
	@echo
	$(BIN)/honcho start -f Procfile

## make test: set up and run the whole suite (browser tests run when Chromium is installed).
test: setup
	@if [ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then echo "Browser tests: using $${CHROMIUM_PATH:-/usr/bin/chromium}"; \
	else echo "Browser tests: SKIPPED (Chromium not found; apt-get install chromium)"; fi
	$(BIN)/python manage.py check
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy

check: setup
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var test-output

## make bench-pg: issue 17's table on PostgreSQL (CASES=20000 for a quick run; DATABASE_URL to change the database).
CASES ?= 1000000
bench-pg: setup
	$(BIN)/python bench/pg.py --cases $(CASES)
