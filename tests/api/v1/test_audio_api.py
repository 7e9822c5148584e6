"""Stop audio over HTTP: staff upload and workflow, the public listing, and
the media gate's byte ranges (phone players seek with them). Drafts never
reach public output."""

import hashlib
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from editorial import workflow
from editorial.vocabularies import Status
from routes.audio import audio_create
from routes.models import StopAudio
from tests.audio_files import mp3_bytes, ogg_opus_bytes
from tests.factories import RouteStopFactory, UserFactory, uploaded


def files_in(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def token_client(role: str | None) -> APIClient:
    user = User.objects.create_user(f"user-{role}", is_staff=True)
    if role == "admin":
        user.is_superuser = True
        user.save()
    elif role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def stop(db):
    return RouteStopFactory(narrative={"en": "The clock tower of 1901."})


@pytest.fixture
def editor(db):
    return token_client(workflow.EDITOR_GROUP)


@pytest.fixture
def reviewer(db):
    return token_client(workflow.REVIEWER_GROUP)


def audio_url(stop, suffix: str = "") -> str:
    return f"/api/v1/staff/routes/{stop.route.slug}/stops/{stop.site.slug}/audio{suffix}"


def post_audio(client, stop, data: bytes, language="en", name="guide.mp3"):
    return client.post(
        audio_url(stop),
        {"file": uploaded(data, name=name, content_type="audio/mpeg"), "language": language},
        format="multipart",
    )


def publish(client, stop, body: dict):
    etag = client.get(audio_url(stop, f"/{body['id']}"))["ETag"]
    return client.post(
        audio_url(stop, f"/{body['id']}/status"), {"status": "published"}, format="json", HTTP_IF_MATCH=etag
    )


def test_an_editor_uploads_a_draft_and_a_reviewer_publishes_it(editor, reviewer, stop, client):
    data = mp3_bytes(3.0)

    response = post_audio(editor, stop, data, name="clock.ogg")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["format"] == "mp3"  # from the bytes, not the name
    assert body["media_type"] == "audio/mpeg"
    assert body["bytes"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["duration_s"] == pytest.approx(3.0, abs=0.05)
    assert body["transcript"] == "The clock tower of 1901."
    assert body["url"].startswith("http://testserver/media/audio/")
    assert response["Location"].endswith(f"/audio/{body['id']}")
    assert editor.get(audio_url(stop)).json()[0]["id"] == body["id"]

    # Public: the draft is nowhere, and its file is a 404.
    detail = client.get(f"/api/v1/routes/{stop.route.slug}").json()
    assert detail["features"][1]["properties"]["audio"] == []
    assert client.get(body["url"]).status_code == 404
    assert editor.get(body["url"]).status_code == 200  # staff hear drafts

    assert publish(editor, stop, body).status_code == 403  # editors do not publish
    published = publish(reviewer, stop, body)
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"

    [entry] = client.get(f"/api/v1/routes/{stop.route.slug}").json()["features"][1]["properties"]["audio"]
    assert entry == {
        "language": "en",
        "url": body["url"],
        "format": "mp3",
        "media_type": "audio/mpeg",
        "duration_s": body["duration_s"],
        "bytes": len(data),
        "sha256": body["sha256"],
    }
    bundle = client.get(f"/api/v1/routes/{stop.route.slug}/bundle").json()
    assert bundle["route"]["features"][1]["properties"]["audio"] == [entry]
    served = client.get(entry["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "audio/mpeg"
    assert served["Accept-Ranges"] == "bytes"
    assert b"".join(served.streaming_content) == data


def test_publishing_without_the_transcript_in_that_language_is_a_400(editor, reviewer, stop):
    body = post_audio(editor, stop, ogg_opus_bytes(), language="de").json()

    response = publish(reviewer, stop, body)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "narrative" in response.content.decode()
    assert StopAudio.objects.get().status == Status.DRAFT


def test_status_moves_need_if_match(reviewer, stop):
    body = post_audio(reviewer, stop, mp3_bytes()).json()
    response = reviewer.post(audio_url(stop, f"/{body['id']}/status"), {"status": "published"}, format="json")
    assert response.status_code == 428
    stale = reviewer.post(
        audio_url(stop, f"/{body['id']}/status"), {"status": "review"}, format="json", HTTP_IF_MATCH='"old"'
    )
    assert stale.status_code == 412


@pytest.mark.parametrize(
    ("data", "language", "parameter"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(500), "en", "file"),
        (mp3_bytes()[:-20], "en", "file"),
        (ogg_opus_bytes(2.0, claimed_seconds=25 * 60), "en", "file"),
        (mp3_bytes(), "xx", "language"),
        (mp3_bytes(), "", "language"),
    ],
    ids=["png", "truncated", "too-long", "unknown-language", "no-language"],
)
def test_hostile_uploads_are_a_400_naming_the_field_and_store_nothing(
    editor, stop, data, language, parameter, settings
):
    response = post_audio(editor, stop, data, language=language)

    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert parameter in response.content.decode()
    assert StopAudio.objects.count() == 0
    assert files_in(settings.MEDIA_ROOT) == []


def test_over_twenty_megabytes_is_a_413_and_stores_nothing(editor, stop, settings):
    response = post_audio(editor, stop, mp3_bytes() + bytes(20 * 1024 * 1024 + 10))

    assert response.status_code == 413
    assert StopAudio.objects.count() == 0
    assert files_in(settings.MEDIA_ROOT) == []


def test_who_may_upload(stop, db):
    anonymous = APIClient()
    assert post_audio(anonymous, stop, mp3_bytes()).status_code == 401
    assert post_audio(token_client(None), stop, mp3_bytes()).status_code == 403
    assert anonymous.get(audio_url(stop)).status_code == 401


def test_delete_archives_then_an_admin_deletes_for_good(reviewer, stop, client):
    body = post_audio(reviewer, stop, mp3_bytes()).json()
    publish(reviewer, stop, body)
    detail = audio_url(stop, f"/{body['id']}")

    archived = reviewer.delete(detail, HTTP_IF_MATCH=reviewer.get(detail)["ETag"])
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert client.get(body["url"]).status_code == 404
    assert client.get(f"/api/v1/routes/{stop.route.slug}").json()["features"][1]["properties"]["audio"] == []

    admin = token_client("admin")
    assert reviewer.delete(detail, HTTP_IF_MATCH=reviewer.get(detail)["ETag"]).status_code == 403
    assert admin.delete(detail, HTTP_IF_MATCH=admin.get(detail)["ETag"]).status_code == 204
    assert admin.get(detail).status_code == 404


def test_an_audio_change_changes_the_route_etag(reviewer, stop, client):
    before = client.get(f"/api/v1/routes/{stop.route.slug}")["ETag"]
    body = post_audio(reviewer, stop, mp3_bytes()).json()
    publish(reviewer, stop, body)

    after = client.get(f"/api/v1/routes/{stop.route.slug}")
    assert after["ETag"] != before
    assert len(after.json()["features"][1]["properties"]["audio"]) == 1


# --- byte ranges ------------------------------------------------------------------


@pytest.fixture
def public_audio(stop):
    data = mp3_bytes(2.0)
    audio = audio_create(stop=stop, upload=uploaded(data, name="a.mp3"), language="en")
    workflow.transition(audio, to_status=Status.PUBLISHED, user=UserFactory(role="admin"))
    return f"/media/{audio.file.name}", data


def ranged(client, url: str, header: str, **extra):
    response = client.get(url, HTTP_RANGE=header, **extra)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-0", 0, 0),  # the first byte
        ("bytes=0-1023", 0, 1023),  # the first kilobyte
        ("bytes=5000-5999", 5000, 5999),  # the middle
        ("bytes=-100", None, None),  # the last 100 bytes
        ("bytes=10000-", 10000, None),  # to the end
        ("bytes=15000-99999999", 15000, None),  # past the end: clipped
    ],
)
def test_a_byte_range_is_a_206_with_exactly_those_bytes(client, public_audio, header, start, end):
    url, data = public_audio
    size = len(data)
    if start is None:
        start = size - 100
    end = size - 1 if end is None else end

    response, body = ranged(client, url, header)

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/mpeg"
    assert body == data[start : end + 1]


def test_the_last_byte(client, public_audio):
    url, data = public_audio
    response, body = ranged(client, url, f"bytes={len(data) - 1}-{len(data) - 1}")
    assert response.status_code == 206
    assert body == data[-1:]


@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=-0"])
def test_an_unsatisfiable_range_is_a_416_naming_the_size(client, public_audio, header):
    url, data = public_audio
    response, _body = ranged(client, url, header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(data)}"


@pytest.mark.parametrize(
    "header", ["bytes=0-10,20-30", "items=0-10", "bytes=abc", "bytes=30-10", "bytes=-"]
)
def test_several_or_unreadable_ranges_get_the_whole_file(client, public_audio, header):
    url, data = public_audio
    response, body = ranged(client, url, header)
    assert response.status_code == 200
    assert body == data


def test_if_range_with_another_date_gets_the_whole_file(client, public_audio):
    url, data = public_audio
    last_modified = client.get(url)["Last-Modified"]

    same, part = ranged(client, url, "bytes=0-9", HTTP_IF_RANGE=last_modified)
    other, whole = ranged(client, url, "bytes=0-9", HTTP_IF_RANGE="Wed, 21 Oct 2015 07:28:00 GMT")

    assert (same.status_code, part) == (206, data[:10])
    assert (other.status_code, whole) == (200, data)


def test_a_draft_is_a_404_even_for_a_range(client, stop):
    draft = audio_create(stop=stop, upload=uploaded(mp3_bytes(), name="a.mp3"), language="en")
    response, _body = ranged(client, f"/media/{draft.file.name}", "bytes=0-10")
    assert response.status_code == 404


def test_photos_are_served_with_ranges_too(db, settings):
    path = Path(settings.MEDIA_ROOT, "photos/originals/x.jpg")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"0123456789")
    staff = token_client("admin")
    response = staff.get("/media/photos/originals/x.jpg", HTTP_RANGE="bytes=2-4")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == b"234"


