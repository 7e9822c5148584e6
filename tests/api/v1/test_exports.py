"""GET /api/v1/export/sites and /api/v1/export/routes/{slug}: formats,
filters, file names, permissions and problem+json errors."""

import csv
import io
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
        ({"sortby": ""}, None),
        ({"sortby": "a,b,c,d,e,f"}, "sortby"),
        ({"format": "kml", "properties": "slug"}, "properties"),
        ({"format": "gpkg", "skipGeometry": "true"}, "skipGeometry"),
        ({"format": "lpf", "properties": "slug"}, "properties"),
        ({"format": "gpx", "skipGeometry": "true"}, "skipGeometry"),
        ({"format": "csv", "properties": "name"}, "properties"),  # a GeoJSON name, not a column
        ({"format": "geojson", "properties": "name_tr"}, "properties"),  # a column, not a property
        ({"format": "csv", "skipGeometry": "yes please"}, "skipGeometry"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/export/sites", "/api/v1/export/routes/walk"])
def test_bad_export_shape_parameters_are_400s_naming_them(db, client, params, parameter, path):
    RouteFactory(slug="walk")

    response = client.get(path, params)

    if parameter is None:  # an empty value is no value
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == parameter


def test_site_csv_takes_properties_as_columns_and_skip_geometry(db, client):
    SiteFactory(slug="b-site", start_year=1800)
    SiteFactory(slug="a-site", start_year=-300)

    sparse = b"".join(
        client.get(
            "/api/v1/export/sites",
            {"format": "csv", "properties": "start_year,slug,wkt", "sortby": "-start_year"},
        ).streaming_content
    ).decode()
    no_geometry = b"".join(
        client.get("/api/v1/export/sites", {"format": "csv", "skipGeometry": "true"}).streaming_content
    ).decode()

    header, first, second = sparse.splitlines()[:3]
    # The file's column order, not the parameter's; the metadata columns stay.
    assert header == "slug,start_year,wkt,citation,data_version,generated_at"
    assert first.startswith("b-site,1800,POINT(")
    assert second.startswith("a-site,-300,POINT(")
    columns = no_geometry.splitlines()[0].split(",")
    assert "slug" in columns
    assert "name_tr" in columns
    assert not {"lon", "lat", "wkt", "shape_wkt"} & set(columns)


METADATA = ["citation", "data_version", "generated_at"]


@pytest.fixture
def walk(db):
    route = RouteFactory(slug="walk")
    for order, (slug, year) in enumerate([("middle", 1500), ("oldest", -600), ("newest", 1900)], start=1):
        RouteStop.objects.create(route=route, site=SiteFactory(slug=slug, start_year=year), order=order)
    return route


def test_route_geojson_takes_sortby_properties_and_skip_geometry(walk, client):
    response = client.get(
        "/api/v1/export/routes/walk",
        {"sortby": "-start_year", "properties": "slug,start_year,duration_min", "skipGeometry": "true"},
    )
    route_feature, *stops = json.loads(b"".join(response.streaming_content))["features"]

    assert response.status_code == 200
    # The route feature stays first, keeps feature_type so readers tell it apart.
    assert route_feature["id"] == "walk"
    assert set(route_feature["properties"]) == {"feature_type", "slug", "duration_min"}
    assert route_feature["properties"]["feature_type"] == "route"
    assert [feature["id"] for feature in stops] == ["newest", "middle", "oldest"]
    assert all(set(feature["properties"]) == {"slug", "start_year"} for feature in stops)
    assert all(feature["geometry"] is None for feature in [route_feature, *stops])


def test_route_geojson_without_shape_parameters_keeps_stop_order_and_everything(walk, client):
    route_feature, *stops = json.loads(b"".join(client.get("/api/v1/export/routes/walk").streaming_content))[
        "features"
    ]

    assert [feature["id"] for feature in stops] == ["middle", "oldest", "newest"]
    assert route_feature["geometry"]["type"] == "LineString"
    assert "stops" in route_feature["properties"]
    assert "kind" in stops[0]["properties"]


def test_route_csv_takes_properties_as_columns_sortby_and_skip_geometry(walk, client):
    text = b"".join(
        client.get(
            "/api/v1/export/routes/walk",
            {"format": "csv", "properties": "slug,stop_order,theme,wkt", "sortby": "start_year"},
        ).streaming_content
    ).decode()
    bare = b"".join(
        client.get("/api/v1/export/routes/walk", {"format": "csv", "skipGeometry": "true"}).streaming_content
    ).decode()

    header, *rows = csv.reader(io.StringIO(text))
    assert header == ["feature_type", "stop_order", "slug", "wkt", "theme", *METADATA]
    assert rows[0][:3] == ["route", "", "walk"]
    assert rows[0][3].startswith("LINESTRING(")
    assert [row[2] for row in rows[1:]] == ["oldest", "middle", "newest"]
    assert [row[1] for row in rows[1:]] == ["2", "1", "3"]
    assert all(row[3].startswith("POINT(") and row[4] == "" for row in rows[1:])
    bare_columns = bare.splitlines()[0].split(",")
    assert "slug" in bare_columns
    assert "theme" in bare_columns
    assert not {"lon", "lat", "wkt", "shape_wkt"} & set(bare_columns)
    assert "LINESTRING" not in bare
    assert "POINT" not in bare


def test_route_export_sortby_applies_to_every_format(walk, client):
    gpx = b"".join(
        client.get("/api/v1/export/routes/walk", {"format": "gpx", "sortby": "-start_year"}).streaming_content
    ).decode()

    assert gpx.index("<h:slug>newest<") < gpx.index("<h:slug>middle<") < gpx.index("<h:slug>oldest<")
