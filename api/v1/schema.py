"""OpenAPI 3 for the v1 API: the schema at /api/v1/schema, Swagger UI at
/api/v1/docs, with Swagger's assets from drf_spectacular_sidecar (served as
static files by whitenoise, no CDN).

The public endpoints' parameters and error responses are declared here once,
so every view documents the same 400/404 problem details.
"""

from django.conf import settings
from django.urls import path
from drf_spectacular.contrib import rest_framework_gis as gis
from drf_spectacular.plumbing import build_object_type, get_doc
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import serializers

from api import params as p
from api.etags import CachedResponseMixin
from api.exceptions import PROBLEM_MEDIA_TYPE
from api.v1.serializers import (
    GeoJSONField,
    NextStopSerializer,
    SiteDetailSerializer,
    SiteListFeatureSerializer,
    SiteNearbyFeatureSerializer,
    StopOnPathSerializer,
    TriggerZoneFeatureSerializer,
)
from api.v1.serializers_sync import RouteListWithPackageSerializer
from editorial.vocabularies import GeometryQuality, Kind

ProblemSerializer = inline_serializer(
    "Problem",
    {
        "type": serializers.URLField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "errors": serializers.ListField(
            child=inline_serializer(
                "ProblemError",
                {"parameter": serializers.CharField(), "message": serializers.CharField()},
            ),
            required=False,
        ),
    },
)


BAD_PARAMETER_DESCRIPTION = (
    "application/problem+json (RFC 9457); `errors[].parameter` names the bad parameter."
)
BAD_PARAMETER = OpenApiResponse(ProblemSerializer, description=BAD_PARAMETER_DESCRIPTION)


def bad_parameter(cases: str = "") -> OpenApiResponse:
    """A 400 of a public endpoint, its description listing the error cases."""
    return OpenApiResponse(
        ProblemSerializer,
        description=" ".join(
            filter(
                None, [BAD_PARAMETER_DESCRIPTION, cases, "An unknown `format` is a 400 too; `lang` never is."]
            )
        ),
    )


PUBLIC_BAD_PARAMETER = bad_parameter()
NOT_FOUND = OpenApiResponse(
    ProblemSerializer,
    description="No published resource has this slug (unknown, draft, in review or archived).",
)
NOT_MODIFIED = OpenApiResponse(
    description="If-None-Match named the current ETag (strong, or weak on a gzip-encoded response). No body."
)
NOT_ACCEPTABLE = OpenApiResponse(
    ProblemSerializer, description="Accept names neither application/geo+json nor application/json."
)
SITE_LIST_ERRORS = bad_parameter(
    "bbox not 4 (or 6, heights ignored) numbers, NaN/Infinity, out of range, inverted (west > east or "
    "south > north) or more than 5° a side; kind or period unknown; route not a published route; q blank "
    "or too long; limit outside 1..1000 or offset outside 0..1000000 or not integers (ASCII digits)."
)
NEARBY_ERRORS = bad_parameter(
    "lat or lon missing, not a number, NaN/Infinity or out of range; radius not a number, ≤ 0 or above "
    "50000; limit outside 1..100 or not an integer."
)
PROGRESS_ERRORS = bad_parameter(
    "lat or lon missing, not a number, NaN/Infinity or outside the service area; accuracy not a number, "
    "negative or above 10000."
)
IF_NONE_MATCH_PARAMETER = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag from an earlier response (strong or weak, or a list): 304 if it is still current.",
)


def _int(minimum: int, maximum: int, default: int) -> dict:
    return {"type": "integer", "minimum": minimum, "maximum": maximum, "default": default}


def _number(minimum: float, maximum: float) -> dict:
    return {"type": "number", "format": "double", "minimum": minimum, "maximum": maximum}


