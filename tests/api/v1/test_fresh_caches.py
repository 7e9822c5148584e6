"""No cache serves a stale or draft response (ADR 0008): revalidation is
answered from the content version, so an edit turns every old ETag into a
full 200, and tile URLs name the version, so an edit moves maps onto new URLs."""

import gzip

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import Status
from sites.models import Site
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory

TILE = "14/9426/6295"  # around Konak Square


@pytest.fixture
def walk(db):
    route = RouteFactory(slug="walk")
    first = SiteFactory(
        slug="first", name={"tr": "Saat Kulesi", "en": "Clock Tower"}, location=Point(*KONAK, srid=4326)
    )
    second = SiteFactory(slug="second", location=Point(KONAK[0] + 0.006, KONAK[1], srid=4326))
    RouteStopFactory(route=route, site=first, order=1)
    RouteStopFactory(route=route, site=second, order=2)
    return route


def test_an_edited_stop_makes_the_old_bundle_etag_a_full_200(client, walk):
    cached = client.get("/api/v1/routes/walk/bundle?lang=en")
    Site.objects.filter(slug="first").update(name={"tr": "Saat Kulesi", "en": "The Clock Tower"})

    again = client.get("/api/v1/routes/walk/bundle?lang=en", HTTP_IF_NONE_MATCH=cached["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != cached["ETag"]
    assert "The Clock Tower" in again.content.decode()


def test_an_archived_stop_leaves_the_bundle_and_its_old_etag_does_not_revalidate(client, walk):
    cached = client.get("/api/v1/routes/walk/bundle")
    Site.objects.filter(slug="second").update(status=Status.ARCHIVED)

    again = client.get("/api/v1/routes/walk/bundle", HTTP_IF_NONE_MATCH=cached["ETag"])

    assert again.status_code == 200
    assert "second" in cached.content.decode()
    assert '"second"' not in again.content.decode()


def test_a_site_turned_draft_is_a_404_even_for_a_client_holding_its_etag(client, walk):
    cached = client.get("/api/v1/sites/first")
    Site.objects.filter(slug="first").update(status=Status.DRAFT)

    again = client.get("/api/v1/sites/first", HTTP_IF_NONE_MATCH=cached["ETag"])

    assert cached.status_code == 200
    assert again.status_code == 404


def test_a_published_site_appears_in_a_list_revalidated_with_the_old_etag(client, walk):
    cached = client.get("/api/v1/sites")
    SiteFactory(slug="new-one", status=Status.DRAFT)
    still = client.get("/api/v1/sites", HTTP_IF_NONE_MATCH=cached["ETag"])
    Site.objects.filter(slug="new-one").update(status=Status.PUBLISHED)

    published = client.get("/api/v1/sites", HTTP_IF_NONE_MATCH=still["ETag"])

    # A draft edit may bump the version (a full 200), but never shows the draft.
    assert "new-one" not in still.content.decode()
    assert published.status_code == 200
    assert "new-one" in published.content.decode()


def test_an_empty_answer_carries_no_etag_it_could_not_date(client, db):
    # No row came back with the version, so none is named (api.etags).
    response = client.get("/api/v1/sites/nearby?lat=38.30&lon=26.90&radius=100")

    assert response.status_code == 200
    assert response.json()["numberReturned"] == 0
    assert "ETag" not in response


# --- versioned tiles ----------------------------------------------------------


def tile_url(client) -> str:
    template = client.get("/api/v1/tiles.json").json()["tiles"][0]
    return template.replace("{z}/{x}/{y}", TILE).removeprefix("http://testserver")


def test_tilejson_points_at_immutable_tiles_of_the_current_version(client, walk):
    url = tile_url(client)

    tile = client.get(url)

    assert tile.status_code == 200
    assert tile["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"first" in tile.content


def test_an_edit_moves_tilejson_to_new_urls_and_old_ones_redirect_there(client, walk):
    old_url = tile_url(client)
    client.get(old_url)
    Site.objects.filter(slug="first").update(status=Status.DRAFT)

    new_url = tile_url(client)
    moved = client.get(old_url)
    fresh = client.get(new_url)

    assert new_url != old_url
    assert moved.status_code == 302
    assert moved["Location"] == new_url
    assert "immutable" not in moved["Cache-Control"]
    assert fresh.status_code == 200
    assert b"first" not in fresh.content  # the draft is gone from the current tile
    assert b"second" in fresh.content


def test_a_version_from_the_future_is_a_404(client, walk):
    url = tile_url(client)
    version = int(url.split("/v")[2].split("/")[0])

    response = client.get(url.replace(f"/v{version}/", f"/v{version + 1000}/"))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_versioned_tile_is_one_query(client, walk, django_assert_num_queries):
    url = tile_url(client)

    with django_assert_num_queries(1):  # both layers and the version in one SELECT
        client.get(url)


# --- bodies kept by the process (api.response_cache) -------------------------


def test_a_repeated_request_is_the_kept_body_for_one_query(client, walk, django_assert_num_queries):
    first = client.get("/api/v1/routes/walk?lang=en")

    with django_assert_num_queries(1):  # the content version only
        again = client.get("/api/v1/routes/walk?lang=en")

    assert again.status_code == 200
    assert again.content == first.content
    for header in ("Content-Type", "Content-Language", "ETag", "Cache-Control", "Vary"):
        assert again[header] == first[header]


def test_a_kept_body_keeps_the_language_the_text_was_really_in(client, db):
    SiteFactory(slug="english-only", name={"en": "Only English"})
    first = client.get("/api/v1/sites/english-only?lang=de")

    again = client.get("/api/v1/sites/english-only?lang=de")

    assert first["Content-Language"] == "en"
    assert again["Content-Language"] == "en"


def test_an_edit_makes_the_kept_body_unreachable(client, walk):
    client.get("/api/v1/routes/walk?lang=en")
    Site.objects.filter(slug="first").update(name={"tr": "Saat Kulesi", "en": "The Clock Tower"})

    again = client.get("/api/v1/routes/walk?lang=en")

    assert "The Clock Tower" in again.content.decode()


def test_a_kept_tile_is_not_served_once_its_site_is_a_draft(client, walk):
    url = f"/api/v1/tiles/{TILE}.mvt"
    assert b"first" in client.get(url).content
    Site.objects.filter(slug="first").update(status=Status.DRAFT)

    assert b"first" not in client.get(url).content


def test_kept_bodies_never_cross_languages_or_media_types(client, walk):
    english = client.get("/api/v1/routes/walk?lang=en")
    turkish = client.get("/api/v1/routes/walk?lang=tr")
    as_json = client.get("/api/v1/routes/walk?lang=en", HTTP_ACCEPT="application/json")

    assert english.content != turkish.content
    assert as_json["Content-Type"].startswith("application/json")
    assert english["Content-Type"].startswith("application/geo+json")


# --- kept bodies, gzipped once (api.response_cache.ResponseCache.gzipped) ----------

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
SENT_HEADERS = ("Content-Type", "Content-Language", "Content-Encoding", "ETag", "Cache-Control", "Vary")


KEPT_URLS = ["/api/v1/routes/walk?lang=en", "/api/v1/routes", "/api/v1/routes/walk/triggers"]


@pytest.mark.parametrize("url", KEPT_URLS)
def test_a_kept_body_is_sent_gzipped_as_the_middleware_sends_a_fresh_one(client, walk, url):
    fresh = client.get(url, **GZIP)  # built, then compressed by GZipMiddleware
    kept = client.get(url, **GZIP)  # the kept body, gzipped once by the cache
    again = client.get(url, **GZIP)  # the kept gzipped body itself

    assert fresh["Content-Encoding"] == "gzip"
    for response in (kept, again):
        assert {h: response.get(h) for h in SENT_HEADERS} == {h: fresh.get(h) for h in SENT_HEADERS}
        assert gzip.decompress(response.content) == gzip.decompress(fresh.content)
        assert response["Content-Length"] == str(len(response.content))
    assert fresh["ETag"].startswith('W/"')


def test_a_client_without_gzip_still_gets_the_plain_kept_body(client, walk):
    plain = client.get("/api/v1/routes/walk?lang=en")
    client.get("/api/v1/routes/walk?lang=en", **GZIP)  # the entry now holds its gzipped form too

    again = client.get("/api/v1/routes/walk?lang=en")

    assert "Content-Encoding" not in again
    assert again.content == plain.content
    assert again["ETag"] == plain["ETag"]


def test_the_weak_etag_of_a_gzipped_kept_body_revalidates_and_an_edit_ends_it(client, walk):
    client.get("/api/v1/routes/walk?lang=en", **GZIP)
    kept = client.get("/api/v1/routes/walk?lang=en", **GZIP)

    revalidated = client.get("/api/v1/routes/walk?lang=en", HTTP_IF_NONE_MATCH=kept["ETag"], **GZIP)
    assert revalidated.status_code == 304
    Site.objects.filter(slug="first").update(name={"tr": "Saat Kulesi", "en": "The Clock Tower"})
    after = client.get("/api/v1/routes/walk?lang=en", HTTP_IF_NONE_MATCH=kept["ETag"], **GZIP)

    assert after.status_code == 200
    assert "The Clock Tower" in gzip.decompress(after.content).decode()
