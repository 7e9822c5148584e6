"""The pieces of a site's detail that PostgreSQL builds as JSON: its
properties, its periods and its published photos (the v1 contract:
api.v1.serializers.SiteDetailSerializer and PhotoSerializer, kept equal by
tests/api/v1/test_detail_parity.py).

The whole detail body, with the routes a site is a stop of, is assembled in
routes.selectors_detail (routes know sites; sites never import routes).
Photo URLs are absolute: `media_base` is the request's absolute MEDIA_URL
(an expression, so the compiled statement takes it as a parameter).
"""

import re

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Expression, F, Func, JSONField, OuterRef, TextField, Value
from django.db.models.functions import Cast, NullIf

from editorial.translations import Translated
from editorial.vocabularies import Status
from geodata.geojson import GEOJSON_PRECISION
from sites.models import Photo, Site
from sites.validators import ACCESSIBILITY_FLAGS


def _expression(value) -> Expression:
    return F(value) if isinstance(value, str) else value


_MEMBER_NAME = re.compile(r"[a-z_][a-z0-9_]*")


class JSONBuild(Func):
    """json_build_object(name, value, …) with the members in the order given.

    json, not jsonb: a json value inside is written out verbatim, where jsonb
    would parse and print it again (a 2,000-vertex path: ~12 ms of ~14 ms,
    measured). Member names are our own identifiers, written into the SQL."""

    output_field = JSONField()

    def __init__(self, **members):
        self.names = list(members)
        if not all(_MEMBER_NAME.fullmatch(name) for name in self.names):
            raise ValueError(f"Member names must be identifiers: {self.names}")
        super().__init__(*members.values())

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for name, expression in zip(self.names, self.source_expressions, strict=True):
            sql, expression_params = compiler.compile(expression)
            parts.append(f"'{name}', {sql}")
            params.extend(expression_params)
        return f"json_build_object({', '.join(parts)})", params


def text(value: str) -> Expression:
    """A text constant (a parameter), typed for json_build_object."""
    return Cast(Value(value), TextField())


class GeoJSONGeometry(Func):
    """ST_AsGeoJSON (6 decimals, about 0.1 m) as json: written out verbatim."""

    template = "(%(expressions)s)::json"
    output_field = JSONField()

    def __init__(self, field: str | Expression):
        super().__init__(AsGeoJSON(field, precision=GEOJSON_PRECISION))


class UTCSeconds(Func):
    """A timestamp as UTC text to the second ('2026-12-02T18:30:00Z'), the
    text api.v1.serializers.fields.UTCDateTimeField writes."""

    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    output_field = TextField()


class ISODate(Func):
    """A date as 'YYYY-MM-DD' (DRF's DateField), NULL stays NULL."""

    template = "to_char(%(expressions)s, 'YYYY-MM-DD')"
    output_field = TextField()


class PickedLanguage(Func):
    """SQL twin of editorial.translations.picked_language on a jsonb column:
    the code Translated answers in (for Content-Language), NULL for no text."""

    output_field = TextField()

    def __init__(self, field: str | Expression, language: str):
        super().__init__(_expression(field))
        # The same order as Translated: the asked language, then the fallbacks.
        self.languages = Translated(field, language).languages

    def as_sql(self, compiler, connection, **extra_context):
        source, params = compiler.compile(self.source_expressions[0])
        cases = [f"CASE WHEN NULLIF(({source})->>%s, '') IS NOT NULL THEN %s END" for _code in self.languages]
        any_code = f"(SELECT key FROM jsonb_each_text({source}) WHERE value <> '' LIMIT 1)"
        all_params: list = []
        for code in self.languages:
            all_params.extend([*params, code, code])
        return f"COALESCE({', '.join(cases)}, {any_code})", [*all_params, *params]


class JSONMember(Func):
    """`object -> key`: a member of a jsonb object, SQL NULL when absent
    (which json_build_object writes as JSON null, like dict.get)."""

    output_field = JSONField()

    def __init__(self, field: str | Expression, key: str):
        super().__init__(_expression(field), Value(key))

    def as_sql(self, compiler, connection, **extra_context):
        source, params = compiler.compile(self.source_expressions[0])
        key, key_params = compiler.compile(self.source_expressions[1])
        return f"(({source}) -> {key})", [*params, *key_params]


