"""The v1 contract of stop audio: the public listing (route detail, bundle)
and the staff resource. Public entries come from
routes.audio.stop_audio_array() (dicts built in SQL); staff entries from
StopAudio rows."""

from django.core.files.storage import default_storage
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from routes.models import AUDIO_MEDIA_TYPES, StopAudio


def _url(request, path: str) -> str:
    url = default_storage.url(path)
    return request.build_absolute_uri(url) if request is not None else url


class StopAudioSerializer(serializers.Serializer):
    """One published recording of a stop. Its transcript is the stop's
    `narrative` in the same language (shown on screen as captions)."""

    language = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    format = serializers.CharField(read_only=True, help_text="mp3, ogg_opus, ogg_vorbis or m4a_aac.")
    media_type = serializers.SerializerMethodField()
    duration_s = serializers.FloatField(read_only=True)
    bytes = serializers.IntegerField(source="size_bytes", read_only=True)
    sha256 = serializers.CharField(read_only=True, help_text="SHA-256 of the file, hex.")

    def get_url(self, row) -> str:
        return _url(self.context.get("request"), row["path"])

    def get_media_type(self, row) -> str:
        return AUDIO_MEDIA_TYPES.get(row["format"], "application/octet-stream")


@extend_schema_field(StopAudioSerializer(many=True))
class StopAudioListField(serializers.Field):
    """The stop's published audio (`published_audio`, annotated by the
    selector), every language: a client picks its own."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "published_audio")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        # A stop read without the selector's annotation has none to show.
        return getattr(instance, self.source, None) or []

    def to_representation(self, rows):
        return StopAudioSerializer(rows or [], many=True, context=self.context).data


class StaffStopAudioSerializer(serializers.ModelSerializer):
    route = serializers.CharField(source="stop.route.slug", read_only=True)
    site = serializers.CharField(source="stop.site.slug", read_only=True)
    url = serializers.SerializerMethodField()
    media_type = serializers.CharField(read_only=True)
    bytes = serializers.IntegerField(source="size_bytes", read_only=True)
    transcript = serializers.SerializerMethodField(help_text="The stop's narrative in this language.")

    class Meta:
        model = StopAudio
        fields = (
            "id",
            "route",
            "site",
            "language",
            "status",
            "url",
            "format",
            "media_type",
            "duration_s",
            "bytes",
            "sha256",
            "transcript",
            "created_at",
            "updated_at",
        )

    def get_url(self, audio) -> str:
        return _url(self.context.get("request"), audio.file.name)

    def get_transcript(self, audio) -> str:
        return str((audio.stop.narrative or {}).get(audio.language) or "").strip()


class AudioUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    language = serializers.CharField(max_length=8)
