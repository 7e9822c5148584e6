# The two commands a newcomer needs:
#   make run    set up everything and serve on http://127.0.0.1:8000 (gunicorn)
#   make test   set up everything and run the whole test suite against PostGIS
# Both are idempotent: a second run only does what changed.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: help run dev test lint bench setup setup-dev system system-test db db-stop migrate load \
        secret static clean

help:
	@echo "make run    - install, start PostGIS, migrate, load the İzmir routes, serve with gunicorn on $(HOST):$(PORT)"
	@echo "make test   - install, start PostGIS, ruff, makemigrations --check, pytest"
	@echo "make dev    - like run, with Django's runserver and DEBUG on"
	@echo "make bench  - benchmarks (bench/README.md)"
	@echo "make db-stop - stop the project's PostgreSQL"

# --- set-up steps ----------------------------------------------------------
system:
	@scripts/system-packages.sh run

system-test:
	@scripts/system-packages.sh test

setup: system
	@scripts/venv.sh requirements.txt
	@scripts/npm.sh

setup-dev: system-test
	@scripts/venv.sh requirements-dev.txt
	@scripts/npm.sh dev
	@$(PY) scripts/check_browser.py

db:
	@scripts/postgis.sh start

db-stop:
	@scripts/postgis.sh stop

# A secret key for the local production-mode server, generated once and kept
# out of git. Set DJANGO_SECRET_KEY yourself in a real deployment.
secret:
	@mkdir -p var && [ -s var/secret_key ] || $(PY) -c \
	  "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key

migrate: db secret
	@DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)} $(PY) manage.py migrate --no-input -v 0

load: migrate
	@DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)} $(PY) manage.py load_izmir

static: secret
	@DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)} $(PY) manage.py collectstatic --no-input -v 0

# --- the two commands ------------------------------------------------------
run: setup load static
	@echo "Serving on http://$(HOST):$(PORT)/  (API: /api/v1/, docs: /api/v1/docs, admin: /admin/)"
	@DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)} \
	  exec .venv/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) \
	  --workers $(WORKERS) --access-logfile - --timeout 120 --no-control-socket

dev: setup load
	@DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: setup-dev db secret
	@.venv/bin/ruff check .
	@DJANGO_SECRET_KEY=test $(PY) manage.py makemigrations --check --dry-run -v 0 \
	  || { echo "Model changes without a migration: run manage.py makemigrations"; exit 1; }
	@DJANGO_SECRET_KEY=test .venv/bin/pytest $(PYTEST_ARGS)

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: setup-dev load
	@DJANGO_SECRET_KEY=$$(cat var/secret_key) $(PY) -m bench.run $(BENCH_ARGS)

clean: db-stop
	rm -rf var .venv
