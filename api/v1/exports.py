"""GET /api/v1/export/sites and /api/v1/export/routes/{slug}: researchers'
downloads in geojson, csv, gpkg, kml, gpx or lpf.

Views parse the query and call one use case in interchange/exports.py;
the body streams (StreamingHttpResponse), so memory stays flat whatever the
size. Public exports are kept on disk per content version and served again
until the data changes, with a strong ETag (api/export_cache.py). Anonymous
users get published content; staff may add `include_drafts=true` (token or
session auth), anyone else gets 403.
"""

from urllib.parse import quote

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api.exceptions import PROBLEM_MEDIA_TYPE, ParameterError
from api.export_cache import kept_export
from api.ogc.collections import COLLECTIONS
from api.ogc.query import sort_keys, sparse_fields
from api.ogc.schemas import PROPERTIES
from api.v1.schema import BAD_PARAMETER, ProblemSerializer
from editorial.workflow import is_staff_member
from geodata.params import FilterError
from interchange.exports import (
    FORMATS,
    SHAPED_FORMATS,
    Export,
    ExportShape,
    csv_header,
    route_export,
    sites_export,
)
from interchange.filters import parse_site_filters
from routes.selectors_export import route_export_queryset
from sites.models import Period

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


def export_shape(request, fmt: str, *, route: bool = False) -> ExportShape:
    """sortby (any format: the sites, or a route's stops), properties and
    skipGeometry (GeoJSON and CSV), with the OGC items' rules
    (api/ogc/query.py) so both say the same thing. GeoJSON `properties` are
    the OGC schema's property names (a route export: its route's or its
    sites'); CSV `properties` are the file's column names."""
    params, sites = request.query_params, COLLECTIONS["sites"]
    try:
        order = tuple(sort_keys(sites, params["sortby"])) if params.get("sortby") else ()
        if fmt not in SHAPED_FORMATS:
            for name in ("properties", "skipGeometry"):
                if params.get(name):
                    raise FilterError(name, f"Applies to format={' and '.join(SHAPED_FORMATS)} only.")
        if fmt == "csv":
            known = csv_header(route=route)
        else:
            known = {*PROPERTIES["sites"], *(PROPERTIES["routes"] if route else ())}
        names, skip = sparse_fields(params, known)
    except FilterError as error:
        raise ParameterError({error.parameter: [error.message]}) from error
    return ExportShape(order=order, properties=names, skip_geometry=skip)


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


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=list(FORMATS),
    default="geojson",
    description="geojson (RFC 7946, streamed), csv, gpkg (GeoPackage), kml (KML 2.2), gpx (GPX 1.1), "
    "lpf (Linked Places, GeoJSON-LD).",
)
DRAFTS_PARAMETER = OpenApiParameter(
    "include_drafts",
    bool,
    default=False,
    description="Staff only (token or session): drafts and reviews too.",
)
FILTER_PARAMETERS = [
    OpenApiParameter("bbox", str, description="min_lon,min_lat,max_lon,max_lat (WGS84)."),
    OpenApiParameter("kind", str, description="Site kinds, comma-separated."),
    OpenApiParameter("period", str, description="Period codes, comma-separated."),
    OpenApiParameter("route", str, description="A route's slug: only its stops."),
    OpenApiParameter(
        "datetime", str, description="Years overlapping, e.g. -0600/-0500 (BCE negative) or 1400/.."
    ),
]


def shape_parameters(*, route: bool) -> list[OpenApiParameter]:
    whose = "the stops' sites (the route feature or row stays first)" if route else "the sites"
    geojson_names = "a route's or its sites' properties" if route else "the sites' properties"
    return [
        OpenApiParameter(
            "sortby",
            str,
            description=f"Any format: orders {whose} by queryables of /ogc/collections/sites/queryables, "
            "comma-separated, - for descending (nulls last, slug breaks ties). Unknown → 400.",
        ),
        OpenApiParameter(
            "properties",
            str,
            description=f"format=geojson: only these of {geojson_names} (/ogc/collections/…/schema); "
            "format=csv: only these columns of the header"
            + (" (feature_type is always kept)" if route else "")
            + ". Other formats refuse it (400): GPX and KML follow fixed XSDs, a GeoPackage layer is a "
            "typed table, a Linked Places feature needs all of its members. Unknown name → 400.",
        ),
        OpenApiParameter(
            "skipGeometry",
            bool,
            description='format=geojson: "geometry": null; format=csv: no lon, lat, wkt, shape_wkt '
            "columns. Other formats refuse it (400): their features are their geometry.",
        ),
    ]


FILE_RESPONSES = {
    # GeoJSON and Linked Places are JSON documents; the other formats are files.
    **{
        (200, module.MEDIA_TYPE.split(";")[0]): OpenApiTypes.OBJECT
        if module.MEDIA_TYPE.endswith("json")
        else OpenApiTypes.BINARY
        for module in FORMATS.values()
    },
    (400, PROBLEM_MEDIA_TYPE): BAD_PARAMETER,
    (403, PROBLEM_MEDIA_TYPE): OpenApiResponse(
        ProblemSerializer, description="include_drafts without a workflow role."
    ),
}


@extend_schema(
    tags=["export"],
    summary="Download sites",
    parameters=[FORMAT_PARAMETER, DRAFTS_PARAMETER, *FILTER_PARAMETERS, *shape_parameters(route=False)],
    responses=FILE_RESPONSES,
)
class SiteExportApi(APIView):
    content_negotiation_class = IgnoreFormatNegotiation
    renderer_classes = [JSONRenderer]

    def get(self, request):
        fmt, drafts, filters = export_format(request), wants_drafts(request), site_filters(request)
        shape = export_shape(request, fmt)

        def build():
            export = sites_export(
                fmt,
                filters=filters,
                include_drafts=drafts,
                base_uri=sites_base_uri(request),
                shape=shape,
            )
            return export_response(export, private=drafts)

        return build() if drafts else kept_export(request, build)


@extend_schema(
    tags=["export"],
    summary="Download a route with its stops",
    parameters=[FORMAT_PARAMETER, DRAFTS_PARAMETER, *shape_parameters(route=True)],
    responses={
        **FILE_RESPONSES,
        (404, PROBLEM_MEDIA_TYPE): OpenApiResponse(ProblemSerializer, description="No such visible route."),
    },
)
class RouteExportApi(APIView):
    content_negotiation_class = IgnoreFormatNegotiation
    renderer_classes = [JSONRenderer]

    def get(self, request, slug):
        fmt, drafts = export_format(request), wants_drafts(request)
        shape = export_shape(request, fmt, route=True)
        # Any path segment reaches here (a problem+json 404, not Django's HTML
        # page); NUL cannot go into a PostgreSQL query.
        if "\x00" in slug:
            raise Http404

        def build():
            route = get_object_or_404(route_export_queryset(include_drafts=drafts), slug=slug)
            export = route_export(
                fmt, route=route, include_drafts=drafts, base_uri=sites_base_uri(request), shape=shape
            )
            return export_response(export, private=drafts)

        return build() if drafts else kept_export(request, build)
