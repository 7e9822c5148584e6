#!/usr/bin/env bash
# Install the pinned front-end packages (package-lock.json) and copy the files
# the guide serves into guide/static/guide/vendor/ (gitignored), so whitenoise
# and collectstatic serve them like any static file: no CDN, nothing fetched
# at run time. `npm ci` runs only when the lock changed (its hash is kept in
# node_modules/.package-lock.sha256), as scripts/venv.sh does for pip.
#   scripts/npm.sh          runtime packages (maplibre-gl, fflate)
#   scripts/npm.sh dev      also the test tools (axe-core)
set -euo pipefail

purpose=${1:-run}
stamp=node_modules/.package-lock.sha256
vendor=guide/static/guide/vendor

if ! command -v npm >/dev/null 2>&1; then
  # Debian 12's own nodejs (18) with its npm package is enough for `npm ci`.
  HERITAGE_EXTRA_PACKAGES="nodejs npm" scripts/system-packages.sh run
fi

want=$( (cat package-lock.json; echo "$purpose") | sha256sum | cut -d' ' -f1)
have=$(cat "$stamp" 2>/dev/null || true)
dev_want=$( (cat package-lock.json; echo dev) | sha256sum | cut -d' ' -f1)
# A dev install covers the runtime one.
if [ "$have" != "$want" ] && [ "$have" != "$dev_want" ]; then
  echo "Installing npm packages from package-lock.json ($purpose)"
  if [ "$purpose" = "dev" ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm ci --omit=dev --no-audit --no-fund --loglevel=error
  fi
  echo "$want" >"$stamp"
fi

# Copy only what the browser loads (and the licence), only when it changed.
copy() {
  local from=$1 to=$2
  mkdir -p "$(dirname "$to")"
  cmp -s "$from" "$to" 2>/dev/null || cp "$from" "$to"
}
for file in maplibre-gl.mjs maplibre-gl-worker.mjs maplibre-gl.css; do
  copy "node_modules/maplibre-gl/dist/$file" "$vendor/maplibre-gl/$file"
done
copy node_modules/maplibre-gl/LICENSE.txt "$vendor/maplibre-gl/LICENSE.txt"
# fflate unpacks a route's offline package (a zip) in the browser: its ES
# module build, loaded only when a tourist downloads a route.
copy node_modules/fflate/esm/browser.js "$vendor/fflate/browser.js"
copy node_modules/fflate/LICENSE "$vendor/fflate/LICENSE"
