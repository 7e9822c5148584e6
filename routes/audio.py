"""Audio guides of stops: store a checked upload, remove it, and the reads
the public side needs (what is published, which file may be served).

An audio file belongs to one stop (a site on one route) and one language.
It is a draft when uploaded and moves through editorial.workflow like a
photo; StopAudio.clean() refuses to publish it while the stop has no
narrative in its language (the transcript, shown on screen as captions).
Public reads list published audio of a published stop (route and site
published) whose transcript still exists, so captions never go missing.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Func, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import JSONObject, Trim

from editorial import workflow
from editorial.vocabularies import Status
from routes.audio_checks import check_audio
from routes.models import Route, RouteStop, StopAudio

AUDIO_DIR = "audio/"


def may_add_audio(user, stop: RouteStop) -> bool:
    """Editors attach draft audio to any stop of a route that is not
    archived (it stays invisible until a reviewer publishes it)."""
    return workflow.EDITOR in workflow.roles(user) and stop.route.status != Status.ARCHIVED


def check_language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValidationError({"language": [f"Expected one of {', '.join(codes)}."]})
    return language


def audio_create(*, stop: RouteStop, upload, language: str, user=None) -> StopAudio:
    """Check `upload` (routes.audio_checks), store it under a generated
    name and return the new draft. On any refusal nothing is left behind:
    no row (one transaction) and no file (removed on the way out)."""
    if user is not None and not may_add_audio(user, stop):
        raise PermissionDenied("Your role may not add audio to this stop.")
    check_language(language)
    checked = check_audio(upload)
    audio = StopAudio(
        stop=stop,
        language=language,
        format=checked.format,
        duration_s=checked.duration_s,
        size_bytes=checked.size_bytes,
        sha256=checked.sha256,
        status=Status.DRAFT,
        created_by=user,
    )
    if user is not None:
        audio._history_user = user
    try:
        with transaction.atomic():
            audio.full_clean(exclude=["file"])
            name = f"{uuid.uuid4().hex}.{checked.extension}"
            audio.file.save(name, ContentFile(checked.data), save=False)
            audio.save()  # once: one history row for the upload
    except BaseException:
        if audio.file and audio.file.name:
            default_storage.delete(audio.file.name)
        raise
    return audio


def audio_delete(audio: StopAudio) -> None:
    """Delete for good (a superuser removing archived audio): the row now
    (its history keeps the record), the file once the transaction commits."""
    path = audio.file.name if audio.file else ""
    audio.delete()
    if path:
        transaction.on_commit(lambda: default_storage.delete(path))


def audio_remove(*, audio: StopAudio, user, expected_versions=None) -> bool:
    """DELETE as everywhere in the workflow: archive; an archived file is
    deleted for good by a superuser only. Returns whether it is gone."""
    if audio.status == Status.ARCHIVED:
        if not getattr(user, "is_superuser", False):
            raise PermissionDenied("Only an admin deletes archived audio for good.")
        from editorial.versions import check_version, lock, object_version

        with transaction.atomic():
            lock(audio)
            check_version(object_version(audio), expected_versions)
            audio_delete(audio)
        return True
    workflow.transition(audio, to_status=Status.ARCHIVED, user=user, expected_versions=expected_versions)
    return False


# --- public reads ----------------------------------------------------------------


class NarrativeIn(Func):
    """The stop's narrative in the audio's own language (text, or NULL)."""

    template = "(%(expressions)s)"
    arg_joiner = " ->> "
    output_field = TextField()


def published_audio() -> QuerySet[StopAudio]:
    """Published audio whose stop is public (route and site published) and
    whose transcript exists, by language. For prefetching onto stops."""
    transcript = Trim(NarrativeIn(F("stop__narrative"), F("language")))
    return (
        StopAudio.objects.filter(
            status=Status.PUBLISHED,
            stop__route__status=Status.PUBLISHED,
            stop__site__status=Status.PUBLISHED,
        )
        .alias(transcript=transcript)
        .exclude(Q(transcript="") | Q(transcript__isnull=True))
        .only("stop_id", "language", "file", "format", "duration_s", "size_bytes", "sha256")
        .order_by("language", "pk")
    )


def stop_audio_rows() -> QuerySet[StopAudio]:
    """For subqueries of `RouteStop` querysets: the outer stop's published
    audio with its transcript, by language. Expects the outer rows to be
    public stops already."""
    return (
        StopAudio.objects.filter(stop_id=OuterRef("pk"), status=Status.PUBLISHED)
        .alias(transcript=Trim(NarrativeIn(F("stop__narrative"), F("language"))))
        .exclude(Q(transcript="") | Q(transcript__isnull=True))
        .order_by("language", "pk")
    )


def stop_audio_array() -> ArraySubquery:
    """For `RouteStop` querysets: the stop's published audio as a list of
    dicts (language, path, format, duration_s, size_bytes, sha256), in the
    stops' own query (no query of its own). Expects the outer rows to be
    public stops already."""
    rows = stop_audio_rows().values(
        row=JSONObject(
            language=F("language"),
            path=F("file"),
            format=F("format"),
            duration_s=F("duration_s"),
            size_bytes=F("size_bytes"),
            sha256=F("sha256"),
        )
    )
    return ArraySubquery(rows)


@dataclass(frozen=True)
class PackageAudio:
    """One published audio file as a route package holds it."""

    stop_order: int
    site: str  # the stop's site slug
    language: str
    path: str  # relative to MEDIA_ROOT (default_storage)
    media_type: str
    size_bytes: int
    sha256: str
    duration_s: float


def published_audio_for_route(route: Route, language: str | None = None) -> list[PackageAudio]:
    """The published audio of `route`'s public stops (all languages, or one),
    in stop order: what an offline package needs to include and verify.
    One query; empty for a route that is not published."""
    rows = (
        published_audio()
        .filter(stop__route=route)
        .annotate(stop_order=F("stop__order"), site_slug=F("stop__site__slug"))
        .order_by("stop__order", "language", "pk")
    )
    if language is not None:
        rows = rows.filter(language=language)
    return [
        PackageAudio(
            stop_order=row.stop_order,
            site=row.site_slug,
            language=row.language,
            path=row.file.name,
            media_type=row.media_type,
            size_bytes=row.size_bytes,
            sha256=row.sha256,
            duration_s=row.duration_s,
        )
        for row in rows
    ]


def audio_path_is_public(path: str) -> bool:
    """Whether anyone may fetch the media file at `path`: only the file of
    published audio of a public stop with its transcript. Drafts, archived
    audio and audio of unpublished routes or sites are for staff only."""
    if not path.startswith(AUDIO_DIR) or ".." in path.split("/"):
        return False
    return published_audio().filter(file=path).exists()
