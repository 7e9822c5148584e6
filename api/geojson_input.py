"""Safe parsing of GeoJSON Feature request bodies for the staff write API.

Two layers, both before anything reaches a service:

1. `SafeJSONParser` / `SafeGeoJSONParser`: the body itself. DRF's JSONParser
   reads the raw stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never applies
   to it; here a body over that size is a 413; bare NaN/Infinity literals,
   numbers that overflow to infinity (1e309) and nesting deeper than
   MAX_JSON_DEPTH are 400s (Python's json raises RecursionError, not
   ValueError, on very deep input: a 500 under plain DRF).
2. `parse_feature` / `parse_geometry`: the GeoJSON structure (RFC 7946),
   through geodata.geojson_input.build_geometry, the one strict geometry
   intake (file imports use it too): finite 2D positions in range, enough
   points, closed rings, OGC validity and the service area.

Errors are DRF ValidationErrors keyed by the member they concern
("geometry", "crs", "properties.shape"), so api.exceptions renders a
problem+json 400 naming it.
"""

import json
import math
from collections.abc import Iterable

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser

from api.exceptions import PayloadTooLarge
from editorial.text import first_unsafe_text
from geodata.geojson import GEOJSON_MEDIA_TYPE
from geodata.geojson_input import GeometryError, build_geometry, check_crs

# Re-exported for the staff serializers, which import them from here.
__all__ = ["SAFE_PARSERS", "GeometryError", "build_geometry", "parse_feature", "parse_geometry"]

# A Feature with a MultiPolygon nests 6 deep (Feature > geometry > coordinates
# > polygon > ring > position); properties add a few levels. 20 is generous.
MAX_JSON_DEPTH = 20



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
        # isascii: "²".isdigit() is true, and int("²") a ValueError (a 500).
        if declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
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
        unsafe = first_unsafe_text(data)
        if unsafe:
            raise ValidationError({unsafe[0]: [unsafe[1]]})
        return data


class SafeGeoJSONParser(SafeJSONParser):
    media_type = GEOJSON_MEDIA_TYPE


SAFE_PARSERS = [SafeJSONParser, SafeGeoJSONParser]


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
