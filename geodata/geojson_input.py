"""The one strict GeoJSON geometry intake (RFC 7946), for the staff API's
bodies and for file imports alike.

Positions are checked as plain JSON numbers first (finite, 2D, in range,
enough points, closed rings), then the geometry is built from those
coordinates (shapely, handed to GEOS as WKB) without GDAL's permissive
parser, and geodata.validators checks OGC validity (with the reason) and
the service area (with the swapped-lat/lon hint). A GeometryError says what
is wrong; the caller names the member (HTTP 400 or an import row's error).
"""

import math
from dataclasses import dataclass

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError

from geodata.crs import is_wgs84
from geodata.validators import coordinate_array, validate_geometry, validate_in_service_area

GEOMETRY_TYPES = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")


class GeometryError(Exception):
    """A problem with one geometry member; the caller names the member."""


def check_crs(crs) -> None:
    """Only WGS84 lon/lat: no crs member, null, or a name meaning CRS84/4326."""
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if is_wgs84(name):
        return
    msg = (
        f"Only WGS84 longitude/latitude (CRS84, EPSG:4326) is accepted, got {name or crs!r}. "
        "RFC 7946 GeoJSON has no crs member; reproject before sending."
    )
    raise GeometryError(msg)


def _in_range(lon: float, lat: float) -> None:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        msg = f"Coordinate [{lon}, {lat}] is out of range: lon -180..180, lat -90..90."
        raise GeometryError(msg)


@dataclass(frozen=True)
class _Builder:
    """Shapes from coordinates. `degrees`: positions are lon/lat and are
    range-checked here; else (a projected CRS) the range is checked after
    reprojection."""

    degrees: bool = True

    def position(self, value) -> tuple[float, float]:
        if not isinstance(value, list) or not all(
            isinstance(n, (int, float)) and not isinstance(n, bool) for n in value
        ):
            msg = "A position must be an array of numbers [lon, lat]."
            raise GeometryError(msg)
        if len(value) != 2:
            msg = f"Only 2D positions [lon, lat] are accepted, got {len(value)} numbers."
            raise GeometryError(msg)
        lon, lat = float(value[0]), float(value[1])
        if not (math.isfinite(lon) and math.isfinite(lat)):
            msg = "Coordinates must be finite numbers."
            raise GeometryError(msg)
        if self.degrees:
            _in_range(lon, lat)
        return lon, lat

    def positions(self, value, *, minimum: int, what: str) -> list[tuple[float, float]]:
        if not isinstance(value, list):
            msg = f"A {what} must be an array of positions."
            raise GeometryError(msg)
        points = [self.position(item) for item in value]
        if len(points) < minimum:
            msg = f"A {what} needs at least {minimum} positions, got {len(points)}."
            raise GeometryError(msg)
        return points

    def ring(self, value) -> list[tuple[float, float]]:
        points = self.positions(value, minimum=4, what="polygon ring")
        if points[0] != points[-1]:
            msg = "A polygon ring must be closed: its first and last positions must be equal."
            raise GeometryError(msg)
        return points

    def polygon(self, value) -> shapely.Polygon:
        if not isinstance(value, list) or not value:
            msg = "A Polygon needs an array of at least one ring."
            raise GeometryError(msg)
        shell, *holes = [self.ring(ring) for ring in value]
        return shapely.Polygon(shell, holes)

    @staticmethod
    def parts(value, build, what: str) -> list:
        if not isinstance(value, list) or not value:
            msg = f"A {what} needs an array of at least one part."
            raise GeometryError(msg)
        return [build(part) for part in value]

    def line(self, value) -> shapely.LineString:
        return shapely.LineString(self.positions(value, minimum=2, what="LineString"))

    # Shapes are assembled with shapely (one C call per part) and handed to
    # GEOS as WKB: setting GEOS coordinates one by one through ctypes costs
    # ~8 µs each, a second for a large path.
    def shape(self, kind: str, coordinates):
        if kind == "Point":
            return shapely.Point(self.position(coordinates))
        if kind == "LineString":
            return self.line(coordinates)
        if kind == "Polygon":
            return self.polygon(coordinates)
        if kind == "MultiPoint":
            return shapely.MultiPoint(self.parts(coordinates, self.position, "MultiPoint"))
        if kind == "MultiLineString":
            return shapely.MultiLineString(self.parts(coordinates, self.line, "MultiLineString"))
        return shapely.MultiPolygon(self.parts(coordinates, self.polygon, "MultiPolygon"))


def build_geometry(value, *, allowed_types: tuple[str, ...], srid: int = 4326) -> GEOSGeometry:
    """A GeoJSON geometry object -> GEOS (SRID 4326), or GeometryError.

    `srid` other than 4326 (an import's legacy `crs` or `--srid`) reads the
    coordinates in that CRS and reprojects them before the same checks."""
    if not isinstance(value, dict):
        msg = "A geometry must be a GeoJSON geometry object."
        raise GeometryError(msg)
    check_crs(value.get("crs"))
    kind = value.get("type")
    if kind not in allowed_types:
        msg = f"Expected {' or '.join(allowed_types)}, got {kind!r}."
        raise GeometryError(msg)
    if "coordinates" not in value:
        msg = "The geometry has no coordinates."
        raise GeometryError(msg)
    shape = _Builder(degrees=srid == 4326).shape(kind, value["coordinates"])
    geometry = GEOSGeometry(memoryview(shapely.to_wkb(shape)), srid=srid)
    if srid != 4326:
        geometry = reprojected(geometry)
    try:
        validate_geometry(geometry, allowed_types=allowed_types)
        validate_in_service_area(geometry)
    except ValidationError as error:
        raise GeometryError(" ".join(error.messages)) from error
    return geometry


def reprojected(geometry: GEOSGeometry) -> GEOSGeometry:
    """`geometry` (its srid set) in EPSG:4326, finite and in lon/lat range."""
    try:
        geometry.transform(4326)
    except Exception as error:  # GDAL raises several types
        msg = f"Cannot reproject from EPSG:{geometry.srid} ({error})."
        raise GeometryError(msg) from error
    coordinates = coordinate_array(geometry)
    if not np.isfinite(coordinates).all():
        msg = "Coordinates must be finite numbers."
        raise GeometryError(msg)
    lons, lats = coordinates[:, 0], coordinates[:, 1]
    outside = (np.abs(lons) > 180) | (np.abs(lats) > 90)
    if outside.any():
        index = int(np.argmax(outside))
        _in_range(float(lons[index]), float(lats[index]))
    return geometry
