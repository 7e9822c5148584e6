"""GET /api/v1/routes, /routes/{slug}, /triggers, /progress and /bundle."""

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from editorial.vocabularies import Status
from routes.designations import ROUTE_DESIGNATION_LABELS
from routes.models import Route, RouteDesignation
from sites.models import Photo
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory

GEOJSON = "application/geo+json"
PROBLEM = "application/problem+json"
EIGHT_5 = "8500-years-in-one-day"
WATERWAYS = "izmir-historical-waterways"


@pytest.fixture
def izmir_published(izmir):
    Route.objects.filter(slug=WATERWAYS).update(status=Status.PUBLISHED)
    return izmir


@pytest.fixture
def small_route(db):
    """A 1.1 km walk east from Konak with a published stop at each end and a
    draft site in the middle."""
    route = RouteFactory(slug="walk", name={"tr": "Yürüyüş", "en": "Walk"}, summary={"en": "Short."})
    start = SiteFactory(slug="start", location=Point(*KONAK, srid=4326))
    middle = SiteFactory(
        slug="middle", location=Point(KONAK[0] + 0.006, KONAK[1], srid=4326), status=Status.DRAFT
    )
    end = SiteFactory(slug="end", location=Point(KONAK[0] + 0.0127, KONAK[1], srid=4326))
    RouteStopFactory(route=route, site=start, order=1, dwell_min=10, narrative={"en": "Begin here."})
    RouteStopFactory(route=route, site=middle, order=2)
    RouteStopFactory(route=route, site=end, order=3, dwell_min=20, trigger_radius_m=40)
    Photo.objects.create(
        site=end,
        original="photos/originals/end.jpg",
        width=800,
        height=600,
        caption={"en": "End"},
        author="B",
        license="CC0-1.0",
        status=Status.PUBLISHED,
        renditions={"320": "photos/r/end-320.webp"},
    )
    return route


# --- /api/v1/routes ---------------------------------------------------------


def test_route_list_is_light_and_lists_published_routes_only(client, small_route, django_assert_num_queries):
    RouteFactory(slug="draft", status=Status.DRAFT)

    with django_assert_num_queries(1):
        response = client.get("/api/v1/routes?lang=en")

    assert response.status_code == 200
    assert response["Content-Type"] == GEOJSON
    body = response.json()
    assert body["attribution"] == settings.HERITAGE_DATA_ATTRIBUTION
    assert body["license"] == settings.HERITAGE_DATA_LICENSE
    assert [f["id"] for f in body["features"]] == ["walk"]
    feature = body["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": list(KONAK)}
    props = feature["properties"]
    assert props["name"] == "Walk"
    assert props["summary"] == "Short."
    assert props["mode"] == "walk"
    assert props["stop_count"] == 2  # the draft site's stop is hidden
    assert props["length_m"] == pytest.approx(1108, abs=5)
    # 1.1 km at 4.5 km/h ≈ 14.8 min, plus 10 + 20 min at the two visible stops.
    assert props["duration_min"] == 45
    assert props["bbox"] == [KONAK[0], KONAK[1], round(KONAK[0] + 0.0127, 6), KONAK[1]]
    assert props["updated_at"].endswith("Z")


def test_route_list_uses_the_recorded_duration_when_there_is_one(client, db):
    RouteFactory(duration_min=95)

    props = client.get("/api/v1/routes").json()["features"][0]["properties"]

    assert props["duration_min"] == 95


# --- /api/v1/routes/{slug} --------------------------------------------------


def test_route_detail_is_the_path_then_the_stops_in_order(client, small_route, django_assert_num_queries):
    with django_assert_num_queries(1):  # the body and the content version, one statement
        response = client.get("/api/v1/routes/walk?lang=en")

    assert response.status_code == 200
    assert response["Content-Type"] == GEOJSON
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["bbox"] == [KONAK[0], KONAK[1], round(KONAK[0] + 0.0127, 6), KONAK[1]]
    assert body["attribution"] == settings.HERITAGE_DATA_ATTRIBUTION
    route, *stops = body["features"]
    assert route["geometry"]["type"] == "LineString"
    assert route["properties"]["feature_type"] == "route"
    assert route["properties"]["name"] == "Walk"
    assert route["properties"]["stop_count"] == 2
    assert [s["properties"]["feature_type"] for s in stops] == ["stop", "stop"]
    assert [s["properties"]["site"] for s in stops] == ["start", "end"]
    assert [s["properties"]["order"] for s in stops] == [1, 3]
    first, last = (s["properties"] for s in stops)
    assert first["narrative"] == "Begin here."
    assert first["designation"] == "proposed"
    assert first["dwell_min"] == 10
    assert last["trigger_radius_m"] == 40
    assert last["photos"][0]["renditions"] == {"320": "http://testserver/media/photos/r/end-320.webp"}
    assert stops[1]["geometry"] == {"type": "Point", "coordinates": [round(KONAK[0] + 0.0127, 6), KONAK[1]]}


