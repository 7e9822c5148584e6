"""GET /api/v1/export/sites and /api/v1/export/routes/{slug}: researchers'
downloads in geojson, csv, gpkg, kml, gpx or lpf.

Views parse the query and call one use case in geodata/exports/build.py;
the body streams (StreamingHttpResponse), so memory stays flat whatever the
size. Anonymous users get published content; staff may add
`include_drafts=true` (token or session auth), anyone else gets 403.
"""

from urllib.parse import quote

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api.exceptions import ParameterError
from geodata.exports.build import FORMATS, Export, route_export, sites_export
from geodata.exports.filters import FilterError, parse_site_filters
from routes.selectors_export import route_export_queryset
from sites.models import Period
from sites.workflow import is_staff_member

TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


class IgnoreFormatNegotiation(BaseContentNegotiation):
    """`format` here names the file format, not a DRF renderer; errors are
    always problem+json."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def export_format(request) -> str:
    value = request.query_params.get("format", "geojson")
    if value not in FORMATS:
        raise ParameterError({"format": [f"Unknown format {value!r}; use one of {', '.join(FORMATS)}."]})
    return value


def wants_drafts(request) -> bool:
    value = request.query_params.get("include_drafts", "").strip().lower()
    if value not in TRUE | FALSE:
        raise ParameterError({"include_drafts": ["Use true or false."]})
    if value in TRUE and not is_staff_member(request.user):
        msg = "Only staff may export drafts (include_drafts)."
        raise exceptions.PermissionDenied(msg)
    return value in TRUE


def site_filters(request):
    try:
        known = set(Period.objects.values_list("code", flat=True))
        return parse_site_filters(request.query_params, periods_known=known)
    except FilterError as error:
        raise ParameterError({error.parameter: [error.message]}) from error


def sites_base_uri(request) -> str:
    """Where a site lives: its OGC API item (LPF @id = this + slug)."""
    return request.build_absolute_uri(reverse("ogc:items", kwargs={"collection_id": "sites"})) + "/"


def export_response(export: Export, *, private: bool) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export.chunks, content_type=export.media_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{export.filename.encode("ascii", "replace").decode()}"; '
        f"filename*=UTF-8''{quote(export.filename)}"
    )
    if export.size is not None:
        response["Content-Length"] = str(export.size)
    if export.metadata.license_url:
        response["Link"] = f'<{export.metadata.license_url}>; rel="license"'
    response["X-Data-Version"] = export.metadata.data_version
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response


class SiteExportApi(APIView):
    content_negotiation_class = IgnoreFormatNegotiation
    renderer_classes = [JSONRenderer]

    def get(self, request):
        fmt, drafts, filters = export_format(request), wants_drafts(request), site_filters(request)
        export = sites_export(fmt, filters=filters, include_drafts=drafts, base_uri=sites_base_uri(request))
        return export_response(export, private=drafts)


class RouteExportApi(APIView):
    content_negotiation_class = IgnoreFormatNegotiation
    renderer_classes = [JSONRenderer]

    def get(self, request, slug):
        fmt, drafts = export_format(request), wants_drafts(request)
        route = get_object_or_404(route_export_queryset(include_drafts=drafts), slug=slug)
        export = route_export(fmt, route=route, include_drafts=drafts, base_uri=sites_base_uri(request))
        return export_response(export, private=drafts)
