"""routes.services: route and stop writes for staff."""

import pytest
from django.contrib.gis.geos import LineString
from django.core.exceptions import PermissionDenied, ValidationError

from editorial.vocabularies import Status
from routes.models import Route, RouteStop
from routes.services import (
    route_archive,
    route_create,
    route_update,
    stop_create,
    stop_delete,
    stop_update,
    stops_reorder,
)
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory, UserFactory

PATH = LineString((KONAK[0], KONAK[1]), (KONAK[0] + 0.0127, KONAK[1]), srid=4326)


@pytest.fixture
def editor(db):
    return UserFactory(role="editor")


@pytest.fixture
def route(db):
    route = RouteFactory(status=Status.DRAFT)
    for order, slug in enumerate("abc", start=1):
        RouteStopFactory(route=route, site=SiteFactory(slug=slug), order=order)
    return route


def order_of(route) -> list[str]:
    return list(route.stops.order_by("order").values_list("site__slug", flat=True))


def test_route_create_makes_a_measured_draft(editor):
    route = route_create(slug="walk", user=editor, name={"en": "Walk"}, path=PATH, modes=["walk"])

    assert route.status == Status.DRAFT
    assert 1100 < route.length_m < 1120
    assert route.history.get().history_user == editor


def test_route_create_outside_the_service_area_writes_nothing(editor):
    far = LineString((29.0, 41.0), (29.1, 41.0), srid=4326)

    with pytest.raises(ValidationError):
        route_create(slug="walk", user=editor, name={"en": "Walk"}, path=far)

    assert not Route.objects.exists()


def test_route_update_recomputes_the_length(editor, route):
    longer = LineString((KONAK[0], KONAK[1]), (KONAK[0] + 0.0254, KONAK[1]), srid=4326)

    route_update(route=route, user=editor, path=longer)

    assert 2200 < route.length_m < 2240


def test_route_archive_of_a_published_route_needs_a_reviewer(editor):
    route = RouteFactory(status=Status.PUBLISHED)

    with pytest.raises(PermissionDenied):
        route_archive(route=route, user=editor)
    route_archive(route=route, user=UserFactory(role="reviewer"))

    assert Route.objects.get(pk=route.pk).status == Status.ARCHIVED


def test_stop_create_inserts_and_shifts_later_stops(editor, route):
    stop_create(route=route, site=SiteFactory(slug="d"), user=editor, order=1, dwell_min=5)

    assert order_of(route) == ["d", "a", "b", "c"]


def test_stop_create_refuses_a_site_already_on_the_route(editor, route):
    a = route.stops.get(site__slug="a").site

    with pytest.raises(ValidationError) as error:
        stop_create(route=route, site=a, user=editor)

    assert "site" in error.value.message_dict
    assert route.stops.count() == 3


def test_stop_create_refuses_a_radius_out_of_range_and_writes_nothing(editor, route):
    with pytest.raises(ValidationError):
        stop_create(route=route, site=SiteFactory(), user=editor, order=1, trigger_radius_m=2000)

    assert order_of(route) == ["a", "b", "c"]


def test_stop_update_and_delete_keep_history_with_the_user(editor, route):
    reviewer = UserFactory(role="reviewer")  # removing a stop is a reviewer's move (ADR 0003)
    stop = route.stops.get(site__slug="b")
    stop_id = stop.pk  # delete() clears it

    stop_update(stop=stop, user=editor, narrative={"en": "Look up."})
    stop_delete(stop=stop, user=reviewer)

    assert order_of(route) == ["a", "c"]
    history = RouteStop.history.filter(id=stop_id).order_by("history_id")
    assert [(h.history_type, h.history_user) for h in history] == [
        ("+", None),
        ("~", editor),
        ("-", reviewer),
    ]


def test_an_editor_may_not_remove_a_stop_even_through_the_service(editor, route):
    stop = route.stops.get(site__slug="b")

    with pytest.raises(PermissionDenied):
        stop_delete(stop=stop, user=editor)

    assert order_of(route) == ["a", "b", "c"]


def test_a_stop_update_with_a_radius_out_of_range_is_a_validation_error_naming_it(editor, route):
    stop = route.stops.get(site__slug="b")

    with pytest.raises(ValidationError) as error:
        stop_update(stop=stop, user=editor, trigger_radius_m=2)

    assert "trigger_radius_m" in error.value.message_dict


def test_stops_reorder_swaps_orders_in_one_transaction(editor, route):
    stops_reorder(route=route, site_slugs=["c", "b", "a"], user=editor)

    assert order_of(route) == ["c", "b", "a"]


def test_stops_reorder_refuses_a_partial_list(editor, route):
    with pytest.raises(ValidationError):
        stops_reorder(route=route, site_slugs=["c", "b"], user=editor)

    assert order_of(route) == ["a", "b", "c"]


def test_an_archived_site_cannot_become_a_stop(editor, route):
    archived = SiteFactory(status=Status.ARCHIVED)

    with pytest.raises(ValidationError) as error:
        stop_create(route=route, site=archived, user=editor)

    assert "site" in error.value.message_dict
    assert route.stops.count() == 3


def test_a_stop_update_that_changes_nothing_leaves_the_route_untouched(editor, route):
    stop = route.stops.get(site__slug="a")
    before = Route.objects.get(pk=route.pk).updated_at

    stop_update(stop=stop, user=editor, dwell_min=stop.dwell_min)

    assert Route.objects.get(pk=route.pk).updated_at == before


def test_stop_create_numbers_the_stops_1_to_n_even_after_gaps(editor):
    route = RouteFactory(status=Status.DRAFT)
    RouteStopFactory(route=route, site=SiteFactory(slug="x"), order=2)
    RouteStopFactory(route=route, site=SiteFactory(slug="y"), order=5)

    stop_create(route=route, site=SiteFactory(slug="new"), user=editor, order=2)

    assert list(route.stops.order_by("order").values_list("site__slug", "order")) == [
        ("x", 1),
        ("new", 2),
        ("y", 3),
    ]


def test_route_set_stops_makes_the_checks_of_the_stop_services(editor, route):
    from routes.services import StopSpec, route_set_stops

    archived = SiteFactory(slug="gone", status=Status.ARCHIVED)
    with pytest.raises(ValidationError) as error:
        route_set_stops(
            route=route, stops=[StopSpec("a"), StopSpec("b"), StopSpec("c"), StopSpec(archived.slug)]
        )
    assert "site" in error.value.message_dict

    with pytest.raises(ValidationError) as error:
        route_set_stops(route=route, stops=[StopSpec("a", trigger_radius_m=2)], user=None)
    assert "trigger_radius_m" in error.value.message_dict

    with pytest.raises(PermissionDenied):  # removing stops is a reviewer's move
        route_set_stops(route=route, stops=[StopSpec("a")], user=editor)
    assert order_of(route) == ["a", "b", "c"]


def test_stops_reorder_checks_the_version_of_the_stop_list(editor, route):
    from editorial.errors import VersionMismatch
    from editorial.versions import collection_version

    read = collection_version(route.stops.order_by("order"))
    with pytest.raises(VersionMismatch):
        stops_reorder(route=route, site_slugs=["c", "b", "a"], user=editor, expected_versions=["stale"])
    assert order_of(route) == ["a", "b", "c"]

    stops_reorder(route=route, site_slugs=["c", "b", "a"], user=editor, expected_versions=[read])
    assert order_of(route) == ["c", "b", "a"]
