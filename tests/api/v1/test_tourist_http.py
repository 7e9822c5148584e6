"""HTTP behaviour of the tourist API: ETag/304, Cache-Control, gzip, CORS,
content negotiation, languages, URLs without trailing slash, OpenAPI."""

import gzip
import json
import re

import pytest
from django.contrib.gis.geos import Point

from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory

PUBLIC_URLS = [
    "/api/v1/routes",
    "/api/v1/routes/walk",
    "/api/v1/routes/walk/triggers",
    f"/api/v1/routes/walk/progress?lat={KONAK[1]}&lon={KONAK[0]}",
    "/api/v1/routes/walk/bundle",
    "/api/v1/sites",
    "/api/v1/sites/start",
    f"/api/v1/sites/nearby?lat={KONAK[1]}&lon={KONAK[0]}",
]


@pytest.fixture
def walk(db):
    route = RouteFactory(slug="walk", name={"tr": "Yürüyüş", "en": "Walk", "de": "Spaziergang"})
    site = SiteFactory(
        slug="start",
        name={"tr": "Saat Kulesi", "en": "Clock Tower"},
        description={"tr": "Kule.", "en": "A tower.", "de": "Ein Turm."},
        location=Point(*KONAK, srid=4326),
    )
    RouteStopFactory(route=route, site=site, order=1)
    return route


# --- ETag and Cache-Control -------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_public_get_has_a_strong_etag_and_revalidates_with_304(
    client, walk, url, django_assert_num_queries
):
    first = client.get(url)

    with django_assert_num_queries(1):  # the content version; no body is built
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert re.fullmatch(r'"v\d+-[0-9a-f]{16}"', first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert "Accept-Language" in again["Vary"]


@pytest.mark.parametrize(
    ("url", "cache_control"),
    [
        # Public reads revalidate every time (a 304 costs one indexed read),
        # so no cache hands out a response older than the data (ADR 0008).
        ("/api/v1/routes", "public, no-cache"),
        ("/api/v1/routes/walk", "public, no-cache"),
        ("/api/v1/routes/walk/triggers", "public, no-cache"),
        ("/api/v1/routes/walk/bundle", "public, no-cache"),
        (
            f"/api/v1/routes/walk/progress?lat={KONAK[1]}&lon={KONAK[0]}",
            "private, max-age=0, must-revalidate",
        ),
        ("/api/v1/sites", "public, no-cache"),
        (f"/api/v1/sites/nearby?lat={KONAK[1]}&lon={KONAK[0]}", "public, no-cache"),
    ],
)
def test_cache_control_suits_each_resource(client, walk, url, cache_control):
    assert client.get(url)["Cache-Control"] == cache_control


def test_the_etag_changes_when_the_content_changes(client, walk):
    before = client.get("/api/v1/sites/start")["ETag"]
    SiteFactory._meta.model.objects.filter(slug="start").update(opening_hours="Mo-Su 09:00-17:00")

    after = client.get("/api/v1/sites/start", HTTP_IF_NONE_MATCH=before)

    assert after.status_code == 200
    assert after["ETag"] != before


def test_the_etag_differs_per_language_and_media_type(client, walk):
    tr = client.get("/api/v1/sites/start?lang=tr")["ETag"]
    en = client.get("/api/v1/sites/start?lang=en")["ETag"]
    as_json = client.get("/api/v1/sites/start?lang=tr", HTTP_ACCEPT="application/json")["ETag"]

    assert len({tr, en, as_json}) == 3


def test_if_none_match_uses_weak_comparison_and_lists(client, walk):
    etag = client.get("/api/v1/routes")["ETag"]

    weak = client.get("/api/v1/routes", HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    stale = client.get("/api/v1/routes", HTTP_IF_NONE_MATCH='"stale"')

    assert weak.status_code == 304
    assert stale.status_code == 200


def test_errors_carry_no_etag(client, db):
    response = client.get("/api/v1/sites?limit=0")

    assert response.status_code == 400
    assert "ETag" not in response


# --- gzip, CORS, media types, URLs ------------------------------------------


def test_large_responses_are_gzipped_and_the_etag_becomes_weak_but_still_revalidates(client, db):
    SiteFactory.create_batch(30)

    zipped = client.get("/api/v1/sites", HTTP_ACCEPT_ENCODING="gzip")
    again = client.get("/api/v1/sites", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])

    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content))["numberReturned"] == 30
    assert zipped["ETag"].startswith('W/"')
    assert "Accept-Encoding" in zipped["Vary"]
    assert again.status_code == 304


