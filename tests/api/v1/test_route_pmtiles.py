"""GET /api/v1/tiles/routes/{slug}.pmtiles: a route's corridor as PMTiles, read back."""

import gzip
import math

import pytest
from pmtiles.reader import MemorySource, Reader
from pmtiles.tile import Compression, TileType

from api.v1.route_pmtiles import CORRIDOR_ZOOMS, corridor_path, corridor_tiles
from editorial.content_version import content_version
from editorial.vocabularies import Status
from routes.models import Route
from sites.models import Site

ROUTE = "8500-years-in-one-day"
URL = f"/api/v1/tiles/routes/{ROUTE}.pmtiles"


@pytest.fixture(autouse=True)
def _package_root(settings, tmp_path):
    settings.HERITAGE_PACKAGE_ROOT = tmp_path


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    return z, int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def read(content: bytes) -> Reader:
    return Reader(MemorySource(content))


def test_the_corridor_reads_back_as_the_tiles_the_api_serves(izmir, client):
    response = client.get(URL, {"lang": "en"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.pmtiles"
    archive = read(response.content)
    header = archive.header()
    assert header["tile_type"] == TileType.MVT
    assert header["tile_compression"] == Compression.GZIP
    assert (header["min_zoom"], header["max_zoom"]) == (CORRIDOR_ZOOMS[0], CORRIDOR_ZOOMS[-1])
    metadata = archive.metadata()
    assert metadata["route"] == ROUTE
    assert metadata["language"] == "en"
    assert metadata["data_version"] == content_version()
    assert {layer["id"] for layer in metadata["vector_layers"]} == {"sites", "routes"}
    # Every stop's street-level tile is in it, byte for byte the API's tile.
    stops = Route.objects.get(slug=ROUTE).stops.select_related("site")
    assert stops
    for stop in stops:
        z, x, y = tile_of(stop.site.location.x, stop.site.location.y, 16)
        packed = archive.get(z, x, y)
        assert packed is not None, stop.site.slug
        served = client.get(f"/api/v1/tiles/{z}/{x}/{y}.mvt", {"lang": "en"}).content
        assert gzip.decompress(packed) == served
    assert header["addressed_tiles_count"] <= len(corridor_tiles(ROUTE))


def test_the_same_data_gives_the_same_bytes_and_an_edit_a_new_archive(izmir, client):
    first = client.get(URL).content
    path = corridor_path(ROUTE, "tr", content_version())
    path.unlink()
    assert client.get(URL).content == first  # rebuilt: identical

    etag = client.get(URL)["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    site = Route.objects.get(slug=ROUTE).stops.first().site
    Site.objects.filter(pk=site.pk).update(name={**site.name, "tr": "Yeni ad"})

    after = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200  # never the stale archive
    assert read(after.content).metadata()["data_version"] == content_version()
    assert b"Yeni ad" in b"".join(
        gzip.decompress(read(after.content).get(z, x, y) or gzip.compress(b""))
        for z, x, y in corridor_tiles(ROUTE)
    )


def test_a_route_not_published_has_no_corridor(izmir, client):
    Route.objects.filter(slug=ROUTE).update(status=Status.REVIEW)

    response = client.get(URL)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/tiles/routes/no-such-route.pmtiles").status_code == 404
