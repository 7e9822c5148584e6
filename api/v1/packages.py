"""GET /api/v1/routes/{slug}/package?lang=: the route as one zip for offline
use (interchange.packages; docs/adr/0012-change-feed-and-route-packages.md).

The zip's documents are this API's own bodies, rendered here without a
request (media URLs stay relative): route.geojson is GET /routes/{slug},
triggers.geojson is GET /routes/{slug}/triggers, sites/{slug}.json is
GET /sites/{slug}. The manifest maps each media URL to its file.
"""

import json
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseNotModified
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.views import APIView

from api.etags import etag_matches
from api.i18n import LanguageMixin
from api.params import LanguageParams
from api.public import SLUG, FormatParameterMixin
from api.rawjson import RawJSONRenderer
from api.v1.routes import route_collection, trigger_collection
from api.v1.schema_sync import PACKAGE_PARAMETERS, PACKAGE_RESPONSES
from api.v1.serializers import SiteDetailSerializer
from api.v1.sites import attribution
from editorial.change_log import current_cursor
from editorial.content_version import content_version
from interchange import packages
from routes.selectors import route_detail_queryset, site_detail_with_routes_queryset
from routes.selectors_package import content_time, package_photos, phone_rendition

CACHE_CONTROL = "public, no-cache"


class ZipRenderer(BaseRenderer):
    media_type = "application/zip"
    format = "zip"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only problem details reach a renderer: the zip itself is an HttpResponse.
        return json.dumps(data, ensure_ascii=False).encode()


def _json(data) -> bytes:
    return RawJSONRenderer().render(data)


def _photo_files(route) -> list[packages.PackageFile]:
    files = []
    for photo in package_photos(route).only("renditions"):
        name = phone_rendition(photo.renditions)
        if name and default_storage.exists(name):
            with default_storage.open(name) as source:
                data = source.read()
            files.append(
                packages.PackageFile(f"photos/{PurePosixPath(name).name}", data, default_storage.url(name))
            )
    return files


def package_content(slug: str, language: str) -> packages.PackageContent:
    """Every file of the package, from the published content only."""
    route = route_detail_queryset().filter(slug=slug).first()
    if route is None:
        raise Http404("No published route has this slug.")
    context = {"request": None, "language": language}
    sites = site_detail_with_routes_queryset().filter(
        slug__in=[stop.site.slug for stop in route.published_stops]
    )
    credit = attribution()
    files = [
        packages.PackageFile("route.geojson", _json(route_collection(route, context))),
        packages.PackageFile("triggers.geojson", _json(trigger_collection(route, context))),
        packages.PackageFile(
            "ATTRIBUTION.txt",
            f"{credit['attribution']}\nLicence: {credit['license']} (https://creativecommons.org/licenses/by/4.0/)\n".encode(),
        ),
        *(
            packages.PackageFile(
                f"sites/{site.slug}.json",
                _json({**SiteDetailSerializer(site, context=context).data, **credit}),
            )
            for site in sites
        ),
        *_photo_files(route),
        *packages.audio_files(slug, language),
    ]
    return packages.PackageContent(
        route=slug,
        language=language,
        data_version=route.content_version,
        generated_at=content_time(route).strftime("%Y-%m-%dT%H:%M:%SZ"),
        files=files,
    )


def route_package(slug: str, language: str, version: int) -> packages.StoredPackage:
    return packages.ensure_package(slug, language, version, lambda: package_content(slug, language))


class RoutePackageApi(FormatParameterMixin, LanguageMixin, APIView):
    """The route's offline package, built once per data version."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [ZipRenderer, RawJSONRenderer]

    @extend_schema(
        operation_id="routes_package",
        tags=["sync"],
        parameters=PACKAGE_PARAMETERS,
        responses=PACKAGE_RESPONSES,
    )
    def get(self, request, slug):
        LanguageParams.parse(request)
        if not SLUG.fullmatch(slug):
            raise NotFound("No published resource has this slug.")
        # The cursor before the version: the package holds at least what the
        # cursor has seen, so a sync from it misses nothing (may repeat some).
        cursor = current_cursor()
        package = route_package(slug, self.language, content_version())
        headers = {"ETag": package.etag, "Cache-Control": CACHE_CONTROL, "X-Changes-Cursor": cursor.encode()}
        if etag_matches(request.headers.get("If-None-Match", ""), package.etag):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(package.path.read_bytes(), content_type="application/zip")
            filename = f"{slug}-{self.language}.zip"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        for name, value in headers.items():
            response[name] = value
        return response
