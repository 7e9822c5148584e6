"""OGC API – Features Part 2: `crs` and `bbox-crs`, transformed in PostGIS."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from tests.factories import SiteFactory

EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def transformed(slug: str, srid: int) -> tuple[float, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(g), ST_Y(g) FROM (SELECT ST_Transform(location::geometry, %s) g"
            " FROM sites_site WHERE slug = %s) t",
            [srid, slug],
        )
        return cursor.fetchone()


@pytest.mark.parametrize("srid", [5253, 32635, 3857])
def test_a_page_in_a_projected_crs_matches_postgis_within_a_centimetre(db, client, srid):
    SiteFactory(slug="clock", location=Point(27.128612, 38.418861, srid=4326))

    response = client.get("/ogc/collections/sites/items", {"crs": f"{EPSG}{srid}"})

    x, y = response.json()["features"][0]["geometry"]["coordinates"]
    expected_x, expected_y = transformed("clock", srid)
    assert response["Content-Crs"] == f"<{EPSG}{srid}>"
    assert abs(x - expected_x) < 0.01
    assert abs(y - expected_y) < 0.01


def test_epsg_4326_is_latitude_first_and_crs84_longitude_first(db, client):
    SiteFactory(slug="clock", location=Point(27.128612, 38.418861, srid=4326))

    lat_lon = client.get("/ogc/collections/sites/items/clock", {"crs": "EPSG:4326"}).json()
    lon_lat = client.get("/ogc/collections/sites/items/clock").json()

    assert lat_lon["geometry"]["coordinates"] == [38.418861, 27.128612]
    assert lon_lat["geometry"]["coordinates"] == [27.128612, 38.418861]


def test_a_route_path_is_reprojected_too(db, client):
    from tests.factories import RouteFactory

    RouteFactory(slug="walk")

    feature = client.get("/ogc/collections/routes/items/walk", {"crs": f"{EPSG}5253"}).json()

    assert feature["geometry"]["type"] == "LineString"
    assert all(abs(x) > 1000 for x, _y in feature["geometry"]["coordinates"])  # metres, not degrees


def test_bbox_crs_selects_in_the_projected_crs_and_in_lat_lon(db, client):
    SiteFactory(slug="in", location=Point(27.128612, 38.418861, srid=4326))
    SiteFactory(slug="out", location=Point(27.3, 38.6, srid=4326))
    x, y = transformed("in", 5253)

    def ids(**params):
        return [f["id"] for f in client.get("/ogc/collections/sites/items", params).json()["features"]]

    assert ids(bbox=f"{x - 50},{y - 50},{x + 50},{y + 50}", **{"bbox-crs": f"{EPSG}5253"}) == ["in"]
    assert ids(bbox="38.41,27.12,38.43,27.14", **{"bbox-crs": f"{EPSG}4326"}) == ["in"]
    assert ids(bbox="27.12,38.41,27.14,38.43", **{"bbox-crs": CRS84}) == ["in"]


def test_bbox_crs_works_on_routes_and_stops(db, client):
    from routes.models import RouteStop
    from tests.factories import RouteFactory

    site = SiteFactory(location=Point(27.128612, 38.418861, srid=4326))
    route = RouteFactory(slug="walk")
    RouteStop.objects.create(route=route, site=site, order=1)
    x, y = transformed(site.slug, 32635)
    box = {"bbox": f"{x - 20},{y - 20},{x + 20},{y + 20}", "bbox-crs": f"{EPSG}32635"}

    assert client.get("/ogc/collections/stops/items", box).json()["numberMatched"] == 1


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"crs": "EPSG:2000"}, "crs"),
        ({"crs": "http://www.opengis.net/def/crs/EPSG/0/4326'; DROP TABLE sites_site; --"}, "crs"),
        ({"crs": "x" * 5000}, "crs"),
        ({"bbox-crs": "urn:nope", "bbox": "1,2,3,4"}, "bbox-crs"),
        ({"bbox-crs": f"{EPSG}5253", "bbox": "1,2,3"}, "bbox"),
        ({"bbox-crs": f"{EPSG}5253", "bbox": "5,2,3,4"}, "bbox"),
        ({"bbox-crs": f"{EPSG}5253", "bbox": "1e999,2,3,4"}, "bbox"),
        ({"bbox-crs": f"{EPSG}4326", "bbox": "38,181,39,182"}, "bbox"),  # lat,lon: 181 is a longitude
        ({"bbox-crs": f"{EPSG}4326", "bbox": "91,0,92,1"}, "bbox"),
        # PROJ cannot invert these: were 500s from ST_Transform
        ({"bbox-crs": f"{EPSG}32635", "bbox": "-2e7,-2e7,2e7,2e7"}, "bbox"),
        ({"bbox-crs": f"{EPSG}5253", "bbox": "-1e8,0,1,1"}, "bbox"),
        ({"bbox-crs": f"{EPSG}3857", "bbox": "0,0,1,3e7"}, "bbox"),
    ],
)
def test_bad_crs_values_are_400_problems_naming_the_parameter(db, client, params, parameter):
    response = client.get("/ogc/collections/sites/items", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == parameter


def test_a_single_feature_takes_crs_and_says_so(db, client):
    SiteFactory(slug="clock")

    response = client.get("/ogc/collections/sites/items/clock", {"crs": f"{EPSG}3857"})

    assert response.status_code == 200
    assert response["Content-Crs"] == f"<{EPSG}3857>"
    assert client.get("/ogc/collections/sites/items/clock", {"crs": "EPSG:1"}).status_code == 400
