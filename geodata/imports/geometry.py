"""Geometries of imported rows, in WGS84: GeoJSON through the one strict
intake (geodata.geojson_input, the staff API's), WKT and GDAL geometries
reprojected from their CRS. Errors are ValueErrors whose message the
import report shows against the row."""

import math
from collections.abc import Mapping

from django.contrib.gis.geos import GEOSGeometry

from geodata.geojson_input import GEOMETRY_TYPES, GeometryError, build_geometry


def finite(*numbers: float) -> bool:
    return all(isinstance(n, (int, float)) and math.isfinite(n) for n in numbers)


def finite_coordinates(coordinates) -> bool:
    """Every number in nested GeoJSON coordinates is finite (no NaN, no
    1e309 read as infinity)."""
    if isinstance(coordinates, (int, float)):
        return finite(coordinates)
    if isinstance(coordinates, (list, tuple)):
        return all(finite_coordinates(item) for item in coordinates)
    return False


def geometry_from_geojson(geometry: Mapping, *, srid: int = 4326) -> GEOSGeometry:
    """A GeoJSON geometry as WGS84 GEOS, refused exactly as the staff API
    refuses it; raises ValueError with a message."""
    if not isinstance(geometry, Mapping) or "type" not in geometry:
        msg = "geometry: missing or not a GeoJSON geometry."
        raise ValueError(msg)
    if _has_non_finite(geometry.get("coordinates")):
        msg = "geometry: coordinates must be finite numbers (no NaN or infinity)."
        raise ValueError(msg)
    try:
        return build_geometry(dict(geometry), allowed_types=GEOMETRY_TYPES, srid=srid)
    except GeometryError as error:
        msg = f"geometry: {error}"
        raise ValueError(msg) from error


def _has_non_finite(coordinates) -> bool:
    """NaN or infinity anywhere (the file's JSON had NaN or 1e309); other
    wrong values are the strict intake's to describe."""
    if isinstance(coordinates, float):
        return not math.isfinite(coordinates)
    if isinstance(coordinates, list):
        return any(_has_non_finite(item) for item in coordinates)
    return False


def to_wgs84(geometry: GEOSGeometry, srid: int | None) -> GEOSGeometry:
    """Reproject from `srid` (any CRS GDAL knows) to EPSG:4326."""
    geometry.srid = srid or geometry.srid or 4326
    if geometry.srid != 4326:
        try:
            geometry.transform(4326)
        except Exception as error:  # GDAL raises several types
            msg = f"geometry: cannot reproject from EPSG:{geometry.srid} ({error})."
            raise ValueError(msg) from error
    if not finite_coordinates(list(_flat(geometry.coords))):
        msg = "geometry: coordinates must be finite numbers."
        raise ValueError(msg)
    return geometry


def _flat(coords):
    if coords and isinstance(coords[0], (int, float)):
        yield from coords
        return
    for part in coords:
        yield from _flat(part)