class TruthyJSONMember(JSONMember):
    """`value.get(key) or None`: a member, NULL when absent or empty ("")."""

    def as_sql(self, compiler, connection, **extra_context):
        member, params = super().as_sql(compiler, connection, **extra_context)
        return f"NULLIF({member}, '\"\"'::jsonb)", params


class Renditions(Func):
    """A photo's renditions {"width": path} as {"width": absolute URL}: only
    what the pipeline wrote (digit keys, non-empty text paths), like
    PhotoSerializer.get_renditions. Paths are names sites.photos generated
    (no character a URL must escape), so the URL is the media base + path."""

    output_field = JSONField()

    def __init__(self, field: str | Expression, media_base: Expression):
        super().__init__(_expression(field), media_base)

    def as_sql(self, compiler, connection, **extra_context):
        source, params = compiler.compile(self.source_expressions[0])
        base, base_params = compiler.compile(self.source_expressions[1])
        sql = (
            f"COALESCE((SELECT jsonb_object_agg(r.key, {base} || (r.value #>> '{{}}')) "
            f"FROM jsonb_each(CASE WHEN jsonb_typeof({source}) = 'object' THEN {source} END) AS r "
            "WHERE r.key ~ '^[0-9]+$' AND jsonb_typeof(r.value) = 'string' AND r.value #>> '{}' <> ''), "
            "'{}'::jsonb)"
        )
        return sql, [*base_params, *params, *params]


def photo_array(site_ref: str, *, language: str, media_base: Expression) -> ArraySubquery:
    """The site's published photos in order (PhotoSerializer), as json[]."""
    photos = Photo.objects.filter(site_id=OuterRef(site_ref), status=Status.PUBLISHED).order_by(
        "sort_order", "pk"
    )
    return ArraySubquery(
        photos.values(
            json=JSONBuild(
                id=F("pk"),
                caption=Translated("caption", language),
                author=F("author"),
                license=F("license"),
                width=F("width"),
                height=F("height"),
                renditions=Renditions("renditions", media_base),
            )
        )
    )


def period_array(*, language: str) -> ArraySubquery:
    """The site's periods in chronological order (PeriodSerializer), as json[]."""
    through = Site.periods.through
    periods = through.objects.filter(site_id=OuterRef("pk")).order_by("period__sort_order", "period_id")
    return ArraySubquery(
        periods.values(
            json=JSONBuild(
                code=F("period_id"),
                name=Translated("period__name", language),
                start_year=F("period__start_year"),
                end_year=F("period__end_year"),
            )
        )
    )


def accessibility_json() -> Expression:
    """Every flag present, null where nobody knows (AccessibilityField)."""
    flags = {flag: JSONMember("accessibility", flag) for flag in ACCESSIBILITY_FLAGS}
    return JSONBuild(
        **flags,
        surface=TruthyJSONMember("accessibility", "surface"),
        notes=TruthyJSONMember("accessibility", "notes"),
    )


def _unknown_is_null(field: str) -> Expression:
    # Unknown is said as null, never as "" (which reads as "nothing to know").
    return NullIf(F(field), Value(""))


def site_detail_properties(*, language: str, media_base: Expression, routes: Expression) -> dict:
    """The properties of SiteDetailSerializer, as expressions on a Site
    queryset; `routes` is the json[] of the routes it is a stop of."""
    return {
        "slug": F("slug"),
        "name": Translated("name", language),
        "description": Translated("description", language),
        "kind": F("kind"),
        "periods": period_array(language=language),
        "start_year": F("start_year"),
        "end_year": F("end_year"),
        "district": F("district"),
        "address": F("address"),
        "opening_hours": _unknown_is_null("opening_hours"),
        "opening_hours_source": _unknown_is_null("opening_hours_source"),
        "opening_hours_as_of": ISODate("opening_hours_as_of"),
        "accessibility": accessibility_json(),
        "accessibility_source": _unknown_is_null("accessibility_source"),
        "accessibility_as_of": ISODate("accessibility_as_of"),
        "access_note": NullIf(Translated("access_note", language), Value("")),
        "provenance": F("provenance"),
        "geometry_quality": F("geometry_quality"),
        "confidence": F("confidence"),
        "shape": GeoJSONGeometry("shape"),
        "wikidata": F("wikidata"),
        "pleiades": F("pleiades"),
        "osm": F("osm"),
        "sources": F("sources"),
        "license": F("license"),
        "attribution": F("attribution"),
        "photos": photo_array("pk", language=language, media_base=media_base),
        "routes": routes,
        "updated_at": UTCSeconds("updated_at"),
    }
