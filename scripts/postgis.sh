#!/usr/bin/env bash
# The project's own PostGIS: a PostgreSQL cluster under var/pg on a project
# port, so nothing on the machine needs configuring.
#   scripts/postgis.sh start    init (first time) + start + create the database
#   scripts/postgis.sh stop
#   scripts/postgis.sh status
# When DATABASE_URL or PGHOST is set, that server is used instead: nothing is
# started, and the script only checks that it answers and has PostGIS.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# HERITAGE_PG_DATA moves the cluster (e.g. when the clone sits under /root).
data=$(realpath -m "${HERITAGE_PG_DATA:-$here/var/pg}")
port=${HERITAGE_PG_PORT:-54329}
db=heritage
role=heritage

die() { echo "postgis: $*" >&2; exit 1; }

bindir() {
  local dir
  for dir in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  done
  die "PostgreSQL server binaries (initdb) not found. Run: make run (as root) or apt-get install postgresql postgresql-15-postgis-3"
}

as_pg() {
  # PostgreSQL refuses to run as root: use the postgres user then.
  # From /: the current directory may be one postgres cannot enter (all paths are absolute).
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

unreachable_parent() {
  # The outermost parent of $1 the postgres user cannot enter, if any: the
  # directory to fix (everything below it is unreachable only through it).
  [ "$(id -u)" -eq 0 ] || return 0
  local dir blocked=""
  dir=$(dirname "$1")
  while [ "$dir" != "/" ]; do
    if [ -d "$dir" ] && ! runuser -u postgres -- test -x "$dir"; then
      blocked=$dir
    fi
    dir=$(dirname "$dir")
  done
  echo "$blocked"
}

choose_data_dir() {
  # PostgreSQL runs as the postgres user, who must be able to enter every
  # parent of the data directory. A clone under /root (mode 700) cannot.
  local blocked
  blocked=$(unreachable_parent "$data")
  [ -n "$blocked" ] || return 0
  local advice="  Fix: chmod o+x $blocked, or clone the project elsewhere (e.g. /srv),
  or set HERITAGE_PG_DATA=/var/tmp/heritage-pg, or use your own server with
  DATABASE_URL=postgres://user:pass@host:5432/heritage"
  if [ -n "${HERITAGE_PG_DATA:-}" ]; then
    die "the postgres user cannot enter $blocked (mode $(stat -c %a "$blocked")), so it cannot use $data.
$advice"
  fi
  local fallback
  fallback="/var/tmp/heritage-pg/$(echo "$here" | sha256sum | cut -c1-12)"
  echo "postgis: note: the postgres user cannot enter $blocked (mode $(stat -c %a "$blocked")), so the
  cluster cannot live in $data; using $fallback instead.
$advice" >&2
  data=$fallback
}

port_taken_by_other() {
  # Is something listening on the port that is not our cluster?
  python3 - "$port" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(0.5)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

external() {
  [ -n "${DATABASE_URL:-}" ] || [ -n "${PGHOST:-}" ]
}

check_external() {
  echo "Using the database server from ${DATABASE_URL:+DATABASE_URL}${DATABASE_URL:-PG* variables}; starting nothing."
  "$here/.venv/bin/python" "$here/scripts/check_database.py" || exit 1
}

start() {
  if external; then check_external; return; fi
  local bin; bin=$(bindir)
  choose_data_dir
  local log="$data.log"
  if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && port_taken_by_other; then
    die "port $port is in use by another program. Free it, or choose another port: HERITAGE_PG_PORT=54330 make run"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    echo "Creating the project's PostgreSQL cluster in $data (port $port)"
    mkdir -p "$data"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data"; fi
    as_pg "$bin/initdb" -D "$data" -U "$role" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$data/postgresql.conf" <<CONF
# Project cluster (scripts/postgis.sh): TCP on loopback only, no unix socket
# (socket paths are limited to 107 bytes and deep clones exceed that).
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
# A dev/test cluster: losing the last commits on a crash is acceptable.
synchronous_commit = off
CONF
  fi
  touch "$log"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$log"; fi

  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    if [ -f "$data/postmaster.pid" ]; then
      ensure_database "$bin"; return
    fi
    die "port $port is in use by another PostgreSQL server. Stop it, or choose another port: HERITAGE_PG_PORT=54330 make run"
  fi
  remove_stale_pid
  sed -i "s/^port = .*/port = $port/" "$data/postgresql.conf"
  as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null \
    || die "PostgreSQL did not start; see $log"
  ensure_database "$bin"
}

remove_stale_pid() {
  local pidfile="$data/postmaster.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(head -1 "$pidfile")
  if ! ps -p "$pid" -o comm= 2>/dev/null | grep -q postgres; then
    echo "Removing a stale postmaster.pid (process $pid is gone)"
    rm -f "$pidfile"
  fi
}

ensure_database() {
  local bin=$1
  for _ in $(seq 50); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.2
  done
  local psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U "$role" -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -d postgres -c "select 1 from pg_database where datname='$db'")" != "1" ]; then
    "${psql[@]}" -d postgres -c "create database $db"
  fi
  "${psql[@]}" -d "$db" -c "set client_min_messages = warning" -c "create extension if not exists postgis" \
    || die "PostGIS is not installed for this PostgreSQL. Run as root: apt-get install postgresql-$(basename "$(dirname "$bin")")-postgis-3"
}

stop() {
  if external; then echo "External database: nothing to stop."; return; fi
  local bin; bin=$(bindir)
  choose_data_dir 2>/dev/null
  if [ -f "$data/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null && echo "PostgreSQL stopped."
  else
    echo "PostgreSQL is not running."
  fi
}

status() {
  if external; then check_external; return; fi
  local bin; bin=$(bindir)
  "$bin/pg_isready" -h 127.0.0.1 -p "$port"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