def test_cors_allows_get_from_any_origin(client, walk):
    response = client.get("/api/v1/routes", HTTP_ORIGIN="https://app.example")
    preflight = client.options(
        "/api/v1/sites",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/geo+json", "application/geo+json"),
        ("application/json", "application/json"),
        ("*/*", "application/geo+json"),
        (None, "application/geo+json"),
    ],
)
def test_geojson_and_plain_json_are_both_served(client, walk, accept, media_type):
    headers = {"HTTP_ACCEPT": accept} if accept else {}

    response = client.get("/api/v1/routes", **headers)

    assert response.status_code == 200
    assert response["Content-Type"] == media_type


@pytest.mark.parametrize("url", ["/api/v1/routes", "/api/v1/sites", "/api/v1/routes/walk/triggers"])
def test_paths_without_a_trailing_slash_are_served_not_redirected(client, walk, url):
    assert client.get(url).status_code == 200


def test_only_get_is_allowed(client, walk):
    assert client.post("/api/v1/routes", {}).status_code in (403, 405)
    assert client.delete("/api/v1/sites/start").status_code in (403, 405)


# --- languages --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "accept_language", "language", "name"),
    [
        ("", None, "tr", "Saat Kulesi"),
        ("?lang=en", None, "en", "Clock Tower"),
        ("?lang=en", "tr", "en", "Clock Tower"),
        ("", "en-GB,en;q=0.9", "en", "Clock Tower"),
        ("", "fr;q=1, en;q=0.5, tr;q=0.8", "tr", "Saat Kulesi"),
        ("", "fr, de;q=0.7", "de", "Saat Kulesi"),  # no German name: falls back to tr
        ("?lang=xx", "en", "en", "Clock Tower"),
        ("?lang=xx", None, "tr", "Saat Kulesi"),
        ("", "en;q=0, de;q=0.1", "de", "Saat Kulesi"),  # q=0: not acceptable
    ],
)
def test_language_is_negotiated_from_lang_then_accept_language(
    client, walk, query, accept_language, language, name
):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}

    response = client.get(f"/api/v1/sites{query}", **headers)

    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    assert response.json()["features"][0]["properties"]["name"] == name


def test_texts_fall_back_per_field_tr_then_en_then_any(client, db):
    SiteFactory(
        slug="mixed",
        name={"en": "Only English"},
        description={"de": "Nur Deutsch"},
    )

    body = client.get("/api/v1/sites/mixed?lang=de").json()

    assert body["properties"]["name"] == "Only English"
    assert body["properties"]["description"] == "Nur Deutsch"


def test_german_asked_german_answered_where_it_exists(client, walk):
    body = client.get("/api/v1/routes?lang=de").json()
    site = client.get("/api/v1/sites/start", HTTP_ACCEPT_LANGUAGE="de").json()

    assert body["features"][0]["properties"]["name"] == "Spaziergang"
    assert site["properties"]["name"] == "Saat Kulesi"  # no German name: tr first
    assert site["properties"]["description"] == "Ein Turm."


def test_site_detail_content_language_is_the_language_of_its_name(client, walk):
    response = client.get("/api/v1/sites/start?lang=de")

    assert response["Content-Language"] == "tr"


# --- OpenAPI ----------------------------------------------------------------


