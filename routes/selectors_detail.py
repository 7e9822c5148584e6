"""Detail responses built whole in PostgreSQL: a site's detail, a route's
collection (path, then stops) and a route's trigger zones, each one
statement returning the body as JSON text plus the content version.

Why: on a cache miss the serializer path spent more time building four ORM
querysets and walking DRF fields than PostgreSQL spent answering them
(bench/README.md, "Detail bodies"). The serializers in api/v1/serializers/
stay the contract and the reference: tests/api/v1/test_detail_parity.py
checks both produce the same JSON for every language, so a field added to
one must be added to the other.

Each statement is compiled once per language (editorial.query_templates)
with stand-ins for the slug, the absolute media URL and the attribution
members, which every call swaps for its own values as parameters. Drafts
never show: routes and sites are read published only, stops only when both
their route and their site are published, photos and audio only published.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, Expression, F, Func, JSONField, OuterRef, QuerySet, TextField, Value, When

from editorial.content_version import ContentVersion
from editorial.query_templates import QueryTemplate
from editorial.translations import Translated
from editorial.vocabularies import Status
from geodata.functions import BBoxJSON, GeographyBuffer
from geodata.geojson import as_text
from routes.audio import stop_audio_rows
from routes.designations import DesignationLabel
from routes.estimates import duration_min_sql
from routes.models import AUDIO_MEDIA_TYPES, Route, RouteStop
from routes.selectors import published_dwell_total, published_stop_count, route_properties, utc_timestamp
from sites.models import Site
from sites.selectors import period_codes
from sites.selectors_detail import (
    GeoJSONGeometry,
    JSONBuild,
    PickedLanguage,
    photo_array,
    site_detail_properties,
    text,
)


@dataclass(frozen=True)
class DetailBody:
    text: str  # the whole response body, JSON as PostgreSQL wrote it
    content_version: int  # read in the same statement (api.etags)
    language: str | None = None  # the language the name came out in (site detail)


@dataclass(frozen=True)
class Attribution:
    """The licence members every public body carries (CC BY 4.0 needs them)."""

    attribution: str
    license: str


# Values no constant of these statements can equal (see QueryTemplate).
_SLUG = "\u27e8stand-in slug 5c1d\u27e9"
_MEDIA_BASE = "\u27e8stand-in media base 5c1d\u27e9"
_ATTRIBUTION = "\u27e8stand-in attribution 5c1d\u27e9"
_LICENSE = "\u27e8stand-in license 5c1d\u27e9"


def _rows(template: QueryTemplate, **values) -> DetailBody | None:
    rows = template.rows(**values)
    return DetailBody(*rows[0]) if rows else None


# --- site detail ----------------------------------------------------------------


def site_route_array(*, language: str) -> ArraySubquery:
    """The published routes the site is a stop of, by route slug
    (SiteRouteSerializer), as json[]."""
    stops = RouteStop.objects.filter(site_id=OuterRef("pk"), route__status=Status.PUBLISHED)
    return ArraySubquery(
        stops.order_by("route__slug", "order").values(
            json=JSONBuild(slug=F("route__slug"), name=Translated("route__name", language), order=F("order"))
        )
    )


@lru_cache(maxsize=16)
def _site_detail_template(language: str) -> QueryTemplate:
    media_base = Value(_MEDIA_BASE)
    properties = site_detail_properties(
        language=language, media_base=media_base, routes=site_route_array(language=language)
    )
    body = JSONBuild(
        type=text("Feature"),
        id=F("slug"),
        geometry=GeoJSONGeometry("location"),
        properties=JSONBuild(**properties),
        attribution=text(_ATTRIBUTION),
        license=text(_LICENSE),
    )
    queryset = (
        Site.objects.published()
        .filter(slug=_SLUG)
        .annotate(body=as_text(body), version=ContentVersion(), picked=PickedLanguage("name", language))
        .values_list("body", "version", "picked")
    )
    return QueryTemplate(
        queryset, slug=_SLUG, media_base=_MEDIA_BASE, attribution=_ATTRIBUTION, license=_LICENSE
    )


def site_detail_body(
    *, slug: str, language: str, media_base: str, attribution: Attribution
) -> DetailBody | None:
    """A published site's detail Feature (SiteDetailSerializer plus the
    attribution members), the content version and the language its name is
    in; None for an unknown or unpublished slug. One query."""
    return _rows(
        _site_detail_template(language),
        slug=slug,
        media_base=media_base,
        attribution=attribution.attribution,
        license=attribution.license,
    )


# --- route detail ---------------------------------------------------------------


def _public_stops() -> QuerySet[RouteStop]:
    # The outer query holds published routes only: the site's status is enough.
    return RouteStop.objects.filter(route_id=OuterRef("pk"), site__status=Status.PUBLISHED).order_by("order")


class Concat(Func):
    """text || text (NULL if either is NULL; neither is here)."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = TextField()


