#!/usr/bin/env bash
# Create .venv and install pinned requirements; reinstall only when the
# requirements files change (their hash is kept in .venv/.requirements.sha256).
#   scripts/venv.sh requirements.txt        runtime
#   scripts/venv.sh requirements-dev.txt    runtime + test tools
set -euo pipefail

req=${1:-requirements.txt}
python=${PYTHON:-python3}
stamp=.venv/.requirements.sha256

if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))'; then
  echo "Python 3.11+ is needed; '$python' is $("$python" --version 2>&1)." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv"
  "$python" -m venv .venv
fi

want=$(cat requirements.txt "$req" | sha256sum | cut -d' ' -f1)
have=$(cat "$stamp" 2>/dev/null || true)
# A dev install covers the runtime one: don't downgrade to runtime-only.
if [ "$have" = "$want" ] || grep -qx "$want" .venv/.covers 2>/dev/null; then
  exit 0
fi

echo "Installing $req into .venv"
# (This machine's pip config names local mirrors that may be absent: hide that noise.)
.venv/bin/pip install -q --disable-pip-version-check -r "$req" 2> >(grep -v "is ignored: it is neither" >&2)
echo "$want" >"$stamp"
if [ "$req" = "requirements-dev.txt" ]; then
  # Remember that the runtime set is covered too.
  cat requirements.txt requirements.txt | sha256sum | cut -d' ' -f1 >.venv/.covers
fi
