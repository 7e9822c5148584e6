"""GET /api/v1/routes/{slug}/package: the route as one zip for offline use (ADR 0012)."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from editorial.vocabularies import Status
from interchange import packages
from routes.models import Route, RouteStop
from sites.models import Site
from sites.photos import photo_renditions
from tests.factories import PhotoFactory, RouteStopFactory, SiteFactory
from tests.parallel import run_in_parallel

ROUTE = "8500-years-in-one-day"


def url(slug=ROUTE, lang="en"):
    return f"/api/v1/routes/{slug}/package?lang={lang}"


@pytest.fixture
def route(izmir):
    """The real route, with a published photo (renditions made) on its first stop."""
    stop = RouteStop.objects.filter(route__slug=ROUTE).order_by("order").first()
    photo = PhotoFactory(site=stop.site, status=Status.PUBLISHED)
    photo_renditions(photo)
    return Route.objects.get(slug=ROUTE)


def unzip(body: bytes) -> tuple[dict, dict[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(body))
    files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("manifest.json")), files


def test_the_package_holds_exactly_what_its_manifest_says(route, client):
    response = client.get(url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    manifest, files = unzip(response.content)
    assert {entry["path"] for entry in manifest["files"]} == set(files)
    for entry in manifest["files"]:
        assert len(files[entry["path"]]) == entry["bytes"]
        assert hashlib.sha256(files[entry["path"]]).hexdigest() == entry["sha256"]
    assert manifest["format_version"] == 1
    assert manifest["language"] == "en"
    assert manifest["route"] == ROUTE
    assert manifest["license"] == "CC-BY-4.0"
    assert "Bizİzmir" in manifest["attribution"]
    assert manifest["data_version"] > 0
    assert manifest["generated_at"].endswith("Z")


def api_body(client, path: str) -> dict:
    """The API's body with media URLs relative, as the package keeps them."""
    return json.loads(client.get(path).content.decode().replace("http://testserver/", "/"))


def test_its_documents_are_the_apis_own_bodies_and_its_photos_are_phone_sized(route, client):
    manifest, files = unzip(client.get(url()).content)

    detail = json.loads(files["route.geojson"])
    assert detail == api_body(client, f"/api/v1/routes/{ROUTE}?lang=en")
    assert json.loads(files["triggers.geojson"]) == api_body(
        client, f"/api/v1/routes/{ROUTE}/triggers?lang=en"
    )
    stops = [feature["properties"]["site"] for feature in detail["features"][1:]]
    assert {f"sites/{slug}.json" for slug in stops} == {name for name in files if name.startswith("sites/")}
    site = json.loads(files[f"sites/{stops[0]}.json"])
    assert site == api_body(client, f"/api/v1/sites/{stops[0]}?lang=en")
    photos = [entry for entry in manifest["files"] if entry["path"].startswith("photos/")]
    assert len(photos) == 1
    assert photos[0]["url"] == site["properties"]["photos"][0]["renditions"]["800"]
    assert files[photos[0]["path"]][:4] == b"RIFF"  # WebP
    assert b"CC BY 4.0" in files["ATTRIBUTION.txt"]


def test_the_same_content_gives_the_same_bytes_and_etag(route, client, settings, tmp_path):
    first = client.get(url())
    settings.HERITAGE_PACKAGE_ROOT = tmp_path / "elsewhere"  # built again from nothing
    second = client.get(url())

    assert first.content == second.content
    assert first["ETag"] == second["ETag"] == f'"{hashlib.sha256(first.content).hexdigest()}"'
    archive = zipfile.ZipFile(io.BytesIO(first.content))
    names = archive.namelist()
    assert names[0] == "manifest.json"
    assert names[1:] == sorted(names[1:])
    assert {info.date_time for info in archive.infolist()} == {packages.ZIP_TIME}


