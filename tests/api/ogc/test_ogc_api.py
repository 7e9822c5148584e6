"""OGC API – Features at /ogc: landing page, conformance, OpenAPI,
collections, items with paging, filters and links, one item, HTML."""

import json

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import Kind, Status
from routes.models import RouteStop
from tests.factories import RouteFactory, SiteFactory


def rels(document: dict) -> dict[str, dict]:
    return {link["rel"]: link for link in document["links"]}


def test_landing_page_links_to_api_conformance_and_collections(db, client):
    response = client.get("/ogc")

    assert response.status_code == 200
    links = rels(response.json())
    assert links["service-desc"]["href"] == "http://testserver/ogc/api"
    assert links["conformance"]["href"] == "http://testserver/ogc/conformance"
    assert links["data"]["href"] == "http://testserver/ogc/collections"
    assert links["alternate"]["type"] == "text/html"


def test_conformance_declares_parts_1_2_3_and_the_cql2_classes_implemented(db, client):
    classes = client.get("/ogc/conformance").json()["conformsTo"]

    assert {cls.rsplit("/", 1)[-1] for cls in classes} == {
        *("core", "geojson", "html", "oas30", "crs", "queryables", "filter", "features-filter"),
        *("cql2-text", "cql2-json", "basic-cql2", "advanced-comparison-operators"),
        *("basic-spatial-functions", "basic-spatial-functions-plus", "spatial-functions"),
    }


def test_api_definition_is_openapi_3(db, client):
    response = client.get("/ogc/api")

    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    document = response.json()
    assert document["openapi"].startswith("3.0")
    assert {"/collections/sites/items", "/collections/routes/items/{featureId}"} <= set(document["paths"])


def test_collections_lists_sites_routes_and_stops(db, client):
    collections = client.get("/ogc/collections").json()["collections"]

    assert [c["id"] for c in collections] == ["sites", "routes", "stops"]
    item_types = {link["type"] for link in collections[0]["links"] if link["rel"] == "items"}
    assert item_types == {"application/geo+json", "text/html"}


def test_items_page_counts_matches_and_links_next_and_prev(db, client):
    SiteFactory.create_batch(5)

    response = client.get("/ogc/collections/sites/items", {"limit": 2, "offset": 2})

    assert response["Content-Type"] == "application/geo+json"
    page = response.json()
    assert (page["numberMatched"], page["numberReturned"]) == (5, 2)
    links = rels(page)
    assert "offset=4" in links["next"]["href"]
    assert "offset=0" in links["prev"]["href"]
    assert links["collection"]["href"] == "http://testserver/ogc/collections/sites"
    assert links["self"]["type"] == "application/geo+json"


def test_a_full_page_is_one_query_with_its_count(db, client, django_assert_num_queries):
    SiteFactory.create_batch(4)

    with django_assert_num_queries(1):  # the page built in PostgreSQL, numberMatched beside it
        page = client.get("/ogc/collections/sites/items", {"limit": 3}).json()

    assert (page["numberMatched"], page["numberReturned"]) == (4, 3)
    assert "next" in rels(page)


def test_a_page_that_holds_every_match_is_one_query(db, client, django_assert_num_queries):
    SiteFactory.create_batch(4)

    with django_assert_num_queries(1):  # a first page under the limit is the whole result: no COUNT
        page = client.get("/ogc/collections/sites/items", {"limit": 1000}).json()

    assert (page["numberMatched"], page["numberReturned"]) == (4, 4)
    assert "next" not in rels(page)


def test_the_last_page_counts_its_matches_without_a_count_query(db, client, django_assert_num_queries):
    SiteFactory.create_batch(7)

    with django_assert_num_queries(1):  # a short page after offset 5 ends at 5 + 2
        page = client.get("/ogc/collections/sites/items", {"limit": 5, "offset": 5}).json()
    with django_assert_num_queries(2):  # an empty page past the end cannot tell: COUNT
        beyond = client.get("/ogc/collections/sites/items", {"limit": 5, "offset": 50}).json()

    assert (page["numberMatched"], page["numberReturned"]) == (7, 2)
    assert (beyond["numberMatched"], beyond["numberReturned"]) == (7, 0)
    assert "next" not in rels(page)


