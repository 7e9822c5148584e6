"""Published stop audio reaches offline apps: in the route package (checked
against its SHA-256) and in the change feed (an upsert, then a tombstone)."""

import hashlib
import io
import json
import zipfile

import pytest

from editorial.vocabularies import Status
from routes.audio import audio_create
from routes.models import StopAudio
from tests.audio_files import ogg_opus_bytes
from tests.factories import RouteStopFactory, uploaded

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def published_audio_on(stop) -> StopAudio:
    audio = audio_create(stop=stop, upload=uploaded(ogg_opus_bytes(), name="guide.ogg"), language="en")
    StopAudio.objects.filter(pk=audio.pk).update(status=Status.PUBLISHED)
    return StopAudio.objects.get(pk=audio.pk)


def test_the_package_holds_the_published_audio_of_its_language(client):
    stop = RouteStopFactory(narrative={"en": "The clock tower of 1901."})
    audio = published_audio_on(stop)
    data = audio.file.read()

    english = client.get(f"/api/v1/routes/{stop.route.slug}/package?lang=en", HTTP_ACCEPT="application/zip")
    turkish = client.get(f"/api/v1/routes/{stop.route.slug}/package?lang=tr", HTTP_ACCEPT="application/zip")

    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(english.streaming_content) if english.streaming else english.content)
    )
    manifest = json.loads(archive.read("manifest.json"))
    entries = [entry for entry in manifest["files"] if entry["path"].startswith("audio/")]
    assert len(entries) == 1
    assert entries[0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert archive.read(entries[0]["path"]) == data
    names = zipfile.ZipFile(io.BytesIO(content(turkish))).namelist()
    assert not [name for name in names if name.startswith("audio/")]


def test_the_feed_tells_of_published_audio_and_of_its_withdrawal(client):
    stop = RouteStopFactory(narrative={"en": "The clock tower of 1901."})
    since = client.get("/api/v1/changes").json()["next"]
    audio = published_audio_on(stop)

    first = client.get("/api/v1/changes", {"since": since}).json()
    StopAudio.objects.filter(pk=audio.pk).update(status=Status.ARCHIVED)
    second = client.get("/api/v1/changes", {"since": first["next"]}).json()

    upsert = next(c for c in first["changes"] if c["kind"] == "audio")
    assert upsert["key"] == str(audio.pk)
    assert upsert["action"] == "upsert"
    assert upsert["href"].endswith(f"/api/v1/routes/{stop.route.slug}")
    assert ("route", stop.route.slug) in {(c["kind"], c["key"]) for c in first["changes"]}
    tombstone = next(c for c in second["changes"] if c["kind"] == "audio")
    assert tombstone["action"] == "delete"