def test_if_none_match_is_a_304_without_rebuilding(route, client, django_assert_max_num_queries):
    etag = client.get(url())["ETag"]

    with django_assert_max_num_queries(2):  # the cursor and the version: no build
        response = client.get(url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_an_edit_is_never_served_from_a_stale_package(route, client):
    before = client.get(url())
    stop = RouteStop.objects.filter(route=route).order_by("order").first()
    Site.objects.filter(pk=stop.site_id).update(name={"en": "Renamed for the test"})

    after = client.get(url(), HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    _manifest, files = unzip(after.content)
    assert "Renamed for the test" in files[f"sites/{stop.site.slug}.json"].decode()


def test_drafts_are_never_in_a_package(route, client):
    stop = RouteStop.objects.filter(route=route).order_by("order").last()
    Site.objects.filter(pk=stop.site_id).update(status=Status.DRAFT)
    PhotoFactory(
        site=RouteStop.objects.filter(route=route).first().site,
        status=Status.DRAFT,
        caption={"en": "DRAFTPHOTO"},
    )

    manifest, files = unzip(client.get(url()).content)

    assert f"sites/{stop.site.slug}.json" not in files
    assert stop.site.slug not in files["route.geojson"].decode()
    assert all(b"DRAFTPHOTO" not in data for data in files.values())
    assert len([e for e in manifest["files"] if e["path"].startswith("photos/")]) == 1


def test_unknown_and_unpublished_routes_are_a_404_problem(route, client):
    assert client.get(url("no-such-route")).status_code == 404
    Route.objects.filter(pk=route.pk).update(status=Status.ARCHIVED)
    response = client.get(url())
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert client.get(url("bad\x00slug")).status_code == 404


def test_the_route_list_says_each_languages_package_size(route, client):
    assert client.get("/api/v1/routes").json()["features"][0]["properties"]["package_bytes"]["en"] is None
    size = len(client.get(url(lang="de")).content)

    listed = {
        f["properties"]["slug"]: f["properties"]["package_bytes"]
        for f in client.get("/api/v1/routes").json()["features"]
    }

    assert listed[ROUTE]["de"] == size
    assert listed[ROUTE]["en"] is None


def test_every_build_moves_the_generation_and_the_announced_sizes_follow(route, client):
    """Builds in quick succession (one tick of the file system's clock) must
    each reach the route list, whose sizes are read once per generation."""
    seen = [packages.generation()]
    for lang in ("tr", "en", "de"):
        client.get(url(lang=lang))
        seen.append(packages.generation())

    announced = packages.latest_sizes()[ROUTE]

    assert len(set(seen)) == 4
    assert announced == {lang: packages.latest_size(ROUTE, lang) for lang in ("tr", "en", "de")}


def test_build_packages_prebuilds_every_route_and_language(route, client):
    call_command("build_packages", stdout=io.StringIO())

    for slug in Route.objects.filter(status=Status.PUBLISHED).values_list("slug", flat=True):
        for lang in ("tr", "en", "de"):
            assert packages.latest_size(slug, lang) > 0


def test_audio_arrives_through_its_hook(route, client, tmp_path):
    recording = tmp_path / "kizlaragasi-en.ogg"
    recording.write_bytes(b"OggS" + b"\0" * 100)
    digest = hashlib.sha256(recording.read_bytes()).hexdigest()

    def source(slug, language):
        return (
            [packages.AudioFile(recording, "/media/audio/k.ogg", 104, digest, 12.5)]
            if language == "en"
            else []
        )

    packages.register_audio_source(source)
    try:
        manifest, _files = unzip(client.get(url()).content)
    finally:
        packages._audio_sources.remove(source)

    entry = next(e for e in manifest["files"] if e["path"] == "audio/kizlaragasi-en.ogg")
    assert entry == {
        "path": "audio/kizlaragasi-en.ogg",
        "bytes": 104,
        "sha256": digest,
        "url": "/media/audio/k.ogg",
        "duration_s": 12.5,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_first_requests_build_it_once(monkeypatch):
    stop = RouteStopFactory()
    built = []
    real = packages.zip_bytes
    monkeypatch.setattr(packages, "zip_bytes", lambda content: built.append(1) or real(content))
    from api.v1.packages import route_package
    from editorial.content_version import content_version

    version = content_version()
    results = []

    def request():
        results.append(route_package(stop.route.slug, "en", version).sha256)

    run_in_parallel(request, threads=4)

    assert len(results) == 4
    assert len(set(results)) == 1
    assert len(built) == 1


def test_a_site_of_two_routes_is_in_both_packages(route, client):
    other = RouteStop.objects.exclude(route=route).first()
    assert other is not None
    _m, files = unzip(client.get(url(other.route.slug)).content)
    assert f"sites/{other.site.slug}.json" in files


def test_a_new_stop_is_in_the_next_package(route, client):
    before = unzip(client.get(url()).content)[1]
    site = SiteFactory()
    RouteStopFactory(route=route, site=site, order=99)

    after = unzip(client.get(url()).content)[1]

    assert f"sites/{site.slug}.json" in set(after) - set(before)
