"""routes.selectors: published routes and stops only; where a position is on
a route (both İzmir routes), by linear referencing in PostGIS."""

import json
import math

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import GeometryQuality, Status
from routes.models import Route
from routes.progress import route_progress
from routes.selectors import (
    route_detail_queryset,
    route_list_features,
    route_trigger_zones,
)
from sites.models import Site
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory

IZMIR_ROUTES = ["8500-years-in-one-day", "izmir-historical-waterways"]


@pytest.fixture
def izmir_published(izmir):
    """Both İzmir routes public, as the seed loads them."""
    assert Route.objects.published().count() == 2
    return izmir


def _stop_points(slug: str) -> list[Point]:
    route = Route.objects.get(slug=slug)
    return [stop.site.location for stop in route.stops.select_related("site").order_by("order")]


def _offset(origin: Point, towards: Point, metres: float) -> Point:
    """A point `metres` from `origin` in the direction of `towards` (local
    equirectangular approximation: fine over a few hundred metres)."""
    scale_x = 111_320 * math.cos(math.radians(origin.y))
    dx, dy = (towards.x - origin.x) * scale_x, (towards.y - origin.y) * 111_320
    length = math.hypot(dx, dy)
    return Point(
        origin.x + dx / length * metres / scale_x, origin.y + dy / length * metres / 111_320, srid=4326
    )


def _perpendicular(a: Point, b: Point, metres: float) -> Point:
    """The midpoint of a-b moved `metres` sideways."""
    mid = Point((a.x + b.x) / 2, (a.y + b.y) / 2, srid=4326)
    scale_x = 111_320 * math.cos(math.radians(mid.y))
    dx, dy = (b.x - a.x) * scale_x, (b.y - a.y) * 111_320
    length = math.hypot(dx, dy)
    return Point(mid.x - dy / length * metres / scale_x, mid.y + dx / length * metres / 111_320, srid=4326)


@pytest.mark.parametrize("slug", IZMIR_ROUTES)
def test_a_position_at_a_stop_is_that_stop_and_the_next_one_follows(izmir_published, slug):
    third = _stop_points(slug)[2]

    progress = route_progress(slug=slug, point=third)

    assert progress.current_stop.order == 3
    assert progress.next_stop.order == 4
    assert progress.off_route is False
    assert progress.distance_to_route_m < 1
    assert progress.distance_along_m == pytest.approx(progress.current_stop.along_m, abs=1)


@pytest.mark.parametrize("slug", IZMIR_ROUTES)
def test_a_position_between_stops_is_on_the_path_before_the_next_stop(izmir_published, slug):
    first, second = _stop_points(slug)[:2]
    midway = Point((first.x + second.x) / 2, (first.y + second.y) / 2, srid=4326)

    progress = route_progress(slug=slug, point=midway)

    assert progress.current_stop is None
    assert progress.next_stop.order == 2
    assert progress.off_route is False
    assert progress.fraction * progress.route.length_m == pytest.approx(progress.distance_along_m)
    # Halfway along the first leg, in metres.
    assert progress.distance_along_m == pytest.approx(progress.next_stop.along_m / 2, rel=0.01)
    assert progress.remaining_m == pytest.approx(progress.route.length_m - progress.distance_along_m)


@pytest.mark.parametrize("slug", IZMIR_ROUTES)
def test_a_position_far_from_the_path_is_off_route_with_its_distance(izmir_published, slug):
    # Judged by the path when the path is the course (traced); a schematic
    # leg tolerates a detour that fits the leg (tests/routes/test_schematic_progress.py).
    Route.objects.filter(slug=slug).update(path_quality=GeometryQuality.TRACED)
    first, second = _stop_points(slug)[:2]
    aside = _perpendicular(first, second, 400)

    progress = route_progress(slug=slug, point=aside)

    assert progress.off_route is True
    assert progress.distance_to_route_m == pytest.approx(400, rel=0.05)
    assert progress.next_stop.order == 2
    assert progress.before_start is False


@pytest.mark.parametrize("slug", IZMIR_ROUTES)
def test_a_position_before_the_start_snaps_to_the_start(izmir_published, slug):
    first, second = _stop_points(slug)[:2]
    behind = _offset(first, Point(2 * first.x - second.x, 2 * first.y - second.y, srid=4326), 300)

    progress = route_progress(slug=slug, point=behind)

    assert progress.fraction == 0
    assert progress.distance_along_m == 0
    assert progress.before_start is True
    assert progress.off_route is True
    assert progress.distance_to_route_m == pytest.approx(300, rel=0.02)
    assert progress.next_stop.order == 1
    assert progress.snapped_geojson["coordinates"] == pytest.approx([first.x, first.y], abs=1e-6)


@pytest.mark.parametrize("slug", IZMIR_ROUTES)
def test_a_position_past_the_end_has_nothing_left(izmir_published, slug):
    *_rest, before_last, last = _stop_points(slug)
    beyond = _offset(last, Point(2 * last.x - before_last.x, 2 * last.y - before_last.y, srid=4326), 300)

    progress = route_progress(slug=slug, point=beyond)

    assert progress.fraction == 1
    assert progress.past_end is True
    assert progress.remaining_m == 0
    assert progress.next_stop is None
    assert progress.current_stop is None
    assert progress.remaining_min == 0


