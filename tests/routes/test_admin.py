"""The routes admin: paths drawn or uploaded, ordered stops, length and duration,
history, read-only pages."""

import html
import json
import re

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import Status
from routes.models import Route, RouteStop
from tests.admin_helpers import (
    KONAK,
    as_user,
    messages_of,
    route_form,
)
from tests.factories import (
    RouteFactory,
    RouteStopFactory,
    SiteFactory,
    uploaded,
)


def test_route_history_handles_the_path_and_stops_have_their_own(client, superuser):
    route = RouteFactory()
    stop = RouteStopFactory(route=route, order=1)
    as_user(client, superuser)

    assert client.get(f"/admin/routes/route/{route.pk}/history/").status_code == 200
    assert client.get(f"/admin/routes/routestop/{stop.pk}/history/").status_code == 200


@pytest.fixture
def draft_route(db):
    route = RouteFactory(status=Status.DRAFT)
    first = RouteStopFactory(
        route=route, order=1, site=SiteFactory(location=Point(KONAK[0] + 0.001, KONAK[1]))
    )
    second = RouteStopFactory(
        route=route, order=2, site=SiteFactory(location=Point(KONAK[0] + 0.005, KONAK[1]))
    )
    return route, first, second


def test_stops_swap_orders_in_one_save(client, editor, draft_route):
    route, first, second = draft_route

    response = as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/",
        route_form(
            route,
            [
                {"id": first.pk, "order": 2, "site": first.site_id},
                {"id": second.pk, "order": 1, "site": second.site_id},
            ],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(route.stops.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_two_stops_with_one_order_are_refused(client, editor, draft_route):
    route, first, second = draft_route

    response = as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/",
        route_form(
            route,
            [
                {"id": first.pk, "order": 1, "site": first.site_id},
                {"id": second.pk, "order": 1, "site": second.site_id},
            ],
        ),
    )

    assert response.status_code == 200
    assert "have order 1" in response.content.decode()
    assert list(route.stops.order_by("order").values_list("pk", flat=True)) == [first.pk, second.pk]


def test_a_stop_far_from_the_path_saves_with_a_warning(client, editor, draft_route):
    route, first, second = draft_route
    far = SiteFactory(location=Point(KONAK[0] + 0.005, KONAK[1] + 0.003, srid=4326))  # ~330 m north

    response = as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/",
        route_form(
            route,
            [
                {"id": first.pk, "order": 1, "site": first.site_id},
                {"id": second.pk, "order": 2, "site": second.site_id},
                {"order": 3, "site": far.pk},
            ],
        ),
    )

    assert response.status_code == 302
    assert route.stops.count() == 3
    warnings = [m for m in messages_of(response) if "from the path" in m]
    assert len(warnings) == 1
    assert f"Stop 3 ({far.slug}) lies 33" in warnings[0]


def test_the_route_page_shows_the_generated_length_and_an_estimated_duration(client, editor, draft_route):
    route, _first, _second = draft_route

    page = as_user(client, editor).get(f"/admin/routes/route/{route.pk}/change/").content.decode()

    route.refresh_from_db()
    assert f"{route.length_m:,.0f} m" in page
    assert "Estimated duration" in page
    assert "0 m" in page  # the stops' distance to the path


def test_a_route_path_is_replaced_by_an_uploaded_gpx_file(client, editor, draft_route):
    route, first, second = draft_route
    gpx = (
        b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        b'<trkpt lat="38.4189" lon="27.1287"><ele>5</ele></trkpt><trkpt lat="38.4189" lon="27.1487"/>'
        b"</trkseg></trk></gpx>"
    )
    stops = [
        {"id": first.pk, "order": 1, "site": first.site_id},
        {"id": second.pk, "order": 2, "site": second.site_id},
    ]

    response = as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/",
        route_form(route, stops, path_file=uploaded(gpx, "track.gpx", "application/gpx+xml")),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    route.refresh_from_db()
    assert route.path.geom_type == "LineString"
    assert route.path.coords[0] == pytest.approx((27.1287, 38.4189))
    assert route.path.coords[1] == pytest.approx((27.1487, 38.4189))
    assert 1700 < route.length_m < 1800  # the generated column followed the new path


def test_a_hostile_path_file_is_refused_and_the_path_is_kept(client, editor, draft_route):
    route, first, second = draft_route
    before = route.path.ewkt
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b"<kml><Placemark><LineString><coordinates>&lol2;</coordinates></LineString></Placemark></kml>"
    )
    stops = [
        {"id": first.pk, "order": 1, "site": first.site_id},
        {"id": second.pk, "order": 2, "site": second.site_id},
    ]

    response = as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/", route_form(route, stops, path_file=uploaded(bomb, "x.kml"))
    )

    assert response.status_code == 200
    assert "DTD" in response.content.decode()
    route.refresh_from_db()
    assert route.path.ewkt == before


