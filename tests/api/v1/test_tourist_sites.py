"""GET /api/v1/sites, /api/v1/sites/nearby and /api/v1/sites/{slug}."""

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from editorial.vocabularies import Kind, Status
from routes.models import Route
from sites.models import Period, Photo
from sites.services import period_vocabulary_sync
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory

GEOJSON = "application/geo+json"
PROBLEM = "application/problem+json"


@pytest.fixture
def periods(db):
    period_vocabulary_sync()
    return Period.objects.in_bulk()


def _problem_parameters(response) -> set[str]:
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 400
    assert body["type"].endswith("invalid-parameter")
    assert body["title"]
    assert body["detail"]
    return {error["parameter"] for error in body["errors"]}


# --- /api/v1/sites ----------------------------------------------------------


def test_site_list_is_a_geojson_feature_collection_with_counts_links_and_licence(
    client, db, django_assert_num_queries
):
    for n in range(3):
        SiteFactory(slug=f"site-{n}", location=Point(27.1 + n * 0.01, 38.4, srid=4326))

    with django_assert_num_queries(1):  # the page, its count as a scalar subquery
        response = client.get("/api/v1/sites?limit=2")

    assert response.status_code == 200
    assert response["Content-Type"] == GEOJSON
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert "crs" not in body
    assert body["numberMatched"] == 3
    assert body["numberReturned"] == 2
    assert body["attribution"] == settings.HERITAGE_DATA_ATTRIBUTION
    assert body["license"] == settings.HERITAGE_DATA_LICENSE
    assert {link["rel"] for link in body["links"]} == {"self", "next"}
    feature = body["features"][0]
    assert feature["type"] == "Feature"
    assert feature["id"] == "site-0"
    assert feature["geometry"] == {"type": "Point", "coordinates": [27.1, 38.4]}
    assert set(feature["properties"]) == {"slug", "name", "kind", "periods", "start_year", "end_year"}


def test_site_list_links_page_forward_and_back(client, db):
    SiteFactory.create_batch(5)

    body = client.get("/api/v1/sites?limit=2&offset=2&kind=monument").json()

    links = {link["rel"]: link["href"] for link in body["links"]}
    assert "offset=4" in links["next"]
    assert "offset=0" in links["prev"]
    assert "kind=monument" in links["next"]
    assert links["self"].startswith("http://testserver/api/v1/sites?")


def test_site_list_coordinates_have_six_decimals(client, db):
    SiteFactory(location=Point(27.123456789, 38.987654321, srid=4326))

    feature = client.get("/api/v1/sites").json()["features"][0]

    assert feature["geometry"]["coordinates"] == [27.123457, 38.987654]


def test_drafts_never_appear_in_the_list_or_its_counts(client, db):
    SiteFactory(slug="public")
    SiteFactory(slug="draft", status=Status.DRAFT)
    SiteFactory(slug="review", status=Status.REVIEW)
    SiteFactory(slug="archived", status=Status.ARCHIVED)

    body = client.get("/api/v1/sites?q=e").json()

    assert [f["id"] for f in body["features"]] == ["public"]
    assert body["numberMatched"] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bbox=27.1,38.4,27.2,38.5", ["inside"]),
        ("kind=mosque", ["inside"]),
        ("period=ottoman", ["inside"]),
        ("route=the-route", ["han"]),
        ("q=kizlaragasi", ["han"]),
        ("q=KIZLARAĞASI", ["han"]),
        ("q=Kizlaragasi%20Han", ["han"]),
        ("q=khan", ["han"]),  # the English name
    ],
)
def test_site_list_filters(client, periods, query, expected):
    inside = SiteFactory(slug="inside", location=Point(27.15, 38.45, srid=4326), kind=Kind.MOSQUE)
    inside.periods.set(["ottoman"])
    han = SiteFactory(
        slug="han",
        location=Point(27.5, 38.45, srid=4326),
        kind=Kind.HAN,
        name={"tr": "Kızlarağası Hanı", "en": "Kizlaragasi Khan"},
    )
    RouteStopFactory(route=RouteFactory(slug="the-route"), site=han, order=1)

    body = client.get(f"/api/v1/sites?{query}").json()

    assert [f["id"] for f in body["features"]] == expected
    assert body["numberMatched"] == len(expected)


def test_the_route_filter_costs_one_more_query(client, db, django_assert_num_queries):
    route = RouteFactory(slug="r")
    RouteStopFactory(route=route, order=1)

    with django_assert_num_queries(2):  # the route exists, then the page
        response = client.get("/api/v1/sites?route=r")

    assert response.json()["numberMatched"] == 1


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("bbox=1,2,3", "bbox"),
        ("bbox=27.2,38.4,27.1,38.5", "bbox"),
        ("bbox=NaN,38.4,27.2,38.5", "bbox"),
        ("bbox=20,30,29,39", "bbox"),
        ("kind=palace", "kind"),
        ("period=jurassic", "period"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("offset=-1", "offset"),
        ("offset=x", "offset"),
        ("route=unknown-route", "route"),
        ("route=draft-route", "route"),
    ],
)
def test_site_list_rejects_bad_parameters_by_name(client, db, query, parameter):
    RouteFactory(slug="draft-route", status=Status.DRAFT)

    response = client.get(f"/api/v1/sites?{query}")

    assert _problem_parameters(response) == {parameter}