def test_remaining_time_is_moving_time_by_main_mode_plus_remaining_dwell(db):
    # 1.1 km on foot at 4.5 km/h ≈ 14.7 min, plus the last stop's 20 min.
    route = RouteFactory(slug="walk")
    first = SiteFactory(location=Point(*KONAK, srid=4326))
    last = SiteFactory(location=Point(KONAK[0] + 0.0127, KONAK[1], srid=4326))
    RouteStopFactory(route=route, site=first, order=1, dwell_min=10)
    RouteStopFactory(route=route, site=last, order=2, dwell_min=20)
    midway = Point(KONAK[0] + 0.00635, KONAK[1], srid=4326)

    progress = route_progress(slug="walk", point=midway)

    moving = progress.remaining_m / (4.5 * 1000 / 60)
    assert progress.remaining_min == math.ceil(moving + 20)
    assert [stop.order for stop in progress.remaining_stops] == [2]


def test_progress_runs_two_queries_and_ignores_unpublished_routes(izmir, django_assert_num_queries):
    point = _stop_points("8500-years-in-one-day")[0]
    Route.objects.filter(slug="izmir-historical-waterways").update(status=Status.REVIEW)

    with django_assert_num_queries(2):  # the route located against the point, then its stops
        route_progress(slug="8500-years-in-one-day", point=point)

    assert route_progress(slug="izmir-historical-waterways", point=point) is None


def test_stops_whose_site_is_not_published_are_hidden_everywhere(db, django_assert_num_queries):
    route = RouteFactory(slug="r")
    shown = RouteStopFactory(route=route, order=1, site=SiteFactory(slug="shown"))
    RouteStopFactory(route=route, order=2, site=SiteFactory(slug="hidden", status=Status.DRAFT))

    with django_assert_num_queries(3):  # route, stops with sites and period codes, published photos
        detail = route_detail_queryset().get(slug="r")
        stops = detail.published_stops
    zones = list(route_trigger_zones(route=route))
    listed = [json.loads(feature) for feature in route_list_features(language="tr")]
    progress = route_progress(slug="r", point=Point(*KONAK, srid=4326))

    assert [stop.site.slug for stop in stops] == ["shown"]
    assert detail.stop_count == 1
    assert [zone.site.slug for zone in zones] == ["shown"]
    assert listed[0]["properties"]["stop_count"] == 1
    assert [stop.site for stop in progress.remaining_stops] == ["shown"]
    assert shown.site.status == Status.PUBLISHED


def test_route_list_features_are_light_start_points_of_published_routes(db, django_assert_num_queries):
    RouteFactory(slug="public")
    RouteFactory(slug="draft", status=Status.DRAFT)

    with django_assert_num_queries(1):
        features = [json.loads(feature) for feature in route_list_features(language="en")]

    assert [feature["id"] for feature in features] == ["public"]
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [KONAK[0], KONAK[1]]}
    assert features[0]["properties"]["bbox"] == [KONAK[0], KONAK[1], round(KONAK[0] + 0.0127, 6), KONAK[1]]


def test_trigger_zones_are_circles_of_the_stop_radius(db, django_assert_num_queries):
    route = RouteFactory()
    RouteStopFactory(route=route, order=1, trigger_radius_m=50)

    with django_assert_num_queries(1):
        zones = list(route_trigger_zones(route=route))

    ring = zones[0].zone_geojson["coordinates"][0]
    centre = Site.objects.get(pk=zones[0].site_id).location
    assert zones[0].zone_geojson["type"] == "Polygon"
    assert ring[0] == ring[-1]
    assert len(ring) == 33
    for lon, lat in ring:
        assert Point(lon, lat, srid=4326).distance(centre) * 111_000 == pytest.approx(50, rel=0.3)


def _metres_along(slug: str, point: Point) -> float:
    """Independent of the selector: the geodesic length (ST_Length on
    geography) of the path from its start to the point's projection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_Length(ST_LineSubstring(path::geometry, 0,
                       ST_LineLocatePoint(path::geometry, ST_GeomFromEWKT(%s)))::geography)
            FROM routes_route WHERE slug = %s
            """,
            [point.ewkt, slug],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("slug", IZMIR_ROUTES)
def test_metres_along_and_to_the_next_stop_agree_with_st_length_at_every_stop(izmir_published, slug):
    points = _stop_points(slug)
    length_m = Route.objects.get(slug=slug).length_m

    for order, point in enumerate(points, start=1):
        progress = route_progress(slug=slug, point=point)

        expected = _metres_along(slug, point)
        assert progress.current_stop.order == order
        assert progress.distance_along_m == pytest.approx(expected, abs=2), order
        assert progress.remaining_m == pytest.approx(length_m - expected, abs=2), order
        if order < len(points):
            to_next = _metres_along(slug, points[order]) - expected
            assert progress.next_stop.along_m - progress.distance_along_m == pytest.approx(to_next, abs=2)
        else:
            assert progress.next_stop is None
