"""Stop audio in the admin: upload on the stop's page, checks from the
bytes, the workflow (publishing needs the transcript) and history."""

import pytest

from editorial.vocabularies import Status
from routes.models import StopAudio
from tests.admin_helpers import as_user, files_in, messages_of
from tests.audio_files import mp3_bytes, ogg_opus_bytes
from tests.factories import RouteStopFactory, uploaded


@pytest.fixture
def stop(db):
    # A draft route: an editor edits its stops (and their audio) in the admin.
    stop = RouteStopFactory(narrative={"en": "Begin here."}, dwell_min=15, trigger_radius_m=30)
    stop.route.status = Status.DRAFT
    stop.route.save()
    return stop


def stop_form(stop, upload, language="en") -> dict:
    return {
        "designation": stop.designation,
        "dwell_min": str(stop.dwell_min),
        "trigger_radius_m": str(stop.trigger_radius_m),
        "narrative_tr": stop.narrative.get("tr", ""),
        "narrative_en": stop.narrative.get("en", ""),
        "narrative_de": stop.narrative.get("de", ""),
        "audio-TOTAL_FORMS": "1",
        "audio-INITIAL_FORMS": "0",
        "audio-MIN_NUM_FORMS": "0",
        "audio-MAX_NUM_FORMS": "1000",
        "audio-0-language": language,
        "audio-0-upload": upload,
        "audio-0-stop": str(stop.pk),
        "audio-0-id": "",
    }


def test_an_editor_uploads_audio_on_the_stop_page(client, editor, stop):
    as_user(client, editor)
    page = client.get(f"/admin/routes/routestop/{stop.pk}/change/")
    assert page.status_code == 200
    assert "audio-0-upload" in page.content.decode()

    response = client.post(
        f"/admin/routes/routestop/{stop.pk}/change/",
        stop_form(stop, uploaded(ogg_opus_bytes(), name="x.mp3", content_type="audio/mpeg")),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    audio = StopAudio.objects.get()
    assert (audio.stop, audio.language, audio.status, audio.format) == (stop, "en", Status.DRAFT, "ogg_opus")
    assert audio.history.get().history_user == editor
    listing = client.get("/admin/routes/stopaudio/")
    assert listing.status_code == 200
    assert "<audio" in client.get(f"/admin/routes/stopaudio/{audio.pk}/change/").content.decode()


def test_a_hostile_file_on_the_stop_page_is_a_form_error_and_nothing_stored(client, editor, stop, settings):
    response = as_user(client, editor).post(
        f"/admin/routes/routestop/{stop.pk}/change/",
        stop_form(stop, uploaded(mp3_bytes()[:-30], name="x.mp3", content_type="audio/mpeg")),
    )

    assert response.status_code == 200
    assert "damaged or truncated" in response.content.decode()
    assert StopAudio.objects.count() == 0
    assert files_in(settings.MEDIA_ROOT) == []


def test_the_publish_action_needs_the_transcript(client, reviewer, stop):
    as_user(client, reviewer)
    for language in ("en", "de"):
        client.post(
            f"/admin/routes/routestop/{stop.pk}/change/",
            stop_form(stop, uploaded(mp3_bytes(), name="x.mp3"), language=language),
        )
    assert StopAudio.objects.count() == 2

    response = client.post(
        "/admin/routes/stopaudio/",
        {"action": "publish", "_selected_action": [str(a.pk) for a in StopAudio.objects.all()]},
        follow=True,
    )

    statuses = dict(StopAudio.objects.values_list("language", "status"))
    assert statuses == {"en": Status.PUBLISHED, "de": Status.DRAFT}
    assert any("narrative in de" in text for text in messages_of(response))