def stop_audio_json_array(*, media_base: Expression) -> ArraySubquery:
    """The stop's published audio, every language (StopAudioSerializer)."""
    media_type = Case(
        *(When(format=code, then=Value(media)) for code, media in AUDIO_MEDIA_TYPES.items()),
        default=Value("application/octet-stream"),
        output_field=TextField(),
    )
    return ArraySubquery(
        stop_audio_rows().values(
            json=JSONBuild(
                language=F("language"),
                url=Concat(media_base, F("file")),
                format=F("format"),
                media_type=media_type,
                duration_s=F("duration_s"),
                bytes=F("size_bytes"),
                sha256=F("sha256"),
            )
        )
    )


def stop_feature_array(*, language: str, media_base: Expression) -> ArraySubquery:
    """The route's public stops in order (RouteStopFeatureSerializer), as json[]."""
    properties = JSONBuild(
        feature_type=text("stop"),
        order=F("order"),
        designation=F("designation"),
        dwell_min=F("dwell_min"),
        trigger_radius_m=F("trigger_radius_m"),
        narrative=Translated("narrative", language),
        site=F("site__slug"),
        name=Translated("site__name", language),
        kind=F("site__kind"),
        periods=period_codes("site_id"),
        start_year=F("site__start_year"),
        end_year=F("site__end_year"),
        photos=photo_array("site_id", language=language, media_base=media_base),
        audio=stop_audio_json_array(media_base=media_base),
    )
    feature = JSONBuild(
        type=text("Feature"), geometry=GeoJSONGeometry("site__location"), properties=properties
    )
    return ArraySubquery(_public_stops().values(json=feature))


def route_feature(*, language: str) -> Expression:
    """The route's own feature, its full path (RouteFeatureSerializer).
    Expects `dwell_total` and `stop_count` annotated."""
    return JSONBuild(
        type=text("Feature"),
        id=F("slug"),
        geometry=GeoJSONGeometry("path"),
        properties=JSONBuild(
            feature_type=text("route"),
            **route_properties(language),
            description=Translated("description", language),
            duration_min=duration_min_sql(F("dwell_total")),
            stop_count=F("stop_count"),
            path_quality=F("path_quality"),
            license=F("license"),
            attribution=F("attribution"),
            updated_at=utc_timestamp("updated_at"),
        ),
    )