def test_the_count_is_reused_for_the_next_page_until_a_site_changes(db, client, django_assert_num_queries):
    # A filtered count comes with its page (count(*) OVER ()) and is
    # remembered (the unfiltered one is a counter row).
    SiteFactory.create_batch(3)
    filtered = {"limit": 1, "kind": "monument"}
    client.get("/ogc/collections/sites/items", filtered)

    with django_assert_num_queries(1):  # the page only: numberMatched is remembered
        page = client.get("/ogc/collections/sites/items", {**filtered, "offset": 1}).json()
    SiteFactory()
    with django_assert_num_queries(1):  # a save forgot the count: the page counts it again
        again = client.get("/ogc/collections/sites/items", {**filtered, "offset": 1}).json()

    assert (page["numberMatched"], again["numberMatched"]) == (3, 4)


def test_items_hide_drafts_and_filter_by_kind_bbox_and_datetime(db, client):
    SiteFactory(slug="temple", kind=Kind.TEMPLE, start_year=-600, end_year=-546)
    SiteFactory(slug="far", kind=Kind.TEMPLE, location=Point(27.3, 38.6, srid=4326))
    SiteFactory(slug="draft", kind=Kind.TEMPLE, status=Status.DRAFT)

    def ids(**params):
        return [f["id"] for f in client.get("/ogc/collections/sites/items", params).json()["features"]]

    assert ids() == ["far", "temple"]
    assert ids(kind="temple", bbox="27.0,38.3,27.2,38.5") == ["temple"]
    assert ids(datetime="-0550/-0500") == ["temple"]


@pytest.mark.parametrize("collection", ["sites", "routes", "stops"])
def test_a_world_wide_bbox_is_served(db, client, collection):
    # Found by schemathesis: a geography box 360° wide has antipodal edges.
    site = SiteFactory()
    route = RouteFactory()
    RouteStop.objects.create(route=route, site=site, order=1)

    page = client.get(f"/ogc/collections/{collection}/items", {"bbox": "-180,-90,180,90"}).json()

    assert page["numberMatched"] == 1


def test_bbox_is_a_longitude_latitude_rectangle(db, client):
    # 1 m inside the southern edge: inside the rectangle, though outside a
    # geodesic polygon whose southern edge bulges north.
    SiteFactory(slug="edge", location=Point(27.5, 38.000009, srid=4326))

    page = client.get("/ogc/collections/sites/items", {"bbox": "26.5,38.0,28.5,39.0"}).json()

    assert [feature["id"] for feature in page["features"]] == ["edge"]


