"""OGC API – Features Part 3 (queryables, CQL2 filter), sortby, properties
and skipGeometry on /ogc items; hostile filters are refused as 400s."""

import json

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import Kind
from tests.factories import SiteFactory

ITEMS = "/ogc/collections/sites/items"


@pytest.fixture
def sites(db):
    return [
        SiteFactory(
            slug="old-mosque",
            kind=Kind.MOSQUE,
            start_year=1592,
            end_year=None,
            location=Point(27.13, 38.42, srid=4326),
        ),
        SiteFactory(
            slug="new-mosque",
            kind=Kind.MOSQUE,
            start_year=1890,
            end_year=None,
            location=Point(27.14, 38.43, srid=4326),
        ),
        SiteFactory(
            slug="agora",
            kind=Kind.ARCHAEOLOGICAL_SITE,
            start_year=-330,
            end_year=600,
            location=Point(27.1395, 38.4185, srid=4326),
        ),
        SiteFactory(
            slug="far-church",
            kind=Kind.CHURCH,
            start_year=1400,
            end_year=1500,
            location=Point(27.3, 38.6, srid=4326),
        ),
    ]


def ids(client, **params) -> list[str]:
    response = client.get(ITEMS, params)
    assert response.status_code == 200, response.content
    return [feature["id"] for feature in response.json()["features"]]


def test_cql2_text_and_json_say_the_same(sites, client):
    text = "kind = 'mosque' AND start_year < 1700"
    as_json = {
        "op": "and",
        "args": [
            {"op": "=", "args": [{"property": "kind"}, "mosque"]},
            {"op": "<", "args": [{"property": "start_year"}, 1700]},
        ],
    }

    assert ids(client, filter=text) == ["old-mosque"]
    assert ids(client, filter=json.dumps(as_json), **{"filter-lang": "cql2-json"}) == ["old-mosque"]


def test_spatial_filters_by_polygon_and_bbox(sites, client):
    polygon = "POLYGON((27.0 38.3, 27.2 38.3, 27.2 38.5, 27.0 38.5, 27.0 38.3))"
    as_json = {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": [27.2, 38.5, 27.4, 38.7]}]}

    assert ids(client, filter=f"S_INTERSECTS(geometry, {polygon})") == ["agora", "new-mosque", "old-mosque"]
    assert ids(client, filter=json.dumps(as_json), **{"filter-lang": "cql2-json"}) == ["far-church"]


def test_temporal_filter_on_the_year_range(sites, client):
    # Overlapping 1450–1600: the church (1400–1500) and the mosque standing since 1592.
    during = "T_INTERSECTS(datetime, INTERVAL('1450-01-01','1600-12-31'))"
    since = "T_INTERSECTS(datetime, INTERVAL('1800-01-01','..'))"

    assert ids(client, filter=during) == ["far-church", "old-mosque"]
    assert ids(client, filter=since) == ["new-mosque", "old-mosque"]
    assert ids(client, filter="start_year < 0") == ["agora"]  # BCE through the integer years


def test_like_in_between_is_null_and_not(sites, client):
    assert ids(client, filter="slug LIKE '%mosque'") == ["new-mosque", "old-mosque"]
    assert ids(client, filter="kind IN ('archaeological_site','church')") == ["agora", "far-church"]
    assert ids(client, filter="start_year BETWEEN 1400 AND 1600") == ["far-church", "old-mosque"]
    assert ids(client, filter="end_year IS NULL") == ["new-mosque", "old-mosque"]
    assert ids(client, filter="NOT (kind = 'mosque')") == ["agora", "far-church"]


def test_queryables_list_what_filters_may_name(db, client):
    response = client.get("/ogc/collections/sites/queryables")

    document = response.json()
    assert response["Content-Type"] == "application/schema+json"
    assert {"kind", "start_year", "end_year", "geometry", "datetime"} <= set(document["properties"])
    assert document["properties"]["start_year"]["type"] == "integer"
    links = client.get("/ogc/collections/sites").json()["links"]
    assert any(link["rel"].endswith("/queryables") for link in links)


HOSTILE = [
    ("foo = 1", "foo"),  # unknown property, named
    ("kind = ", "syntax"),
    ("kind = 1", "string"),
    ("(" * 40 + "kind = 'a'" + ")" * 40, "Nested"),
    ("kind = 'a' OR " * 150 + "kind = 'b'", "terms"),
    ("kind = '" + "x" * 5000 + "'", "4000"),
    ("kind = '" + "x" * 900 + "'", "500"),
    ("start_year = 99999999999999999999999999", "too large"),
    ("kind = 'x'; DROP TABLE sites_site; --", "syntax"),
    ("kind = 'x' OR 1=1", "left-hand side"),
    ("\"kind\" = 'x' UNION SELECT password FROM auth_user", "syntax"),
    ("S_INTERSECTS(geometry, POINT(500 500))", "CRS84"),
    ("S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 0 1, 1 0, 0 0)))", "invalid"),
    ("S_INTERSECTS(kind, POINT(27 38))", "geometry"),
    ("T_MEETS(datetime, DATE('1400-01-01'))", "not supported"),
    ("T_INTERSECTS(datetime, INTERVAL('1600-01-01','1400-01-01'))", "after its end"),
]


@pytest.mark.parametrize(("text", "said"), HOSTILE)
def test_bad_and_hostile_filters_are_400_problems_naming_filter(sites, client, text, said):
    response = client.get(ITEMS, {"filter": text})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"][0]["parameter"] == "filter"
    assert said in problem["detail"]


@pytest.mark.parametrize(
    "document",
    [
        "[" * 5000 + "]" * 5000,  # json.loads would recurse: refused by the depth scan first
        '{"op": "and", "args": [',
        '{"op": "drop", "args": []}',
        '{"op": "=", "args": [{"property": "kind"}, {"property": "slug"}]}',
        '"kind"',
    ],
)
def test_hostile_cql2_json_is_a_400(sites, client, document):
    response = client.get(ITEMS, {"filter": document, "filter-lang": "cql2-json"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "filter"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"filter-lang": "sql", "filter": "kind = 'mosque'"}, "filter-lang"),
        ({"filter-crs": "EPSG:9999", "filter": "kind = 'mosque'"}, "filter-crs"),
        ({"sortby": "password"}, "sortby"),
        ({"sortby": "start_year;DROP"}, "sortby"),
        ({"sortby": ",".join(["slug"] * 6)}, "sortby"),
        ({"properties": "slug,secret"}, "properties"),
        ({"skipGeometry": "maybe"}, "skipGeometry"),
    ],
)
def test_bad_sort_and_field_parameters_are_400s_naming_them(sites, client, params, parameter):
    response = client.get(ITEMS, params)

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == parameter