class RouteCollection(Func):
    """The route's FeatureCollection: its feature, then the stops', with a
    bbox of the path widened to the stops (api.v1.routes.collection_bbox
    widens by the stops' GeoJSON coordinates, so this reads the same
    numbers). The stops are built once, in a fenced subquery (OFFSET 0),
    and read twice: for the features and for the bbox."""

    output_field = JSONField()

    def __init__(self, *, route, stops, path_bbox, attribution, license_):
        super().__init__(route, stops, path_bbox, attribution, license_)

    def as_sql(self, compiler, connection, **extra_context):
        (route, p1), (stops, p2), (box, p3), (attribution, p4), (license_, p5) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        # [west, south, east, north]: the path's corner, or a stop beyond it.
        bounds = [("LEAST", "min", 0), ("LEAST", "min", 1), ("GREATEST", "max", 0), ("GREATEST", "max", 1)]
        widened = ", ".join(
            f"{bound}((b.box->>{index})::float8, "
            f"(SELECT {agg}((stop->'geometry'->'coordinates'->>{axis})::float8) "
            "FROM unnest(b.stops) AS stop))"
            for index, (bound, agg, axis) in enumerate(bounds)
        )
        sql = (
            "(SELECT json_build_object("
            f"'type', 'FeatureCollection', 'bbox', json_build_array({widened}), "
            f"'attribution', {attribution}::text, 'license', {license_}::text, "
            f"'features', array_to_json(ARRAY[{route}] || b.stops))"
            f" FROM (SELECT {stops} AS stops, {box} AS box OFFSET 0) AS b)"
        )
        return sql, [*p4, *p5, *p1, *p2, *p3]


@lru_cache(maxsize=16)
def _route_detail_template(language: str) -> QueryTemplate:
    body = RouteCollection(
        route=route_feature(language=language),
        stops=stop_feature_array(language=language, media_base=Value(_MEDIA_BASE)),
        path_bbox=BBoxJSON("path"),
        attribution=Value(_ATTRIBUTION),
        license_=Value(_LICENSE),
    )
    queryset = (
        Route.objects.published()
        .filter(slug=_SLUG)
        .annotate(dwell_total=published_dwell_total(), stop_count=published_stop_count())
        .annotate(body=as_text(body), version=ContentVersion())
        .values_list("body", "version")
    )
    return QueryTemplate(
        queryset, slug=_SLUG, media_base=_MEDIA_BASE, attribution=_ATTRIBUTION, license=_LICENSE
    )


def route_detail_body(
    *, slug: str, language: str, media_base: str, attribution: Attribution
) -> DetailBody | None:
    """A published route's FeatureCollection (api.v1.routes.route_collection)
    and the content version; None for an unknown or unpublished slug. One query."""
    return _rows(
        _route_detail_template(language),
        slug=slug,
        media_base=media_base,
        attribution=attribution.attribution,
        license=attribution.license,
    )


# --- trigger zones --------------------------------------------------------------


def trigger_zone_array(*, language: str, quad_segs: int = 8) -> ArraySubquery:
    """Each public stop's geofence, a Polygon circle of trigger_radius_m
    metres on the ground (TriggerZoneFeatureSerializer), in order, as json[]."""
    zone = GeographyBuffer("site__location", F("trigger_radius_m"), quad_segs=quad_segs)
    feature = JSONBuild(
        type=text("Feature"),
        geometry=GeoJSONGeometry(zone),
        properties=JSONBuild(
            order=F("order"),
            site=F("site__slug"),
            name=Translated("site__name", language),
            trigger_radius_m=F("trigger_radius_m"),
        ),
    )
    return ArraySubquery(_public_stops().values(json=feature))


@lru_cache(maxsize=16)
def _route_triggers_template(language: str) -> QueryTemplate:
    body = JSONBuild(
        type=text("FeatureCollection"),
        # Foreign members (RFC 7946 §6.1): which route, and how official it is.
        route=F("slug"),
        designation=F("designation"),
        designation_label=DesignationLabel(language),
        attribution=text(_ATTRIBUTION),
        license=text(_LICENSE),
        features=trigger_zone_array(language=language),
    )
    queryset = (
        Route.objects.published()
        .filter(slug=_SLUG)
        .annotate(body=as_text(body), version=ContentVersion())
        .values_list("body", "version")
    )
    return QueryTemplate(queryset, slug=_SLUG, attribution=_ATTRIBUTION, license=_LICENSE)


def route_triggers_body(*, slug: str, language: str, attribution: Attribution) -> DetailBody | None:
    """A published route's trigger zones (api.v1.routes.trigger_collection)
    and the content version; None for an unknown or unpublished slug. One query."""
    return _rows(
        _route_triggers_template(language),
        slug=slug,
        attribution=attribution.attribution,
        license=attribution.license,
    )
