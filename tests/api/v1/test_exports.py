"""GET /api/v1/export/sites and /api/v1/export/routes/{slug}: formats,
filters, file names, permissions and problem+json errors."""

import json

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import Kind, Status
from routes.models import RouteStop
from tests.api.v1.staff_client import client_for
from tests.factories import RouteFactory, SiteFactory, UserFactory

MEDIA_TYPES = {
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
    "gpkg": "application/geopackage+sqlite3",
    "kml": "application/vnd.google-earth.kml+xml",
    "gpx": "application/gpx+xml",
    "lpf": "application/ld+json",
}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(("fmt", "media_type"), MEDIA_TYPES.items())
def test_site_export_answers_every_format_as_an_attachment(db, api_client, fmt, media_type):
    SiteFactory()

    response = api_client.get("/api/v1/export/sites", {"format": fmt})

    assert response.status_code == 200
    assert response["Content-Type"] == media_type
    assert response.streaming
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="izmir-heritage-sites-')
    assert f".{'lpf.jsonld' if fmt == 'lpf' else fmt}" in disposition
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert body(response)


def test_site_export_defaults_to_geojson_of_published_sites(db, api_client):
    SiteFactory(slug="public")
    SiteFactory(slug="secret", status=Status.DRAFT)

    response = api_client.get("/api/v1/export/sites")

    collection = json.loads(body(response))
    assert [feature["id"] for feature in collection["features"]] == ["public"]
    assert collection["attribution"] == "Bizİzmir Açık Veri Portalı (CC BY 4.0)"


def test_site_export_applies_the_site_list_filters(db, api_client):
    mosque = SiteFactory(slug="mosque", kind=Kind.MOSQUE, periods=["ottoman"])
    SiteFactory(slug="church", kind=Kind.CHURCH, periods=["byzantine"])
    SiteFactory(slug="far-mosque", kind=Kind.MOSQUE, location=Point(27.3, 38.6, srid=4326))
    route = RouteFactory(slug="walk")
    RouteStop.objects.create(route=route, site=mosque, order=1)

    def ids(**params):
        response = api_client.get("/api/v1/export/sites", params)
        return [feature["id"] for feature in json.loads(body(response))["features"]]

    assert ids(kind="mosque") == ["far-mosque", "mosque"]
    assert ids(kind="mosque", bbox="27.0,38.3,27.2,38.5") == ["mosque"]
    assert ids(period="byzantine") == ["church"]
    assert ids(route="walk") == ["mosque"]


def test_anonymous_users_may_not_export_drafts(db, api_client):
    response = api_client.get("/api/v1/export/sites", {"include_drafts": "true"})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_an_editor_exports_drafts_with_the_flag(db):
    SiteFactory(slug="secret", status=Status.DRAFT)
    client = client_for("editor")

    response = client.get("/api/v1/export/sites", {"include_drafts": "true"})

    assert response.status_code == 200
    assert [f["id"] for f in json.loads(body(response))["features"]] == ["secret"]
    assert response["Cache-Control"] == "private, no-store"