def test_route_detail_of_the_izmir_route_has_its_fifteen_stops(client, izmir):
    body = client.get(f"/api/v1/routes/{EIGHT_5}").json()

    stops = body["features"][1:]
    assert len(stops) == 15
    assert stops[0]["properties"]["site"] == "yesilova-hoyuk"
    assert stops[0]["properties"]["designation"] == "official"
    assert stops[0]["properties"]["kind"] == "mound"
    assert "neolithic" in stops[0]["properties"]["periods"]


@pytest.mark.parametrize("path", ["", "/triggers", "/bundle", "/progress?lat=38.42&lon=27.13"])
def test_unpublished_or_unknown_routes_are_404_problems(client, izmir, path):
    Route.objects.filter(slug=WATERWAYS).update(status=Status.REVIEW)

    in_review = client.get(f"/api/v1/routes/{WATERWAYS}{path}")
    unknown = client.get(f"/api/v1/routes/no-such-route{path}")

    assert in_review.status_code == 404
    assert in_review["Content-Type"] == PROBLEM
    assert unknown.status_code == 404


def test_a_review_route_is_absent_from_the_list(client, izmir):
    Route.objects.filter(slug=WATERWAYS).update(status=Status.REVIEW)

    body = client.get("/api/v1/routes").json()

    assert [f["id"] for f in body["features"]] == [EIGHT_5]


@pytest.mark.parametrize("lang", ["tr", "en", "de"])
def test_both_izmir_routes_are_public_and_say_how_official_they_are(client, izmir, lang):
    listed = client.get("/api/v1/routes", {"lang": lang}).json()["features"]
    detail = client.get(f"/api/v1/routes/{WATERWAYS}", {"lang": lang}).json()["features"][0]
    triggers = client.get(f"/api/v1/routes/{WATERWAYS}/triggers", {"lang": lang}).json()
    progress = client.get(f"/api/v1/routes/{WATERWAYS}/progress", {"lang": lang, "lat": 38.42, "lon": 27.13})
    labels = ROUTE_DESIGNATION_LABELS[RouteDesignation.PROPOSED]

    assert {f["id"]: f["properties"]["designation"] for f in listed} == {
        EIGHT_5: "official",
        WATERWAYS: "proposed",
    }
    assert {f["properties"]["designation_label"] for f in listed} == {
        ROUTE_DESIGNATION_LABELS[RouteDesignation.OFFICIAL][lang],
        labels[lang],
    }
    assert (detail["properties"]["designation"], detail["properties"]["designation_label"]) == (
        "proposed",
        labels[lang],
    )
    assert (triggers["designation"], triggers["designation_label"]) == ("proposed", labels[lang])
    assert progress.json()["properties"]["designation_label"] == labels[lang]


# --- /api/v1/routes/{slug}/triggers -----------------------------------------


def test_triggers_are_polygon_circles_per_published_stop(client, small_route, django_assert_num_queries):
    with django_assert_num_queries(1):  # the body and the content version, one statement
        response = client.get("/api/v1/routes/walk/triggers")

    assert response.status_code == 200
    assert response["Content-Type"] == GEOJSON
    body = response.json()
    assert body["attribution"] == settings.HERITAGE_DATA_ATTRIBUTION
    assert [f["properties"]["site"] for f in body["features"]] == ["start", "end"]
    assert [f["properties"]["trigger_radius_m"] for f in body["features"]] == [30, 40]
    ring = body["features"][1]["geometry"]["coordinates"][0]
    assert body["features"][1]["geometry"]["type"] == "Polygon"
    lons = [lon for lon, _lat in ring]
    # 40 m each side of the stop: ≈ 80 m wide ≈ 0.000917° of longitude at 38.42° N.
    assert max(lons) - min(lons) == pytest.approx(80 / (111_320 * 0.7835), rel=0.02)


