"""GET /api/v1/releases…: the recorded releases with stable URLs, files with
strong SHA-256 ETags and immutable caching, 404 problem+json for anything
else, and no way out of a release's folder."""

import hashlib
from datetime import UTC, datetime

import pytest

from editorial.vocabularies import Status
from interchange.models import Release
from interchange.releases.build import build_release
from routes.models import Route

GEOJSON = "izmir-heritage-sites-2026.12.geojson"


@pytest.fixture
def releases_dir(settings, tmp_path):
    settings.HERITAGE_RELEASES_DIR = tmp_path / "releases"
    return settings.HERITAGE_RELEASES_DIR


@pytest.fixture
def release(izmir, releases_dir):
    Route.objects.update(status=Status.PUBLISHED)
    return build_release("2026.12", now=datetime(2026, 12, 2, 9, 30, tzinfo=UTC))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_no_release_yet_is_an_empty_list(db, client, releases_dir):
    response = client.get("/api/v1/releases")

    assert response.status_code == 200
    assert response.json()["releases"] == []
    assert response["Cache-Control"] == "public, no-cache"


def test_the_list_names_each_release_with_its_stable_url_and_changes(release, client):
    response = client.get("/api/v1/releases")

    (entry,) = response.json()["releases"]
    assert entry["version"] == "2026.12"
    assert entry["url"] == "http://testserver/api/v1/releases/2026.12"
    assert entry["released_at"] == "2026-12-02T09:30:00Z"
    assert entry["changes"] == {"since": "", "added": 42, "changed": 0, "withdrawn": 0}
    assert "Bizİzmir Açık Veri Portalı (CC BY 4.0)" in entry["citation"]
    assert response["ETag"].startswith('"')
    assert client.get("/api/v1/releases", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_release_lists_its_files_with_sizes_hashes_and_urls(release, client):
    detail = client.get("/api/v1/releases/2026.12").json()

    files = {entry["name"]: entry for entry in detail["files"]}
    assert set(files) == {entry["name"] for entry in release.files}
    assert files[GEOJSON]["url"] == f"http://testserver/api/v1/releases/2026.12/{GEOJSON}"
    assert files[GEOJSON]["media_type"] == "application/geo+json"
    assert detail["license"] == "CC-BY-4.0"
    assert detail["attribution"] == "Bizİzmir Açık Veri Portalı (CC BY 4.0)"


def test_a_file_is_served_as_released_with_its_sha256_as_a_strong_etag(release, client, releases_dir):
    response = client.get(f"/api/v1/releases/2026.12/{GEOJSON}")

    content = body(response)
    assert response.status_code == 200
    assert content == (releases_dir / "2026.12" / GEOJSON).read_bytes()
    assert response["ETag"] == f'"{hashlib.sha256(content).hexdigest()}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Type"] == "application/geo+json"
    assert GEOJSON in response["Content-Disposition"]


def test_a_file_is_never_gzipped_so_its_etag_stays_strong(release, client):
    response = client.get("/api/v1/releases/2026.12/README.md", HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in response
    assert not response["ETag"].startswith("W/")


def test_revalidating_a_file_is_a_304(release, client):
    etag = client.get(f"/api/v1/releases/2026.12/{GEOJSON}")["ETag"]

    again = client.get(f"/api/v1/releases/2026.12/{GEOJSON}", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=31536000, immutable"


UNKNOWN = (
    "/api/v1/releases/2026.11",
    "/api/v1/releases/2026.13",
    "/api/v1/releases/..%2Fx",
    "/api/v1/releases/%00",
    "/api/v1/releases/2026.12/nope.csv",
    "/api/v1/releases/2026.11/SHA256SUMS",
)


def test_unknown_releases_and_files_are_404_problems(release, client):
    # One release built for all the cases: building is the slow part.
    for path in UNKNOWN:
        response = client.get(path)

        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"


TRAVERSALS = (
    "/api/v1/releases/2026.12/..%2F..%2F..%2Fconfig%2Fsettings.py",
    "/api/v1/releases/2026.12/%2e%2e%2f%2e%2e%2fsecret_key",
    "/api/v1/releases/2026.12/..",
    "/api/v1/releases/2026.12/.",
    "/api/v1/releases/2026.12/%2fetc%2fpasswd",
    "/api/v1/releases/2026.12/..%5c..%5cREADME.md",
    "/api/v1/releases/2026.12/SHA256SUMS%00.txt",
    "/api/v1/releases/..%2F2026.12/SHA256SUMS",
    "/api/v1/releases/2026.12%2F..%2F..%2Fvar/secret_key",
)


def test_path_traversal_is_refused(release, client, releases_dir):
    # A decoy one level up: nothing outside the release folder is ever served.
    (releases_dir / "secret_key").write_text("do not serve")

    for path in TRAVERSALS:
        response = client.get(path)

        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
        assert b"do not serve" not in body(response)


def test_a_file_missing_from_disk_is_a_404_not_a_500(release, client, releases_dir):
    folder = releases_dir / "2026.12"
    folder.chmod(0o755)
    (folder / "CHANGELOG.md").unlink()

    assert client.get("/api/v1/releases/2026.12/CHANGELOG.md").status_code == 404


def test_the_ogc_landing_page_links_the_releases(db, client):
    links = client.get("/ogc").json()["links"]

    assert {
        "href": "http://testserver/api/v1/releases",
        "rel": "related",
        "type": "application/json",
        "title": "Citable data releases",
    } in links


def test_the_openapi_document_describes_the_releases(db, client):
    paths = client.get("/api/v1/schema?format=json").json()["paths"]

    assert {"/api/v1/releases", "/api/v1/releases/{version}", "/api/v1/releases/{version}/{name}"} <= set(
        paths
    )
    assert "404" in paths["/api/v1/releases/{version}/{name}"]["get"]["responses"]


def test_only_a_whole_release_is_listed(db, client, releases_dir):
    # A folder without its row (an interrupted build) is not a release.
    (releases_dir / "2026.12").mkdir(parents=True)
    (releases_dir / "2026.12" / "README.md").write_text("half")

    assert client.get("/api/v1/releases").json()["releases"] == []
    assert client.get("/api/v1/releases/2026.12/README.md").status_code == 404
    assert not Release.objects.exists()