def test_sortby_orders_with_nulls_last_and_a_stable_tie_break(sites, client):
    assert ids(client, sortby="-start_year") == ["new-mosque", "old-mosque", "far-church", "agora"]
    assert ids(client, sortby="kind,-start_year") == ["agora", "far-church", "new-mosque", "old-mosque"]
    assert ids(client, sortby="+end_year,slug") == ["agora", "far-church", "new-mosque", "old-mosque"]


def test_properties_and_skip_geometry_shape_the_features(sites, client):
    page = client.get(ITEMS, {"properties": "slug,kind", "skipGeometry": "true", "limit": 1}).json()

    feature = page["features"][0]
    assert feature["geometry"] is None
    assert set(feature["properties"]) == {"slug", "kind"}


def test_a_filtered_page_is_one_query_with_its_exact_count(sites, client, django_assert_num_queries):
    with django_assert_num_queries(1):  # the page and numberMatched (count(*) OVER ()) together
        page = client.get(ITEMS, {"filter": "kind = 'mosque'", "limit": 1}).json()
    with django_assert_num_queries(1):  # the next page: the count is remembered, no window
        second = client.get(ITEMS, {"filter": "kind = 'mosque'", "limit": 1, "offset": 1}).json()

    assert (page["numberMatched"], page["numberReturned"]) == (2, 1)
    assert (second["numberMatched"], second["numberReturned"]) == (2, 1)


def test_filters_work_on_routes_and_stops(db, client):
    from routes.models import RouteStop
    from tests.factories import RouteFactory

    site = SiteFactory(kind=Kind.MOSQUE)
    route = RouteFactory(slug="walk", duration_min=90)
    RouteStop.objects.create(route=route, site=site, order=1)

    routes = client.get("/ogc/collections/routes/items", {"filter": "duration_min > 60"}).json()
    stops = client.get("/ogc/collections/stops/items", {"filter": "kind = 'mosque' AND order = 1"}).json()

    assert [f["id"] for f in routes["features"]] == ["walk"]
    assert stops["numberMatched"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"filter": "start_year < 1700"},
        {"filter": "kind IN ('mosque', 'church')", "datetime": "1400/.."},
        {"filter": "S_INTERSECTS(geometry, BBOX(27.0, 38.3, 27.2, 38.5))", "sortby": "-start_year"},
        {"kind": "mosque"},
    ],
)
def test_the_window_count_of_a_first_page_is_the_exact_count(sites, client, params):
    from api.ogc.collections import COLLECTIONS
    from api.ogc.counts import forget_counts
    from api.ogc.query import items_query

    forget_counts()
    page = client.get(ITEMS, {**params, "limit": 1}).json()

    assert page["numberReturned"] == 1
    assert page["numberMatched"] == items_query(COLLECTIONS["sites"], params).rows.count()
