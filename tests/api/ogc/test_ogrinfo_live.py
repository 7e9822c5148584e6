"""GDAL's OAPIF driver (what QGIS uses) reads /ogc from a live server."""

import shutil
import subprocess

import pytest
from django.contrib.gis.geos import LineString

from editorial.vocabularies import Status
from routes.models import RouteStop
from tests.factories import RouteFactory, SiteFactory

pytestmark = [
    pytest.mark.live,
    # serialized_rollback: the flush after a live-server test would otherwise
    # wipe rows that migrations seed (periods, groups) for the tests after it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="needs GDAL's ogrinfo"),
]


def ogrinfo(*args: str) -> str:
    # GDAL_HTTP_TIMEOUT keeps a broken server from hanging the test run.
    result = subprocess.run(
        ["ogrinfo", "-ro", "--config", "GDAL_HTTP_TIMEOUT", "30", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def published_and_draft():
    published = [SiteFactory(slug=f"published-{n}") for n in range(3)]
    SiteFactory(slug="draft-site", status=Status.DRAFT)
    route = RouteFactory(
        slug="walk", path=LineString(published[0].location.coords, published[2].location.coords)
    )
    for order, site in enumerate(published, start=1):
        RouteStop.objects.create(route=route, site=site, order=order)
    return published


def test_ogrinfo_lists_the_three_collections(published_and_draft, live_server):
    output = ogrinfo(f"OAPIF:{live_server.url}/ogc")

    assert "sites (title: Heritage sites) (Point)" in output
    assert "routes (title: Heritage routes) (Line String)" in output
    assert "stops (title: Route stops) (Point)" in output


def test_ogrinfo_lists_every_published_site_and_no_draft(published_and_draft, live_server):
    output = ogrinfo(f"OAPIF:{live_server.url}/ogc", "sites")

    for site in published_and_draft:
        assert f"slug (String) = {site.slug}" in output
    assert "draft-site" not in output
    assert output.count("OGRFeature(sites)") == 3


def test_ogrinfo_summary_reads_fields_and_count(published_and_draft, live_server):
    output = ogrinfo("-al", "-so", f"OAPIF:{live_server.url}/ogc")

    assert "Feature Count: 3" in output
    assert "slug: String" in output
    assert "kind: String" in output
    # Typed from the collections' feature schemas, not guessed from a page of nulls.
    assert "end_year: Integer" in output
    assert "periods: StringList" in output
    assert "length_m: Real" in output
    assert "trigger_radius_m: Integer" in output


def test_ogrinfo_pages_through_with_next_links(published_and_draft, live_server):
    # A page size of 1 makes GDAL follow `next` links to the end.
    output = ogrinfo("-oo", "PAGE_SIZE=1", f"OAPIF:{live_server.url}/ogc", "sites")

    assert output.count("OGRFeature(sites)") == 3


def test_gdal_reads_a_page_in_tm27_that_matches_postgis_within_a_centimetre(published_and_draft, live_server):
    # GDAL 3.6's OAPIF driver asks for CRS84 only, so its GeoJSON driver reads
    # the items URL with crs= (Part 2) directly: it takes the coordinates as sent.
    from django.db import connection

    crs = "http://www.opengis.net/def/crs/EPSG/0/5253"
    output = ogrinfo("-al", "-q", f"{live_server.url}/ogc/collections/sites/items?crs={crs}&limit=1000")
    read = {}
    slug = None
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("slug (String) = "):
            slug = line.split(" = ", 1)[1]
        elif line.startswith("POINT (") and slug:
            x, y = (float(n) for n in line[len("POINT (") : -1].split())
            read[slug] = (x, y)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug, ST_X(g), ST_Y(g) FROM (SELECT slug, ST_Transform(location::geometry, 5253) g"
            " FROM sites_site WHERE status = 'published') t"
        )
        expected = {slug: (x, y) for slug, x, y in cursor.fetchall()}

    assert set(read) == set(expected)
    for slug, (x, y) in read.items():
        assert abs(x - expected[slug][0]) < 0.01, slug
        assert abs(y - expected[slug][1]) < 0.01, slug


def test_gdal_reads_epsg_4326_latitude_first(published_and_draft, live_server):
    site = published_and_draft[0]
    crs = "http://www.opengis.net/def/crs/EPSG/0/4326"
    output = ogrinfo("-al", "-q", f"{live_server.url}/ogc/collections/sites/items/{site.slug}?crs={crs}")

    point = next(line.strip() for line in output.splitlines() if line.strip().startswith("POINT ("))
    first, second = (float(n) for n in point[len("POINT (") : -1].split())
    assert (first, second) == pytest.approx((site.location.y, site.location.x), abs=1e-6)
