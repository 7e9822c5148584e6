"""Public exports kept on disk per content version (api/export_cache.py):
served again byte for byte until the data changes, never after; a strong
ETag answers 304; drafts and broken-off downloads are never kept."""

import pytest

from editorial.vocabularies import Status
from sites.services import site_update
from tests.api.v1.staff_client import client_for
from tests.factories import SiteFactory, UserFactory

URL = "/api/v1/export/sites"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def kept_files(settings) -> list[str]:
    folder = settings.HERITAGE_EXPORT_CACHE_DIR
    return sorted(path.name for path in folder.glob("*")) if folder.exists() else []


@pytest.mark.parametrize("fmt", ["gpkg", "csv", "geojson", "lpf"])
def test_a_second_download_is_the_kept_file_with_the_same_bytes_and_headers(
    db, api_client, settings, fmt, django_assert_max_num_queries
):
    SiteFactory.create_batch(3)
    first = api_client.get(URL, {"format": fmt})
    first_body = body(first)

    with django_assert_max_num_queries(2):  # the content version (and the period codes of the filters)
        again = api_client.get(URL, {"format": fmt})
        again_body = body(again)

    assert again_body == first_body
    assert again["ETag"] == first["ETag"]
    for header in ("Content-Type", "Content-Disposition", "Link", "X-Data-Version"):
        assert again[header] == first[header]
    assert again["Content-Length"] == str(len(first_body))
    assert [name for name in kept_files(settings) if name.endswith(".body")]


def test_an_edit_makes_the_kept_export_unreachable_and_the_next_one_shows_it(db, api_client, settings):
    site = SiteFactory(name={"tr": "Eski ad", "en": "Old name"})
    before = api_client.get(URL, {"format": "csv"})
    assert "Old name" in body(before).decode()

    site_update(site=site, user=UserFactory(role="reviewer"), name={"tr": "Yeni ad", "en": "New name"})
    after = api_client.get(URL, {"format": "csv"})

    text = body(after).decode()
    assert "New name" in text
    assert "Old name" not in text
    assert after["ETag"] != before["ETag"]
    # The older version's file is gone once the newer one is written.
    assert len([name for name in kept_files(settings) if name.endswith(".body")]) == 1


def test_if_none_match_with_the_etag_is_a_304_without_a_body(db, api_client):
    SiteFactory()
    first = api_client.get(URL, {"format": "gpkg"})
    body(first)

    again = api_client.get(URL, {"format": "gpkg"}, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_another_query_is_another_file(db, api_client):
    SiteFactory(kind="mosque")
    SiteFactory(kind="bath")

    everything = body(api_client.get(URL, {"format": "csv"}))
    mosques = body(api_client.get(URL, {"format": "csv", "kind": "mosque"}))

    assert everything != mosques
    assert mosques.decode().count("\n") < everything.decode().count("\n")


def test_staff_exports_with_drafts_are_never_kept(db, settings):
    SiteFactory(status=Status.DRAFT)
    editor = client_for("editor")

    response = editor.get(URL, {"format": "csv", "include_drafts": "true"})
    body(response)

    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
    assert kept_files(settings) == []


def test_a_download_broken_off_half_way_keeps_nothing(db, api_client, settings):
    # More than the 64 KB config.database_faults makes before the status.
    SiteFactory.create_batch(120)
    response = api_client.get(URL, {"format": "geojson"})
    assert not [name for name in kept_files(settings) if not name.startswith(".")]  # nothing kept yet
    chunks = iter(response.streaming_content)
    next(chunks)
    response.close()  # the client went away

    assert [name for name in kept_files(settings) if not name.startswith(".")] == []
    assert not [name for name in kept_files(settings) if name.startswith(".partial-")]


def test_the_cache_can_be_turned_off(db, api_client, settings):
    settings.HERITAGE_EXPORT_CACHE_MB = 0
    SiteFactory()

    response = api_client.get(URL, {"format": "csv"})
    body(response)

    assert "ETag" not in response
    assert kept_files(settings) == []
