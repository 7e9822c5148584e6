"""Frictionless Data Package (datapackage.json) and SHA256SUMS for a folder
of export files, from plain values: which files, their sizes and SHA-256,
and for CSV tables the Table Schema of their columns.

`frictionless validate datapackage.json` then checks every file's size and
hash and every CSV cell against its field type.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Table Schema types of the CSV columns that are not strings.
FIELD_TYPES = {
    "start_year": "integer",
    "end_year": "integer",
    "stop_order": "integer",
    "dwell_min": "integer",
    "trigger_radius_m": "integer",
    "duration_min": "integer",
    "lon": "number",
    "lat": "number",
    "length_m": "number",
}
# Resource formats by file ending (Data Package `format`).
FORMATS = {
    ".geojson": "geojson",
    ".lpf.jsonld": "jsonld",
    ".csv": "csv",
    ".gpkg": "gpkg",
    ".gpx": "gpx",
    ".kml": "kml",
    ".json": "json",
    ".md": "md",
    ".cff": "cff",
}


@dataclass(frozen=True)
class PackageFile:
    """One file of the folder, as written."""

    name: str
    bytes: int
    sha256: str
    media_type: str
    title: str
    columns: tuple[str, ...] = ()  # a CSV table's header, else empty
    primary_key: tuple[str, ...] = ()

    def entry(self) -> dict:
        """What a release's database row keeps of the file."""
        return {
            "name": self.name,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "title": self.title,
        }


def _format(name: str) -> str:
    return next((fmt for ending, fmt in FORMATS.items() if name.endswith(ending)), "")


def table_schema(columns: Sequence[str], primary_key: Sequence[str] = ()) -> dict:
    schema: dict = {"fields": [{"name": c, "type": FIELD_TYPES.get(c, "string")} for c in columns]}
    if primary_key:
        schema["primaryKey"] = list(primary_key)
    return schema


def resource(file: PackageFile) -> dict:
    stem = file.name.lower().replace(".", "-")
    entry = {
        "name": stem,
        "title": file.title,
        "path": file.name,
        "format": _format(file.name),
        "mediatype": file.media_type.split(";")[0],
        "bytes": file.bytes,
        "hash": f"sha256:{file.sha256}",
    }
    if file.columns:
        entry.update(type="table", encoding="utf-8", schema=table_schema(file.columns, file.primary_key))
    else:
        entry["type"] = "file"
    return entry


def data_package(
    *, name: str, title: str, version: str, created: str, about: Mapping, files: Iterable[PackageFile]
) -> str:
    """datapackage.json text. `about`: description, homepage, licence
    (code, URL, title), sources [(title, path)] and contributors' titles."""
    package = {
        "name": name,
        "title": title,
        "version": version,
        "created": created,
        "description": about["description"],
        "homepage": about["homepage"],
        "id": about["homepage"],
        "licenses": [
            {"name": about["license"], "path": about["license_url"], "title": about["license_title"]}
        ],
        "sources": [{"title": source_title, "path": path} for source_title, path in about["sources"]],
        "contributors": [{"title": person, "role": "publisher"} for person in about["contributors"]],
        "resources": [resource(file) for file in files],
    }
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


def sha256sums(files: Iterable[PackageFile]) -> str:
    """`sha256sum -c` input: "<hex>  <name>" a line (two spaces: binary-safe text mode)."""
    return "".join(f"{file.sha256}  {file.name}\n" for file in files)
