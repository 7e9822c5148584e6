"""Staff audio guides of one stop, named by route and site slug.

    GET    /api/v1/staff/routes/{slug}/stops/{site}/audio              every status
    POST   /api/v1/staff/routes/{slug}/stops/{site}/audio              multipart: file, language -> 201 draft
    GET    /api/v1/staff/routes/{slug}/stops/{site}/audio/{id}         + ETag
    DELETE /api/v1/staff/routes/{slug}/stops/{site}/audio/{id}  If-Match   archive (200);
           archived audio deleted by an admin: gone for good (204)
    POST   /api/v1/staff/routes/{slug}/stops/{site}/audio/{id}/status  If-Match  {"status": …}

The file is checked from its bytes (routes.audio_checks): MP3, Ogg Opus or
Vorbis, M4A/AAC, at most 20 MB (413) and 20 minutes (400). Publishing is a
reviewer's workflow move and needs the stop's narrative in the audio's
language (its transcript).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.concurrency import etag_for, if_match
from api.exceptions import PayloadTooLarge
from api.v1.photos import _content_length
from api.v1.serializers.audio import AudioUploadSerializer, StaffStopAudioSerializer
from api.v1.staff.common import StaffApi
from api.v1.staff.schema import IF_MATCH, READ_ERRORS, error, problem
from api.v1.staff.serializers import StatusSerializer
from editorial.workflow import transition
from routes.audio import audio_create, audio_remove
from routes.audio_checks import AudioRejected
from routes.models import AUDIO_MAX_BYTES, RouteStop, StopAudio

# Room for the multipart boundaries and the language field.
MAX_REQUEST_BYTES = AUDIO_MAX_BYTES + 64 * 1024
VERSIONED = {
    **READ_ERRORS,
    error(403): problem("no editorial role, or the role may not do this to audio in its status."),
    error(412): problem("If-Match does not name the current ETag: re-read, retry. Nothing changed."),
    error(428): problem("If-Match is missing. Nothing changed."),
}
UPLOAD_ERRORS = {
    **READ_ERRORS,
    error(400): problem(
        "`errors[].field` is file (not MP3, Ogg Opus, Ogg Vorbis or M4A/AAC by its bytes, damaged or "
        "truncated, over 20 minutes) or language (missing or unknown). Nothing stored."
    ),
    error(403): problem("no editorial role, or the stop's route is archived."),
    error(413): problem("the file is over 20 MB. Nothing stored."),
    error(415): problem("the body is not multipart/form-data."),
}
STATUS_ERRORS = {
    **VERSIONED,
    error(400): problem("an unknown move, or publishing while the stop has no narrative in that language."),
    error(413): problem("the body is over 2 MB."),
    error(415): problem("the body is not application/json."),
}


def the_stop(slug: str, site: str) -> RouteStop:
    return get_object_or_404(
        RouteStop.objects.select_related("route", "site"), route__slug=slug, site__slug=site
    )


def the_audio(slug: str, site: str, pk: int) -> StopAudio:
    return get_object_or_404(
        StopAudio.objects.select_related("stop__route", "stop__site"),
        pk=pk,
        stop__route__slug=slug,
        stop__site__slug=site,
    )


def audio_response(request, audio: StopAudio, *, status_code: int = 200):
    data = StaffStopAudioSerializer(audio, context={"request": request}).data
    response = Response(data, status=status_code)
    response["ETag"] = etag_for(audio)
    response["Cache-Control"] = "private, no-cache"
    return response


class AudioApi(StaffApi):
    renderer_classes = [JSONRenderer]  # plain JSON: an audio file is not a GeoJSON Feature


class StaffStopAudioListApi(AudioApi):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["staff"],
        operation_id="staff_stop_audio_list",
        summary="List a stop's audio guides, every status (staff)",
        responses={200: StaffStopAudioSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, slug, site):
        stop = the_stop(slug, site)
        rows = stop.audio.select_related("stop__route", "stop__site").order_by("language", "pk")
        return Response(StaffStopAudioSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(
        tags=["staff"],
        operation_id="staff_stop_audio_create",
        summary="Upload a stop's audio guide in one language (a draft until a reviewer publishes it)",
        request={"multipart/form-data": AudioUploadSerializer},
        responses={201: StaffStopAudioSerializer, **UPLOAD_ERRORS},
    )
    def post(self, request, slug, site):
        # Refused from the header, before a byte of the body is read.
        if _content_length(request) > MAX_REQUEST_BYTES:
            raise PayloadTooLarge("The audio file is larger than 20 MB.")
        stop = the_stop(slug, site)
        data = AudioUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            audio = audio_create(
                stop=stop, user=request.user, upload=fields["file"], language=fields["language"]
            )
        except AudioRejected as error:
            if error.status == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE:
                raise PayloadTooLarge(error.message_text) from error
            raise
        response = audio_response(request, audio, status_code=201)
        response["Location"] = request.build_absolute_uri(f"{request.path}/{audio.pk}")
        return response


class StaffStopAudioDetailApi(AudioApi):
    @extend_schema(
        tags=["staff"],
        operation_id="staff_stop_audio_retrieve",
        summary="One audio guide (staff)",
        responses={200: StaffStopAudioSerializer, **READ_ERRORS},
    )
    def get(self, request, slug, site, pk):
        return audio_response(request, the_audio(slug, site, pk))

    @extend_schema(
        tags=["staff"],
        operation_id="staff_stop_audio_delete",
        summary="Archive an audio guide; an admin deleting archived audio removes it for good",
        parameters=[IF_MATCH],
        responses={
            200: StaffStopAudioSerializer,
            204: OpenApiResponse(description="Deleted for good."),
            **VERSIONED,
        },
    )
    def delete(self, request, slug, site, pk):
        audio = the_audio(slug, site, pk)
        if audio_remove(audio=audio, user=request.user, expected_versions=if_match(request)):
            return Response(status=204)
        return audio_response(request, the_audio(slug, site, pk))


class StaffStopAudioStatusApi(AudioApi):
    @extend_schema(
        tags=["staff"],
        operation_id="staff_stop_audio_status",
        summary="Move an audio guide in the workflow (publishing needs the transcript)",
        parameters=[IF_MATCH],
        request=StatusSerializer,
        responses={200: StaffStopAudioSerializer, **STATUS_ERRORS},
    )
    def post(self, request, slug, site, pk):
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        audio = the_audio(slug, site, pk)
        transition(
            audio,
            to_status=serializer.validated_data["status"],
            user=request.user,
            expected_versions=if_match(request),
        )
        return audio_response(request, the_audio(slug, site, pk))