# --- /api/v1/sites/nearby ---------------------------------------------------


def test_nearby_is_knn_ordered_with_distances_in_metres(client, db, django_assert_num_queries):
    SiteFactory(slug="far", location=Point(KONAK[0] + 0.0069, KONAK[1], srid=4326))  # ≈ 600 m
    SiteFactory(slug="near", location=Point(KONAK[0] + 0.00115, KONAK[1], srid=4326))  # ≈ 100 m
    SiteFactory(slug="mid", location=Point(KONAK[0], KONAK[1] + 0.0027, srid=4326))  # ≈ 300 m
    SiteFactory(slug="beyond", location=Point(KONAK[0] + 0.023, KONAK[1], srid=4326))  # ≈ 2 km
    SiteFactory(slug="draft", location=Point(*KONAK, srid=4326), status=Status.DRAFT)

    with django_assert_num_queries(1):
        response = client.get(f"/api/v1/sites/nearby?lat={KONAK[1]}&lon={KONAK[0]}")

    assert response.status_code == 200
    assert response["Content-Type"] == GEOJSON
    body = response.json()
    assert [f["id"] for f in body["features"]] == ["near", "mid", "far"]
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert distances == sorted(distances)
    assert distances[0] == pytest.approx(100, abs=1)
    assert body["attribution"] == settings.HERITAGE_DATA_ATTRIBUTION


def test_nearby_honours_radius_and_limit(client, db):
    for n in range(1, 6):
        SiteFactory(slug=f"s{n}", location=Point(KONAK[0] + n * 0.0023, KONAK[1], srid=4326))  # n × 200 m

    wide = client.get(f"/api/v1/sites/nearby?lat={KONAK[1]}&lon={KONAK[0]}&radius=5000&limit=2").json()
    narrow = client.get(f"/api/v1/sites/nearby?lat={KONAK[1]}&lon={KONAK[0]}&radius=450").json()

    assert [f["id"] for f in wide["features"]] == ["s1", "s2"]
    assert [f["id"] for f in narrow["features"]] == ["s1", "s2"]


@pytest.mark.parametrize(
    ("query", "parameters"),
    [
        ("", {"lat", "lon"}),
        ("lat=abc&lon=27.1", {"lat"}),
        ("lat=38.4&lon=east", {"lon"}),
        ("lat=NaN&lon=27.1", {"lat"}),
        ("lat=38.4&lon=Infinity", {"lon"}),
        ("lat=-91&lon=27.1", {"lat"}),
        ("lat=38.4&lon=180.5", {"lon"}),
        ("lat=38.4&lon=27.1&radius=0", {"radius"}),
        ("lat=38.4&lon=27.1&radius=-1", {"radius"}),
        ("lat=38.4&lon=27.1&radius=50000.1", {"radius"}),
        ("lat=38.4&lon=27.1&radius=inf", {"radius"}),
        ("lat=38.4&lon=27.1&limit=0", {"limit"}),
        ("lat=38.4&lon=27.1&limit=500", {"limit"}),
    ],
)
def test_nearby_rejects_bad_parameters_by_name(client, db, query, parameters):
    response = client.get(f"/api/v1/sites/nearby?{query}")

    assert _problem_parameters(response) == parameters


def test_nearby_is_not_mistaken_for_a_site_slug(client, db):
    SiteFactory(slug="nearby")

    response = client.get("/api/v1/sites/nearby")

    assert _problem_parameters(response) == {"lat", "lon"}


# --- /api/v1/sites/{slug} ---------------------------------------------------


def _photo(site, **kwargs) -> Photo:
    fields = {
        "original": f"photos/originals/{site.pk}/a.jpg",
        "width": 1600,
        "height": 1200,
        "caption": {"tr": "Avlu", "en": "The courtyard"},
        "author": "A. Yılmaz",
        "license": "CC-BY-4.0",
        "status": Status.PUBLISHED,
        "renditions": {
            "320": "photos/r/a-320.webp",
            "800": "photos/r/a-800.webp",
            "1600": "photos/r/a-1600.webp",
        },
    }
    return Photo.objects.create(site=site, **{**fields, **kwargs})


