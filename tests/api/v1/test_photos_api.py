"""POST/GET /api/v1/staff/sites/<slug>/photos: uploads by staff, hostile files refused."""

import json
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.http import Http404
from rest_framework.authtoken.models import Token

from editorial import workflow
from editorial.vocabularies import Status
from sites.models import Photo
from sites.photos import MAX_UPLOAD_BYTES, photo_create
from tests.factories import SiteFactory, image_bytes, uploaded


def url(slug: str) -> str:
    return f"/api/v1/staff/sites/{slug}/photos"


def staff(username: str, group: str | None) -> User:
    user = User.objects.create_user(username, is_staff=True)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def editor(db):
    return staff("editor", workflow.EDITOR_GROUP)


@pytest.fixture
def editor_client(api_client, editor):
    token = Token.objects.create(user=editor)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


def files_in(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))


def test_an_editor_uploads_a_draft_photo_with_credits_and_gets_rendition_urls(editor_client, settings):
    site = SiteFactory(status=Status.PUBLISHED)

    response = editor_client.post(
        url(site.slug),
        {
            "file": uploaded(image_bytes(1000, 500, gps=(27.14, 38.42))),
            "caption": json.dumps({"tr": "Saat Kulesi", "en": "Clock Tower"}),
            "author": "A. Yılmaz",
            "license": "CC-BY-4.0",
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["site"] == site.slug
    assert body["caption"] == {"tr": "Saat Kulesi", "en": "Clock Tower"}
    assert set(body["renditions"]) == {"320", "800", "1600"}
    assert body["renditions"]["320"].startswith("/media/photos/renditions/")
    assert body["suggested_location"]["coordinates"] == pytest.approx([27.14, 38.42], abs=1e-5)
    photo = Photo.objects.get()
    assert photo.created_by.username == "editor"
    assert photo.history.get().history_user.username == "editor"


def test_an_uploaded_rendition_is_served_under_media_to_staff(editor_client):
    site = SiteFactory()
    body = editor_client.post(url(site.slug), {"file": uploaded(image_bytes())}, format="multipart").json()

    # A draft's rendition: the editor who uploaded it may see it.
    response = editor_client.get(body["renditions"]["320"])

    assert response.status_code == 200
    assert b"WEBP" in b"".join(response.streaming_content)[:16]


def media_get(rf, path: str, user=None, **headers):
    """GET /media/<path> through the gated view (api.media.media_file)."""
    from django.contrib.auth.models import AnonymousUser

    from api.media import media_file

    request = rf.get(f"/media/{path}", **headers)
    request.user = user or AnonymousUser()
    try:
        return media_file(request, path).status_code
    except Http404:
        return 404


def published_photo(editor, *, site_status=Status.PUBLISHED) -> Photo:
    reviewer = User.objects.filter(username="reviewer").first() or staff("reviewer", workflow.REVIEWER_GROUP)
    photo = photo_create(
        site=SiteFactory(status=site_status),
        upload=uploaded(image_bytes()),
        user=editor,
        caption={"en": "Gate"},
        author="A. Photographer",
        license="CC-BY-4.0",
    )
    workflow.transition(photo, to_status=Status.PUBLISHED, user=reviewer)
    return photo


def test_anyone_gets_the_renditions_of_a_published_photo_of_a_published_site(rf, editor):
    photo = published_photo(editor)

    assert {media_get(rf, path) for path in photo.renditions.values()} == {200}


def test_a_draft_photos_renditions_are_for_staff_only_even_with_their_random_names(rf, editor):
    site = SiteFactory(status=Status.PUBLISHED)
    photo = photo_create(site=site, upload=uploaded(image_bytes()), user=editor)
    path = photo.renditions["320"]

    token = Token.objects.create(user=editor).key

    assert media_get(rf, path) == 404
    assert media_get(rf, path, HTTP_AUTHORIZATION="Token not-a-token") == 404
    assert media_get(rf, path, user=editor) == 200
    assert media_get(rf, path, HTTP_AUTHORIZATION=f"Token {token}") == 200


def test_an_unpublished_photo_or_a_photo_of_a_draft_site_is_no_longer_served(rf, editor):
    archived = published_photo(editor)
    workflow.transition(archived, to_status=Status.ARCHIVED, user=User.objects.get(username="reviewer"))
    on_draft_site = published_photo(editor, site_status=Status.DRAFT)

    assert media_get(rf, archived.renditions["800"]) == 404
    assert media_get(rf, on_draft_site.renditions["800"]) == 404


def test_originals_with_their_exif_are_never_served_to_the_public(rf, editor):
    photo = published_photo(editor)

    assert media_get(rf, photo.original.name) == 404
    assert media_get(rf, photo.original.name, user=editor) == 200
    assert media_get(rf, "photos/renditions/../originals/" + photo.original.name.rsplit("/", 1)[1]) == 404


HOSTILE = {
    "png_claiming_100000_squared": png_claiming(100_000, 100_000),
    "eps_renamed_jpg": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
    "svg_renamed_jpg": b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>',
    "truncated_jpeg": image_bytes(800, 600)[:1500],
    "html_renamed_jpg": b"<html><script>alert(1)</script></html>",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_get_a_400_naming_the_file_and_write_nothing(editor_client, settings, case):
    site = SiteFactory()

    response = editor_client.post(url(site.slug), {"file": uploaded(HOSTILE[case])}, format="multipart")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "file"
    assert Photo.objects.count() == 0
    assert files_in(settings.MEDIA_ROOT) == []


def test_a_file_over_20_mb_gets_a_413_before_it_is_parsed(editor_client, settings):
    site = SiteFactory()
    big = image_bytes(50, 50) + b"\0" * MAX_UPLOAD_BYTES

    response = editor_client.post(url(site.slug), {"file": uploaded(big)}, format="multipart")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert Photo.objects.count() == 0
    assert files_in(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize(
    ("caption", "message_part"),
    [
        ("[1, 2]", "JSON object"),
        ("{" * 10_000 + "}" * 10_000, "JSON object"),
        ("not json", "JSON object"),
        ('{"xx": "?"}', "Unknown language"),
    ],
)
def test_a_bad_caption_gets_a_400_naming_the_caption_and_writes_nothing(
    editor_client, settings, caption, message_part
):
    site = SiteFactory()

    response = editor_client.post(
        url(site.slug), {"file": uploaded(image_bytes()), "caption": caption}, format="multipart"
    )

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "caption"
    assert message_part in error["message"]
    assert Photo.objects.count() == 0
    assert files_in(settings.MEDIA_ROOT) == []


def test_a_missing_file_is_a_400_naming_file(editor_client):
    site = SiteFactory()

    response = editor_client.post(url(site.slug), {"author": "x"}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


def test_html_in_the_author_is_stored_as_text(editor_client):
    site = SiteFactory()

    response = editor_client.post(
        url(site.slug), {"file": uploaded(image_bytes()), "author": "<b>Ali</b>"}, format="multipart"
    )

    assert response.status_code == 201
    assert Photo.objects.get().author == "<b>Ali</b>"


def test_anonymous_uploads_get_a_401(api_client, db):
    site = SiteFactory()

    response = api_client.post(url(site.slug), {"file": uploaded(image_bytes())}, format="multipart")

    assert response.status_code == 401
    assert Photo.objects.count() == 0


def test_a_user_without_a_staff_group_gets_a_403(api_client, db):
    api_client.force_authenticate(staff("visitor", None))
    site = SiteFactory()

    response = api_client.post(url(site.slug), {"file": uploaded(image_bytes())}, format="multipart")

    assert response.status_code == 403


def test_photos_cannot_be_added_to_an_archived_site(editor_client):
    site = SiteFactory(status=Status.ARCHIVED)

    response = editor_client.post(url(site.slug), {"file": uploaded(image_bytes())}, format="multipart")

    assert response.status_code == 403
    assert Photo.objects.count() == 0


def test_an_unknown_site_is_a_404(editor_client):
    response = editor_client.post(url("nowhere"), {"file": uploaded(image_bytes())}, format="multipart")

    assert response.status_code == 404


def test_status_cannot_be_set_by_the_upload(editor_client):
    site = SiteFactory()

    response = editor_client.post(
        url(site.slug),
        {"file": uploaded(image_bytes()), "status": "published", "author": "A", "license": "CC0"},
        format="multipart",
    )

    assert response.status_code == 201
    assert Photo.objects.get().status == Status.DRAFT


def test_staff_list_a_sites_photos_in_two_queries(editor_client, django_assert_num_queries):
    site = SiteFactory()
    for _ in range(3):
        editor_client.post(url(site.slug), {"file": uploaded(image_bytes())}, format="multipart")

    with django_assert_num_queries(4):  # token user, groups, site, photos
        response = editor_client.get(url(site.slug))

    assert response.status_code == 200
    assert len(response.json()) == 3


def test_media_urls_serve_published_renditions_and_hide_drafts_and_originals(client, editor):
    public = published_photo(editor)
    site = SiteFactory(status=Status.PUBLISHED)
    draft = photo_create(site=site, upload=uploaded(image_bytes()), user=editor)

    published_rendition = client.get(f"/media/{public.renditions['320']}")
    draft_rendition = client.get(f"/media/{draft.renditions['320']}")
    original = client.get(f"/media/{public.original.name}")

    assert published_rendition.status_code == 200
    assert draft_rendition.status_code == 404
    assert original.status_code == 404  # originals keep their EXIF/GPS: never public
