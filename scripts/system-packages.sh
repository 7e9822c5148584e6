#!/usr/bin/env bash
# Install the Debian packages the project needs, only when they are missing.
#   scripts/system-packages.sh run    PostGIS for the installed PostgreSQL + GDAL tools
#   scripts/system-packages.sh test   the same + Debian chromium for browser tests
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -euo pipefail

purpose=${1:-run}

pg_major() {
  # The PostgreSQL that is installed decides which PostGIS package fits it.
  local majors
  majors=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1 || true)
  echo "${majors:-15}"
}

major=$(pg_major)
wanted=("postgresql-${major}" "postgresql-${major}-postgis-3" "gdal-bin")
if [ "$purpose" = "test" ]; then
  wanted+=("chromium")
fi
# HERITAGE_EXTRA_PACKAGES: more Debian packages to ensure (space-separated).
read -r -a extra <<<"${HERITAGE_EXTRA_PACKAGES:-}"
wanted+=("${extra[@]}")

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Run as root:  apt-get update && $cmd" >&2
  echo "(or point DATABASE_URL at a PostGIS server you already have)" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends ${missing[*]} >/dev/null