# Four decimal numbers; the server also checks order, range and size.
BBOX_PATTERN = r"^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$"

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    description=(
        "tr, en or de. Overrides Accept-Language (q-values honoured). Unsupported values fall back; "
        "texts fall back per field tr → en → any. The response says Content-Language."
    ),
)
# Every public GET: a language, and revalidation of an ETag.
COMMON_PARAMETERS = [LANG_PARAMETER, IF_NONE_MATCH_PARAMETER]
YEAR_PARAMETER = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": p.MIN_YEAR, "maximum": p.MAX_YEAR},
    description=(
        "Time travel: only sites standing in this year (BCE negative): start_year ≤ year and "
        "end_year ≥ year or no end year. Undated sites are left out."
    ),
)
SITE_LIST_PARAMETERS = [
    OpenApiParameter(
        "bbox",
        {"type": "string", "pattern": BBOX_PATTERN},
        description="minLon,minLat,maxLon,maxLat (WGS84), west ≤ east, south ≤ north, ≤ 5° a side.",
    ),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values),
    OpenApiParameter("period", OpenApiTypes.STR, enum=p.PERIOD_CODES),
    OpenApiParameter(
        "route", {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"}, description="Slug of a published route."
    ),
    OpenApiParameter(
        "q",
        {"type": "string", "minLength": 1, "maxLength": p.MAX_QUERY_LENGTH, "pattern": r"\w"},
        description="Name search in every language, accents ignored.",
    ),
    OpenApiParameter(
        "limit", _int(1, p.SITES_MAX_LIMIT, p.SITES_DEFAULT_LIMIT), description="Features per page."
    ),
    OpenApiParameter("offset", _int(0, p.MAX_OFFSET, 0), description="Features to skip (links next/prev)."),
    YEAR_PARAMETER,
    *COMMON_PARAMETERS,
]
LAT_LON = [
    OpenApiParameter("lat", _number(-90, 90), required=True, description="WGS84 latitude, finite."),
    OpenApiParameter("lon", _number(-180, 180), required=True, description="WGS84 longitude, finite."),
]
SITE_NEARBY_PARAMETERS = [
    *LAT_LON,
    OpenApiParameter(
        "radius",
        {**_number(0, p.NEARBY_MAX_RADIUS_M), "exclusiveMinimum": True, "default": p.NEARBY_DEFAULT_RADIUS_M},
        description="Metres on the ground, > 0.",
    ),
    OpenApiParameter(
        "limit",
        _int(1, p.NEARBY_MAX_LIMIT, p.NEARBY_DEFAULT_LIMIT),
        description="At most this many, nearest first.",
    ),
    YEAR_PARAMETER,
    *COMMON_PARAMETERS,
]
_WEST, _SOUTH, _EAST, _NORTH = settings.HERITAGE_SERVICE_AREA
PROGRESS_PARAMETERS = [
    OpenApiParameter("lat", _number(_SOUTH, _NORTH), required=True, description="Inside the service area."),
    OpenApiParameter("lon", _number(_WEST, _EAST), required=True, description="Inside the service area."),
    OpenApiParameter(
        "accuracy",
        {**_number(0, p.MAX_ACCURACY_M), "default": 0},
        description="GPS accuracy, metres: off_route only beyond max(50 m, accuracy) from the path.",
    ),
    *COMMON_PARAMETERS,
]


def collection(name: str, feature_serializer, **extra) -> serializers.Serializer:
    return inline_serializer(
        name,
        {
            "type": serializers.ChoiceField(choices=["FeatureCollection"]),
            **extra,
            "attribution": serializers.CharField(),
            "license": serializers.CharField(),
            "features": feature_serializer(many=True),
        },
    )


