"""OpenAPI of the offline-sync endpoints (change feed, route packages)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from api.exceptions import PROBLEM_MEDIA_TYPE
from api.v1.schema import (
    IF_NONE_MATCH_PARAMETER,
    LANG_PARAMETER,
    NOT_FOUND,
    NOT_MODIFIED,
    PUBLIC_BAD_PARAMETER,
    ProblemSerializer,
)

CHANGES_PARAMETERS = [
    OpenApiParameter(
        "since",
        OpenApiTypes.STR,
        description=(
            "The `next` cursor of an earlier answer (or the `X-Changes-Cursor` header of a route package). "
            "Absent: no changes, and a cursor naming now. Opaque; never build or edit one."
        ),
    ),
    OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 500}),
    IF_NONE_MATCH_PARAMETER,
]

ChangeSerializer = inline_serializer(
    "Change",
    {
        "kind": serializers.CharField(help_text="route, stop, site, photo or audio."),
        "key": serializers.CharField(help_text="Slug of a route or site; id of a stop, photo or audio."),
        "action": serializers.ChoiceField(
            choices=["upsert", "delete"],
            help_text="upsert: published now, fetch `href`. delete: a tombstone, no longer public.",
        ),
        "href": serializers.CharField(
            required=False, help_text="Where the current version is (upsert only)."
        ),
        "route": serializers.CharField(required=False),
        "site": serializers.CharField(required=False),
    },
)

CHANGES_RESPONSES = {
    200: OpenApiResponse(
        inline_serializer(
            "Changes",
            {
                "changes": serializers.ListField(child=ChangeSerializer),
                "next": serializers.CharField(),
                "has_more": serializers.BooleanField(),
                "attribution": serializers.CharField(),
                "license": serializers.CharField(),
            },
        ),
        description=(
            "Everything published, changed or withdrawn since the cursor, the latest change per entity, "
            "oldest first. Ask again with `next` while `has_more`; poll with the last `next`."
        ),
    ),
    304: NOT_MODIFIED,
    (400, PROBLEM_MEDIA_TYPE): OpenApiResponse(
        ProblemSerializer, description="A malformed cursor (`since`) or `limit`."
    ),
    (410, PROBLEM_MEDIA_TYPE): OpenApiResponse(
        ProblemSerializer,
        description="The cursor is older than the retained history: download the route package again.",
    ),
}

PACKAGE_PARAMETERS = [LANG_PARAMETER, IF_NONE_MATCH_PARAMETER]

PACKAGE_RESPONSES = {
    (200, "application/zip"): OpenApiResponse(
        OpenApiTypes.BINARY,
        description=(
            "A zip: manifest.json (format and data version, language, every file's path, bytes and "
            "SHA-256), route.geojson, triggers.geojson, sites/{slug}.json, photos, audio, attribution. "
            "Byte-identical for the same content; strong ETag; header X-Changes-Cursor."
        ),
    ),
    304: NOT_MODIFIED,
    (400, PROBLEM_MEDIA_TYPE): PUBLIC_BAD_PARAMETER,
    (404, PROBLEM_MEDIA_TYPE): NOT_FOUND,
    (406, PROBLEM_MEDIA_TYPE): OpenApiResponse(
        ProblemSerializer, description="Accept allows neither application/zip nor application/json."
    ),
}
