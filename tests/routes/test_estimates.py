import pytest

from routes.estimates import moving_minutes, route_estimated_duration_min
from tests.factories import RouteFactory, RouteStopFactory


@pytest.mark.parametrize(("mode", "minutes"), [("walk", 60), ("bus", 13.5), ("unknown", 60)])
def test_moving_minutes_follow_the_mode_speed(mode, minutes):
    assert moving_minutes(4500, mode) == pytest.approx(minutes)


def test_estimated_duration_adds_moving_time_and_dwell(db):
    route = RouteFactory()  # ~1108 m on foot: ~15 minutes
    RouteStopFactory(route=route, dwell_min=20)
    RouteStopFactory(route=route, dwell_min=10)
    route.refresh_from_db()

    assert route_estimated_duration_min(route) == 30 + 15