def test_a_signed_in_user_without_a_role_may_not_export_drafts(db):
    client = client_for(None)
    client.force_authenticate(UserFactory())

    response = client.get("/api/v1/export/sites", {"include_drafts": "1"})

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"format": "shp"}, "format"),
        ({"bbox": "27,38"}, "bbox"),
        ({"kind": "spaceport"}, "kind"),
        ({"period": "jurassic"}, "period"),
        ({"datetime": "someday"}, "datetime"),
        ({"datetime": "2024-02-30"}, "datetime"),  # issue #9: only the year was read
        ({"datetime": "2024-13-45"}, "datetime"),
        ({"datetime": "2024-01-01T99:99:99Z"}, "datetime"),
        ({"bbox": "27,38,28,39,5"}, "bbox"),
        ({"include_drafts": "maybe"}, "include_drafts"),
        ({"route": "a\x00b"}, "route"),
    ],
)
def test_bad_parameters_are_problems_naming_the_parameter(db, api_client, params, parameter):
    response = api_client.get("/api/v1/export/sites", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == parameter


def test_route_export_has_the_route_and_its_stops(db, api_client):
    site = SiteFactory(slug="stop")
    route = RouteFactory(slug="walk")
    RouteStop.objects.create(route=route, site=site, order=1)

    response = api_client.get("/api/v1/export/routes/walk", {"format": "gpx"})

    assert response.status_code == 200
    assert 'filename="izmir-heritage-route-walk-' in response["Content-Disposition"]
    text = body(response).decode()
    assert "<trk>" in text
    assert "<h:slug>stop</h:slug>" in text


def test_a_draft_route_is_not_found_for_anonymous_users_but_exported_for_staff(db, api_client):
    RouteFactory(slug="hidden", status=Status.REVIEW)

    anonymous = api_client.get("/api/v1/export/routes/hidden")
    staff = client_for("reviewer").get("/api/v1/export/routes/hidden", {"include_drafts": "true"})

    assert anonymous.status_code == 404
    assert anonymous["Content-Type"] == "application/problem+json"
    assert staff.status_code == 200


def test_site_export_reads_the_database_in_a_fixed_number_of_queries(
    db, api_client, django_assert_num_queries
):
    SiteFactory.create_batch(20)

    # The content version (the kept file's key, api/export_cache.py), the
    # period vocabulary, then the features (one cursor); a kept file: two.
    with django_assert_num_queries(3):
        response = api_client.get("/api/v1/export/sites")
        features = json.loads(body(response))["features"]

    assert len(features) == 20


def test_a_published_routes_draft_stops_are_left_out_for_anonymous_users(db, api_client):
    public, secret = SiteFactory(slug="public"), SiteFactory(slug="secret", status=Status.DRAFT)
    route = RouteFactory(slug="walk")
    RouteStop.objects.create(route=route, site=public, order=1)
    RouteStop.objects.create(route=route, site=secret, order=2)

    collection = json.loads(body(api_client.get("/api/v1/export/routes/walk")))

    route_feature, *stops = collection["features"]
    assert [stop["site"] for stop in route_feature["properties"]["stops"]] == ["public"]
    assert [feature["id"] for feature in stops] == ["public"]


@pytest.mark.parametrize("slug", ["no-such-route", "$%11", "a%00b"])
def test_an_unknown_route_is_a_404_problem(db, api_client, slug):
    response = api_client.get(f"/api/v1/export/routes/{slug}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_linked_places_ids_and_type_identifiers_resolve_to_ogc_features(db, api_client):
    SiteFactory(slug="bath-one", kind=Kind.BATH)
    SiteFactory(slug="temple-one", kind=Kind.TEMPLE)

    collection = json.loads(body(api_client.get("/api/v1/export/sites", {"format": "lpf"})))
    bath = next(feature for feature in collection["features"] if feature["properties"]["slug"] == "bath-one")
    place = api_client.get(bath["@id"])
    kind = api_client.get(bath["types"][0]["identifier"])

    assert place.status_code == 200
    assert place.json()["id"] == "bath-one"
    assert kind.status_code == 200
    assert [feature["id"] for feature in kind.json()["features"]] == ["bath-one"]


def test_site_export_takes_sortby_properties_and_skip_geometry(db, client):
    SiteFactory(slug="late", start_year=1800)
    SiteFactory(slug="early", start_year=-300)

    response = client.get(
        "/api/v1/export/sites",
        {"sortby": "-start_year", "properties": "slug,start_year", "skipGeometry": "true"},
    )
    features = json.loads(b"".join(response.streaming_content))["features"]
    csv_text = b"".join(
        client.get("/api/v1/export/sites", {"format": "csv", "sortby": "start_year"}).streaming_content
    ).decode()

    assert [f["id"] for f in features] == ["late", "early"]
    assert all(f["geometry"] is None and set(f["properties"]) == {"slug", "start_year"} for f in features)
    assert csv_text.index("early") < csv_text.index("late")


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"sortby": "password"}, "sortby"),
        ({"properties": "slug,secret"}, "properties"),
        ({"skipGeometry": "perhaps"}, "skipGeometry"),
        ({"format": "kml", "properties": "slug"}, "properties"),
        ({"format": "csv", "skipGeometry": "true"}, "skipGeometry"),
    ],
)
def test_bad_export_shape_parameters_are_400s_naming_them(db, client, params, parameter):
    response = client.get("/api/v1/export/sites", params)

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == parameter