SITE_COLLECTION_RESPONSES = {
    200: collection(
        "SiteCollection",
        SiteListFeatureSerializer,
        numberMatched=serializers.IntegerField(),
        numberReturned=serializers.IntegerField(),
        links=serializers.ListField(child=serializers.DictField()),
    ),
    304: NOT_MODIFIED,
    (400, PROBLEM_MEDIA_TYPE): SITE_LIST_ERRORS,
    (406, PROBLEM_MEDIA_TYPE): NOT_ACCEPTABLE,
}
SITE_NEARBY_RESPONSES = {
    200: collection(
        "NearbySiteCollection", SiteNearbyFeatureSerializer, numberReturned=serializers.IntegerField()
    ),
    304: NOT_MODIFIED,
    (400, PROBLEM_MEDIA_TYPE): NEARBY_ERRORS,
    (406, PROBLEM_MEDIA_TYPE): NOT_ACCEPTABLE,
}
SITE_DETAIL_RESPONSES = {
    200: SiteDetailSerializer,
    304: NOT_MODIFIED,
    (400, PROBLEM_MEDIA_TYPE): PUBLIC_BAD_PARAMETER,
    (404, PROBLEM_MEDIA_TYPE): NOT_FOUND,
    (406, PROBLEM_MEDIA_TYPE): NOT_ACCEPTABLE,
}
ROUTE_LIST_RESPONSES = {
    200: collection("RouteCollection", RouteListWithPackageSerializer),
    304: NOT_MODIFIED,
    (400, PROBLEM_MEDIA_TYPE): PUBLIC_BAD_PARAMETER,
    (406, PROBLEM_MEDIA_TYPE): NOT_ACCEPTABLE,
}
ROUTE_DETAIL_RESPONSES = {
    200: OpenApiResponse(
        inline_serializer(
            "RouteDetailCollection",
            {
                "type": serializers.ChoiceField(choices=["FeatureCollection"]),
                "bbox": serializers.ListField(child=serializers.FloatField(), min_length=4, max_length=4),
                "attribution": serializers.CharField(),
                "license": serializers.CharField(),
                "features": serializers.ListField(child=serializers.DictField()),
            },
        ),
        description=(
            "The route's path feature first (`properties.feature_type: route`), then its published stops "
            "in order (`feature_type: stop`, RouteStopFeature). A stop's `audio` lists its published "
            "recordings, every language: {language, url, format, media_type, duration_s, bytes, sha256}; the "
            "transcript of each is the stop's `narrative` in that language. The url serves byte ranges (206)."
        ),
    ),
    304: NOT_MODIFIED,
    (400, PROBLEM_MEDIA_TYPE): PUBLIC_BAD_PARAMETER,
    (404, PROBLEM_MEDIA_TYPE): NOT_FOUND,
    (406, PROBLEM_MEDIA_TYPE): NOT_ACCEPTABLE,
}
TRIGGER_RESPONSES = {
    200: collection("TriggerZoneCollection", TriggerZoneFeatureSerializer),
    304: NOT_MODIFIED,
    (400, PROBLEM_MEDIA_TYPE): PUBLIC_BAD_PARAMETER,
    (404, PROBLEM_MEDIA_TYPE): NOT_FOUND,
    (406, PROBLEM_MEDIA_TYPE): NOT_ACCEPTABLE,
}
ProgressPropertiesSerializer = inline_serializer(
    "RouteProgressProperties",
    {
        "route": serializers.SlugField(),
        "fraction": serializers.FloatField(help_text="0..1 along the path (of metres, in UTM 35N)."),
        "distance_along_m": serializers.FloatField(),
        "remaining_m": serializers.FloatField(),
        "length_m": serializers.FloatField(),
        "distance_to_route_m": serializers.FloatField(),
        "off_route": serializers.BooleanField(
            help_text=(
                "Traced or surveyed path: farther than max(50 m, accuracy) from it. Schematic path, between "
                "two stops: the detour previous stop → position → next stop exceeds 1.4× the leg plus "
                "max(50 m, accuracy) (see judged_by)."
            )
        ),
        "before_start": serializers.BooleanField(),
        "past_end": serializers.BooleanField(),
        "current_stop": StopOnPathSerializer(
            allow_null=True, help_text="Its trigger zone holds the position."
        ),
        "next_stop": NextStopSerializer(allow_null=True),
        "remaining_stops": serializers.IntegerField(),
        "mode": serializers.CharField(),
        "remaining_min": serializers.IntegerField(help_text="Moving time by main mode + remaining dwell."),
        "path_quality": serializers.ChoiceField(choices=GeometryQuality.values),
        "judged_by": serializers.ChoiceField(
            choices=["path", "next_stop"], help_text="What off_route was judged by: the path or the leg."
        ),
        "off_route_tolerance_m": serializers.FloatField(
            help_text="Metres allowed: from the path, or the longest detour through the position on the leg."
        ),
        "stops_reached": serializers.IntegerField(help_text="Stops before the next one (progress by stops)."),
        "bearing_to_next_stop_deg": serializers.FloatField(
            allow_null=True, help_text="Degrees clockwise from north, from the position to the next stop."
        ),
    },
)
PROGRESS_RESPONSES = {
    200: OpenApiResponse(
        inline_serializer(
            "RouteProgress",
            {
                "type": serializers.ChoiceField(choices=["Feature"]),
                "geometry": serializers.JSONField(help_text="The position snapped to the path (Point)."),
                "properties": ProgressPropertiesSerializer,
                "attribution": serializers.CharField(),
                "license": serializers.CharField(),
            },
        ),
        description="Where the position is on the route: a Feature whose geometry is the snapped point.",
    ),
    304: NOT_MODIFIED,
    (400, PROBLEM_MEDIA_TYPE): PROGRESS_ERRORS,
    (404, PROBLEM_MEDIA_TYPE): NOT_FOUND,
    (406, PROBLEM_MEDIA_TYPE): NOT_ACCEPTABLE,
}

