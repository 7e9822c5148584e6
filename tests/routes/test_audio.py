"""Stop audio in the domain: checks from the bytes, storage, the transcript
rule, the workflow and history, and the public reads (drafts never show)."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from editorial import workflow
from editorial.vocabularies import Status
from routes.audio import audio_create, audio_path_is_public, audio_remove, published_audio_for_route
from routes.audio_checks import AudioRejected, check_audio, ogg_crc
from routes.models import StopAudio
from routes.selectors import route_detail_queryset
from tests.audio_files import m4a_bytes, mp3_bytes, ogg_opus_bytes, ogg_vorbis_bytes
from tests.factories import RouteStopFactory, UserFactory, uploaded


def upload(data: bytes, name: str = "guide.mp3", content_type: str = "audio/mpeg"):
    return uploaded(data, name=name, content_type=content_type)


def files_in(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


@pytest.fixture
def stop(db):
    return RouteStopFactory(narrative={"en": "The clock tower of 1901.", "tr": "1901 saat kulesi."})


@pytest.fixture
def reviewer(db):
    return UserFactory(role=workflow.REVIEWER_GROUP)


@pytest.fixture
def editor(db):
    return UserFactory(role=workflow.EDITOR_GROUP)


# --- checks from the bytes ------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (mp3_bytes(2.0), "mp3"),
        (mp3_bytes(2.0, tag=False), "mp3"),
        (ogg_opus_bytes(3.0), "ogg_opus"),
        (ogg_vorbis_bytes(2.5), "ogg_vorbis"),
        (m4a_bytes(2.0), "m4a_aac"),
    ],
)
def test_each_accepted_format_is_known_from_its_bytes_whatever_its_name(data, expected):
    checked = check_audio(upload(data, name="whatever.wav", content_type="text/plain"))

    assert checked.format == expected
    assert 1.9 < checked.duration_s < 3.1
    assert checked.size_bytes == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(200),  # an image named .mp3
        b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(200),  # WAV: not accepted
        b"fLaC" + bytes(200),
        b"<html><script>alert(1)</script></html>",
        bytes(1000),
    ],
)
def test_anything_but_mp3_ogg_or_m4a_is_refused(data):
    with pytest.raises(AudioRejected) as refused:
        check_audio(upload(data))
    assert refused.value.status == 400
    assert refused.value.message_dict["file"]


@pytest.mark.parametrize(
    "data",
    [
        mp3_bytes(2.0)[:-50],  # the last frame cut short
        mp3_bytes(2.0)[:5000] + b"junk" + mp3_bytes(2.0)[5000:],  # damage in the middle
        ogg_opus_bytes(2.0)[:-7],  # the last page cut short
        ogg_vorbis_bytes(2.0)[: ogg_vorbis_bytes(2.0).rfind(b"OggS")],  # whole pages, no last one
        ogg_opus_bytes(2.0)[:300] + b"\x7f" + ogg_opus_bytes(2.0)[301:],  # a changed byte: bad CRC
        m4a_bytes(2.0)[:-3],  # mdat cut short
        b"ID3\x04\x00\x00\x00\x00\x00\x10" + bytes(16),  # a tag and no audio
    ],
    ids=[
        "mp3-truncated",
        "mp3-junk",
        "ogg-truncated",
        "vorbis-no-end",
        "ogg-crc",
        "m4a-truncated",
        "id3-only",
    ],
)
def test_truncated_or_damaged_files_are_refused(data):
    with pytest.raises(AudioRejected) as refused:
        check_audio(upload(data))
    assert refused.value.status == 400


def test_ogg_pages_carry_a_checksum_we_verify():
    data = ogg_opus_bytes(1.0)
    first_page_end = data.find(b"OggS", 4)
    assert int.from_bytes(data[22:26], "little") == ogg_crc(data[:first_page_end])


def test_over_twenty_minutes_is_refused_by_the_walked_frames_and_by_the_ogg_length():
    for data in (mp3_bytes(20 * 60 + 30, small_frames=True), ogg_opus_bytes(2.0, claimed_seconds=21 * 60)):
        with pytest.raises(AudioRejected) as refused:
            check_audio(upload(data))
        assert refused.value.status == 400
        assert "20 minutes" in refused.value.message_text


def test_twenty_minutes_exactly_is_fine():
    assert check_audio(upload(mp3_bytes(19 * 60 + 50, small_frames=True))).duration_s < 1200


def test_over_twenty_megabytes_is_a_413_before_parsing(settings):
    data = mp3_bytes(2.0) + bytes(20 * 1024 * 1024)
    with pytest.raises(AudioRejected) as refused:
        check_audio(upload(data))
    assert refused.value.status == 413


# --- storing --------------------------------------------------------------------


def test_an_upload_becomes_a_draft_with_its_facts_and_one_history_row(stop, editor, settings):
    data = ogg_opus_bytes(2.0)

    audio = audio_create(stop=stop, upload=upload(data, name="../../etc/passwd"), language="en", user=editor)

    assert audio.status == Status.DRAFT
    assert audio.format == "ogg_opus"
    assert audio.size_bytes == len(data)
    assert audio.sha256 == hashlib.sha256(data).hexdigest()
    assert audio.file.name.startswith(f"audio/{stop.pk}/")
    assert audio.file.name.endswith(".opus")
    assert "passwd" not in audio.file.name
    assert Path(settings.MEDIA_ROOT, audio.file.name).read_bytes() == data
    assert audio.history.get().history_user == editor


def test_a_refused_upload_leaves_no_row_and_no_file(stop, editor, settings):
    with pytest.raises(AudioRejected):
        audio_create(stop=stop, upload=upload(mp3_bytes()[:-9]), language="en", user=editor)
    with pytest.raises(ValidationError) as refused:
        audio_create(stop=stop, upload=upload(mp3_bytes()), language="xx", user=editor)

    assert "language" in refused.value.message_dict
    assert StopAudio.objects.count() == 0
    assert files_in(settings.MEDIA_ROOT) == []


def test_no_audio_is_added_to_a_stop_of_an_archived_route_or_by_a_non_member(stop, editor):
    stop.route.status = Status.ARCHIVED
    stop.route.save()
    with pytest.raises(PermissionDenied):
        audio_create(stop=stop, upload=upload(mp3_bytes()), language="en", user=editor)
    stop.route.status = Status.PUBLISHED
    stop.route.save()
    with pytest.raises(PermissionDenied):
        audio_create(stop=stop, upload=upload(mp3_bytes()), language="en", user=UserFactory())


# --- workflow -------------------------------------------------------------------


def test_publishing_needs_the_transcript_in_that_language_and_a_reviewer(stop, editor, reviewer):
    german = audio_create(stop=stop, upload=upload(mp3_bytes()), language="de", user=editor)
    english = audio_create(stop=stop, upload=upload(mp3_bytes()), language="en", user=editor)

    with pytest.raises(PermissionDenied):
        workflow.transition(english, to_status=Status.PUBLISHED, user=editor)
    with pytest.raises(ValidationError) as refused:
        workflow.transition(german, to_status=Status.PUBLISHED, user=reviewer)
    assert "narrative" in str(refused.value)
    german.refresh_from_db()
    assert german.status == Status.DRAFT

    workflow.transition(english, to_status=Status.PUBLISHED, user=reviewer)
    english.refresh_from_db()
    assert english.status == Status.PUBLISHED
    assert [row.status for row in english.history.order_by("history_date")] == ["draft", "published"]
    assert english.history.latest().history_user == reviewer


def test_one_published_recording_per_stop_and_language(stop, reviewer):
    first = audio_create(stop=stop, upload=upload(mp3_bytes()), language="en", user=reviewer)
    second = audio_create(stop=stop, upload=upload(ogg_opus_bytes()), language="en", user=reviewer)
    workflow.transition(first, to_status=Status.PUBLISHED, user=reviewer)

    with pytest.raises(ValidationError) as refused:
        workflow.transition(second, to_status=Status.PUBLISHED, user=reviewer)
    assert "already has published audio" in str(refused.value)

    workflow.transition(first, to_status=Status.ARCHIVED, user=reviewer)
    workflow.transition(second, to_status=Status.PUBLISHED, user=reviewer)


def test_delete_archives_and_only_an_admin_removes_archived_audio_for_good(
    stop, reviewer, settings, django_capture_on_commit_callbacks
):
    audio = audio_create(stop=stop, upload=upload(mp3_bytes()), language="en", user=reviewer)
    path, pk = Path(settings.MEDIA_ROOT, audio.file.name), audio.pk

    assert audio_remove(audio=audio, user=reviewer) is False
    audio.refresh_from_db()
    assert audio.status == Status.ARCHIVED
    with pytest.raises(PermissionDenied):
        audio_remove(audio=audio, user=reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        assert audio_remove(audio=audio, user=UserFactory(role="admin")) is True
        assert path.exists()  # the file goes once the row's deletion commits
    assert not StopAudio.objects.filter(pk=pk).exists()
    assert StopAudio.history.filter(id=pk, history_type="-").exists()  # history keeps the record
    assert not path.exists()


# --- public reads ---------------------------------------------------------------


def published(stop, language="en", data=None) -> StopAudio:
    audio = audio_create(stop=stop, upload=upload(data or mp3_bytes()), language=language)
    workflow.transition(audio, to_status=Status.PUBLISHED, user=UserFactory(role="admin"))
    return audio


def test_public_reads_list_published_audio_of_public_stops_only(stop, reviewer):
    audio = published(stop)
    draft = audio_create(stop=stop, upload=upload(ogg_opus_bytes()), language="tr")
    route = stop.route

    stops = route_detail_queryset().get(pk=route.pk).published_stops
    assert [row["language"] for row in stops[0].published_audio] == ["en"]
    assert stops[0].published_audio[0]["sha256"] == audio.sha256
    assert audio_path_is_public(audio.file.name)
    assert not audio_path_is_public(draft.file.name)
    assert not audio_path_is_public("audio/../photos/originals/x.jpg")

    [entry] = published_audio_for_route(route)
    assert (entry.site, entry.language, entry.path) == (stop.site.slug, "en", audio.file.name)
    assert (entry.size_bytes, entry.sha256) == (audio.size_bytes, audio.sha256)
    assert entry.media_type == "audio/mpeg"
    assert published_audio_for_route(route, "tr") == []

    stop.site.status = Status.DRAFT
    stop.site.save()
    assert not audio_path_is_public(audio.file.name)
    assert published_audio_for_route(route) == []


def test_audio_whose_transcript_was_removed_is_no_longer_public(stop):
    audio = published(stop)
    stop.narrative = {"tr": "1901 saat kulesi.", "en": "  "}
    stop.save()

    assert not audio_path_is_public(audio.file.name)
    assert route_detail_queryset().get(pk=stop.route_id).published_stops[0].published_audio == []


def test_files_built_to_make_the_walk_slow_are_refused(monkeypatch):
    import struct

    from routes import audio_checks

    monkeypatch.setattr(audio_checks, "MAX_OGG_PAGES", 20)
    with pytest.raises(AudioRejected):
        check_audio(upload(ogg_opus_bytes(30.0)))  # 30 pages of one second
    boxes = m4a_bytes(2.0) + struct.pack(">I4s", 8, b"free") * 2000
    with pytest.raises(AudioRejected):
        check_audio(upload(boxes))
    with pytest.raises(AudioRejected) as refused:  # hours of tiny frames: the walk stops at 20 minutes
        check_audio(upload(mp3_bytes(5 * 3600, small_frames=True)))
    assert "at least" in refused.value.message_text
