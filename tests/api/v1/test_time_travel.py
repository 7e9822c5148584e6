"""Time travel: `year=` on the sites list, nearby and the vector tiles shows
only published sites standing in that year (BCE negative)."""

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import Status
from tests.api.v1.test_tiles import read_tile
from tests.factories import KONAK, SiteFactory

# Tile z14 holding the point KONAK.
KONAK_TILE = (14, 9426, 6295)


@pytest.fixture
def epochs(db):
    here = Point(*KONAK, srid=4326)
    return {
        "smyrna": SiteFactory(slug="old-smyrna", start_year=-3000, end_year=-300, location=here),
        "han": SiteFactory(slug="han-1744", start_year=1744, end_year=None, location=here),
        "undated": SiteFactory(slug="undated", start_year=None, end_year=None, location=here),
        "draft": SiteFactory(
            slug="draft-temple", start_year=-700, end_year=-500, status=Status.DRAFT, location=here
        ),
    }


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {feature["properties"]["slug"] for feature in response.json()["features"]}


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (-600, {"old-smyrna"}),
        (-3000, {"old-smyrna"}),  # the start year counts
        (-300, {"old-smyrna"}),  # and so does the end year
        (1744, {"han-1744"}),
        (2026, {"han-1744"}),  # no end year: still standing
        (-6500, set()),
    ],
)
def test_the_site_list_shows_only_published_sites_standing_in_the_year(epochs, client, year, expected):
    assert slugs(client.get("/api/v1/sites", {"year": year})) == expected


def test_without_a_year_every_published_site_is_listed(epochs, client):
    assert slugs(client.get("/api/v1/sites")) == {"old-smyrna", "han-1744", "undated"}


def test_nearby_takes_a_year_too(epochs, client):
    found = slugs(client.get("/api/v1/sites/nearby", {"lat": KONAK[1], "lon": KONAK[0], "year": -600}))
    assert found == {"old-smyrna"}


def test_a_tile_for_a_year_holds_only_the_sites_standing_then(epochs, client, tmp_path):
    z, x, y = KONAK_TILE
    response = client.get(f"/api/v1/tiles/{z}/{x}/{y}.mvt", {"year": -600})

    listing = read_tile(tmp_path, response.content, z, x, y)
    assert "slug (String) = old-smyrna" in listing
    assert "han-1744" not in listing
    assert "draft-temple" not in listing


@pytest.mark.parametrize(
    "path", ["/api/v1/sites", "/api/v1/sites/nearby?lat=38.4&lon=27.1", "/api/v1/tiles/0/0/0.mvt"]
)
@pytest.mark.parametrize("bad", ["600BC", "1.5", "-20000", "99999"])
def test_a_bad_year_is_a_400_naming_it(db, client, path, bad):
    joiner = "&" if "?" in path else "?"
    response = client.get(f"{path}{joiner}year={bad}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert [error["parameter"] for error in response.json()["errors"]] == ["year"]


def test_the_openapi_document_describes_year_on_the_three_endpoints(db, client):
    schema = client.get("/api/v1/schema", {"format": "json"}).json()
    for path in ("/api/v1/sites", "/api/v1/sites/nearby", "/api/v1/tiles/{z}/{x}/{y}.mvt"):
        names = {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}
        assert "year" in names, path
