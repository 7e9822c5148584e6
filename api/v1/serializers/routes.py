"""The v1 contract of routes: list and detail features, stops and trigger
zones. Lists are built in SQL (routes.selectors); these are their twins."""

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from api.i18n import DEFAULT_LANGUAGE
from api.v1.serializers.audio import StopAudioListField
from api.v1.serializers.fields import GeoJSONField, TranslatedField, UTCDateTimeField
from api.v1.serializers.sites import PhotoSerializer
from routes.designations import designation_label
from routes.estimates import duration_min
from routes.models import Route, RouteStop


def route_duration_min(route) -> int:
    """Stored duration, else estimated from length, main mode and dwell."""
    return duration_min(
        planned_min=route.duration_min,
        length_m=route.length_m,
        mode=route.main_mode,
        dwell_min=route.dwell_total,
    )


class RouteSummaryMixin(serializers.Serializer):
    name = TranslatedField()
    summary = TranslatedField()
    designation = serializers.CharField(read_only=True)
    designation_label = serializers.SerializerMethodField()
    mode = serializers.CharField(source="main_mode", read_only=True)
    length_m = serializers.SerializerMethodField()
    duration_min = serializers.SerializerMethodField()
    stop_count = serializers.IntegerField(read_only=True)
    updated_at = UTCDateTimeField()

    def get_length_m(self, route) -> float:
        return round(route.length_m, 1)

    def get_designation_label(self, route) -> str:
        return designation_label(route.designation, self.context.get("language", DEFAULT_LANGUAGE))

    def get_duration_min(self, route) -> int:
        return route_duration_min(route)


class RouteListFeatureSerializer(RouteSummaryMixin, GeoFeatureModelSerializer):
    """Twin of routes.selectors.route_list_features(): the start point as
    geometry (light for phones), the numbers a list shows."""

    feature_id = serializers.CharField(source="slug", read_only=True)
    geometry = GeoJSONField(source="start_geojson", geometry_type="Point")
    bbox = serializers.JSONField(read_only=True)

    class Meta:
        model = Route
        geo_field = "geometry"
        id_field = "feature_id"
        fields = (
            "feature_id",
            "slug",
            "name",
            "summary",
            "theme",
            "designation",
            "designation_label",
            "mode",
            "modes",
            "length_m",
            "duration_min",
            "stop_count",
            "bbox",
            "updated_at",
        )


class RouteFeatureSerializer(RouteSummaryMixin, GeoFeatureModelSerializer):
    """The first feature of a route's collection: its full path. Expects
    routes.selectors.route_detail_queryset()."""

    feature_id = serializers.CharField(source="slug", read_only=True)
    feature_type = serializers.SerializerMethodField()
    geometry = GeoJSONField(source="path_geojson", geometry_type="LineString")
    description = TranslatedField()

    class Meta:
        model = Route
        geo_field = "geometry"
        id_field = "feature_id"
        fields = (
            "feature_id",
            "feature_type",
            "slug",
            "name",
            "summary",
            "description",
            "theme",
            "designation",
            "designation_label",
            "mode",
            "modes",
            "length_m",
            "duration_min",
            "stop_count",
            "path_quality",
            "license",
            "attribution",
            "updated_at",
        )

    def get_feature_type(self, route) -> str:
        return "route"


class RouteStopFeatureSerializer(GeoFeatureModelSerializer):
    """A stop of a route: where (the site's point), in which order, how long,
    and what the tourist sees there."""

    feature_type = serializers.SerializerMethodField()
    geometry = GeoJSONField(source="location_geojson", geometry_type="Point")
    narrative = TranslatedField()
    site = serializers.CharField(source="site.slug", read_only=True)
    name = TranslatedField(source="site.name")
    kind = serializers.CharField(source="site.kind", read_only=True)
    periods = serializers.ListField(child=serializers.CharField(), source="period_codes", read_only=True)
    start_year = serializers.IntegerField(source="site.start_year", read_only=True)
    end_year = serializers.IntegerField(source="site.end_year", read_only=True)
    photos = PhotoSerializer(source="site.published_photos", many=True, read_only=True)
    audio = StopAudioListField()  # api.v1.serializers.audio

    class Meta:
        model = RouteStop
        geo_field = "geometry"
        id_field = False
        fields = (
            "feature_type",
            "order",
            "designation",
            "dwell_min",
            "trigger_radius_m",
            "narrative",
            "site",
            "name",
            "kind",
            "periods",
            "start_year",
            "end_year",
            "photos",
            "audio",
        )

    def get_feature_type(self, stop) -> str:
        return "stop"


class TriggerZoneFeatureSerializer(GeoFeatureModelSerializer):
    """A stop's geofence: a Polygon circle of trigger_radius_m metres."""

    geometry = GeoJSONField(source="zone_geojson", geometry_type="Polygon")
    site = serializers.CharField(source="site.slug", read_only=True)
    name = TranslatedField(source="site.name")

    class Meta:
        model = RouteStop
        geo_field = "geometry"
        id_field = False
        fields = ("order", "site", "name", "trigger_radius_m")
