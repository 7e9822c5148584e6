#!/bin/bash
# make load's run for another checkout (default: main, unpacked into var/before), then for
# this tree, back to back, same database and gunicorn arguments: the two are comparable
# even on a shared machine. Run it under the lock:
#   flock /tmp/heritage-heavy.lock bench/load/before_after.sh [seconds per step] [commit]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_PER_STEP=${1:-30}
COMMIT=${2:-main}
PY=$ROOT/.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(cat "$ROOT/var/secret_key")}
GUNICORN_ARGS=$(make -s -C "$ROOT" --eval='print-gunicorn-args: ; @echo $(GUNICORN_ARGS)' print-gunicorn-args)
export GUNICORN_ARGS
rm -rf "$ROOT/var/before" && mkdir -p "$ROOT/var/before"
git -C "$ROOT" archive "$COMMIT" | tar -x -C "$ROOT/var/before"
echo "== before: $COMMIT ($(git -C "$ROOT" rev-parse --short "$COMMIT")), $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$ROOT/var/before" && "$PY" -m bench.load.run --duration "$SECONDS_PER_STEP") || true
echo "== after: $(git -C "$ROOT" rev-parse --short HEAD), $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$ROOT" && "$PY" -m bench.load.run --duration "$SECONDS_PER_STEP") || true
echo "== done $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