def test_limit_above_the_maximum_is_served_as_the_maximum(db, client):
    page = client.get("/ogc/collections/sites/items", {"limit": 50000}).json()

    assert "limit=10000" in rels(page)["self"]["href"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "192085761079816426094592"}, "offset"),  # found by schemathesis: bigint overflow
        ({"bbox": "1,2,3"}, "bbox"),
        ({"kind": "spaceport"}, "kind"),
        ({"datetime": "someday"}, "datetime"),
        ({"datetime": "2024-02-30"}, "datetime"),  # issue #9: only the year was read
        ({"datetime": "2024-13-45"}, "datetime"),
        ({"datetime": "2024-01-01T99:99:99Z"}, "datetime"),
        ({"datetime": "1400/2023-02-29"}, "datetime"),
        ({"limit": "٣"}, "limit"),  # issue #9: int() reads Arabic-Indic digits
        ({"offset": "²"}, "offset"),  # issue #9: was a 500
        ({"bbox": "27,38,28,39,5"}, "bbox"),
        ({"colour": "red"}, "colour"),
        ({"f": "xml"}, "f"),
        ({"route": "a\x00b"}, "route"),  # found by schemathesis: was a 500 from PostgreSQL
    ],
)
def test_bad_parameters_are_400_problems_naming_the_parameter(db, client, params, parameter):
    response = client.get("/ogc/collections/sites/items", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == parameter


def test_datetime_on_a_collection_without_dates_is_refused(db, client):
    response = client.get("/ogc/collections/routes/items", {"datetime": "1900"})

    assert response.status_code == 400


def test_one_item_by_id_with_links(db, client):
    SiteFactory(slug="konak-clock-tower")

    response = client.get("/ogc/collections/sites/items/konak-clock-tower")

    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["id"] == "konak-clock-tower"
    assert rels(feature)["collection"]["href"] == "http://testserver/ogc/collections/sites"


@pytest.mark.parametrize(
    "url",
    [
        "/ogc/collections/sites/items/no-such-site",
        "/ogc/collections/stops/items/not-a-number",
        "/ogc/collections/castles/items",
        "/ogc/collections/castles",
    ],
)
def test_unknown_collections_and_items_are_404_problems(db, client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_draft_site_is_not_an_item(db, client):
    SiteFactory(slug="draft", status=Status.DRAFT)

    assert client.get("/ogc/collections/sites/items/draft").status_code == 404


def test_routes_and_stops_collections_serve_published_routes_in_order(db, client):
    first, second = SiteFactory(slug="a"), SiteFactory(slug="b")
    route = RouteFactory(slug="walk")
    RouteFactory(slug="hidden", status=Status.DRAFT)
    RouteStop.objects.create(route=route, site=second, order=1)
    RouteStop.objects.create(route=route, site=first, order=2)

    routes = client.get("/ogc/collections/routes/items").json()
    stops = client.get("/ogc/collections/stops/items", {"route": "walk"}).json()

    assert [f["id"] for f in routes["features"]] == ["walk"]
    assert routes["features"][0]["geometry"]["type"] == "LineString"
    assert [f["properties"]["site"] for f in stops["features"]] == ["b", "a"]
    stop_id = stops["features"][0]["id"]
    assert client.get(f"/ogc/collections/stops/items/{stop_id}").json()["properties"]["order"] == 1


def test_html_is_served_for_f_html_and_for_browsers(db, client):
    SiteFactory(name={"tr": "<script>alert(1)</script>"})

    by_parameter = client.get("/ogc/collections/sites/items", {"f": "html"})
    by_accept = client.get("/ogc/collections", HTTP_ACCEPT="text/html,application/xhtml+xml")

    assert by_parameter["Content-Type"] == "text/html; charset=utf-8"
    assert "&lt;script&gt;" in by_parameter.content.decode()
    assert "<script>" not in by_parameter.content.decode()
    assert by_accept["Content-Type"] == "text/html; charset=utf-8"


def test_an_html_link_without_a_media_type_shows_its_relation_alone(db, client):
    page = client.get("/ogc", {"f": "html"}).content.decode()

    assert "(license)" in page
    assert "(license, )" not in page


def test_items_features_are_the_export_contract(db, client):
    SiteFactory(slug="han", periods=["ottoman", "roman"])

    feature = client.get("/ogc/collections/sites/items").json()["features"][0]

    assert feature["properties"]["periods"] == ["roman", "ottoman"]  # chronological
    assert json.dumps(feature)  # plain JSON, no NaN


JSON_TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "object": dict,
    "array": list,
}


@pytest.mark.parametrize("collection", ["sites", "routes", "stops"])
def test_each_collection_links_a_feature_schema_its_features_follow(db, client, collection):
    undated = SiteFactory(slug="a", start_year=None, end_year=None)
    dated = SiteFactory(slug="b", start_year=-546, end_year=1400)
    route = RouteFactory(slug="walk")
    RouteStop.objects.create(route=route, site=undated, order=1)
    RouteStop.objects.create(route=route, site=dated, order=2)

    links = client.get(f"/ogc/collections/{collection}").json()["links"]
    described = [link for link in links if link["rel"].lower() == "describedby"]
    response = client.get(described[0]["href"])
    schema = response.json()
    declared = schema["properties"]["properties"]["properties"]
    features = client.get(f"/ogc/collections/{collection}/items").json()["features"]

    assert {link["rel"] for link in described} == {"describedby", "describedBy"}  # GDAL 3.6 wants the latter
    assert response["Content-Type"] == "application/schema+json"
    assert schema["$id"] == described[0]["href"]
    assert features
    for feature in features:
        assert set(feature["properties"]) <= set(declared)  # a null property is left out
        for name, value in feature["properties"].items():
            assert value is None or isinstance(value, JSON_TYPES[declared[name]["type"]]), name
        assert isinstance(feature["id"], JSON_TYPES[schema["properties"]["id"]["type"]])


def test_an_unknown_collection_has_no_schema(db, client):
    response = client.get("/ogc/collections/nope/schema")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
