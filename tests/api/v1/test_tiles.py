"""Vector tiles: published sites and routes only, read back by GDAL's MVT driver."""

import re
import subprocess

import pytest

from editorial.vocabularies import Status
from routes.models import Route
from sites.models import Site

KONAK_Z14 = (14, 9426, 6295)  # the tile around Konak Square
KONAK_URL = "/api/v1/tiles/14/9426/6295.mvt"


def read_tile(tmp_path, content: bytes, z: int, x: int, y: int) -> str:
    """ogrinfo's listing of a tile's features (GDAL is the judge)."""
    tile = tmp_path / "tile.mvt"
    tile.write_bytes(content)
    done = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-oo", f"Z={z}", "-oo", f"X={x}", "-oo", f"Y={y}", str(tile)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_a_tile_holds_published_sites_and_routes_and_no_drafts(izmir, client, tmp_path):
    Site.objects.filter(slug="konak-clock-tower").update(status=Status.DRAFT)
    Route.objects.filter(slug="izmir-historical-waterways").update(status=Status.REVIEW)

    response = client.get(KONAK_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    listing = read_tile(tmp_path, response.content, *KONAK_Z14)
    assert "Layer name: sites" in listing
    assert "slug (String) = konak-yali-mosque" in listing
    assert "konak-clock-tower" not in listing
    assert "Layer name: routes" in listing
    assert "8500-years-in-one-day" in listing
    assert "designation (String) = official" in listing
    assert "izmir-historical-waterways" not in listing  # in review, not public


def test_tile_labels_follow_the_negotiated_language(izmir, client, tmp_path):
    response = client.get(KONAK_URL, {"lang": "en"})

    listing = read_tile(tmp_path, response.content, *KONAK_Z14)
    assert response["Content-Language"] == "en"
    assert "label (String) = Konak (Yalı) Mosque" in listing


def test_a_tile_is_one_query(izmir, client, django_assert_num_queries):
    with django_assert_num_queries(1):  # both layers in one SELECT
        client.get(KONAK_URL)


def test_a_tile_with_nothing_in_it_is_an_empty_200(db, client):
    response = client.get("/api/v1/tiles/3/0/0.mvt")

    assert response.status_code == 200
    assert response.content == b""


def test_unversioned_tiles_revalidate_with_their_etag(izmir, client, django_assert_num_queries):
    first = client.get(KONAK_URL)

    with django_assert_num_queries(1):  # the content version, no tile built
        again = client.get(KONAK_URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert first["Cache-Control"] == "public, no-cache"


@pytest.mark.parametrize("path", ["3/8/0", "3/0/8", "23/0/0", "99999999999999999999/0/0"])
def test_a_tile_outside_the_pyramid_is_a_400_naming_it(db, client, path):
    response = client.get(f"/api/v1/tiles/{path}.mvt")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == "z/x/y"


def test_tilejson_names_the_tiles_and_carries_the_attribution(db, client):
    tilejson = client.get("/api/v1/tiles.json").json()

    assert tilejson["tilejson"] == "3.0.0"
    assert re.search(r"/api/v1/tiles/v\d+/\{z\}/\{x\}/\{y\}\.mvt$", tilejson["tiles"][0])
    assert tilejson["attribution"] == "Bizİzmir Açık Veri Portalı (CC BY 4.0)"
    assert {layer["id"] for layer in tilejson["vector_layers"]} == {"sites", "routes"}


def test_draft_routes_never_reach_a_tile(izmir, client, tmp_path):
    Route.objects.update(status=Status.DRAFT)

    response = client.get(KONAK_URL)

    assert "Layer name: routes" not in read_tile(tmp_path, response.content, *KONAK_Z14)


def test_a_negative_tile_number_is_a_400_not_a_404(db, client):
    response = client.get("/api/v1/tiles/3/-1/0.mvt")

    assert response.status_code == 400


def test_low_zoom_tiles_cluster_nearby_sites_and_count_them(izmir, client, tmp_path):
    z, x, y = 10, 589, 393  # all of central İzmir in one tile

    response = client.get(f"/api/v1/tiles/{z}/{x}/{y}.mvt")

    listing = read_tile(tmp_path, response.content, z, x, y)
    counts = [int(n) for n in re.findall(r"point_count \(Integer(?:64)?\) = (\d+)", listing)]
    assert max(counts) > 1  # Kemeraltı's dense monuments share a cell
    assert sum(counts) == Site.objects.published().count()


def test_a_low_zoom_cell_with_one_site_names_it_and_a_cluster_carries_its_count(db, client, tmp_path):
    from django.contrib.gis.geos import Point

    from tests.factories import SiteFactory

    SiteFactory(slug="alone", name={"tr": "Yalnız"}, location=Point(27.30, 38.30, srid=4326))
    SiteFactory.create_batch(3, location=Point(27.1287, 38.4189, srid=4326))
    z, x, y = 10, 589, 393

    listing = read_tile(tmp_path, client.get(f"/api/v1/tiles/{z}/{x}/{y}.mvt").content, z, x, y)

    features = listing.split("OGRFeature(sites)")[1:]
    alone = next(feature for feature in features if "alone" in feature)
    cluster = next(feature for feature in features if "point_count (Integer) = 3" in feature)
    assert "label (String) = Yalnız" in alone
    assert "point_count (Integer) = 1" in alone
    assert "slug (String)" not in cluster


def test_sites_a_few_metres_apart_share_a_point_at_z14_and_part_at_z15(db, client, tmp_path):
    """Zoom 14 is the last clustered zoom: its cells (about 60 m in İzmir)
    are smaller than a site's circle there, and z15 shows every site."""
    from django.contrib.gis.geos import Point

    from tests.api.v1.test_route_pmtiles import tile_of
    from tests.factories import SiteFactory

    SiteFactory(slug="fountain", location=Point(27.13000, 38.41900, srid=4326))
    SiteFactory(slug="han", location=Point(27.13003, 38.41902, srid=4326))  # ~3 m away
    counts = {}
    for z in (14, 15):
        _, x, y = tile_of(27.13, 38.419, z)
        listing = read_tile(tmp_path, client.get(f"/api/v1/tiles/{z}/{x}/{y}.mvt").content, z, x, y)
        counts[z] = sorted(int(n) for n in re.findall(r"point_count \(Integer(?:64)?\) = (\d+)", listing))

    assert counts == {14: [2], 15: [1, 1]}


@pytest.mark.parametrize("language", ["tr", "en", "de"])
@pytest.mark.parametrize(
    "tile",
    [
        (0, 0, 0),
        (10, 589, 393),
        (13, 4713, 3147),
        (14, 9426, 6295),
        (15, 18853, 12591),
        (16, 37706, 25182),
        (22, 1, 2),
    ],
)
def test_the_compiled_tile_statement_is_the_sql_its_querysets_send(db, tile, language):
    """The view compiles a tile's statement once with placeholders and fills
    in z/x/y per request: the text must be what the querysets would have sent
    for that tile (the same plan, the same tile)."""
    from django.db import connection

    from api.v1.tiles import tile_statement
    from editorial.content_version import VERSION_SQL
    from geodata.tiles import mvt_sql
    from routes.selectors_tiles import route_tile_layer
    from sites.selectors_tiles import site_tile_layer

    z, x, y = tile
    layers = {
        "sites": site_tile_layer(z=z, x=x, y=y, language=language),
        "routes": route_tile_layer(z=z, x=x, y=y, language=language),
    }
    sent = connection.ops.compose_sql(*mvt_sql(layers, VERSION_SQL))

    assert tile_statement(language, z).fill(z, x, y) == sent
    assert "__tile_" not in sent
