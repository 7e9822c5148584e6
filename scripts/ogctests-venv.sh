#!/usr/bin/env bash
# The ogctests suite (OGC API – Features core, from PyPI) in its own
# virtualenv var/ogctests, from tests/requirements-ogctests.txt: it pins
# pytest 8, which cannot share .venv (pytest 9). Reinstalled only when the
# pins change. About 490 MB (geopandas, pyarrow); `make setup-dev` runs it.
set -euo pipefail

req=tests/requirements-ogctests.txt
target=var/ogctests
stamp=$target/.requirements.sha256
python=${PYTHON:-python3}

want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x "$target/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ]; then
  exit 0
fi
echo "Installing $req into $target"
rm -rf "$target"
mkdir -p var
"$python" -m venv "$target"
"$target/bin/pip" install -q --disable-pip-version-check -r "$req" 2> >(grep -v "is ignored: it is neither" >&2)
echo "$want" >"$stamp"
