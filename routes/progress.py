"""Follow mode: where a position is on a published route, what comes next.

Two reads per position: the route located against the point (linear
referencing in UTM 35N, geodata.functions), then its stops located along the
path. Both are compiled to SQL once (editorial.query_templates) and run with
each new position: building and compiling them took ~10 ms of a ~17 ms
request, the database ~2.5 ms (bench/README.md).
"""

import json
from dataclasses import dataclass
from functools import cache

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import Point
from django.db.models import F, QuerySet, Subquery

from editorial.content_version import ContentVersion
from editorial.query_templates import QueryTemplate
from editorial.vocabularies import Status
from geodata.functions import (
    GeographyAzimuth,
    GeographyDistance,
    GeographyDWithin,
    GeographyValue,
    LineInterpolatePoint,
    LineLocatePoint,
    ProjectedLine,
    ToProjected,
)
from geodata.geojson import geometry_json
from routes.estimates import estimated_duration_min
from routes.models import Route, RouteStop
from routes.path_quality import OFF_ROUTE_TOLERANCE_M, judge_off_route
from routes.selectors import published_routes

# Two positions along the path closer than this are "the same place".
ALONG_EPSILON_M = 1.0

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


# Values no constant of the progress queries can equal (see QueryTemplate).
_STAND_IN_SLUG = "\x01stand-in-slug"
_STAND_IN_POINT = Point(1.2345678901, 2.3456789012, srid=4326)
_STAND_IN_PK = -987_654_321
LOCATED_FIELDS = ("pk", "slug", "designation", "modes", "path_quality", "length_m")
LOCATED_ANNOTATIONS = ("fraction", "snapped_geojson", "distance_to_route_m", "content_version")
STOP_FIELDS = ("order", "site__slug", "site__name", "dwell_min", "trigger_radius_m")


def located_route_queryset(slug: str, point: Point) -> QuerySet:
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
        .values_list(*LOCATED_FIELDS, *LOCATED_ANNOTATIONS)[:1]
    )


def stops_on_path_queryset(route_pk: int, point: Point) -> QuerySet:
    return (
        RouteStop.objects.filter(route_id=route_pk, site__status=Status.PUBLISHED)
        .annotate(
            fraction=LineLocatePoint(_projected_path(pk=route_pk), ToProjected("site__location")),
            inside=GeographyDWithin("site__location", point, F("trigger_radius_m")),
            distance=GeographyDistance("site__location", point),
            bearing=GeographyAzimuth(point, "site__location"),
        )
        .order_by("order")
        .values_list(*STOP_FIELDS, "fraction", "inside", "distance", "bearing")
    )


def _point_parameter(point: Point) -> str:
    """The SQL parameter geodata's GeographyValue sends for `point`."""
    return GeographyValue(point).get_source_expressions()[0].value


@cache
def _located_route_template() -> QueryTemplate:
    queryset = located_route_queryset(_STAND_IN_SLUG, _STAND_IN_POINT)
    return QueryTemplate(queryset, slug=_STAND_IN_SLUG, point=_point_parameter(_STAND_IN_POINT))


@cache
def _stops_on_path_template() -> QueryTemplate:
    queryset = stops_on_path_queryset(_STAND_IN_PK, _STAND_IN_POINT)
    return QueryTemplate(queryset, route_pk=_STAND_IN_PK, point=_point_parameter(_STAND_IN_POINT))


def _located_route(slug: str, point: Point) -> Route | None:
    """The published route `slug` with where `point` is on it, as a Route
    holding the fields follow mode reads (raw rows: no ORM converters)."""
    rows = _located_route_template().rows(slug=slug, point=_point_parameter(point))
    if not rows:
        return None
    fields = dict(zip((*LOCATED_FIELDS, *LOCATED_ANNOTATIONS), rows[0], strict=True))
    snapped = fields.pop("snapped_geojson")
    route = Route(**{name: fields.pop(name) for name in LOCATED_FIELDS if name != "length_m"})
    for name, value in fields.items():
        setattr(route, name, value)
    route.snapped_geojson = _json(snapped)
    return route


def _json(value):
    # Django has psycopg hand JSON over as text (its fields parse it).
    return json.loads(value) if isinstance(value, str) else value


def _stops_on_path(route: Route, point: Point) -> list[StopOnPath]:
    rows = _stops_on_path_template().rows(route_pk=route.pk, point=_point_parameter(point))
    return [
        StopOnPath(
            order=order,
            site=site,
            name=_json(name),
            dwell_min=dwell_min,
            trigger_radius_m=trigger_radius_m,
            along_m=fraction * route.length_m,
            distance_m=distance,
            inside_zone=inside,
            bearing_deg=bearing,
        )
        for order, site, name, dwell_min, trigger_radius_m, fraction, inside, distance, bearing in rows
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