BUNDLE_RESPONSES = {
    200: OpenApiResponse(
        inline_serializer(
            "RouteBundle",
            {
                "route": ROUTE_DETAIL_RESPONSES[200].response,
                "sites": inline_serializer(
                    "RouteBundleSites",
                    {
                        "type": serializers.ChoiceField(choices=["FeatureCollection"]),
                        "features": SiteDetailSerializer(many=True),
                    },
                ),
                "triggers": TRIGGER_RESPONSES[200],
                "attribution": serializers.CharField(),
                "license": serializers.CharField(),
            },
        ),
        description=(
            "application/json (not GeoJSON itself): the route collection as /routes/{slug}, the site detail "
            "of every published stop, and the trigger zones as /routes/{slug}/triggers."
        ),
    ),
    304: NOT_MODIFIED,
    (400, PROBLEM_MEDIA_TYPE): PUBLIC_BAD_PARAMETER,
    (404, PROBLEM_MEDIA_TYPE): NOT_FOUND,
    (406, PROBLEM_MEDIA_TYPE): OpenApiResponse(
        ProblemSerializer, description="Accept does not allow application/json."
    ),
}


class SchemaApi(CachedResponseMixin, SpectacularAPIView):
    """The OpenAPI document, with an ETag like every public GET."""

    cache_control = "public, max-age=3600"


urlpatterns = [
    path("schema", SchemaApi.as_view(), name="schema"),
    # The docs page carries a per-request CSRF token for "Try it out": no ETag.
    path("docs", SpectacularSwaggerView.as_view(url_name="v1:schema"), name="docs"),
]


GEOMETRY_SCHEMAS = {
    "Point": lambda: gis.build_point_geo_schema(),
    "LineString": lambda: gis.build_linestring_geo_schema(),
    "Polygon": lambda: gis.build_geo_container_schema("Polygon", gis.build_polygon_schema()),
}


class AnnotatedGeoFeatureExtension(gis.GeoFeatureModelSerializerExtension):
    """drf-spectacular's drf-gis support looks the geometry up on the model;
    our features take it from a GeoJSON annotation (GeoJSONField), whose
    declared geometry_type says what it holds."""

    priority = 1

    def map_serializer(self, auto_schema, direction):
        geo_field = self.target.fields[self.target.Meta.geo_field]
        if not isinstance(geo_field, GeoJSONField):
            return super().map_serializer(auto_schema, direction)
        base_schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        properties = {"type": {"type": "string", "enum": ["Feature"]}}
        if self.target.Meta.id_field:
            properties["id"] = base_schema["properties"].pop(self.target.Meta.id_field)
        properties["geometry"] = GEOMETRY_SCHEMAS.get(
            geo_field.geometry_type, gis.build_geometry_geo_schema
        )()
        base_schema["properties"].pop(self.target.Meta.geo_field)
        base_schema.pop("required", None)
        base_schema.pop("description", None)
        properties["properties"] = base_schema
        return build_object_type(properties=properties, description=get_doc(type(self.target)))
