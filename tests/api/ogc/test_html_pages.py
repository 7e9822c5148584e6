"""The OGC HTML pages researchers use: a map of the features drawn by the
locally served MapLibre under the strict CSP, and a link to every format."""

from django.contrib.staticfiles import finders

from routes.models import RouteStop
from tests.factories import RouteFactory, SiteFactory


def test_the_items_page_maps_its_features_and_links_every_format(db, client):
    SiteFactory(slug="clock", name={"tr": "</script><script>alert(1)</script>"})

    response = client.get("/ogc/collections/sites/items", {"f": "html", "kind": "monument"})
    page = response.content.decode()

    assert '<div id="ogc-map"' in page
    assert 'type="module" src="/static/heritage/ogc-map.js"' in page
    assert "/static/guide/vendor/maplibre-gl/maplibre-gl.mjs" in page
    assert '<script id="ogc-features" type="application/json">' in page
    assert "<script>alert(1)" not in page  # the data block escapes <
    for fmt in ("geojson", "csv", "gpkg", "kml", "gpx", "lpf"):
        assert f"/api/v1/export/sites?format={fmt}&amp;kind=monument" in page
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "unsafe" not in script_src
    assert "http" not in script_src  # no CDN
    assert finders.find("heritage/ogc-map.js")


def test_a_route_page_maps_it_and_links_its_exports(db, client):
    route = RouteFactory(slug="walk")
    RouteStop.objects.create(route=route, site=SiteFactory(), order=1)

    page = client.get("/ogc/collections/routes/items/walk", {"f": "html"}).content.decode()

    assert '<div id="ogc-map"' in page
    assert "/api/v1/export/routes/walk?format=gpx" in page


def test_a_page_in_a_projected_crs_has_no_map(db, client):
    # MapLibre draws lon/lat: metres would land anywhere.
    SiteFactory(slug="clock")

    page = client.get(
        "/ogc/collections/sites/items/clock", {"f": "html", "crs": "http://www.opengis.net/def/crs/EPSG/0/5253"}
    ).content.decode()

    assert "ogc-map" not in page


def test_a_collection_page_maps_its_first_features_and_links_every_format(db, client):
    SiteFactory(slug="clock")

    response = client.get("/ogc/collections/sites", {"f": "html"})
    page = response.content.decode()

    assert '<div id="ogc-map"' in page
    assert 'data-source="http://testserver/ogc/collections/sites/items?f=json&amp;limit=1000' in page
    assert "/api/v1/export/sites?format=gpkg" in page
    features = client.get("/ogc/collections/sites/items", {"f": "json", "limit": 1000, "properties": "slug"})
    assert features.json()["features"][0]["properties"] == {"slug": "clock"}
