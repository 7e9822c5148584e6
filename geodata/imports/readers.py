"""Readers: a file in, raw rows out (RawRecord: properties, a WGS84
geometry and what is wrong with the row's geometry or shape). One function
per format (text_readers.py, xml_readers.py, ogr_reader.py); what
the properties mean is interchange/records.py's business.

- GeoJSON (also our exports, including a route with its stops), CSV with
  lat/lon or WKT columns, GPX (wpt = sites, trk = a route), KML/KMZ
  (Point placemarks = sites, line placemarks = routes), GeoPackage and zipped
  Shapefile (through GDAL).
- XML goes through defusedxml (xmlsafe.py), zips through archives.py.
- Any CRS GDAL knows is reprojected to WGS84: GeoJSON's legacy `crs`
  member, `--srid` for CSV, the layer's CRS for GeoPackage/Shapefile.
- Nothing is fetched from the network: GDAL's HTTP and PROJ's network are
  switched off before GDAL opens anything (no_network_gdal), and only
  regular local files are read.
"""

import tempfile
from pathlib import Path

from geodata.imports import archives, xmlsafe
from geodata.imports.ogr_reader import read_ogr
from geodata.imports.rows import ImportFileError, RawRecord
from geodata.imports.text_readers import read_csv, read_geojson
from geodata.imports.xml_readers import read_gpx, read_kml

MAX_FILE_BYTES = 512 * 1024 * 1024
FORMATS_BY_SUFFIX = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".jsonld": "geojson",
    ".csv": "csv",
    ".gpx": "gpx",
    ".kml": "kml",
    ".kmz": "kmz",
    ".gpkg": "gpkg",
    ".zip": "shapefile",
}


__all__ = ["FORMATS_BY_SUFFIX", "ImportFileError", "detect_format", "read_records"]


def detect_format(path: Path) -> str:
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        msg = f"Unknown file type {path.suffix!r}; use one of {', '.join(sorted(FORMATS_BY_SUFFIX))}."
        raise ImportFileError(msg)
    return fmt


def read_records(
    path: Path,
    *,
    fmt: str | None = None,
    srid: int | None = None,
    language: str = "tr",
) -> list[RawRecord]:
    """Every record of the file at `path`, in file order."""
    if not path.is_file():
        msg = f"{path} is not a regular local file."
        raise ImportFileError(msg)
    if path.stat().st_size > MAX_FILE_BYTES:
        msg = f"{path} is larger than {MAX_FILE_BYTES // 2**20} MB."
        raise ImportFileError(msg)
    fmt = fmt or detect_format(path)
    options = {"language": language}
    try:
        if fmt == "geojson":
            return read_geojson(path.read_bytes(), srid=srid, **options)
        if fmt == "csv":
            return read_csv(path.read_bytes(), srid=srid, **options)
        if fmt == "gpx":
            return read_gpx(path.read_bytes(), **options)
        if fmt == "kml":
            return read_kml(path.read_bytes(), **options)
        if fmt == "kmz":
            return read_kml(archives.read_member(path, suffix=".kml"), **options)
        if fmt == "gpkg":
            return read_ogr(path, **options)
        if fmt == "shapefile":
            with tempfile.TemporaryDirectory(prefix="heritage-import-") as directory:
                files = archives.extract_all(path, Path(directory))
                shapefiles = [file for file in files if file.suffix.lower() == ".shp"]
                if not shapefiles:
                    msg = "The zip has no .shp file."
                    raise ImportFileError(msg)
                return read_ogr(shapefiles[0], **options)
    except (xmlsafe.UnsafeXml, archives.UnsafeArchive) as error:
        raise ImportFileError(str(error)) from error
    msg = f"Unknown format {fmt!r}."
    raise ImportFileError(msg)
