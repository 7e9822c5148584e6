"""OpenAPI declarations for the staff API (shown at /api/v1/docs).

The views are plain APIViews (bodies are GeoJSON Features parsed by
api.geojson_input, not ModelSerializers), so their request and response
shapes are declared here, once, from the same serializers that validate.
"""

import copy

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from api.exceptions import PROBLEM_MEDIA_TYPE
from api.v1.staff.serializers import (
    RoutePropertiesSerializer,
    SitePropertiesSerializer,
    StatusSerializer,
    StopOrderSerializer,
    StopPropertiesSerializer,
)
from editorial.vocabularies import Status

TAGS = ["staff"]


def _feature(name: str, properties, *, geometry: str) -> serializers.Serializer:
    return inline_serializer(
        name,
        {
            "type": serializers.ChoiceField(choices=["Feature"]),
            "id": serializers.CharField(required=False, help_text="The slug (ignored on input)."),
            "geometry": serializers.JSONField(help_text=geometry),
            "properties": properties,
        },
    )


def _output(name: str, base, **extra) -> serializers.Serializer:
    """The input properties plus what the server owns, read-only."""
    fields = {key: copy.deepcopy(field) for key, field in base().fields.items()}
    return inline_serializer(
        name,
        {
            **fields,
            **extra,
            "status": serializers.ChoiceField(choices=Status.choices),
            "created_at": serializers.DateTimeField(),
            "updated_at": serializers.DateTimeField(),
            "created_by": serializers.CharField(allow_null=True),
            "updated_by": serializers.CharField(allow_null=True),
        },
    )


SITE_GEOMETRY = "A GeoJSON Point [lon, lat] (WGS84, 2D) inside the service area: the site's location."
ROUTE_GEOMETRY = "A GeoJSON LineString or MultiLineString (WGS84, 2D): the route's path, in walking order."
STOP_GEOMETRY = "Output: the site's location. Input: null or absent (a stop sits at its site)."

SITE_IN = _feature("StaffSiteFeatureInput", SitePropertiesSerializer(), geometry=SITE_GEOMETRY)
SITE_OUT = _feature(
    "StaffSiteFeature", _output("StaffSiteProperties", SitePropertiesSerializer), geometry=SITE_GEOMETRY
)
ROUTE_IN = _feature("StaffRouteFeatureInput", RoutePropertiesSerializer(), geometry=ROUTE_GEOMETRY)
ROUTE_OUT = _feature(
    "StaffRouteFeature",
    _output("StaffRouteProperties", RoutePropertiesSerializer, length_m=serializers.FloatField()),
    geometry=ROUTE_GEOMETRY,
)
STOP_IN = _feature("StaffStopFeatureInput", StopPropertiesSerializer(), geometry=STOP_GEOMETRY)
STOP_OUT = inline_serializer(
    "StaffStopFeature",
    {
        "type": serializers.ChoiceField(choices=["Feature"]),
        "id": serializers.CharField(help_text="The site's slug."),
        "geometry": serializers.JSONField(help_text=STOP_GEOMETRY),
        "properties": inline_serializer(
            "StaffStopProperties",
            {
                "route": serializers.CharField(),
                "site": serializers.CharField(),
                "site_status": serializers.ChoiceField(choices=Status.choices),
                "order": serializers.IntegerField(),
                "designation": serializers.CharField(),
                "dwell_min": serializers.IntegerField(),
                "trigger_radius_m": serializers.IntegerField(),
                "narrative": serializers.JSONField(),
            },
        ),
    },
)


def _collection(name: str, feature) -> serializers.Serializer:
    return inline_serializer(
        name,
        {
            "type": serializers.ChoiceField(choices=["FeatureCollection"]),
            "numberMatched": serializers.IntegerField(),
            "numberReturned": serializers.IntegerField(),
            "features": serializers.ListField(child=feature),
        },
    )


# Staff errors name a member of the body (`field`: geometry,
# properties.<name>, body) or a query parameter (`parameter`: limit, status).
StaffProblemSerializer = inline_serializer(
    "StaffProblem",
    {
        "type": serializers.URLField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "errors": serializers.ListField(
            child=inline_serializer(
                "StaffProblemError",
                {
                    "field": serializers.CharField(required=False),
                    "parameter": serializers.CharField(required=False),
                    "message": serializers.CharField(),
                },
            ),
            required=False,
        ),
    },
)


def problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(StaffProblemSerializer, description=f"application/problem+json: {description}")


def error(status: int) -> tuple[int, str]:
    """A response key for drf-spectacular: errors are problem+json, whatever
    the operation's success media types are."""
    return (status, PROBLEM_MEDIA_TYPE)


