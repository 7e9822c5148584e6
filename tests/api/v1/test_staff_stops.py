"""The staff stop endpoints: add, edit, take off, reorder a route's stops."""

import pytest

from api.concurrency import etag_for, etag_for_collection
from editorial.vocabularies import Status
from routes.models import Route, RouteStop
from tests.api.v1.staff_client import client_for, send, written
from tests.factories import RouteFactory, RouteStopFactory, SiteFactory


@pytest.fixture
def editor(db):
    return client_for("editor")


@pytest.fixture
def route(db):
    """A draft route with stops a, b, c in that order."""
    route = RouteFactory(status=Status.DRAFT, slug="walk")
    for order, slug in enumerate("abc", start=1):
        RouteStopFactory(route=route, site=SiteFactory(slug=slug), order=order)
    return route


def stop_order(route) -> list[str]:
    return list(route.stops.order_by("order").values_list("site__slug", flat=True))


def test_the_stops_read_as_a_feature_collection_at_their_sites_in_order(
    editor, route, django_assert_num_queries
):
    with django_assert_num_queries(4):  # token+user, groups, route, stops with sites
        response = editor.get("/api/v1/staff/routes/walk/stops")

    assert response.status_code == 200
    features = response.json()["features"]
    assert [f["id"] for f in features] == ["a", "b", "c"]
    assert features[0]["geometry"]["type"] == "Point"
    assert features[0]["properties"]["route"] == "walk"


def test_a_new_stop_is_inserted_at_its_order_and_the_later_ones_move_down(editor, route):
    SiteFactory(slug="d")

    response = send(
        editor,
        "post",
        "/api/v1/staff/routes/walk/stops",
        {
            "type": "Feature",
            "geometry": None,
            "properties": {"site": "d", "order": 2, "trigger_radius_m": 50, "narrative": {"en": "Look up."}},
        },
    )

    assert response.status_code == 201
    assert response["Location"] == "/api/v1/staff/routes/walk/stops/d"
    assert stop_order(route) == ["a", "d", "b", "c"]
    assert RouteStop.objects.get(site__slug="d").history.first().history_user == editor.user


def test_a_new_stop_with_a_stale_if_match_on_the_stop_list_is_412_and_writes_nothing(editor, route):
    SiteFactory(slug="d")
    stale = etag_for_collection(route.stops.order_by("order"))
    route.stops.get(site__slug="c").delete()
    before = written()

    response = send(
        editor,
        "post",
        "/api/v1/staff/routes/walk/stops",
        {"type": "Feature", "properties": {"site": "d", "order": 1}},
        HTTP_IF_MATCH=stale,
    )

    assert response.status_code == 412
    assert written() == before


def test_a_new_stop_with_the_current_stop_list_etag_is_created(editor, route):
    SiteFactory(slug="d")
    current = send(editor, "get", "/api/v1/staff/routes/walk/stops")["ETag"]

    response = send(
        editor,
        "post",
        "/api/v1/staff/routes/walk/stops",
        {"type": "Feature", "properties": {"site": "d"}},
        HTTP_IF_MATCH=current,
    )

    assert response.status_code == 201
    assert stop_order(route) == ["a", "b", "c", "d"]


def test_a_stop_without_order_is_appended(editor, route):
    SiteFactory(slug="d")

    send(editor, "post", "/api/v1/staff/routes/walk/stops", {"type": "Feature", "properties": {"site": "d"}})

    assert stop_order(route) == ["a", "b", "c", "d"]


def test_a_stop_edit_needs_its_etag_and_moves_the_routes_updated_at(editor, route):
    stop = route.stops.get(site__slug="b")
    before = Route.objects.get(pk=route.pk).updated_at

    missing = send(
        editor, "patch", "/api/v1/staff/routes/walk/stops/b", {"type": "Feature", "properties": {}}
    )
    response = send(
        editor,
        "patch",
        "/api/v1/staff/routes/walk/stops/b",
        {"type": "Feature", "properties": {"dwell_min": 40}},
        HTTP_IF_MATCH=etag_for(stop),
    )

    assert missing.status_code == 428
    assert response.status_code == 200
    assert response.json()["properties"]["dwell_min"] == 40
    assert Route.objects.get(pk=route.pk).updated_at > before