def test_a_drawn_single_line_is_stored_as_a_linestring(client, editor, draft_route):
    route, first, second = draft_route
    drawn = json.dumps({"type": "MultiLineString", "coordinates": [[[27.1287, 38.4189], [27.14, 38.4189]]]})
    stops = [
        {"id": first.pk, "order": 1, "site": first.site_id},
        {"id": second.pk, "order": 2, "site": second.site_id},
    ]

    as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/", route_form(route, stops, path=drawn)
    )

    route.refresh_from_db()
    assert route.path.geom_type == "LineString"


def test_editors_cannot_edit_the_stops_of_a_published_route(client, editor):
    route = RouteFactory(status=Status.PUBLISHED)
    stop = RouteStopFactory(route=route, order=1)

    as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/",
        route_form(route, [{"id": stop.pk, "order": 5, "site": stop.site_id}]),
    )

    assert RouteStop.objects.get(pk=stop.pk).order == 1


def test_a_new_route_can_take_its_path_from_a_geojson_file_only(client, editor):
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "LineString", "coordinates": [[27.1287, 38.4189], [27.1387, 38.4189]]},
    }
    data = route_form(RouteFactory.build(slug="from-file", name={"tr": "Dosyadan"}), [], path="")
    data.update(slug="from-file", path_file=uploaded(json.dumps(feature).encode(), "x.geojson"))

    response = as_user(client, editor).post("/admin/routes/route/add/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    route = Route.objects.get(slug="from-file")
    assert route.status == Status.DRAFT
    assert route.created_by == editor
    assert 860 < route.length_m < 880


def test_a_route_without_a_path_or_file_is_refused(client, editor):
    data = route_form(RouteFactory.build(slug="nothing", name={"tr": "Boş"}), [], path="")
    data.update(slug="nothing")

    response = as_user(client, editor).post("/admin/routes/route/add/", data)

    assert response.status_code == 200
    assert "Draw the path on the map or upload" in response.content.decode()
    assert not Route.objects.filter(slug="nothing").exists()


def test_the_route_editor_hands_its_path_to_the_map_as_a_line_collection(client, superuser, draft_route):
    route, _first, _second = draft_route
    assert route.path.geom_type == "LineString"

    page = as_user(client, superuser).get(f"/admin/routes/route/{route.pk}/change/")

    widget = page.context["adminform"].form["path"].as_widget()
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", widget, re.S).group(1)
    value = json.loads(html.unescape(textarea))
    # As a LineString, django-leaflet's loader split it into one "line" per vertex.
    assert value["type"] == "MultiLineString"
    (line,) = value["coordinates"]
    assert len(line) == len(route.path.coords)
    assert line[-1] == pytest.approx(list(route.path.coords[-1]), abs=1e-6)


def test_a_route_path_is_reverted_from_its_history(client, superuser, draft_route):
    route, first, second = draft_route
    original = route.history.earliest()
    stops = [
        {"id": first.pk, "order": 1, "site": first.site_id},
        {"id": second.pk, "order": 2, "site": second.site_id},
    ]
    moved = json.dumps({"type": "LineString", "coordinates": [[27.1287, 38.4189], [27.1287, 38.43]]})
    as_user(client, superuser).post(
        f"/admin/routes/route/{route.pk}/change/", route_form(route, stops, path=moved)
    )
    route.refresh_from_db()
    assert route.path.coords[1] == pytest.approx((27.1287, 38.43))

    page = client.get(f"/admin/routes/route/{route.pk}/history/{original.history_id}/")
    old_path = page.context["adminform"].form.initial["path"]
    response = client.post(
        f"/admin/routes/route/{route.pk}/history/{original.history_id}/",
        route_form(route, stops, path=old_path.geojson),
    )

    assert response.status_code == 302
    route.refresh_from_db()
    assert route.path.coords[1] == pytest.approx((KONAK[0] + 0.0127, KONAK[1]))
    assert 1100 < route.length_m < 1120  # the generated length followed the revert


def test_the_stop_site_picker_searches_names_in_any_language(client, editor):
    SiteFactory(slug="han", name={"tr": "Kızlarağası Hanı"})
    SiteFactory(slug="tower", name={"tr": "Saat Kulesi"})

    response = as_user(client, editor).get(
        "/admin/autocomplete/",
        {"term": "kizlar", "app_label": "routes", "model_name": "routestop", "field_name": "site"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["han"]


def test_a_published_route_opens_read_only_for_an_editor_with_its_stops(client, editor):
    route = RouteFactory(status=Status.PUBLISHED, name={"tr": "Rota", "en": "Route"})
    RouteStopFactory(route=route, order=1, narrative={"tr": "Burada"})

    response = as_user(client, editor).get(f"/admin/routes/route/{route.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="heritage-readonly-map"' in page
    assert "<b>English</b>: Route" in page
    assert "Burada" in page
