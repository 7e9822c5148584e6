"""Fields and helpers every v1 serializer shares: GeoJSON geometries that
arrive already encoded from SQL, one language per multilingual text, UTC
timestamps to the second, absolute media URLs."""

from datetime import UTC

from django.core.files.storage import default_storage
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from api.i18n import DEFAULT_LANGUAGE
from api.rawjson import RawJSON
from editorial.translations import pick

UTC_SECONDS = "%Y-%m-%dT%H:%M:%SZ"


@extend_schema_field(OpenApiTypes.OBJECT)
class GeoJSONField(GeometryField):
    """A geometry the selector already made GeoJSON in SQL (an annotation):
    a dict (jsonb) passes through as drf-gis does; text is written into the
    response verbatim (api.rawjson.RawJSON). `geometry_type` is for the
    OpenAPI schema (api.v1.schema)."""

    def __init__(self, *, geometry_type: str = "Geometry", **kwargs):
        self.geometry_type = geometry_type
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        # Text (ST_AsGeoJSON without ::jsonb) goes to the response verbatim.
        if isinstance(value, str):
            return RawJSON(value)
        return super().to_representation(value)


@extend_schema_field(OpenApiTypes.STR)
class TranslatedField(serializers.Field):
    """A {"tr": …, "en": …} dict rendered as one string in the context's
    language, with the per-field fallback of editorial.translations.pick."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return pick(value, self.context.get("language", DEFAULT_LANGUAGE))


class UTCDateTimeField(serializers.DateTimeField):
    """UTC to the second, the same text SQL writes (to_char … 'Z')."""

    def __init__(self, **kwargs):
        super().__init__(format=UTC_SECONDS, default_timezone=UTC, read_only=True, **kwargs)

    def to_representation(self, value):
        return value.astimezone(UTC).strftime(UTC_SECONDS)


def media_url(request, path: str) -> str:
    """Absolute URL of a media-relative path (photo renditions)."""
    url = default_storage.url(path)
    return request.build_absolute_uri(url) if request is not None else url