def test_the_openapi_schema_documents_the_audio_endpoints(client, db):
    paths = client.get("/api/v1/schema?format=json").json()["paths"]
    base = "/api/v1/staff/routes/{slug}/stops/{site}/audio"
    operations = {
        op["operationId"]: op for url, item in paths.items() if url.startswith(base) for op in item.values()
    }

    assert set(operations) == {
        "staff_stop_audio_list",
        "staff_stop_audio_create",
        "staff_stop_audio_retrieve",
        "staff_stop_audio_delete",
        "staff_stop_audio_status",
    }
    assert "multipart/form-data" in operations["staff_stop_audio_create"]["requestBody"]["content"]
    assert {"400", "413"} <= set(operations["staff_stop_audio_create"]["responses"])
    for name in ("staff_stop_audio_delete", "staff_stop_audio_status"):
        assert any(p["name"] == "If-Match" for p in operations[name]["parameters"])
    schema = client.get("/api/v1/schema?format=json").json()
    staff_fields = set(schema["components"]["schemas"]["StaffStopAudio"]["properties"])
    assert {"language", "url", "duration_s", "bytes", "sha256", "status", "transcript"} <= staff_fields
    detail = schema["paths"]["/api/v1/routes/{slug}"]["get"]["responses"]["200"]["description"]
    assert "duration_s, bytes, sha256" in detail


def test_the_staff_list_is_four_queries_however_many_files(editor, stop, django_assert_num_queries):
    for language in ("en", "tr", "de"):
        audio_create(stop=stop, upload=uploaded(mp3_bytes(), name="a.mp3"), language=language)

    with django_assert_num_queries(4):  # token+user, groups, stop with route and site, audio
        response = editor.get(audio_url(stop))

    assert [row["language"] for row in response.json()] == ["de", "en", "tr"]


def test_route_detail_stays_one_query_with_audio(client, stop, django_assert_num_queries):
    for language in ("en", "tr"):
        audio = audio_create(stop=stop, upload=uploaded(mp3_bytes(), name="a.mp3"), language=language)
        if language == "en":
            workflow.transition(audio, to_status=Status.PUBLISHED, user=UserFactory(role="admin"))

    with django_assert_num_queries(1):  # the body, audio included, and the content version
        body = client.get(f"/api/v1/routes/{stop.route.slug}").json()

    assert [a["language"] for a in body["features"][1]["properties"]["audio"]] == ["en"]
