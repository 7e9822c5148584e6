"""Defects third-party clients found in /ogc and the TileJSON (issue 12),
each judged by that client: openapi-spec-validator, jsonschema, and the
extents and fields QGIS and MapLibre read."""

import json

import pytest
from django.db import connection
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from editorial.vocabularies import Status
from routes.models import Route


@pytest.fixture
def published_izmir(izmir):
    Route.objects.update(status=Status.PUBLISHED)
    return izmir


@pytest.mark.parametrize("url", ["/ogc/api", "/api/v1/schema?format=json"])
def test_both_openapi_documents_are_valid_openapi_3(db, client, url):
    # /ogc/api gave featureId path parameters `style: form` (query-only in OpenAPI 3.0).
    document = json.loads(client.get(url).content)

    validate(document)  # raises OpenAPIValidationError with the path of the fault


def all_features(client, collection: str) -> list[dict]:
    features, url = [], f"/ogc/collections/{collection}/items?limit=10000"
    page = client.get(url).json()
    features.extend(page["features"])
    assert page["numberMatched"] == len(features)
    return features


@pytest.mark.parametrize("collection", ["sites", "routes", "stops"])
def test_every_feature_of_every_collection_follows_its_schema(published_izmir, client, collection):
    # Was 87 errors over the 42 sites: null start_year/end_year/shape typed as plain integer/object.
    schema = client.get(f"/ogc/collections/{collection}/schema").json()
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    features = all_features(client, collection)

    errors = [f"{f['id']}: {e.message}" for f in features for e in validator.iter_errors(f)]

    assert features
    assert errors == []


def extent_in_postgis(sql: str) -> list[float]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchone())


def test_collection_extents_are_those_of_the_published_data(published_izmir, client):
    sites = extent_in_postgis(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(location::geometry) e"
        " FROM sites_site WHERE status = 'published') x"
    )
    years = extent_in_postgis(
        "SELECT min(start_year), max(end_year) FROM sites_site WHERE status = 'published'"
    )

    extent = client.get("/ogc/collections/sites").json()["extent"]

    assert extent["spatial"]["bbox"] == [pytest.approx(sites)]
    assert extent["spatial"]["bbox"][0] != [26.0, 37.7, 28.6, 39.45]  # not the service area
    # The oldest site's year (BCE, ISO 8601 expanded), open at the end: sites still stand.
    assert extent["temporal"]["interval"] == [[f"-{-years[0]:04d}-01-01T00:00:00Z", None]]


def test_tilejson_bounds_are_the_data_and_clusters_declare_point_count(published_izmir, client):
    everything = extent_in_postgis(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(g) e FROM ("
        " SELECT location::geometry g FROM sites_site WHERE status = 'published'"
        " UNION ALL SELECT path::geometry FROM routes_route WHERE status = 'published') u) x"
    )

    tilejson = client.get("/api/v1/tiles.json").json()

    assert tilejson["bounds"] == pytest.approx(everything)
    fields = {layer["id"]: layer["fields"] for layer in tilejson["vector_layers"]}
    assert fields["sites"]["point_count"] == "Number"


def test_collections_advertise_crs_that_the_items_accept(published_izmir, client):
    # ogctests features/core: `crs` was listed but `crs=` was an unknown parameter (400).
    described = client.get("/ogc/collections/sites").json()

    for crs in described["crs"]:
        response = client.get("/ogc/collections/sites/items", {"crs": crs, "limit": 1})
        assert response.status_code == 200, crs
        assert response["Content-Crs"] == f"<{crs}>"
    assert described["storageCrs"] in described["crs"]