# --- /api/v1/routes/{slug}/progress -----------------------------------------


def test_progress_reports_the_snapped_point_and_what_is_next(client, small_route, django_assert_num_queries):
    with django_assert_num_queries(2):  # the route located against the point, then its stops
        response = client.get(f"/api/v1/routes/walk/progress?lat={KONAK[1] + 0.0002}&lon={KONAK[0] + 0.005}")

    assert response.status_code == 200
    assert response["Content-Type"] == GEOJSON
    body = response.json()
    assert body["type"] == "Feature"
    assert body["geometry"]["coordinates"] == pytest.approx([KONAK[0] + 0.005, KONAK[1]], abs=1e-6)
    props = body["properties"]
    assert props["fraction"] == pytest.approx(0.005 / 0.0127, abs=0.001)
    assert props["distance_along_m"] == pytest.approx(436, abs=3)
    assert props["remaining_m"] == pytest.approx(props["length_m"] - props["distance_along_m"], abs=0.2)
    assert props["distance_to_route_m"] == pytest.approx(22, abs=1)
    assert props["off_route"] is False
    assert props["current_stop"] is None
    assert props["next_stop"]["site"] == "end"
    assert props["next_stop"]["distance_along_path_m"] == pytest.approx(props["remaining_m"], abs=0.2)
    assert props["mode"] == "walk"
    assert props["remaining_min"] == 29  # ≈ 8.9 min walking + 20 min at the end
    assert body["attribution"] == settings.HERITAGE_DATA_ATTRIBUTION


def test_progress_accuracy_widens_the_off_route_tolerance(client, small_route):
    url = f"/api/v1/routes/walk/progress?lat={KONAK[1] + 0.0009}&lon={KONAK[0] + 0.005}"  # ≈ 100 m off

    strict = client.get(url).json()["properties"]
    lenient = client.get(url + "&accuracy=150").json()["properties"]

    assert strict["off_route"] is True
    assert lenient["off_route"] is False


def test_progress_names_the_stop_whose_trigger_zone_holds_the_position(client, small_route):
    body = client.get(f"/api/v1/routes/walk/progress?lat={KONAK[1]}&lon={KONAK[0] + 0.0001}").json()

    assert body["properties"]["current_stop"]["site"] == "start"
    assert body["properties"]["next_stop"]["site"] == "end"


@pytest.mark.parametrize("slug", [EIGHT_5, WATERWAYS])
def test_progress_over_http_on_both_izmir_routes(client, izmir_published, slug):
    route = Route.objects.get(slug=slug)
    third = route.stops.get(order=3).site.location

    body = client.get(f"/api/v1/routes/{slug}/progress?lat={third.y}&lon={third.x}").json()

    assert body["properties"]["current_stop"]["order"] == 3
    assert body["properties"]["next_stop"]["order"] == 4
    assert body["properties"]["off_route"] is False


@pytest.mark.parametrize(
    ("query", "parameters"),
    [
        ("", {"lat", "lon"}),
        ("lat=x&lon=27.13", {"lat"}),
        ("lat=38.42&lon=nan", {"lon"}),
        ("lat=95&lon=27.13", {"lat"}),
        ("lat=38.42&lon=27.13&accuracy=-3", {"accuracy"}),
        ("lat=38.42&lon=27.13&accuracy=Infinity", {"accuracy"}),
        ("lat=0.0&lon=120.0", {"lat", "lon"}),  # outside UTM 35N's domain: was a 500
    ],
)
def test_progress_rejects_bad_parameters_by_name(client, small_route, query, parameters):
    response = client.get(f"/api/v1/routes/walk/progress?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert {e["parameter"] for e in response.json()["errors"]} == parameters


# --- /api/v1/routes/{slug}/bundle -------------------------------------------


def test_bundle_holds_route_site_details_and_trigger_zones(client, small_route, django_assert_num_queries):
    # route (3: route, stops with period codes, photos) + site details (4) + triggers (1)
    with django_assert_num_queries(8):
        response = client.get("/api/v1/routes/walk/bundle?lang=en")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "ETag" in response
    body = response.json()
    assert body["attribution"] == settings.HERITAGE_DATA_ATTRIBUTION
    assert body["route"]["features"][0]["properties"]["feature_type"] == "route"
    assert sorted(f["id"] for f in body["sites"]["features"]) == ["end", "start"]
    assert len(body["triggers"]["features"]) == 2
