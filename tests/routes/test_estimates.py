import pytest
from django.contrib.gis.geos import LineString
from django.db.models import F, Sum

from routes.estimates import moving_minutes, route_estimated_duration_min
from tests.factories import KONAK, RouteFactory, RouteStopFactory


@pytest.mark.parametrize(("mode", "minutes"), [("walk", 60), ("bus", 13.5), ("unknown", 60)])
def test_moving_minutes_follow_the_mode_speed(mode, minutes):
    assert moving_minutes(4500, mode) == pytest.approx(minutes)


def test_estimated_duration_adds_moving_time_and_dwell(db):
    route = RouteFactory()  # ~1108 m on foot: ~15 minutes
    RouteStopFactory(route=route, dwell_min=20)
    RouteStopFactory(route=route, dwell_min=10)
    route.refresh_from_db()

    assert route_estimated_duration_min(route) == 30 + 15


def test_the_sql_estimate_is_the_python_estimate_for_every_mode_length_and_plan(db):
    """routes.estimates' two spellings of one rule, row by row."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from routes.estimates import duration_min, duration_min_sql
    from routes.models import Route, RouteStop

    for index, (modes, planned) in enumerate(
        [
            ([], None),
            (["walk"], None),
            (["bus", "walk"], None),
            (["bicycle"], None),
            (["car"], 95),
            (["walk"], 7),
        ]
    ):
        east = KONAK[0] + 0.0031 * (index + 1) ** 2  # lengths from ~270 m to ~9.7 km
        path = LineString(KONAK, (east, KONAK[1] + 0.001 * index), srid=4326)
        route = RouteFactory(modes=modes, duration_min=planned, path=path)
        for dwell in range(index + 1):
            RouteStopFactory(route=route, dwell_min=dwell * 7)
    dwell_sum = (
        RouteStop.objects.filter(route_id=OuterRef("pk"))
        .order_by()
        .values("route_id")
        .annotate(t=Sum("dwell_min"))
    )
    rows = Route.objects.annotate(
        dwell_total=Coalesce(Subquery(dwell_sum.values("t")), 0),
    ).annotate(sql_min=duration_min_sql(F("dwell_total")))

    for route in rows:
        python_min = duration_min(
            planned_min=route.duration_min,
            length_m=route.length_m,
            mode=route.main_mode,
            dwell_min=route.dwell_total,
        )
        assert route.sql_min == python_min, route.slug
