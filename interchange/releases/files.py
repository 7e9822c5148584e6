"""The files of one release, written into a folder: the existing exports
(interchange/exports.py, so the same bytes as the API's downloads), the
manifest and changes, README, CHANGELOG, CITATION.cff, datapackage.json and
SHA256SUMS. Every file is streamed to disk and hashed while written."""

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings

from geodata.exports import csvfile
from geodata.exports.datapackage import PackageFile, data_package, sha256sums
from interchange.exports import FORMATS, Export, route_export, sites_export
from interchange.releases import documents, manifest
from routes.selectors_export import route_export_queryset
from sites.selectors_export import FLAT_COLUMNS

SITE_FORMATS = (
    ("geojson", "Published sites, GeoJSON (RFC 7946)"),
    ("csv", "Published sites, CSV (WKT and lon/lat)"),
    ("gpkg", "Published sites and routes, GeoPackage"),
    ("lpf", "Published sites, Linked Places (LPF, World Historical Gazetteer)"),
)
ROUTE_FORMATS = (("gpx", "GPX 1.1"), ("kml", "KML 2.2"))
SITE_CSV_COLUMNS = (*FLAT_COLUMNS, *csvfile.METADATA_COLUMNS)
BLOCK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ReleaseContext:
    version: str
    released_at: datetime
    url: str  # the release's stable URL
    base_uri: str  # where sites live (LPF @id)
    previous: object | None  # the previous Release row
    previous_manifest: Path | None


def write_file(path: Path, chunks: Iterable[str | bytes]) -> tuple[int, str]:
    """Write `chunks` to `path`, fsync'd; (bytes, SHA-256 hex)."""
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as handle:
        for chunk in chunks:
            data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
            digest.update(data)
            size += len(data)
            handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return size, digest.hexdigest()


def hashed(path: Path, *, media_type: str, title: str, **table) -> PackageFile:
    """A file already on disk, measured and hashed in blocks (flat memory)."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            digest.update(block)
            size += len(block)
        os.fsync(handle.fileno())
    return PackageFile(path.name, size, digest.hexdigest(), media_type, title, **table)


class ReleaseWriter:
    """Writes the files into `folder`, reporting each name to `progress`."""

    def __init__(self, folder: Path, context: ReleaseContext, progress: Callable[[str], None]):
        self.folder, self.context, self.progress = folder, context, progress
        self.files: list[PackageFile] = []

    def _name(self, stem: str, extension: str) -> str:
        return f"izmir-heritage-{stem}-{self.context.version}.{extension}"

    def _add(self, name: str, chunks, *, media_type: str, title: str, **table) -> PackageFile:
        size, digest = write_file(self.folder / name, chunks)
        entry = PackageFile(name, size, digest, media_type, title, **table)
        self.files.append(entry)
        self.progress(name)
        return entry

    def _export(self, export: Export, name: str, title: str, **table) -> None:
        self._add(name, export.chunks, media_type=export.media_type, title=title, **table)

    def exports(self) -> None:
        c = self.context
        common = {"base_uri": c.base_uri, "now": c.released_at, "version": c.version, "url": c.url}
        for fmt, title in SITE_FORMATS:
            export = sites_export(fmt, **common)
            table = {"columns": SITE_CSV_COLUMNS, "primary_key": ("slug",)} if fmt == "csv" else {}
            name = self._name("sites", FORMATS[fmt].EXTENSION)
            self._export(export, name, title, **table)
        for route in route_export_queryset():
            for fmt, label in ROUTE_FORMATS:
                export = route_export(fmt, route=route, **common)
                name = self._name(f"route-{route.slug}", FORMATS[fmt].EXTENSION)
                self._export(export, name, f"Route {route.slug}, {label}")

    def manifest_and_changes(self, sites, routes) -> tuple[dict, manifest.Changes]:
        path = self.folder / "manifest.csv"
        counts = manifest.write_manifest(path, manifest.current_manifest(sites, routes))
        self.files.append(
            hashed(
                path,
                media_type="text/csv",
                title="Manifest: SHA-256 of every site and route",
                columns=manifest.MANIFEST_COLUMNS,
                primary_key=("kind", "slug"),
            )
        )
        self.progress(path.name)
        changes_path = self.folder / "changes.csv"
        changes = manifest.write_changes(changes_path, previous=self.context.previous_manifest, current=path)
        self.files.append(
            hashed(
                changes_path,
                media_type="text/csv",
                title="Changes since the previous release",
                columns=manifest.CHANGE_COLUMNS,
            )
        )
        self.progress(changes_path.name)
        return counts, changes

    def documents(self, counts: dict, changes: manifest.Changes) -> None:
        c = self.context
        self._add(
            "CHANGELOG.md",
            [documents.changelog(c, changes)],
            media_type="text/markdown",
            title="What changed since the previous release",
        )
        self._add(
            "CITATION.cff",
            [documents.citation(c)],
            media_type="application/x-yaml",
            title="How to cite this release (Citation File Format 1.2.0)",
        )
        self._add(
            "README.md",
            [documents.readme(c, counts, changes, self.files)],
            media_type="text/markdown",
            title="About this release: licence, attribution, files",
        )
        package = data_package(
            name="izmir-heritage",
            title=documents.TITLE,
            version=c.version,
            created=c.released_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            about=documents.about(c),
            files=self.files,
        )
        self._add(
            "datapackage.json",
            [package],
            media_type="application/json",
            title="Frictionless Data Package descriptor",
        )
        self._add(
            "SHA256SUMS",
            [sha256sums(self.files)],
            media_type="text/plain",
            title="SHA-256 of every other file (sha256sum -c SHA256SUMS)",
        )


def release_url(version: str) -> str:
    return f"{settings.HERITAGE_PUBLIC_URL.rstrip('/')}/api/v1/releases/{version}"
