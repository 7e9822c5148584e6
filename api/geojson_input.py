"""Safe parsing of GeoJSON Feature request bodies for the staff write API.

Two layers, both before anything reaches a service:

1. `SafeJSONParser` / `SafeGeoJSONParser`: the body itself. DRF's JSONParser
   reads the raw stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never applies
   to it; here a body over that size is a 413; bare NaN/Infinity literals,
   numbers that overflow to infinity (1e309) and nesting deeper than
   MAX_JSON_DEPTH are 400s (Python's json raises RecursionError, not
   ValueError, on very deep input: a 500 under plain DRF).
2. `parse_feature` / `parse_geometry`: the GeoJSON structure (RFC 7946).
   Positions are checked as plain JSON numbers first (finite, 2D, in range,
   enough points, closed rings), then the geometry is built from those
   coordinates (shapely, handed to GEOS as WKB) without GDAL's permissive
   parser, and geodata.validators checks OGC validity (with the reason) and
   the service area (with the swapped-lat/lon hint).

Errors are DRF ValidationErrors keyed by the member they concern
("geometry", "crs", "properties.shape"), so api.exceptions renders a
problem+json 400 naming it.
"""

import json
import math
from collections.abc import Iterable

import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser

from api.exceptions import PayloadTooLarge
from geodata.geojson import GEOJSON_MEDIA_TYPE
from geodata.validators import validate_geometry, validate_in_service_area

# A Feature with a MultiPolygon nests 6 deep (Feature > geometry > coordinates
# > polygon > ring > position); properties add a few levels. 20 is generous.
MAX_JSON_DEPTH = 20

# Names RFC 7946's predecessor (2008 GeoJSON) used for WGS84 lon/lat.
WGS84_CRS_NAMES = frozenset(
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:OGC::CRS84",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "CRS84",
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326",
        "urn:ogc:def:crs:EPSG:4326",
        "http://www.opengis.net/def/crs/EPSG/0/4326",
    }
)


def _reject_constant(name: str):
    msg = f"JSON parse error - {name} is not a number JSON allows."
    raise ParseError(msg)


def _finite_float(text: str) -> float:
    # 1e309 parses to inf; PostgreSQL's jsonb and GEOS must never see it.
    value = float(text)
    if not math.isfinite(value):
        msg = f"JSON parse error - the number {text[:40]} is out of range (not finite)."
        raise ParseError(msg)
    return value


def json_depth(value) -> int:
    """Nesting depth of parsed JSON, iteratively (no recursion to exhaust)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class SafeJSONParser(BaseParser):
    """JSON bodies with a size limit (413), a depth limit and no NaN (400)."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge(f"The body is larger than {limit} bytes.")
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(f"The body is larger than {limit} bytes.")
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant, parse_float=_finite_float)
        except RecursionError as error:
            msg = f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels."
            raise ParseError(msg) from error
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"JSON parse error - {error}") from error
        if json_depth(data) > MAX_JSON_DEPTH:
            msg = f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels."
            raise ParseError(msg)
        return data


class SafeGeoJSONParser(SafeJSONParser):
    media_type = GEOJSON_MEDIA_TYPE


SAFE_PARSERS = [SafeJSONParser, SafeGeoJSONParser]


# --- GeoJSON structure -------------------------------------------------------


class GeometryError(Exception):
    """A problem with one geometry member; the caller names the member."""


def check_crs(crs) -> None:
    """Only WGS84 lon/lat: no crs member, null, or a name meaning CRS84/4326."""
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if isinstance(name, str) and name in WGS84_CRS_NAMES:
        return
    msg = (
        f"Only WGS84 longitude/latitude (CRS84, EPSG:4326) is accepted, got {name or crs!r}. "
        "RFC 7946 GeoJSON has no crs member; reproject before sending."
    )
    raise GeometryError(msg)


def _position(value) -> tuple[float, float]:
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
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        msg = f"Coordinate [{lon}, {lat}] is out of range: lon -180..180, lat -90..90."
        raise GeometryError(msg)
    return lon, lat


