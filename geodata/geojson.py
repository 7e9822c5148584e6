"""Build GeoJSON (RFC 7946) inside PostgreSQL.

Selectors annotate these expressions onto querysets, so a feature leaves the
database already shaped: no GEOS object per row, no Python loop.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import F, Func, JSONField, TextField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Cast, JSONObject

from geodata.crs import CRS84, SUPPORTED_CRS, OutputCrs, geojson_geometry_sql

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


@dataclass(frozen=True)
class FeatureOptions:
    """How an OGC page shapes its features: the CRS of the geometry (Part 2),
    only some properties (`properties=`), no geometry (`skipGeometry=true`),
    and null properties left out (so a feature follows its JSON Schema
    while GDAL 3.6, which reads one plain type per property, still types it)."""

    crs: OutputCrs = field(default_factory=lambda: SUPPORTED_CRS[CRS84])
    properties: tuple[str, ...] | None = None  # None: all
    skip_geometry: bool = False
    strip_nulls: bool = False

    def keep(self, names) -> list[str]:
        return [name for name in names if self.properties is None or name in self.properties]


class GeometryJSON(Func):
    """A geography column as GeoJSON geometry (jsonb) in `crs`, or JSON null
    when the geometry is skipped (geojson_geometry_sql)."""

    output_field = JSONField()

    def __init__(self, expression, *, options: FeatureOptions):
        super().__init__(F(expression) if isinstance(expression, str) else expression)
        self.options = options

    def as_sql(self, compiler, connection, **extra_context):
        if self.options.skip_geometry:
            return "NULL::jsonb", []
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({geojson_geometry_sql(sql, self.options.crs)})::jsonb", params


MEMBER_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def object_text_without_nulls(members: dict[str, str], *, nested: frozenset[str] = frozenset()) -> str:
    """SQL writing a JSON object as text from `members` (name -> SQL value),
    leaving out members whose value is NULL: what json_strip_nulls(
    json_build_object(...)) gives, without building the object and parsing
    it again (that re-parse was a quarter of an OGC page's statement,
    bench/README.md "OGC page of 1,000"). `'"name":' || to_json(v)::text`
    is NULL when v is, and concat_ws skips NULLs. Members named in `nested`
    are jsonb columns whose own objects may hold nulls: jsonb_strip_nulls
    strips them in the stored binary form, as json_strip_nulls would have.
    Names are ours and plain identifiers (checked: they are written into the
    SQL and the JSON as they are), never a request's."""
    parts = []
    for name, value in members.items():
        if not MEMBER_NAME.fullmatch(name):
            raise ValueError(f"not a plain member name: {name!r}")
        # NULLIF: a jsonb `null` is a null member too, as json_strip_nulls has it.
        value_sql = f"NULLIF(jsonb_strip_nulls({value}), 'null')" if name in nested else value
        parts.append(f"""'"{name}":' || to_json({value_sql})::text""")
    if not parts:
        return "'{}'"
    # Compact, as json_strip_nulls writes it (", " and ": " were 7 % of a page).
    return "('{' || concat_ws(',', " + ", ".join(parts) + ") || '}')"


class StripNulls(Func):
    """jsonb_strip_nulls: members whose value is null are left out."""

    function = "jsonb_strip_nulls"
    output_field = JSONField()


def shaped_feature(
    *, geometry: str, properties: dict[str, Any], options: FeatureOptions, id_field: str = "pk"
) -> Expression:
    """feature() as an OGC page asks for it (FeatureOptions)."""
    kept = {name: value for name, value in properties.items() if name in options.keep(properties)}
    props = JSONObject(**kept) if kept else Cast(Value("{}"), JSONField())
    return JSONObject(
        type=Value("Feature"),
        id=F(id_field),
        geometry=GeometryJSON(geometry, options=options),
        properties=StripNulls(props) if options.strip_nulls else props,
    )
