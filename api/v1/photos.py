"""Staff photo upload and listing for one site.

`POST /api/v1/staff/sites/<slug>/photos` takes multipart/form-data: `file`
(JPEG, PNG or WebP, at most 20 MB and 40 megapixels), optional `caption`
(a JSON object of language → text), `author`, `license`, `sort_order`. The
new photo is a draft; publishing it is a workflow move for reviewers.
"""

import json

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import PayloadTooLarge
from editorial import workflow
from editorial.vocabularies import Status
from sites.models import Photo, Site
from sites.photos import MAX_UPLOAD_BYTES, PhotoRejected, photo_create, photo_url

# Room for the multipart boundaries and the small text fields.
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 64 * 1024


class PhotoUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    # Text parsed here rather than by JSONField: json.loads of deeply nested
    # input raises RecursionError, which JSONField would let through as a 500.
    caption = serializers.CharField(required=False, allow_blank=True, max_length=20000, default="")
    author = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    license = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    sort_order = serializers.IntegerField(required=False, min_value=0, max_value=32767, default=0)

    def validate_caption(self, text):
        if not text.strip():
            return {}
        try:
            caption = json.loads(text)
        except (ValueError, RecursionError) as error:
            msg = 'Send the caption as a JSON object, e.g. {"tr": "…", "en": "…"}.'
            raise serializers.ValidationError(msg) from error
        if not isinstance(caption, dict):
            msg = 'The caption must be a JSON object of language code to text, e.g. {"tr": "…"}.'
            raise serializers.ValidationError(msg)
        return caption


class StaffPhotoSerializer(serializers.ModelSerializer):
    site = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    renditions = serializers.SerializerMethodField()
    suggested_location = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = (
            "id",
            "site",
            "status",
            "width",
            "height",
            "caption",
            "author",
            "license",
            "sort_order",
            "renditions",
            "suggested_location",
            "created_at",
        )

    def get_renditions(self, photo) -> dict[str, str]:
        return {width: photo_url(path) for width, path in (photo.renditions or {}).items()}

    @extend_schema_field(
        {"type": "object", "nullable": True, "description": "GeoJSON Point read from the photo's EXIF GPS."}
    )
    def get_suggested_location(self, photo):
        point = photo.suggested_location
        return None if point is None else {"type": "Point", "coordinates": [point.x, point.y]}


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # the body parser then reads what is really there


def may_add_photos(user, site: Site) -> bool:
    """Editors attach draft photos to any site that is not archived (the
    photo stays invisible until a reviewer publishes it)."""
    return workflow.EDITOR in workflow.roles(user) and site.status != Status.ARCHIVED


class SitePhotosApi(APIView):
    """The photos of one site, for staff: list them, upload one."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    def get_site(self, request, slug):
        if not workflow.is_staff_member(request.user):
            raise PermissionDenied("Only heritage staff may manage photos.")
        return get_object_or_404(Site, slug=slug)

    @extend_schema(
        tags=["staff"],
        summary="List a site's photos (staff)",
        responses={
            200: StaffPhotoSerializer(many=True),
            401: OpenApiResponse(description="Not signed in (problem+json)."),
            403: OpenApiResponse(description="No editorial role (problem+json)."),
            404: OpenApiResponse(description="No such site (problem+json)."),
        },
    )
    def get(self, request, slug):
        site = self.get_site(request, slug)
        photos = site.photos.select_related("site").order_by("sort_order", "pk")
        return Response(StaffPhotoSerializer(photos, many=True).data)

    @extend_schema(
        tags=["staff"],
        summary="Upload a photo of a site (staff; a draft until a reviewer publishes it)",
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={
            201: StaffPhotoSerializer,
            400: OpenApiResponse(description="Not JPEG/PNG/WebP, over 40 MP, truncated, bad caption."),
            401: OpenApiResponse(description="Not signed in (problem+json)."),
            403: OpenApiResponse(description="Your role may not add photos to this site."),
            404: OpenApiResponse(description="No such site (problem+json)."),
            413: OpenApiResponse(description="Over 20 MB (problem+json)."),
        },
    )
    def post(self, request, slug):
        # Refused from the header, before a byte of the body is read.
        if _content_length(request) > MAX_REQUEST_BYTES:
            raise PayloadTooLarge("The photo is larger than 20 MB.")
        site = self.get_site(request, slug)
        if not may_add_photos(request.user, site):
            raise PermissionDenied("Your role may not add photos to this site.")
        data = PhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            photo = photo_create(
                site=site, user=request.user, upload=data.validated_data.pop("file"), **data.validated_data
            )
        except PhotoRejected as error:
            if error.status == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE:
                raise PayloadTooLarge(error.message_text) from error
            raise
        return Response(StaffPhotoSerializer(photo).data, status=status.HTTP_201_CREATED)