def _positions(value, *, minimum: int, what: str) -> list[tuple[float, float]]:
    if not isinstance(value, list):
        msg = f"A {what} must be an array of positions."
        raise GeometryError(msg)
    points = [_position(item) for item in value]
    if len(points) < minimum:
        msg = f"A {what} needs at least {minimum} positions, got {len(points)}."
        raise GeometryError(msg)
    return points


def _ring(value) -> list[tuple[float, float]]:
    points = _positions(value, minimum=4, what="polygon ring")
    if points[0] != points[-1]:
        msg = "A polygon ring must be closed: its first and last positions must be equal."
        raise GeometryError(msg)
    return points


def _polygon(value) -> shapely.Polygon:
    if not isinstance(value, list) or not value:
        msg = "A Polygon needs an array of at least one ring."
        raise GeometryError(msg)
    shell, *holes = [_ring(ring) for ring in value]
    return shapely.Polygon(shell, holes)


def _parts(value, build, what: str) -> list:
    if not isinstance(value, list) or not value:
        msg = f"A {what} needs an array of at least one part."
        raise GeometryError(msg)
    return [build(part) for part in value]


def _line(value) -> shapely.LineString:
    return shapely.LineString(_positions(value, minimum=2, what="LineString"))


# Shapes are assembled with shapely (one C call per part) and handed to GEOS
# as WKB: setting GEOS coordinates one by one through ctypes costs ~8 µs
# each, a second for a large path.
BUILDERS = {
    "Point": lambda c: shapely.Point(_position(c)),
    "LineString": _line,
    "Polygon": _polygon,
    "MultiPoint": lambda c: shapely.MultiPoint(_parts(c, _position, "MultiPoint")),
    "MultiLineString": lambda c: shapely.MultiLineString(_parts(c, _line, "MultiLineString")),
    "MultiPolygon": lambda c: shapely.MultiPolygon(_parts(c, _polygon, "MultiPolygon")),
}


def build_geometry(value, *, allowed_types: tuple[str, ...]) -> GEOSGeometry:
    """A GeoJSON geometry object -> GEOS (SRID 4326), or GeometryError."""
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
    geometry = GEOSGeometry(memoryview(shapely.to_wkb(BUILDERS[kind](value["coordinates"]))), srid=4326)
    try:
        validate_geometry(geometry, allowed_types=allowed_types)
        validate_in_service_area(geometry)
    except DjangoValidationError as error:
        raise GeometryError(" ".join(error.messages)) from error
    return geometry


def parse_geometry(value, *, field: str, allowed_types: tuple[str, ...]) -> GEOSGeometry:
    """build_geometry with the error keyed by `field` (a DRF 400)."""
    try:
        return build_geometry(value, allowed_types=allowed_types)
    except GeometryError as error:
        raise ValidationError({field: [str(error)]}) from error


def parse_feature(
    data, *, geometry_types: tuple[str, ...] | None, geometry_required: bool
) -> tuple[GEOSGeometry | None, dict, bool]:
    """A GeoJSON Feature body -> (geometry, properties, geometry_given).

    `geometry_types=None` means the resource has no geometry of its own (a
    route stop sits at its site): a non-null geometry is then refused. The
    top-level `id` and foreign members are ignored: the URL names the object.
    """
    if not isinstance(data, dict):
        raise ValidationError({"body": ["Expected a GeoJSON Feature object."]})
    if data.get("type") != "Feature":
        raise ValidationError({"type": [f"Expected a GeoJSON Feature, got {data.get('type')!r}."]})
    try:
        check_crs(data.get("crs"))
    except GeometryError as error:
        raise ValidationError({"crs": [str(error)]}) from error
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        raise ValidationError({"properties": ["Feature properties must be an object."]})

    given = data.get("geometry") is not None
    if geometry_types is None:
        if given:
            raise ValidationError({"geometry": ["A stop has no geometry of its own; send null."]})
        return None, properties, False
    if not given:
        if geometry_required or "geometry" in data:
            raise ValidationError({"geometry": ["This field is required."]})
        return None, properties, False
    return parse_geometry(data["geometry"], field="geometry", allowed_types=geometry_types), properties, True
