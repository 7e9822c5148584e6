"""Build GeoJSON (RFC 7946) inside PostgreSQL.

Selectors annotate these expressions onto querysets, so a feature leaves the
database already shaped: no GEOS object per row, no Python loop.
"""

from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import F, JSONField, TextField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Cast, JSONObject

# Six decimals of a degree is about 0.1 m: finer than any phone GPS fix.
GEOJSON_PRECISION = 6
GEOJSON_MEDIA_TYPE = "application/geo+json"


def geometry_json(field: str | Expression, *, precision: int = GEOJSON_PRECISION) -> Expression:
    """ST_AsGeoJSON as jsonb, so it can nest inside another JSON object.

    ST_AsGeoJSON on geography writes no `crs` member (RFC 7946 §4)."""
    return Cast(AsGeoJSON(field, precision=precision), JSONField())


def feature(*, geometry: str | Expression, properties: dict[str, Any], id_field: str = "pk") -> Expression:
    """One GeoJSON Feature per row, as jsonb. `properties` maps output keys to
    field names or expressions, exactly as Django's JSONObject does."""
    return JSONObject(
        type=Value("Feature"),
        id=F(id_field),
        geometry=geometry_json(geometry),
        properties=JSONObject(**properties),
    )


def as_text(expression: Expression) -> Expression:
    """jsonb -> text, for responses that stream rows without parsing them."""
    return Cast(expression, TextField())
