"""Reads of published routes for the public (tourist) API.

A published route shows only its stops whose site is published too.
Distances are metres: lengths on the spheroid (geography), positions along
the path by linear referencing in UTM 35N (geodata.functions, ADR 0001).
"""

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import (
    Count,
    Expression,
    F,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, JSONObject, Round

from editorial.content_version import ContentVersion
from editorial.translations import Translated, language_codes
from editorial.vocabularies import Status
from geodata.functions import (
    BBoxJSON,
    GeographyBuffer,
)
from geodata.geojson import GEOJSON_PRECISION, as_text, geometry_json
from routes.audio import stop_audio_array
from routes.designations import DesignationLabel
from routes.estimates import duration_min_sql
from routes.models import Mode, Route, RouteStop
from sites.models import Photo, Site
from sites.selectors import Features, period_codes, site_detail_queryset


def published_routes() -> QuerySet[Route]:
    return Route.objects.published()


def published_stops() -> QuerySet[RouteStop]:
    """Stops of published routes whose site is published, in route order."""
    return RouteStop.objects.filter(route__status=Status.PUBLISHED, site__status=Status.PUBLISHED).order_by(
        "route_id", "order"
    )


def _stops_of_route() -> QuerySet:
    # The outer query holds published routes only: filtering on the site's
    # status is enough, and spares a join back to the route per row.
    return (
        RouteStop.objects.filter(route_id=OuterRef("pk"), site__status=Status.PUBLISHED)
        .order_by()
        .values("route_id")
    )


def published_stop_count() -> Expression:
    return Coalesce(Subquery(_stops_of_route().annotate(n=Count("*")).values("n")), 0)


def published_dwell_total() -> Expression:
    return Coalesce(
        Subquery(_stops_of_route().annotate(total=Sum("dwell_min")).values("total")),
        0,
        output_field=IntegerField(),
    )


def utc_timestamp(field: str) -> Expression:
    return Func(
        F(field),
        template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        output_field=TextField(),
    )


def main_mode() -> Expression:
    return Coalesce(F("modes__0"), Value(Mode.WALK.value))


# The path's start point and box, kept by PostgreSQL (routes migration 0011,
# StartPoint(path) and Box2D(path)): the list reads no full path.
PATH_START = RawSQL('"routes_route"."path_start"', (), output_field=GeometryField(srid=4326))
PATH_BOX = RawSQL('"routes_route"."path_box"', (), output_field=GeometryField(srid=4326))


def route_properties(language: str) -> dict[str, Expression]:
    """What every route feature says of its route, in the list and alone."""
    return {
        "slug": F("slug"),
        "name": Translated("name", language),
        "summary": Translated("summary", language),
        "theme": F("theme"),
        "designation": F("designation"),
        "designation_label": DesignationLabel(language),
        "mode": main_mode(),
        "modes": F("modes"),
        "length_m": Round(F("length_m"), 1),
    }


def route_list_queryset() -> QuerySet[Route]:
    """Published routes with what a list shows, computed in SQL: the start
    point as GeoJSON, bbox, published stop count and their total dwell."""
    return (
        published_routes()
        .annotate(
            start_geojson=geometry_json(PATH_START),
            bbox=BBoxJSON(PATH_BOX),
            # Correlated subqueries: a JOIN + GROUP BY would make Django group
            # by (and so compute) the geometry annotations per joined stop row.
            stop_count=published_stop_count(),
            dwell_total=published_dwell_total(),
        )
        .defer("path", "description")
        .order_by("slug")
    )


def route_list_features(*, language: str, package_bytes: dict[str, dict[str, int]] | None = None) -> Features:
    """Every published route as a light GeoJSON Feature text, built in the
    database (the contract: api.v1.serializers.RouteListFeatureSerializer),
    with the content version. One query. With `package_bytes` ({slug:
    {language: bytes}} of the offline packages built so far), each feature
    also says its package's size per language, null where none is built."""
    sizes = {} if package_bytes is None else {"package_bytes": announced_sizes(package_bytes)}
    rows = list(
        route_list_queryset()
        .annotate(
            feature=as_text(
                JSONObject(
                    type=Value("Feature"),
                    id=F("slug"),
                    geometry=F("start_geojson"),
                    properties=JSONMerge(
                        JSONObject(
                            **route_properties(language),
                            bbox=F("bbox"),
                            updated_at=utc_timestamp("updated_at"),
                            **sizes,
                        ),
                        StopFacts(),  # stop_count, duration_min
                    ),
                )
            ),
            version=ContentVersion(),
        )
        .values_list("feature", "version")
    )
    return Features([feature for feature, _v in rows], rows[0][1] if rows else None)


class JSONMerge(Func):
    """jsonb objects merged (`||`): the later one's keys win."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = JSONField()


class StopFacts(Func):
    """{"stop_count", "duration_min"} of the route, from one pass over its
    published stops: the count and the dwell as two correlated subqueries,
    each joining every stop to its site, cost 43 of the route list's 120 ms
    at 1,000 routes (bench/README.md, "Session 10"). The twin of the
    stop_count and dwell_total annotations the serializer reads."""

    template = (
        "(SELECT jsonb_build_object('stop_count', facts.n, 'duration_min', %(expressions)s)"
        " FROM (SELECT count(*) AS n, COALESCE(sum(stop.dwell_min), 0) AS dwell"
        f" FROM {RouteStop._meta.db_table} stop JOIN {Site._meta.db_table} site ON site.id = stop.site_id"
        f" WHERE stop.route_id = {Route._meta.db_table}.id AND site.status = '{Status.PUBLISHED.value}')"
        " AS facts)"
    )
    output_field = JSONField()

    def __init__(self):
        super().__init__(duration_min_sql(RawSQL("facts.dwell", (), output_field=IntegerField())))


def announced_sizes(package_bytes: dict[str, dict[str, int]]) -> Expression:
    """The route's {language: bytes or null}, looked up by slug in one jsonb
    parameter: the sizes live on disk, and merging them into 1,000 feature
    texts in Python cost more than building the texts (bench/README.md,
    "Session 10")."""
    none_built = dict.fromkeys(language_codes())
    announced = {slug: {**none_built, **built} for slug, built in package_bytes.items()}
    by_slug = Func(
        Value(announced, output_field=JSONField()),
        F("slug"),
        arg_joiner=" -> ",
        template="(%(expressions)s)",
        output_field=JSONField(),
    )
    return Coalesce(by_slug, Value(none_built, output_field=JSONField()))


def route_detail_queryset() -> QuerySet[Route]:
    """Published routes with the full path as GeoJSON, its bbox, and the
    published stops (site, period codes, published audio, published photos) prefetched, and
    the content version read with the route: three queries for one route."""
    photos = Photo.objects.filter(status=Status.PUBLISHED).order_by("sort_order", "pk")
    stops = (
        RouteStop.objects.filter(site__status=Status.PUBLISHED)
        .select_related("site")
        .defer("site__location", "site__shape", "site__search_text", "site__description")
        .annotate(
            location_geojson=geometry_json("site__location"),
            period_codes=period_codes("site_id"),
            published_audio=stop_audio_array(),
        )
        .prefetch_related(Prefetch("site__photos", queryset=photos, to_attr="published_photos"))
        .order_by("order")
    )
    return (
        published_routes()
        .annotate(
            # Text, not jsonb: the API writes it out verbatim (api.rawjson.RawJSON).
            path_geojson=AsGeoJSON("path", precision=GEOJSON_PRECISION),
            bbox=BBoxJSON("path"),
            dwell_total=published_dwell_total(),
            stop_count=published_stop_count(),
            content_version=ContentVersion(),
        )
        .defer("path")
        .prefetch_related(Prefetch("stops", queryset=stops, to_attr="published_stops"))
    )


def site_detail_with_routes_queryset() -> QuerySet[Site]:
    """sites.selectors.site_detail_queryset plus `published_stops`: the
    site's stops on published routes, by route slug. Four queries for one site."""
    stops = (
        RouteStop.objects.filter(route__status=Status.PUBLISHED)
        .select_related("route")
        .defer("route__path", "route__description")
        .order_by("route__slug")
    )
    return site_detail_queryset().prefetch_related(
        Prefetch("route_stops", queryset=stops, to_attr="published_stops")
    )


def route_trigger_zones(*, route: Route, quad_segs: int = 8) -> QuerySet[RouteStop]:
    """The route's published stops, each with `zone_geojson`: a circle of
    trigger_radius_m metres on the ground (ST_Buffer on geography) as a
    GeoJSON Polygon. One query."""
    return (
        RouteStop.objects.filter(route=route, site__status=Status.PUBLISHED)
        .select_related("site")
        .only("order", "trigger_radius_m", "site__slug", "site__name")
        .annotate(
            zone_geojson=geometry_json(
                GeographyBuffer("site__location", F("trigger_radius_m"), quad_segs=quad_segs)
            )
        )
        .order_by("order")
    )


def route_exists(slug: str) -> bool:
    return published_routes().filter(slug=slug).exists()