READ_ERRORS = {
    error(401): problem("no or an invalid token/session."),
    error(403): problem("signed in without an editor, reviewer or admin role."),
    error(404): problem("no such object."),
}
WRITE_ERRORS = {
    **READ_ERRORS,
    error(400): problem("`errors[].field` names the member: geometry, crs, properties.<name>, body."),
    error(403): problem("no editorial role, or the role may not do this to an object in its status."),
    error(413): problem("the body is over 2 MB."),
    error(415): problem("the body is not application/json or application/geo+json."),
}
PRECONDITION_ERRORS = {
    **WRITE_ERRORS,
    error(412): problem("If-Match does not name the current ETag: re-read, merge, retry. Nothing changed."),
    error(428): problem("If-Match is missing. Nothing changed."),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description='The ETag from the last read, e.g. "5f1c…" (W/ prefixes from gzip are accepted).',
)
LIST_PARAMETERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
    OpenApiParameter("limit", OpenApiTypes.INT, description="0..1000, default 100."),
    OpenApiParameter("offset", OpenApiTypes.INT, description="default 0."),
]


def declarations(noun: str, feature_in, feature_out, *, collection_name: str) -> dict:
    """extend_schema keyword sets for the five operations on sites or routes."""
    plural = f"{noun}s"
    return {
        "list": {
            "operation_id": f"staff_{plural}_list",
            "tags": TAGS,
            "parameters": LIST_PARAMETERS,
            "responses": {
                200: _collection(collection_name, feature_out),
                **READ_ERRORS,
                error(400): problem("bad parameter."),
            },
        },
        "create": {
            "operation_id": f"staff_{plural}_create",
            "tags": TAGS,
            "request": feature_in,
            "responses": {201: feature_out, **WRITE_ERRORS},
            "description": f"A new draft {noun}. Server-owned and unknown properties are refused (400).",
        },
        "retrieve": {
            "operation_id": f"staff_{plural}_retrieve",
            "tags": TAGS,
            "responses": {200: feature_out, **READ_ERRORS},
            "description": f"The {noun} in any status, with its ETag.",
        },
        "update": {
            "operation_id": f"staff_{plural}_update",
            "tags": TAGS,
            "parameters": [IF_MATCH],
            "request": feature_in,
            "responses": {200: feature_out, **PRECONDITION_ERRORS},
            "description": "Partial: only the members sent change; `slug` is fixed once created.",
        },
        "archive": {
            "operation_id": f"staff_{plural}_archive",
            "tags": TAGS,
            "parameters": [IF_MATCH],
            "responses": {200: feature_out, **PRECONDITION_ERRORS},
            "description": f"Archives the {noun} (never a hard delete): a workflow move.",
        },
        "status": {
            "operation_id": f"staff_{plural}_status",
            "tags": TAGS,
            "parameters": [IF_MATCH],
            "request": StatusSerializer,
            "responses": {200: feature_out, **PRECONDITION_ERRORS},
            "description": "A workflow move: editors submit for review; reviewers publish, archive, restore.",
        },
    }


SITE = declarations("site", SITE_IN, SITE_OUT, collection_name="StaffSiteCollection")
ROUTE = declarations("route", ROUTE_IN, ROUTE_OUT, collection_name="StaffRouteCollection")
STOP = {
    "list": {
        "operation_id": "staff_stops_list",
        "tags": TAGS,
        "responses": {200: _collection("StaffStopCollection", STOP_OUT), **READ_ERRORS},
    },
    "create": {
        "operation_id": "staff_stops_create",
        "tags": TAGS,
        "request": STOP_IN,
        "responses": {201: STOP_OUT, **WRITE_ERRORS},
        "description": "Adds the site as a stop at `order` (default: last); later stops move down.",
    },
    "retrieve": {
        "operation_id": "staff_stops_retrieve",
        "tags": TAGS,
        "responses": {200: STOP_OUT, **READ_ERRORS},
    },
    "update": {
        "operation_id": "staff_stops_update",
        "tags": TAGS,
        "parameters": [IF_MATCH],
        "request": STOP_IN,
        "responses": {200: STOP_OUT, **PRECONDITION_ERRORS},
    },
    "delete": {
        "operation_id": "staff_stops_delete",
        "tags": TAGS,
        "parameters": [IF_MATCH],
        "responses": {204: None, **PRECONDITION_ERRORS},
        "description": "Takes the stop off the route (kept in its history); later stops move up.",
    },
    "order": {
        "operation_id": "staff_stop_order_retrieve",
        "tags": TAGS,
        "responses": {200: StopOrderSerializer, **READ_ERRORS},
    },
    "reorder": {
        "operation_id": "staff_stop_order_update",
        "tags": TAGS,
        "parameters": [IF_MATCH],
        "request": StopOrderSerializer,
        "responses": {200: StopOrderSerializer, **PRECONDITION_ERRORS},
        "description": "Every stop's site slug exactly once, in the new order; If-Match: the ETag of GET.",
    },
}
