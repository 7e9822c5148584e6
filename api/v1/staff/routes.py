"""Staff views for routes: list/create, read/edit/archive, workflow moves.

    GET    /api/v1/staff/routes[?status=&limit=&offset=]   FeatureCollection
    POST   /api/v1/staff/routes                            Feature -> 201 draft
    GET    /api/v1/staff/routes/{slug}                     Feature + ETag
    PATCH  /api/v1/staff/routes/{slug}      If-Match       Feature (partial)
    DELETE /api/v1/staff/routes/{slug}      If-Match       archives (200, Feature)
    POST   /api/v1/staff/routes/{slug}/status  If-Match    {"status": "published"}

The route's stops are a sub-resource: api/v1/staff/stops.py.
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema

from api.concurrency import etag_for, require_if_match
from api.geojson_input import parse_feature
from api.v1.staff.common import StaffApi, collection, editable, feature_response, page, status_param
from api.v1.staff.schema import ROUTE
from api.v1.staff.selectors import staff_routes
from api.v1.staff.serializers import (
    RouteFeatureSerializer,
    RoutePropertiesSerializer,
    StatusSerializer,
    feature_errors,
    validated_properties,
)
from editorial.workflow import transition
from routes.models import Route
from routes.services import route_archive, route_create, route_update
from routes.validators import PATH_TYPES


def route_fields(request, *, instance=None) -> dict:
    geometry, properties, given = parse_feature(
        request.data, geometry_types=PATH_TYPES, geometry_required=instance is None
    )
    fields = validated_properties(RoutePropertiesSerializer, properties, instance=instance)
    if given:
        fields["path"] = geometry
    return fields


def route_response(pk: int, *, status: int = 200, created: bool = False):
    route = get_object_or_404(staff_routes(), pk=pk)
    location = reverse("v1:staff-route-detail", kwargs={"slug": route.slug}) if created else None
    return feature_response(
        RouteFeatureSerializer(route).data, etag=etag_for(route), status=status, location=location
    )


def locked_route(slug: str) -> Route:
    return get_object_or_404(Route.objects.select_for_update(), slug=slug)


class StaffRouteListApi(StaffApi):
    @extend_schema(**ROUTE["list"])
    def get(self, request):
        routes, matched = page(request, staff_routes(status=status_param(request)))
        return feature_response(
            collection(RouteFeatureSerializer(routes, many=True).data, matched), etag=None
        )

    @extend_schema(**ROUTE["create"])
    def post(self, request):
        fields = route_fields(request)
        with feature_errors(geometry_field="path"):
            route = route_create(user=request.user, **fields)
        return route_response(route.pk, status=201, created=True)


class StaffRouteDetailApi(StaffApi):
    @extend_schema(**ROUTE["retrieve"])
    def get(self, request, slug):
        route = get_object_or_404(staff_routes(), slug=slug)
        return feature_response(RouteFeatureSerializer(route).data, etag=etag_for(route))

    @extend_schema(**ROUTE["update"])
    def patch(self, request, slug):
        with transaction.atomic():
            route = editable(request, locked_route(slug))
            fields = route_fields(request, instance=route)
            with feature_errors(geometry_field="path"):
                route_update(route=route, user=request.user, **fields)
        return route_response(route.pk)

    @extend_schema(**ROUTE["archive"])
    def delete(self, request, slug):
        """Archives: nothing is hard-deleted (editorial.workflow decides who may)."""
        with transaction.atomic():
            route = locked_route(slug)
            require_if_match(request, etag_for(route))
            route_archive(route=route, user=request.user)
        return route_response(route.pk)


class StaffRouteStatusApi(StaffApi):
    @extend_schema(**ROUTE["status"])
    def post(self, request, slug):
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            route = locked_route(slug)
            require_if_match(request, etag_for(route))
            transition(route, to_status=serializer.validated_data["status"], user=request.user)
        return route_response(route.pk)
