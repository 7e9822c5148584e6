# The two commands a newcomer needs:
#   make run    set up everything and serve on http://127.0.0.1:8000 (gunicorn)
#   make test   set up everything and run the whole test suite against PostGIS
# Both are idempotent: a second run only does what changed.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Sync workers, sized for the machine: 2 per core + 1 (5 on the 2-core hosts),
# each holding one persistent database connection (config/settings.py).
# Measured against gthread (which keeps client connections alive; sync closes
# each one) on make load's mix at 16 clients, 20 s each, same database, quiet
# machine: 5 sync 343 req/s, nearby/progress p95 56/60 ms; gthread 2×4 275
# req/s, 81/87 ms; gthread 3×4 338 req/s, 83/96 ms. Threads share one GIL per
# worker, so a CPU-bound request waits for its neighbours: the tail grows.
# (bench/load/README.md, "Workers".)
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
# Limits gunicorn enforces itself, before Django (it answers those with its
# own 400 page): a request line of at most 8190 bytes (room for long filter
# lists; gunicorn's default is 4094), at most 64 header fields of at most
# 8190 bytes each. SECURITY.md lists them; tests/reliability checks them.
GUNICORN_LIMITS := --limit-request-line 8190 --limit-request-fields 64 --limit-request-field_size 8190
# A worker is restarted after ~20000 requests (bounded memory growth) and
# killed when one request holds it for 120 s (exports of 1M sites take ~40 s).
# A restart costs the new worker ~1.5 s of CPU (Django, the apps, the first
# compiled queries): after 2000 requests, at make load's 500 req/s, one worker
# in five restarted every ~4 s and the queue behind it made the tail (16
# clients: nearby/progress p95 54/61 ms at 2000, 39/42 ms at 20000, 437 vs
# 515 req/s; RSS stays flat over a run: bench/load/README.md, "Worker restarts").
GUNICORN_ARGS := --workers $(WORKERS) $(GUNICORN_LIMITS) --timeout 120 --graceful-timeout 30 \
  --keep-alive 5 --max-requests 20000 --max-requests-jitter 2000 --no-control-socket
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: help run dev test lint bench bench-release setup setup-dev system system-test db db-stop migrate load \
        secret static clean backup restore data

help:
	@echo "make run    - install, start PostGIS, migrate, load the İzmir routes, serve with gunicorn on $(HOST):$(PORT)"
	@echo "make test   - install, start PostGIS, ruff, makemigrations --check, pytest"
	@echo "make dev    - like run, with Django's runserver and DEBUG on"
	@echo "make bench  - benchmarks (bench/README.md)"
	@echo "make bench-release - building a release at 100k and 1M sites (time, peak RSS)"
	@echo "make db-stop - stop the project's PostgreSQL"
	@echo "make backup  - database + media into var/backups/; make restore BACKUP=<dir> puts one back"
	@echo "make load    - load test against gunicorn (bench/load/README.md)"

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
	@scripts/ogctests-venv.sh
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

data: migrate
	@DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)} $(PY) manage.py load_izmir
	@# The offline packages, so the route list can say their sizes (package_bytes) at once.
	@DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)} $(PY) manage.py build_packages

static: secret
	@DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)} $(PY) manage.py collectstatic --no-input -v 0

# --- the two commands ------------------------------------------------------
run: setup data static
	@echo "Serving on http://$(HOST):$(PORT)/  (API: /api/v1/, docs: /api/v1/docs, admin: /admin/)"
	@DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)} \
	  exec .venv/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) \
	  $(GUNICORN_ARGS) --access-logfile -

dev: setup data
	@DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: setup-dev db secret
	@.venv/bin/ruff check .
	@# The layers of docs/adr/0007-layers.md: a wrong import fails here, named with file and line.
	@DJANGO_SECRET_KEY=test .venv/bin/lint-imports --no-cache 2>&1 | grep -v '^WARNING: Location' \
	  | sed -n '/^Contracts/,$$p'; exit $${PIPESTATUS[0]}
	@DJANGO_SECRET_KEY=test $(PY) manage.py makemigrations --check --dry-run -v 0 \
	  || { echo "Model changes without a migration: run manage.py makemigrations"; exit 1; }
	@DJANGO_SECRET_KEY=test .venv/bin/pytest $(PYTEST_ARGS)

# Database (pg_dump custom format) and media, into var/backups/heritage-<time>/.
backup: db
	@scripts/backup.sh backup $(BACKUP_DIR)

# make restore BACKUP=var/backups/heritage-<time> (RESTORE_DB=name: into another database)
restore: db
	@scripts/backup.sh restore $(BACKUP)

# Load test (bench/load/README.md): gunicorn as `make run` starts it, locust at
# concurrency 1, 16 and 64 for 60 s each. Shorter: make load LOAD_ARGS="--duration 10".
# Heavy: run it under flock /tmp/heritage-heavy.lock on shared machines.
load: setup-dev data static
	@DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)} GUNICORN_ARGS="$(GUNICORN_ARGS)" \
	  $(PY) -m bench.load.run $(LOAD_ARGS)

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: setup-dev data
	@DJANGO_SECRET_KEY=$$(cat var/secret_key) $(PY) -m bench.run $(BENCH_ARGS)

# Building a release at 100k and 1M sites (bench/bench_releases.py): minutes, so also on its own.
bench-release: setup-dev data
	@DJANGO_SECRET_KEY=$$(cat var/secret_key) $(PY) -m bench.run --only=bench_releases $(BENCH_ARGS)

clean: db-stop
	rm -rf var .venv
