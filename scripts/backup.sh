#!/usr/bin/env bash
# Back up and restore the service's state: the database (pg_dump custom
# format) and the uploaded media (photos and their renditions).
#   scripts/backup.sh backup [DIR]       -> DIR/heritage-<UTC time>/ (default var/backups)
#   scripts/backup.sh restore BACKUP     BACKUP = a directory made by `backup`
# The database is the one the service uses (DATABASE_URL, else PG*
# variables, else the project cluster, as config/settings.py reads them);
# RESTORE_DB=name restores into another database of that server instead
# (created when missing). Media: HERITAGE_MEDIA_ROOT (default var/media).
# A restore replaces the database's contents; the media directory it
# replaces is kept beside it as <media>.replaced-<time>, never deleted.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
media=$(realpath -m "${HERITAGE_MEDIA_ROOT:-$here/var/media}")
stamp=$(date -u +%Y%m%dT%H%M%SZ)

die() { echo "backup: $*" >&2; exit 1; }

bindir() {
  local dir
  for dir in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/pg_dump" ]; then echo "$dir"; return; fi
  done
  die "pg_dump not found (apt-get install postgresql-client)"
}

connection() {
  # A libpq connection string for database $1 (default: the service's).
  local name=${1:-}
  if [ -n "${DATABASE_URL:-}" ]; then
    local url=${DATABASE_URL/#postgis:/postgres:}
    if [ -n "$name" ]; then url="${url%/*}/$name"; fi
    echo "$url"
    return
  fi
  echo "host=${PGHOST:-127.0.0.1} port=${PGPORT:-${HERITAGE_PG_PORT:-54329}} user=${PGUSER:-heritage} dbname=${name:-${PGDATABASE:-heritage}}"
}

backup() {
  local out bin
  out="${1:-$here/var/backups}/heritage-$stamp"
  bin=$(bindir)
  mkdir -p "$out"
  "$bin/pg_dump" --format=custom --no-owner --dbname="$(connection)" --file="$out/database.dump" \
    || die "pg_dump failed"
  if [ -d "$media" ]; then
    tar -C "$media" -czf "$out/media.tar.gz" .
  else
    tar -czf "$out/media.tar.gz" --files-from /dev/null
  fi
  (cd "$out" && sha256sum database.dump media.tar.gz >SHA256SUMS)
  echo "Backed up to $out ($(du -sh "$out" | cut -f1))"
}

restore() {
  local from=${1:-} bin target
  [ -n "$from" ] || die "usage: make restore BACKUP=var/backups/heritage-<time>"
  [ -f "$from/database.dump" ] && [ -f "$from/media.tar.gz" ] || die "$from is not a backup (database.dump, media.tar.gz)"
  (cd "$from" && sha256sum --quiet -c SHA256SUMS) || die "$from is damaged: its checksums do not match"
  bin=$(bindir)
  target=${RESTORE_DB:-}
  if [ -n "$target" ]; then
    local exists
    exists=$("$bin/psql" "$(connection postgres)" -qtA -c "select 1 from pg_database where datname = '$target'")
    if [ "$exists" != "1" ]; then "$bin/psql" "$(connection postgres)" -q -c "create database \"$target\""; fi
  fi
  # The content version (editorial/content_version.py) must never go back:
  # caches keyed by it (versioned tile URLs in browsers, kept exports and
  # bodies) would meet an old number holding other data. So the restored
  # counter is set past the highest one this database has given out.
  local given
  given=$("$bin/psql" "$(connection "$target")" -qtA \
    -c "select version from editorial_content_version" 2>/dev/null || true)
  # One transaction: a restore that fails leaves the database as it was.
  "$bin/pg_restore" --clean --if-exists --no-owner --single-transaction --exit-on-error \
    --dbname="$(connection "$target")" "$from/database.dump" || die "pg_restore failed; the database is unchanged"
  "$bin/psql" "$(connection "$target")" -q -c \
    "update editorial_content_version set version = greatest(version, ${given:-0}) + 1" >/dev/null
  local incoming="$media.restoring-$stamp"
  mkdir -p "$incoming"
  tar -C "$incoming" -xzf "$from/media.tar.gz"
  if [ -e "$media" ]; then
    mv "$media" "$media.replaced-$stamp"
    echo "The media directory it replaced is kept in $media.replaced-$stamp"
  fi
  mv "$incoming" "$media"
  echo "Restored $from into ${target:-the service database} and $media"
}

case "${1:-}" in
  backup) backup "${2:-}" ;;
  restore) restore "${2:-}" ;;
  *) die "usage: $0 backup [DIR] | restore BACKUP" ;;
esac
