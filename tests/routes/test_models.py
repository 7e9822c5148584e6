"""Routes and stops: generated length, deferred stop order, integrity."""

import pytest
from django.contrib.gis.geos import LineString
from django.db import IntegrityError, connection, transaction

from routes.services import stops_reorder
from tests.factories import RouteFactory, RouteStopFactory, SiteFactory


def test_route_length_is_computed_by_postgis_in_metres(db):
    route = RouteFactory()  # 0.0127° of longitude at 38.42° N

    route.refresh_from_db()

    assert route.length_m == pytest.approx(1108, abs=5)


def test_route_length_follows_a_changed_path(db):
    route = RouteFactory()
    route.path = LineString((27.1287, 38.4189), (27.1287, 38.4279), srid=4326)  # 0.009° north

    route.save()
    route.refresh_from_db()

    assert route.length_m == pytest.approx(999, abs=5)


def test_database_rejects_two_stops_with_the_same_order(db):
    stop = RouteStopFactory(order=1)

    connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")

    with pytest.raises(IntegrityError, match="routestop_unique_order"), transaction.atomic():
        RouteStopFactory(route=stop.route, order=1)


def test_database_rejects_the_same_site_twice_on_a_route(db):
    stop = RouteStopFactory()

    with pytest.raises(IntegrityError, match="routestop_unique_site"), transaction.atomic():
        RouteStopFactory(route=stop.route, site=stop.site, order=2)


@pytest.mark.django_db(transaction=True)
def test_stops_can_be_reordered_in_one_transaction():
    route = RouteFactory()
    first = RouteStopFactory(route=route, order=1, site=SiteFactory(slug="a"))
    second = RouteStopFactory(route=route, order=2, site=SiteFactory(slug="b"))

    stops_reorder(route=route, site_slugs=["b", "a"], user=None)  # commits: constraint checked

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order) == (2, 1)


def test_database_rejects_a_route_path_that_is_not_a_line(db):
    route = RouteFactory()

    with pytest.raises(IntegrityError, match="route_path_valid"), transaction.atomic():
        connection.cursor().execute(
            "UPDATE routes_route SET path = 'SRID=4326;POINT(27.1 38.4)'::geography WHERE id = %s",
            [route.pk],
        )


def test_database_rejects_a_trigger_radius_out_of_range(db):
    stop = RouteStopFactory()

    with pytest.raises(IntegrityError, match="routestop_trigger_radius_range"), transaction.atomic():
        connection.cursor().execute(
            "UPDATE routes_routestop SET trigger_radius_m = 0 WHERE id = %s", [stop.pk]
        )