def test_site_detail_has_everything_a_detail_screen_shows(client, periods, django_assert_num_queries):
    site = SiteFactory(
        slug="han",
        name={"tr": "Kızlarağası Hanı", "en": "Kızlarağası Han"},
        description={"tr": "Bir han.", "en": "A caravanserai."},
        kind=Kind.HAN,
        start_year=1744,
        opening_hours="Mo-Sa 09:00-19:00",
        accessibility={"step_free_access": True},
        sources=["IBB open data"],
    )
    site.periods.set(["ottoman", "republic"])
    _photo(site)
    _photo(site, status=Status.DRAFT, renditions={"320": "photos/r/hidden.webp"})
    public_route = RouteFactory(slug="public-route", name={"tr": "Rota", "en": "The route"})
    RouteStopFactory(route=public_route, site=site, order=3)
    RouteStopFactory(route=RouteFactory(slug="draft-route", status=Status.DRAFT), site=site, order=1)

    with django_assert_num_queries(1):  # the body and the content version, one statement
        response = client.get("/api/v1/sites/han?lang=en")

    assert response.status_code == 200
    assert response["Content-Type"] == GEOJSON
    body = response.json()
    assert body["type"] == "Feature"
    assert body["id"] == "han"
    assert body["geometry"]["type"] == "Point"
    assert body["attribution"] == settings.HERITAGE_DATA_ATTRIBUTION
    props = body["properties"]
    assert props["name"] == "Kızlarağası Han"
    assert props["description"] == "A caravanserai."
    assert [p["code"] for p in props["periods"]] == ["ottoman", "republic"]
    assert props["periods"][0]["name"] == "Ottoman"
    assert props["start_year"] == 1744
    assert props["opening_hours"] == "Mo-Sa 09:00-19:00"
    assert props["accessibility"] == {
        "step_free_access": True,
        "seating": None,
        "toilets": None,
        "surface": None,
        "notes": None,
    }
    assert props["sources"] == ["IBB open data"]
    assert props["license"] == "CC-BY-4.0"
    assert props["attribution"] == "Bizİzmir Açık Veri Portalı (CC BY 4.0)"
    assert props["routes"] == [{"slug": "public-route", "name": "The route", "order": 3}]
    assert len(props["photos"]) == 1
    photo = props["photos"][0]
    assert photo["caption"] == "The courtyard"
    assert photo["author"] == "A. Yılmaz"
    assert photo["renditions"] == {
        "320": "http://testserver/media/photos/r/a-320.webp",
        "800": "http://testserver/media/photos/r/a-800.webp",
        "1600": "http://testserver/media/photos/r/a-1600.webp",
    }


def test_site_detail_serializes_only_the_renditions_already_made(client, db):
    site = SiteFactory(slug="s")
    _photo(site, renditions={"800": "photos/r/only-800.webp"})

    photo = client.get("/api/v1/sites/s").json()["properties"]["photos"][0]

    assert photo["renditions"] == {"800": "http://testserver/media/photos/r/only-800.webp"}


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.ARCHIVED])
def test_unpublished_sites_are_404_problems(client, db, status):
    SiteFactory(slug="hidden", status=status)

    response = client.get("/api/v1/sites/hidden")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404


def test_an_unknown_site_is_a_404_problem(client, db):
    response = client.get("/api/v1/sites/no-such-site")

    assert response.status_code == 404
    assert response.json()["title"] == "Not found"


def test_izmir_sites_are_all_listed_and_searchable(client, izmir):
    body = client.get("/api/v1/sites?limit=1000").json()
    search = client.get("/api/v1/sites?q=kizlaragasi").json()

    assert body["numberMatched"] == 42
    assert {f["id"] for f in search["features"]} == {"kizlaragasi-han", "kizlaragasi-han-fountain"}
    assert Route.objects.count() == 2


def test_bbox_is_a_lon_lat_rectangle_with_its_edges_included(client, db, django_assert_num_queries):
    # On a sphere the south edge (a great circle between the corners) bulges
    # north of the 38.0° parallel; the bbox parameter means the parallel.
    SiteFactory(slug="on-south-edge", location=Point(27.5, 38.0, srid=4326))
    SiteFactory(slug="just-south", location=Point(27.5, 37.9999, srid=4326))
    SiteFactory(slug="on-west-edge", location=Point(27.0, 38.5, srid=4326))

    with django_assert_num_queries(1):
        body = client.get("/api/v1/sites?bbox=27.0,38.0,28.0,39.0").json()

    assert [f["id"] for f in body["features"]] == ["on-south-edge", "on-west-edge"]
    assert body["numberMatched"] == 2


def test_one_bbox_rule_gives_one_message_on_every_edge(client, db):
    """Issue #12: the tourist API, OGC and exports say the same thing about a
    5-number bbox (4 or 6 are accepted)."""
    urls = ["/api/v1/sites", "/ogc/collections/sites/items", "/api/v1/export/sites"]

    messages = {
        url: client.get(url, {"bbox": "27.1,38.4,27.2,38.5,1"}).json()["errors"][0]["message"] for url in urls
    }

    assert len(set(messages.values())) == 1, messages
    assert "6" in messages[urls[0]]


def test_a_zero_area_bbox_selects_the_sites_on_it(client, db):
    SiteFactory(slug="on-the-meridian", location=Point(27.1, 38.45, srid=4326))
    SiteFactory(slug="east-of-it", location=Point(27.15, 38.45, srid=4326))

    body = client.get("/api/v1/sites", {"bbox": "27.1,38.4,27.1,38.5"}).json()

    assert [feature["id"] for feature in body["features"]] == ["on-the-meridian"]
