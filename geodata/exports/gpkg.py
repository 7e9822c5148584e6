"""GeoPackage exports, written by GDAL's ogr2ogr.

Each layer is first written as CSV with a `.csvt` sidecar naming every
column's type (so GDAL never guesses that a Pleiades id is a number), then
ogr2ogr turns the CSVs into one GeoPackage: `sites`, `routes` and an `about`
table holding licence, attribution, citation, data version and generation
time (also in the layers' descriptions and the dataset metadata).

ogr2ogr reads local files only; network access is switched off for it
anyway (gdal_environment).
"""

import csv
import os
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from geodata.exports.metadata import ExportMetadata

MEDIA_TYPE = "application/geopackage+sqlite3"
EXTENSION = "gpkg"

# GDAL's CSVT types per column name; the rest are String.
COLUMN_TYPES = {
    "start_year": "Integer",
    "end_year": "Integer",
    "stop_order": "Integer",
    "dwell_min": "Integer",
    "trigger_radius_m": "Integer",
    "duration_min": "Integer",
    "lon": "Real",
    "lat": "Real",
    "length_m": "Real",
    "wkt": "WKT",
}


def gdal_environment() -> dict[str, str]:
    """Environment for GDAL child processes: no network, no stray config."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GDAL_", "CPL_", "OGR_"))}
    env.update(
        {
            "GDAL_HTTP_PROXY": "127.0.0.1:9",  # a dead proxy: any HTTP attempt fails at once
            "GDAL_HTTP_TIMEOUT": "1",
            "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none",
            "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
            "PROJ_NETWORK": "OFF",
            "CPL_LOG": os.devnull,
        }
    )
    return env


def write_layer_csv(path: Path, *, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    types = ",".join(f'"{COLUMN_TYPES.get(column, "String")}"' for column in columns)
    path.with_suffix(".csvt").write_text(types + "\n", encoding="utf-8")


def _ogr2ogr(target: Path, source: Path, *, layer: str, metadata: ExportMetadata, spatial: bool) -> None:
    command = [
        "ogr2ogr",
        "-f",
        "GPKG",
        target.as_posix(),
        source.as_posix(),
        "-nln",
        layer,
        "-lco",
        f"DESCRIPTION={metadata.title}: {layer}. {metadata.citation}",
        "-lco",
        f"IDENTIFIER={layer}",
    ]
    if spatial:
        command += [
            "-oo",
            "GEOM_POSSIBLE_NAMES=wkt",
            "-oo",
            "KEEP_GEOM_COLUMNS=NO",
            "-a_srs",
            "EPSG:4326",
            "-nlt",
            "MULTILINESTRING" if layer == "routes" else "POINT",
        ]
    if target.exists():
        command.insert(1, "-update")
    else:
        for key, value in metadata.as_dict().items():
            command += ["-mo", f"{key.upper()}={value}"]
    subprocess.run(command, check=True, capture_output=True, env=gdal_environment(), timeout=3600)


def write_geopackage(
    directory: Path,
    *,
    layers: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]],
    metadata: ExportMetadata,
) -> Path:
    """Write `layers` [(name, columns, rows), ...] (rows with a `wkt`
    column) and the `about` table into directory/export.gpkg."""
    target = directory / "export.gpkg"
    for name, columns, rows in layers:
        source = directory / f"{name}.csv"
        write_layer_csv(source, columns=columns, rows=rows)
        _ogr2ogr(target, source, layer=name, metadata=metadata, spatial=True)
        source.unlink()
    about = directory / "about.csv"
    write_layer_csv(about, columns=("key", "value"), rows=metadata.as_dict().items())
    _ogr2ogr(target, about, layer="about", metadata=metadata, spatial=False)
    return target


def temporary_directory() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="heritage-export-")
