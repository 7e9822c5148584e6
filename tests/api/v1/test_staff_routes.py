"""The staff route endpoints: create, read, edit the path, archive."""

import pytest

from api.concurrency import etag_for
from editorial.vocabularies import Status
from routes.models import Route
from tests.api.v1.staff_client import client_for, route_body, send, written
from tests.factories import KONAK, RouteFactory

LIST = "/api/v1/staff/routes"


@pytest.fixture
def editor(db):
    return client_for("editor")


def test_an_editor_creates_a_draft_route_and_postgis_measures_it(editor):
    response = send(editor, "post", LIST, route_body(summary={"en": "Short."}, duration_min=30))

    assert response.status_code == 201
    assert response["Location"] == f"{LIST}/a-new-walk"
    properties = response.json()["properties"]
    assert properties["status"] == "draft"
    assert 1100 < properties["length_m"] < 1120  # 0.0127° of longitude at 38.42° N
    route = Route.objects.get(slug="a-new-walk")
    assert (route.created_by, route.history.first().history_user) == (editor.user, editor.user)


def test_replacing_the_path_recomputes_the_length(editor):
    route = RouteFactory(status=Status.DRAFT)
    longer = {"type": "LineString", "coordinates": [[KONAK[0], KONAK[1]], [KONAK[0] + 0.0254, KONAK[1]]]}

    response = send(
        editor,
        "patch",
        f"{LIST}/{route.slug}",
        {"type": "Feature", "geometry": longer},
        HTTP_IF_MATCH=etag_for(route),
    )

    assert response.status_code == 200
    assert 2200 < response.json()["properties"]["length_m"] < 2240
    assert response["ETag"] != etag_for(route)


def test_a_multilinestring_path_is_accepted(editor):
    multi = {
        "type": "MultiLineString",
        "coordinates": [[[27.12, 38.41], [27.13, 38.41]], [[27.14, 38.42], [27.15, 38.42]]],
    }

    response = send(editor, "post", LIST, route_body(geometry=multi))

    assert response.status_code == 201
    assert response.json()["geometry"]["type"] == "MultiLineString"


def test_the_route_list_includes_drafts_in_four_queries(editor, django_assert_num_queries):
    RouteFactory.create_batch(2, status=Status.DRAFT)
    RouteFactory(status=Status.REVIEW)

    with django_assert_num_queries(4):  # token+user, groups, routes page, count
        response = editor.get(LIST)

    assert response.status_code == 200
    assert {f["properties"]["status"] for f in response.json()["features"]} == {"draft", "review"}


def test_a_stale_if_match_on_a_route_is_412_and_changes_nothing(editor):
    route = RouteFactory(status=Status.DRAFT)
    stale = etag_for(route)
    Route.objects.filter(pk=route.pk).update(duration_min=99)
    before = written()

    response = send(
        editor,
        "patch",
        f"{LIST}/{route.slug}",
        {"type": "Feature", "properties": {"duration_min": 10}},
        HTTP_IF_MATCH=stale,
    )

    assert response.status_code == 412
    assert Route.objects.get(pk=route.pk).duration_min == 99
    assert written() == before


def test_deleting_a_route_without_if_match_is_428(editor):
    route = RouteFactory(status=Status.DRAFT, created_by=editor.user)

    response = editor.delete(f"{LIST}/{route.slug}")

    assert response.status_code == 428
    assert Route.objects.get(pk=route.pk).status == Status.DRAFT


def test_the_staff_route_detail_takes_three_queries(editor, django_assert_num_queries):
    route = RouteFactory(status=Status.DRAFT)

    with django_assert_num_queries(3):  # token+user, groups, route with authors and GeoJSON path
        response = editor.get(f"{LIST}/{route.slug}")

    assert response.status_code == 200
    assert response.json()["geometry"]["type"] == "LineString"


def test_a_duplicate_route_slug_is_a_400_naming_the_slug(editor):
    RouteFactory(slug="a-new-walk")
    before = written()

    response = send(editor, "post", LIST, route_body())

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "properties.slug"
    assert written() == before
