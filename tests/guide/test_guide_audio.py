"""The guide's Listen control with recorded audio, in Debian chromium: a
stop whose audio was uploaded and published plays that recording (the
element reaches readyState ≥ 2, enough data to play), served by the media
gate with byte ranges; a stop without one keeps the speech synthesis."""

import pytest

from editorial import workflow
from editorial.vocabularies import Status
from routes.audio import audio_create
from routes.models import RouteStop
from tests.audio_files import mp3_bytes
from tests.factories import UserFactory, uploaded
from tests.guide.test_guide_browser import ROUTE, clean

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def publish_audio(site: str, language: str = "en") -> None:
    stop = RouteStop.objects.get(route__slug=ROUTE, site__slug=site)
    if not (stop.narrative or {}).get(language):
        stop.narrative = {**(stop.narrative or {}), language: "The han's story, read aloud."}
        stop.save()
    audio = audio_create(stop=stop, upload=uploaded(mp3_bytes(3.0), name="guide.mp3"), language=language)
    workflow.transition(audio, to_status=Status.PUBLISHED, user=UserFactory(role="admin"))


def test_a_stop_with_uploaded_audio_plays_it(izmir, phone):
    publish_audio("kizlaragasi-han")
    tourist = phone()

    page = tourist.open(f"/en/routes/{ROUTE}/stops/kizlaragasi-han")
    assert page.get_attribute("#listen", "data-source") == "recording"
    assert page.inner_text("#transcript").strip()  # the transcript stays on screen
    page.click("#listen")
    page.wait_for_function(
        "() => { const a = document.getElementById('listen-audio'); return a && a.readyState >= 2; }",
        timeout=20_000,
    )
    assert "/media/audio/" in page.evaluate("document.getElementById('listen-audio').currentSrc")
    assert any("/media/audio/" in url for url in tourist.requests)
    clean(tourist)


def test_a_stop_with_audio_in_another_language_only_keeps_speech(izmir, phone):
    publish_audio("kizlaragasi-han", language="de")
    tourist = phone()

    page = tourist.open(f"/en/routes/{ROUTE}/stops/kizlaragasi-han")

    assert page.get_attribute("#listen", "data-source") == "speech"
    clean(tourist)
