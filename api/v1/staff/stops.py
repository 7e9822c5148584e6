"""Staff views for a route's stops, named by their site's slug.

    GET    /api/v1/staff/routes/{slug}/stops                 FeatureCollection
    POST   /api/v1/staff/routes/{slug}/stops  [If-Match]     Feature -> 201 (If-Match: the list's ETag)
    GET    /api/v1/staff/routes/{slug}/stops/{site}          Feature + ETag
    PATCH  /api/v1/staff/routes/{slug}/stops/{site}  If-Match
    DELETE /api/v1/staff/routes/{slug}/stops/{site}  If-Match  takes the stop off (204)
    GET    /api/v1/staff/routes/{slug}/stop-order            {"stops": [site slugs]} + ETag
    PUT    /api/v1/staff/routes/{slug}/stop-order    If-Match  reorder in one transaction

Stops are named by site rather than order, so a URL stays valid while the
stops move. Editing a stop needs the right to edit its route.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api.concurrency import etag_for, etag_for_collection, has_if_match, if_match
from api.geojson_input import parse_feature
from api.v1.staff.common import StaffApi, collection, feature_response
from api.v1.staff.schema import STOP
from api.v1.staff.selectors import staff_stops
from api.v1.staff.serializers import (
    StopFeatureSerializer,
    StopOrderSerializer,
    StopPropertiesSerializer,
    feature_errors,
    validated_properties,
)
from routes.models import Route, RouteStop
from routes.services import stop_create, stop_delete, stop_update, stops_reorder


def stop_response(route: Route, site_slug: str, *, status: int = 200, created: bool = False):
    stop = get_object_or_404(staff_stops(route=route), site__slug=site_slug)
    location = (
        reverse("v1:staff-stop-detail", kwargs={"slug": route.slug, "site": site_slug}) if created else None
    )
    return feature_response(
        StopFeatureSerializer(stop).data, etag=etag_for(stop), status=status, location=location
    )


def the_stop(slug: str, site_slug: str) -> RouteStop:
    route = get_object_or_404(Route, slug=slug)
    return get_object_or_404(
        RouteStop.objects.select_related("route", "site"), route=route, site__slug=site_slug
    )


def stop_properties(request, *, creating: bool) -> dict:
    _geometry, properties, _given = parse_feature(request.data, geometry_types=None, geometry_required=False)
    return validated_properties(StopPropertiesSerializer, properties, creating=creating)


class StaffStopListApi(StaffApi):
    @extend_schema(**STOP["list"])
    def get(self, request, slug):
        route = get_object_or_404(Route, slug=slug)
        stops = list(staff_stops(route=route))
        data = collection(StopFeatureSerializer(stops, many=True).data, len(stops))
        return feature_response(data, etag=etag_for_collection(stops))

    @extend_schema(**STOP["create"])
    def post(self, request, slug):
        route = get_object_or_404(Route, slug=slug)
        fields = stop_properties(request, creating=True)
        # Adding a stop needs no If-Match (it creates), but it shifts the
        # later stops: a client that read the list and sends its ETag gets
        # 412 if the list changed meanwhile, like PUT …/stop-order.
        expected = if_match(request) if has_if_match(request) else None
        with feature_errors(geometry_field=None):
            stop = stop_create(route=route, user=request.user, expected_versions=expected, **fields)
        return stop_response(route, stop.site.slug, status=201, created=True)


class StaffStopDetailApi(StaffApi):
    @extend_schema(**STOP["retrieve"])
    def get(self, request, slug, site):
        route = get_object_or_404(Route, slug=slug)
        return stop_response(route, site)

    @extend_schema(**STOP["update"])
    def patch(self, request, slug, site):
        stop = the_stop(slug, site)
        fields = stop_properties(request, creating=False)
        with feature_errors(geometry_field=None):
            stop_update(stop=stop, user=request.user, expected_versions=if_match(request), **fields)
        return stop_response(stop.route, site)

    @extend_schema(**STOP["delete"])
    def delete(self, request, slug, site):
        stop = the_stop(slug, site)
        stop_delete(stop=stop, user=request.user, expected_versions=if_match(request))
        return Response(status=204)


class StaffStopOrderApi(StaffApi):
    @extend_schema(**STOP["order"])
    def get(self, request, slug):
        route = get_object_or_404(Route, slug=slug)
        stops = list(staff_stops(route=route))
        order = {"stops": [stop.site.slug for stop in stops]}
        return feature_response(order, etag=etag_for_collection(stops))

    @extend_schema(**STOP["reorder"])
    def put(self, request, slug):
        serializer = StopOrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        route = get_object_or_404(Route, slug=slug)
        site_slugs = serializer.validated_data["stops"]
        stops_reorder(
            route=route, site_slugs=site_slugs, user=request.user, expected_versions=if_match(request)
        )
        return self.get(request, slug)
