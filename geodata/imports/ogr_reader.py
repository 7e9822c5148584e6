"""GeoPackage and Shapefile through GDAL, with its network switched off
before it opens anything."""

from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry

from geodata.imports.geometry import to_wgs84
from geodata.imports.rows import ImportFileError, RawRecord, route_row, site_row


def no_network_gdal() -> None:
    """Switch off every way GDAL/PROJ could reach the network, in-process."""
    from django.contrib.gis.gdal.libgdal import lgdal

    for key, value in (
        ("GDAL_HTTP_PROXY", "127.0.0.1:9"),
        ("GDAL_HTTP_TIMEOUT", "1"),
        ("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".none"),
        ("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR"),
        ("PROJ_NETWORK", "OFF"),
        ("OGR_SQLITE_LOAD_EXTENSIONS", ""),
    ):
        lgdal.CPLSetConfigOption(key.encode(), value.encode())


SQLITE_MAGIC = b"SQLite format 3\x00"


def read_ogr(path: Path, *, language: str) -> list[RawRecord]:
    from django.contrib.gis.gdal import DataSource, GDALException

    if path.suffix.lower() == ".gpkg" and path.open("rb").read(16) != SQLITE_MAGIC:
        msg = "Not a GeoPackage (no SQLite header)."
        raise ImportFileError(msg)
    no_network_gdal()
    try:
        source = DataSource(str(path))
    except GDALException as error:
        msg = f"GDAL cannot read {path.name}: {error}."
        raise ImportFileError(msg) from error
    sites, routes, row = [], [], 0
    for layer in source:
        if layer.geom_type.name in ("None", "Unknown") and layer.name == "about":
            continue
        is_route_layer = layer.name == "routes" or ("theme" in layer.fields and "kind" not in layer.fields)
        for feature in layer:
            row += 1
            props = {name: feature.get(name) for name in layer.fields}
            geometry, error = _ogr_geometry(feature)
            if is_route_layer:
                routes.append(route_row(row, props, geometry))
                target = routes
            else:
                sites.append(site_row(row, props, geometry))
                target = sites
            if error:
                target[-1].errors.insert(0, error)
    return sites + routes


def _ogr_geometry(feature) -> tuple[GEOSGeometry | None, str | None]:
    geometry = feature.geom
    if geometry is None:
        return None, None
    try:
        if geometry.srs is not None and geometry.srid != 4326:
            geometry.transform(4326)
        value = geometry.geos
        value.srid = 4326
        if value.geom_type == "MultiLineString" and len(value) == 1:
            value = value[0]
            value.srid = 4326
        return to_wgs84(value, 4326), None
    except Exception as error:  # GDAL and GEOS raise several types
        return None, f"geometry: {error}"