def test_the_openapi_schema_documents_every_tourist_endpoint_parameter_and_error(client, db):
    response = client.get("/api/v1/schema?format=json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/v1/routes": set(),
        "/api/v1/routes/{slug}": {"404"},
        "/api/v1/routes/{slug}/triggers": {"404"},
        "/api/v1/routes/{slug}/progress": {"lat", "lon", "accuracy", "404"},
        "/api/v1/routes/{slug}/bundle": {"404"},
        "/api/v1/sites": {"bbox", "kind", "period", "route", "q", "limit", "offset"},
        "/api/v1/sites/nearby": {"lat", "lon", "radius", "limit"},
        "/api/v1/sites/{slug}": {"404"},
    }
    for path, needs in expected.items():
        operation = paths[path]["get"]
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert {"lang"} <= names, path
        assert {n for n in needs if not n.isdigit()} <= names, path
        assert {"200", "304", "400"} <= set(operation["responses"]), path
        assert {n for n in needs if n.isdigit()} <= set(operation["responses"]), path


def test_every_tourist_get_documents_revalidation_406_and_its_400_cases(client, db):
    paths = client.get("/api/v1/schema?format=json").json()["paths"]

    for path in [p for p in paths if p.startswith(("/api/v1/routes", "/api/v1/sites"))]:
        operation = paths[path]["get"]
        headers = {x["name"] for x in operation["parameters"] if x["in"] == "header"}
        assert "If-None-Match" in headers, path
        assert "406" in operation["responses"], path
    assert "inverted" in paths["/api/v1/sites"]["get"]["responses"]["400"]["description"]
    assert "NaN" in paths["/api/v1/sites/nearby"]["get"]["responses"]["400"]["description"]
    assert "service area" in paths["/api/v1/routes/{slug}/progress"]["get"]["responses"]["400"]["description"]


def test_the_bundle_is_documented_as_the_document_it_returns(client, walk):
    schema = client.get("/api/v1/schema?format=json").json()
    content = schema["paths"]["/api/v1/routes/{slug}/bundle"]["get"]["responses"]["200"]["content"]
    documented = schema["components"]["schemas"][content["application/json"]["schema"]["$ref"].split("/")[-1]]

    bundle = client.get("/api/v1/routes/walk/bundle").json()

    assert set(documented["properties"]) == set(bundle)


def test_swagger_ui_loads_its_assets_locally_not_from_a_cdn(client, db):
    response = client.get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "/api/v1/schema" in html


def test_an_unknown_format_is_a_400_naming_the_parameter(client, walk):
    response = client.get("/api/v1/routes?format=xml")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == "format"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sites/E%0B%C3%A4",
        "/api/v1/routes/a.b/triggers",
        "/api/v1/routes/%20",
        "/api/v1/sites/a%00b",  # NUL: PostgreSQL refuses it in text, was a 500
        "/api/v1/routes/a%00b",
        "/api/v1/routes/a%00b/triggers",
        "/api/v1/routes/a%00b/bundle",
        "/api/v1/routes/a%00b/progress?lat=38.42&lon=27.13",
    ],
)
def test_a_malformed_slug_is_a_404_problem_not_an_html_page(client, db, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_nonsense_lang_falls_back_instead_of_failing(client, walk):
    response = client.get("/api/v1/routes/walk?lang=%00%C3%A5" + "x" * 100)

    assert response.status_code == 200
    assert response["Content-Language"] == "tr"


def test_the_schema_revalidates_too(client, db):
    first = client.get("/api/v1/schema")

    again = client.get("/api/v1/schema", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert again.status_code == 304


def test_postgresql_json_text_is_written_verbatim_into_the_response():
    from api.rawjson import RawGeoJSONRenderer, RawJSON

    rendered = RawGeoJSONRenderer().render(
        {"features": RawJSON('[{"type": "Feature"}]'), "note": "RawJSON is not a string", "n": 1}
    )

    assert json.loads(rendered) == {
        "features": [{"type": "Feature"}],
        "note": "RawJSON is not a string",
        "n": 1,
    }


def test_head_answers_like_get_without_a_body(client, walk):
    get = client.get("/api/v1/routes")

    head = client.head("/api/v1/routes")

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