def test_a_stops_site_and_order_cannot_be_changed_by_patch(editor, route):
    stop = route.stops.get(site__slug="b")

    response = send(
        editor,
        "patch",
        "/api/v1/staff/routes/walk/stops/b",
        {"type": "Feature", "properties": {"order": 1}},
        HTTP_IF_MATCH=etag_for(stop),
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "properties.order"


def test_a_reviewer_removing_a_stop_closes_the_gap_and_keeps_a_history_record(route):
    reviewer = client_for("reviewer")
    stop = route.stops.get(site__slug="a")

    response = reviewer.delete("/api/v1/staff/routes/walk/stops/a", HTTP_IF_MATCH=etag_for(stop))

    assert response.status_code == 204
    assert list(route.stops.order_by("order").values_list("site__slug", "order")) == [("b", 1), ("c", 2)]
    assert RouteStop.history.filter(id=stop.pk, history_type="-").get().history_user == reviewer.user


def test_an_editor_cannot_remove_a_stop_because_editors_never_hard_delete(editor, route):
    stop = route.stops.get(site__slug="a")

    response = editor.delete("/api/v1/staff/routes/walk/stops/a", HTTP_IF_MATCH=etag_for(stop))

    assert response.status_code == 403
    assert route.stops.count() == 3


def test_the_stop_order_is_replaced_in_one_request_with_the_collection_etag(editor, route):
    read = editor.get("/api/v1/staff/routes/walk/stop-order")

    response = send(
        editor,
        "put",
        "/api/v1/staff/routes/walk/stop-order",
        {"stops": ["c", "a", "b"]},
        HTTP_IF_MATCH=read["ETag"],
    )

    assert read.json() == {"stops": ["a", "b", "c"]}
    assert response.status_code == 200
    assert response.json() == {"stops": ["c", "a", "b"]}
    assert stop_order(route) == ["c", "a", "b"]
    assert response["ETag"] != read["ETag"]


def test_a_reorder_with_a_stale_collection_etag_is_412(editor, route):
    stale = etag_for_collection(route.stops.order_by("order"))
    RouteStop.objects.filter(route=route, site__slug="c").update(dwell_min=99)
    before = written()

    response = send(
        editor, "put", "/api/v1/staff/routes/walk/stop-order", {"stops": ["c", "b", "a"]}, HTTP_IF_MATCH=stale
    )

    assert response.status_code == 412
    assert stop_order(route) == ["a", "b", "c"]
    assert written() == before


def test_a_reorder_must_name_every_stop_exactly_once(editor, route):
    etag = editor.get("/api/v1/staff/routes/walk/stop-order")["ETag"]
    before = written()

    response = send(
        editor, "put", "/api/v1/staff/routes/walk/stop-order", {"stops": ["a", "a", "b"]}, HTTP_IF_MATCH=etag
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "stops"
    assert written() == before


def test_an_editor_cannot_change_the_stops_of_a_published_route(editor):
    route = RouteFactory(status=Status.PUBLISHED, slug="live")
    SiteFactory(slug="d")
    before = written()

    response = send(
        editor, "post", "/api/v1/staff/routes/live/stops", {"type": "Feature", "properties": {"site": "d"}}
    )

    assert response.status_code == 403
    assert written() == before
    assert not route.stops.exists()


def test_one_stop_reads_in_four_queries(editor, route, django_assert_num_queries):
    with django_assert_num_queries(4):  # token+user, groups, route, stop with site
        response = editor.get("/api/v1/staff/routes/walk/stops/b")

    assert response.status_code == 200
    assert response.json()["properties"]["order"] == 2
