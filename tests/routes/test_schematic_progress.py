"""Progress on a schematic path judges by the leg's stops, not the line: a
walk that follows a street 150 m off the straight line between two stops
raises no alarm on a schematic leg, and the same walk does on a traced one."""

import math

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import GeometryQuality
from routes.progress import route_progress
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory

LENGTH_DEG = 0.0127  # the factory path: ~1.1 km due east from Konak
METRES_PER_DEG_LAT = 111_000


def north_of_the_line(share: float, metres: float) -> Point:
    return Point(KONAK[0] + LENGTH_DEG * share, KONAK[1] + metres / METRES_PER_DEG_LAT, srid=4326)


def leg(path_quality: str):
    route = RouteFactory(slug=f"leg-{path_quality}", path_quality=path_quality)
    start = SiteFactory(location=Point(*KONAK, srid=4326))
    end = SiteFactory(location=Point(KONAK[0] + LENGTH_DEG, KONAK[1], srid=4326))
    RouteStopFactory(route=route, site=start, order=1)
    RouteStopFactory(route=route, site=end, order=2)
    return route, end


# A street 150 m north of the straight line, walked from 10 % to 90 % of the leg.
STREET_WALK = [north_of_the_line(share, 150) for share in (0.1, 0.3, 0.5, 0.7, 0.9)]


def test_a_street_150_m_off_a_schematic_leg_raises_no_alarm(db):
    route, end = leg(GeometryQuality.SCHEMATIC)
    for position in STREET_WALK:
        progress = route_progress(slug=route.slug, point=position, accuracy_m=10)
        assert progress.off_route is False, position
        assert progress.judged_by == "next_stop"
        assert progress.next_stop.site == end.slug
        assert progress.stops_reached == 1
        assert progress.distance_to_route_m > 140  # it is well off the line, and that is fine


def test_the_same_walk_is_off_route_on_a_traced_leg(db):
    route, _end = leg(GeometryQuality.TRACED)
    for position in STREET_WALK:
        progress = route_progress(slug=route.slug, point=position, accuracy_m=10)
        assert progress.off_route is True, position
        assert progress.judged_by == "path"


def test_far_from_a_schematic_leg_is_still_off_route(db):
    route, _end = leg(GeometryQuality.SCHEMATIC)
    progress = route_progress(slug=route.slug, point=north_of_the_line(0.5, 1000), accuracy_m=10)
    assert progress.off_route is True
    # The detour allowed fits the leg: 1.4 × ~1.1 km + 50 m.
    assert 1550 < progress.tolerance_m < 1650


def test_the_bearing_to_the_next_stop_points_back_to_it(db, client):
    route, _end = leg(GeometryQuality.SCHEMATIC)
    position = north_of_the_line(0.5, 150)
    body = client.get(f"/api/v1/routes/{route.slug}/progress", {"lat": position.y, "lon": position.x}).json()

    props = body["properties"]
    assert props["path_quality"] == "schematic"
    assert props["judged_by"] == "next_stop"
    assert props["off_route"] is False
    assert props["stops_reached"] == 1
    # The end stop is ~550 m east and 150 m south: east-south-east.
    expected = math.degrees(math.atan2(550, -150))
    assert abs(props["bearing_to_next_stop_deg"] - expected) < 3


@pytest.mark.parametrize("quality", [GeometryQuality.SCHEMATIC, GeometryQuality.TRACED])
def test_before_the_first_stop_the_path_is_the_judge(db, quality):
    route, _end = leg(quality)
    west = Point(KONAK[0] - 0.01, KONAK[1], srid=4326)  # ~870 m before the start
    progress = route_progress(slug=route.slug, point=west, accuracy_m=10)
    assert progress.judged_by == "path"
    assert progress.off_route is True
