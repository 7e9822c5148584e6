"""Reads of published routes for the public (tourist) API.

A published route shows only its stops whose site is published too.
Distances are metres: lengths on the spheroid (geography), positions along
the path by linear referencing in UTM 35N (geodata.functions, ADR 0001).
"""

from dataclasses import dataclass

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.gis.geos import Point
from django.db.models import (
    Count,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, JSONObject, Round

from editorial.content_version import ContentVersion
from editorial.translations import Translated
from editorial.vocabularies import Status
from geodata.functions import (
    BBoxJSON,
    GeographyAzimuth,
    GeographyBuffer,
    GeographyDistance,
    GeographyDWithin,
    LineInterpolatePoint,
    LineLocatePoint,
    ProjectedLine,
    StartPoint,
    ToProjected,
)
from geodata.geojson import GEOJSON_PRECISION, as_text, geometry_json
from routes.audio import stop_audio_array
from routes.designations import DesignationLabel
from routes.estimates import duration_min_sql, estimated_duration_min
from routes.models import Mode, Route, RouteStop
from routes.path_quality import OFF_ROUTE_TOLERANCE_M, judge_off_route
from sites.models import Photo, Site
from sites.selectors import Features, period_codes, site_detail_queryset

# Two positions along the path closer than this are "the same place".
ALONG_EPSILON_M = 1.0


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


def _stop_count() -> Expression:
    return Coalesce(Subquery(_stops_of_route().annotate(n=Count("*")).values("n")), 0)


def _dwell_total() -> Expression:
    return Coalesce(
        Subquery(_stops_of_route().annotate(total=Sum("dwell_min")).values("total")),
        0,
        output_field=IntegerField(),
    )


def _utc_timestamp(field: str) -> Expression:
    return Func(
        F(field),
        template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        output_field=TextField(),
    )


def _main_mode() -> Expression:
    return Coalesce(F("modes__0"), Value(Mode.WALK.value))


def route_list_queryset() -> QuerySet[Route]:
    """Published routes with what a list shows, computed in SQL: the start
    point as GeoJSON, bbox, published stop count and their total dwell."""
    return (
        published_routes()
        .annotate(
            start_geojson=geometry_json(StartPoint("path")),
            bbox=BBoxJSON("path"),
            # Correlated subqueries: a JOIN + GROUP BY would make Django group
            # by (and so compute) the geometry annotations per joined stop row.
            stop_count=_stop_count(),
            dwell_total=_dwell_total(),
        )
        .defer("path", "description")
        .order_by("slug")
    )


def route_list_features(*, language: str) -> Features:
    """Every published route as a light GeoJSON Feature text, built in the
    database (the contract: api.v1.serializers.RouteListFeatureSerializer),
    with the content version. One query."""
    rows = list(
        route_list_queryset()
        .annotate(
            feature=as_text(
                JSONObject(
                    type=Value("Feature"),
                    id=F("slug"),
                    geometry=F("start_geojson"),
                    properties=JSONObject(
                        slug=F("slug"),
                        name=Translated("name", language),
                        summary=Translated("summary", language),
                        theme=F("theme"),
                        designation=F("designation"),
                        designation_label=DesignationLabel(language),
                        mode=_main_mode(),
                        modes=F("modes"),
                        length_m=Round(F("length_m"), 1),
                        duration_min=duration_min_sql(F("dwell_total")),
                        stop_count=F("stop_count"),
                        bbox=F("bbox"),
                        updated_at=_utc_timestamp("updated_at"),
                    ),
                )
            ),
            version=ContentVersion(),
        )
        .values_list("feature", "version")
    )
    return Features([feature for feature, _v in rows], rows[0][1] if rows else None)


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
            dwell_total=_dwell_total(),
            stop_count=_stop_count(),
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


@dataclass(frozen=True)
class StopOnPath:
    order: int
    site: str
    name: dict
    dwell_min: int
    trigger_radius_m: int
    along_m: float
    distance_m: float
    inside_zone: bool
    bearing_deg: float | None = None  # from the position to the stop


@dataclass(frozen=True)
class RouteProgress:
    """Where a position is on a route. Metres; `fraction` is 0..1."""

    route: Route
    snapped_geojson: dict
    fraction: float
    distance_along_m: float
    remaining_m: float
    distance_to_route_m: float
    off_route: bool
    before_start: bool
    past_end: bool
    current_stop: StopOnPath | None
    next_stop: StopOnPath | None
    remaining_stops: list[StopOnPath]
    remaining_min: int
    judged_by: str = "path"
    tolerance_m: float = OFF_ROUTE_TOLERANCE_M
    stops_reached: int = 0


def _projected_path(**route_filter) -> Subquery:
    """The route's path as one projected line, as an uncorrelated scalar
    subquery: PostgreSQL evaluates it once per statement (an InitPlan), not
    once per mention or per stop row (a 2,000-vertex transform each time)."""
    return Subquery(
        Route.objects.filter(**route_filter).annotate(line=ProjectedLine("path")).values("line")[:1],
        output_field=GeometryField(srid=0),
    )


def _located_route(slug: str, point: Point) -> Route | None:
    line = _projected_path(slug=slug)
    return (
        published_routes()
        .filter(slug=slug)
        .annotate(
            fraction=LineLocatePoint(line, ToProjected(point)),
            snapped_geojson=geometry_json(LineInterpolatePoint(line, F("fraction"))),
            distance_to_route_m=GeographyDistance("path", point),
            content_version=ContentVersion(),
        )
        .defer("path", "description")
        .first()
    )


def _stops_on_path(route: Route, point: Point) -> list[StopOnPath]:
    rows = (
        RouteStop.objects.filter(route=route, site__status=Status.PUBLISHED)
        .annotate(
            fraction=LineLocatePoint(_projected_path(pk=route.pk), ToProjected("site__location")),
            inside=GeographyDWithin("site__location", point, F("trigger_radius_m")),
            distance=GeographyDistance("site__location", point),
            bearing=GeographyAzimuth(point, "site__location"),
        )
        .order_by("order")
        .values(
            "order",
            "site__slug",
            "site__name",
            "dwell_min",
            "trigger_radius_m",
            "fraction",
            "inside",
            "distance",
            "bearing",
        )
    )
    return [
        StopOnPath(
            order=row["order"],
            site=row["site__slug"],
            name=row["site__name"],
            dwell_min=row["dwell_min"],
            trigger_radius_m=row["trigger_radius_m"],
            along_m=row["fraction"] * route.length_m,
            distance_m=row["distance"],
            inside_zone=row["inside"],
            bearing_deg=row["bearing"],
        )
        for row in rows
    ]


def _is_ahead(stop: StopOnPath, along_m: float, length_m: float) -> bool:
    """Further along the path; or level with the position (beside it, outside
    its trigger zone) anywhere but at the very end, which means done."""
    if stop.along_m > along_m + ALONG_EPSILON_M:
        return True
    return abs(stop.along_m - along_m) <= ALONG_EPSILON_M and along_m < length_m - ALONG_EPSILON_M


def route_progress(*, slug: str, point: Point, accuracy_m: float = 0.0) -> RouteProgress | None:
    """Where `point` is on the published route `slug`, or None if there is
    no such route. Two queries: the route located against the point, then
    its stops located along the path.

    The current stop is the one whose trigger zone holds the point (the
    nearest, if zones overlap); the next stop is the first after it in
    route order, or, away from any stop, the first stop still ahead on the
    path (before the start that is stop 1; past the end there is none).
    Remaining time: remaining metres at the main mode's speed plus the
    dwell of the current and following stops. Off route is judged by the
    path's quality (routes.path_quality): by the path itself when traced or
    surveyed, by the leg's two stops when schematic."""
    route = _located_route(slug, point)
    if route is None:
        return None
    stops = _stops_on_path(route, point)
    along_m = route.fraction * route.length_m

    inside = [stop for stop in stops if stop.inside_zone]
    current = min(inside, key=lambda stop: stop.distance_m) if inside else None
    if current is not None:
        following = [stop for stop in stops if stop.order > current.order]
    else:
        ahead = [stop for stop in stops if _is_ahead(stop, along_m, route.length_m)]
        following = [stop for stop in stops if ahead and stop.order >= ahead[0].order]
    next_stop = following[0] if following else None
    reached = [stop for stop in stops if next_stop is None or stop.order < next_stop.order]
    judgement = judge_off_route(
        path_quality=route.path_quality,
        previous_stop=current or (reached[-1] if reached else None),
        next_stop=next_stop,
        distance_to_route_m=route.distance_to_route_m,
        accuracy_m=accuracy_m,
    )
    off_route = judgement.off_route
    remaining_stops = ([current] if current else []) + following
    remaining_m = max(route.length_m - along_m, 0.0)
    return RouteProgress(
        route=route,
        snapped_geojson=route.snapped_geojson,
        fraction=route.fraction,
        distance_along_m=along_m,
        remaining_m=remaining_m,
        distance_to_route_m=route.distance_to_route_m,
        off_route=off_route,
        before_start=off_route and route.fraction <= 0.0,
        past_end=off_route and route.fraction >= 1.0,
        current_stop=current,
        next_stop=next_stop,
        remaining_stops=remaining_stops,
        remaining_min=estimated_duration_min(
            length_m=remaining_m,
            mode=route.main_mode,
            dwell_min=sum(stop.dwell_min for stop in remaining_stops),
        ),
        judged_by=judgement.judged_by,
        tolerance_m=judgement.tolerance_m,
        stops_reached=len(reached),
    )
