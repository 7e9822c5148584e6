"""Geometry checks shared by every write path (admin, API, imports).

The database enforces validity too (CHECK constraints); these checks run first
so that users get a message naming the problem instead of an IntegrityError.
"""

import numpy as np
import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.core.exceptions import ValidationError


def service_area() -> Polygon:
    west, south, east, north = settings.HERITAGE_SERVICE_AREA
    return Polygon.from_bbox((west, south, east, north))


# A route through a city needs a few thousand vertices at most (the
# synthetic bench routes have up to 2,000); 90,000 made the admin's layer
# page weigh 1.8 MB. Simplify a surveyed line before loading it.
MAX_VERTICES = 10_000


def validate_geometry(geometry: GEOSGeometry, *, allowed_types: tuple[str, ...]) -> None:
    """Type, SRID, 2D, finite in-range coordinates and OGC validity."""
    if geometry.geom_type not in allowed_types:
        msg = f"Expected {' or '.join(allowed_types)}, got {geometry.geom_type}."
        raise ValidationError(msg, code="geometry_type")
    if geometry.srid not in (None, 4326):
        msg = f"Coordinates must be WGS84 (EPSG:4326), got EPSG:{geometry.srid}."
        raise ValidationError(msg, code="srid")
    if geometry.hasz:
        msg = "Only 2D coordinates (lon, lat) are accepted, not 3D."
        raise ValidationError(msg, code="dimensions")
    if geometry.empty:
        msg = "The geometry is empty."
        raise ValidationError(msg, code="empty")
    if geometry.num_coords > MAX_VERTICES:
        msg = f"The geometry has {geometry.num_coords:,} vertices; at most {MAX_VERTICES:,} are accepted."
        raise ValidationError(msg, code="too_many_vertices")
    coords = coordinate_array(geometry)
    if not np.isfinite(coords).all():
        msg = "Coordinates must be finite numbers."
        raise ValidationError(msg, code="not_finite")
    outside = (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)
    if outside.any():
        lon, lat = coords[outside.argmax()]
        msg = f"Coordinate ({lon}, {lat}) is out of range: lon -180..180, lat -90..90."
        raise ValidationError(msg, code="out_of_range")
    if not geometry.valid:
        msg = f"Invalid geometry: {geometry.valid_reason}."
        raise ValidationError(msg, code="invalid_geometry")


def validate_in_service_area(geometry: GEOSGeometry) -> None:
    area = service_area()
    if area.contains(geometry):
        return
    msg = "The geometry lies outside the service area (İzmir province)."
    if looks_swapped(geometry):
        msg += " Latitude and longitude look swapped: GeoJSON order is [lon, lat]."
    raise ValidationError(msg, code="outside_service_area")


def looks_swapped(geometry: GEOSGeometry) -> bool:
    """Whether the geometry would lie in the service area with every
    coordinate's lon and lat exchanged (the commonest GeoJSON mistake).

    The service area is a box, so comparing extents is exact for any type."""
    if geometry.empty:
        return False
    xmin, ymin, xmax, ymax = geometry.extent
    west, south, east, north = settings.HERITAGE_SERVICE_AREA
    return west <= ymin and ymax <= east and south <= xmin and xmax <= north


def coordinate_array(geometry: GEOSGeometry) -> np.ndarray:
    """Every (lon, lat) of the geometry as an n×2 array, read from its WKB in
    one call: reading GEOS coordinates one by one through ctypes costs about
    8 µs each (half a second for a 60,000-vertex line)."""
    return shapely.get_coordinates(shapely.from_wkb(bytes(geometry.wkb)))
