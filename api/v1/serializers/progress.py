"""The v1 contract of follow mode: where a position is on a route and what
comes next (routes.selectors.RouteProgress as a GeoJSON Feature)."""

from django.conf import settings
from rest_framework import serializers

from api.v1.serializers.fields import TranslatedField
from routes.designations import designation_label


class StopOnPathSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    site = serializers.CharField()
    name = TranslatedField()
    along_m = serializers.SerializerMethodField(help_text="Metres from the start along the path.")
    distance_m = serializers.SerializerMethodField(help_text="Straight-line metres from the position.")
    trigger_radius_m = serializers.IntegerField()
    dwell_min = serializers.IntegerField()

    def get_along_m(self, stop) -> float:
        return round(stop.along_m, 1)

    def get_distance_m(self, stop) -> float:
        return round(stop.distance_m, 1)


class NextStopSerializer(StopOnPathSerializer):
    distance_along_path_m = serializers.SerializerMethodField(
        help_text="Metres along the path from the snapped position to the stop."
    )

    def get_distance_along_path_m(self, stop) -> float:
        here = self.context["progress"].distance_along_m
        return round(max(stop.along_m - here, 0.0), 1)


class ProgressSerializer(serializers.Serializer):
    """routes.selectors.RouteProgress as a GeoJSON Feature: the geometry is
    the position snapped to the path."""

    def to_representation(self, progress):
        context = {**self.context, "progress": progress}
        route = progress.route
        properties = {
            "route": route.slug,
            "designation": route.designation,
            "designation_label": designation_label(route.designation, self.context.get("language", "tr")),
            "fraction": round(progress.fraction, 6),
            "distance_along_m": round(progress.distance_along_m, 1),
            "remaining_m": round(progress.remaining_m, 1),
            "length_m": round(route.length_m, 1),
            "distance_to_route_m": round(progress.distance_to_route_m, 1),
            "off_route": progress.off_route,
            "before_start": progress.before_start,
            "past_end": progress.past_end,
            "current_stop": _optional(StopOnPathSerializer, progress.current_stop, context),
            "next_stop": _optional(NextStopSerializer, progress.next_stop, context),
            "remaining_stops": len(progress.remaining_stops),
            "mode": route.main_mode,
            "remaining_min": progress.remaining_min,
            "path_quality": route.path_quality,
            "judged_by": progress.judged_by,
            "off_route_tolerance_m": round(progress.tolerance_m, 1),
            "stops_reached": progress.stops_reached,
            "bearing_to_next_stop_deg": _bearing(progress.next_stop),
        }
        return {
            "type": "Feature",
            "geometry": progress.snapped_geojson,
            "properties": properties,
            "attribution": settings.HERITAGE_DATA_ATTRIBUTION,
            "license": settings.HERITAGE_DATA_LICENSE,
        }


def _bearing(stop) -> float | None:
    if stop is None or stop.bearing_deg is None:
        return None
    return round(stop.bearing_deg, 1)


def _optional(serializer_class, value, context):
    return serializer_class(value, context=context).data if value is not None else None
