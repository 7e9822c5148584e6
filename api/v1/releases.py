"""GET /api/v1/releases, /api/v1/releases/{version} and
/api/v1/releases/{version}/{name}: the numbered data releases
(manage.py release), with stable URLs to cite.

A release never changes, so its files go out with their SHA-256 as a strong
ETag and `Cache-Control: immutable`. Unknown versions and files, and any
name that is not exactly one of the release's files, are 404 problem+json.
"""

from django.http import FileResponse, HttpResponseNotModified
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.etags import CachedResponseMixin, etag_matches
from api.exceptions import PROBLEM_MEDIA_TYPE
from api.v1.release_serializers import ReleaseDetailSerializer, ReleaseListSerializer, absolute
from api.v1.schema import ProblemSerializer
from interchange.exports import FORMATS
from interchange.releases.store import release_by_version, release_file, release_queryset

IMMUTABLE = "public, max-age=31536000, immutable"
# What a release holds: the export formats, then its documents (interchange/releases/files.py).
FILE_MEDIA_TYPES = sorted(
    {module.MEDIA_TYPE.split(";")[0] for module in FORMATS.values()}
    | {"text/csv", "text/markdown", "application/x-yaml", "application/json", "text/plain"}
)
NOT_FOUND = {
    (404, PROBLEM_MEDIA_TYPE): OpenApiResponse(ProblemSerializer, description="No such release or file.")
}


class ReleaseBaseApi(CachedResponseMixin, APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]


class ReleaseListApi(ReleaseBaseApi):
    cache_control = "public, no-cache"  # a new release may appear at any time

    @extend_schema(
        tags=["releases"],
        operation_id="releases_list",
        summary="Numbered data releases, newest first",
        responses=ReleaseListSerializer,
    )
    def get(self, request):
        context = {"request": request}
        links = [
            {"href": absolute(request, "release-list"), "rel": "self", "type": "application/json"},
            {"href": absolute(request, "schema"), "rel": "service-desc", "type": "application/json"},
        ]
        return Response(
            ReleaseListSerializer({"releases": release_queryset(), "links": links}, context=context).data
        )


class ReleaseDetailApi(ReleaseBaseApi):
    cache_control = "public, max-age=3600"

    @extend_schema(
        tags=["releases"],
        operation_id="release_retrieve",
        summary="One release: its citation, changes and files",
        responses={200: ReleaseDetailSerializer, **NOT_FOUND},
    )
    def get(self, request, version):
        release = release_by_version(version)
        if release is None:
            raise NotFound(f"No release {version!r}; GET /api/v1/releases lists them.")
        return Response(ReleaseDetailSerializer(release, context={"request": request}).data)


class ReleaseFileApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]  # for the problem+json errors

    @extend_schema(
        tags=["releases"],
        operation_id="release_file",
        summary="One file of a release (immutable; ETag = its SHA-256)",
        responses={**{(200, media): OpenApiTypes.BINARY for media in FILE_MEDIA_TYPES}, **NOT_FOUND},
    )
    def get(self, request, version, name):
        found = release_file(version, name)
        if found is None:
            raise NotFound(
                f"Release {version!r} has no file {name!r}; GET /api/v1/releases/{{version}} lists them."
            )
        # The bytes go out as released, never gzipped on the way (GZipMiddleware
        # reads this header when the response passes): the SHA-256 ETag stays a
        # strong validator of exactly these bytes, and a 1 GB file costs no core.
        request.META.pop("HTTP_ACCEPT_ENCODING", None)
        etag = f'"{found.sha256}"'
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            response = HttpResponseNotModified()
        else:
            response = FileResponse(found.path.open("rb"), as_attachment=True, filename=found.name)
            response["Content-Type"] = found.media_type
        response["ETag"] = etag
        response["Cache-Control"] = IMMUTABLE
        return response
