"""Public route endpoints: list, detail with stops, trigger zones, progress
along the route, and an offline bundle.

Views parse parameters (api.params), call one selector and respond.
"""

import hashlib

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api.params import LanguageParams, ProgressParams
from api.public import PublicReadApi
from api.rawjson import RawJSON, RawJSONRenderer
from api.v1.schema import (
    BUNDLE_RESPONSES,
    COMMON_PARAMETERS,
    PROGRESS_PARAMETERS,
    PROGRESS_RESPONSES,
    ROUTE_DETAIL_RESPONSES,
    ROUTE_LIST_RESPONSES,
    TRIGGER_RESPONSES,
)
from api.v1.serializers import (
    ProgressSerializer,
    RouteFeatureSerializer,
    RouteStopFeatureSerializer,
    SiteDetailSerializer,
    TriggerZoneFeatureSerializer,
)
from api.v1.serializers.fields import media_url
from api.v1.sites import attribution, feature_array, licence
from interchange import packages
from routes.designations import designation_label
from routes.progress import route_progress
from routes.selectors import (
    route_detail_queryset,
    route_list_features,
    route_trigger_zones,
    site_detail_with_routes_queryset,
)
from routes.selectors_detail import route_detail_body, route_triggers_body


def collection_bbox(route, stops) -> list[float]:
    """The path's bbox widened to the stops (a stop may sit off the path)."""
    west, south, east, north = route.bbox
    for stop in stops:
        lon, lat = stop.location_geojson["coordinates"]
        west, south, east, north = min(west, lon), min(south, lat), max(east, lon), max(north, lat)
    return [west, south, east, north]


def route_collection(route, context) -> dict:
    stops = route.published_stops
    return {
        "type": "FeatureCollection",
        "bbox": collection_bbox(route, stops),
        **attribution(),
        "features": [
            RouteFeatureSerializer(route, context=context).data,
            # many=True: the child serializer and its fields are built once.
            *RouteStopFeatureSerializer(stops, many=True, context=context).data["features"],
        ],
    }


def trigger_collection(route, context) -> dict:
    zones = route_trigger_zones(route=route)
    return {
        "type": "FeatureCollection",
        # Foreign members (RFC 7946 §6.1): which route, and how official it is.
        "route": route.slug,
        "designation": route.designation,
        "designation_label": designation_label(route.designation, context["language"]),
        **attribution(),
        "features": TriggerZoneFeatureSerializer(zones, many=True, context=context).data["features"],
    }


class RouteListApi(PublicReadApi):
    """GET /api/v1/routes: published routes, light (start point only)."""

    reads_content_version = True

    @extend_schema(
        operation_id="routes_list",
        tags=["routes"],
        parameters=COMMON_PARAMETERS,
        responses=ROUTE_LIST_RESPONSES,
    )
    def get(self, request):
        LanguageParams.parse(request)
        features = route_list_features(language=self.language, package_bytes=packages.latest_sizes())
        self.content_version = features.content_version
        return Response({"type": "FeatureCollection", **attribution(), "features": feature_array(features)})

    def variant(self) -> str:
        # The sizes change when a package is built, not with the content version.
        parts = f"{super().variant()}:{packages.generation()}"
        return hashlib.sha256(parts.encode()).hexdigest()[:16]


class RouteDetailApi(PublicReadApi):
    """GET /api/v1/routes/{slug}: the full path, then the stops in order,
    built whole in PostgreSQL (routes.selectors_detail; its contract is
    route_collection() above)."""

    reads_content_version = True

    @extend_schema(
        operation_id="routes_detail",
        tags=["routes"],
        parameters=COMMON_PARAMETERS,
        responses=ROUTE_DETAIL_RESPONSES,
    )
    def get(self, request, slug):
        LanguageParams.parse(request)
        body = route_detail_body(
            slug=slug, language=self.language, media_base=media_url(request, ""), attribution=licence()
        )
        if body is None:
            raise Http404("No published route has this slug.")
        self.content_version = body.content_version
        return Response(RawJSON(body.text))


class RouteTriggersApi(PublicReadApi):
    """GET /api/v1/routes/{slug}/triggers: each stop's geofence as a
    Polygon circle of trigger_radius_m metres on the ground, built whole in
    PostgreSQL (routes.selectors_detail; its contract is trigger_collection()
    above)."""

    reads_content_version = True

    @extend_schema(
        operation_id="routes_triggers",
        tags=["routes"],
        parameters=COMMON_PARAMETERS,
        responses=TRIGGER_RESPONSES,
    )
    def get(self, request, slug):
        LanguageParams.parse(request)
        body = route_triggers_body(slug=slug, language=self.language, attribution=licence())
        if body is None:
            raise Http404("No published route has this slug.")
        self.content_version = body.content_version
        return Response(RawJSON(body.text))


class RouteProgressApi(PublicReadApi):
    """GET /api/v1/routes/{slug}/progress?lat=&lon=&accuracy=: where the
    tourist is on the route (linear referencing in PostGIS)."""

    # A position is personal: shared caches must not keep it.
    cache_control = "private, max-age=0, must-revalidate"
    reads_content_version = True
    keep_responses = False  # one position, one answer

    @extend_schema(
        operation_id="routes_progress",
        tags=["routes"],
        parameters=PROGRESS_PARAMETERS,
        responses=PROGRESS_RESPONSES,
    )
    def get(self, request, slug):
        params = ProgressParams.parse(request)
        progress = route_progress(slug=slug, point=params["point"], accuracy_m=params["accuracy"])
        if progress is None:
            raise Http404("No published route has this slug.")
        self.content_version = progress.route.content_version
        context = {"request": request, "language": self.language}
        return Response(ProgressSerializer(progress, context=context).data)


class RouteBundleApi(PublicReadApi):
    """GET /api/v1/routes/{slug}/bundle: everything an app needs offline for
    one route, in one cacheable document: the route collection, every stop's
    site detail, and the trigger zones."""

    reads_content_version = True
    # A JSON document holding GeoJSON collections, not itself GeoJSON.
    renderer_classes = [RawJSONRenderer]

    @extend_schema(
        operation_id="routes_bundle",
        tags=["routes"],
        parameters=COMMON_PARAMETERS,
        responses=BUNDLE_RESPONSES,
    )
    def get(self, request, slug):
        LanguageParams.parse(request)
        route = get_object_or_404(route_detail_queryset(), slug=slug)
        self.content_version = route.content_version
        context = {"request": request, "language": self.language}
        site_slugs = [stop.site.slug for stop in route.published_stops]
        sites = site_detail_with_routes_queryset().filter(slug__in=site_slugs)
        return Response(
            {
                "route": route_collection(route, context),
                "sites": SiteDetailSerializer(sites, many=True, context=context).data,
                "triggers": trigger_collection(route, context),
                **attribution(),
            }
        )
