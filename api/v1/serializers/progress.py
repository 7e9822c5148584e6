"""The v1 contract of follow mode: where a position is on a route and what
comes next (routes.selectors.RouteProgress as a GeoJSON Feature)."""

from django.conf import settings
from rest_framework import serializers

from api.v1.serializers.fields import TranslatedField
from editorial.translations import pick
from routes.designations import designation_label


class StopOnPathSerializer(serializers.Serializer):
    """The documented shape of a stop in follow mode; responses are written
    by stop_on_path(), which must give the same (tests compare them)."""

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
        language = self.context.get("language", "tr")
        route = progress.route
        properties = {
            "route": route.slug,
            "designation": route.designation,
            "designation_label": designation_label(route.designation, language),
            "fraction": round(progress.fraction, 6),
            "distance_along_m": round(progress.distance_along_m, 1),
            "remaining_m": round(progress.remaining_m, 1),
            "length_m": round(route.length_m, 1),
            "distance_to_route_m": round(progress.distance_to_route_m, 1),
            "off_route": progress.off_route,
            "before_start": progress.before_start,
            "past_end": progress.past_end,
            "current_stop": stop_on_path(progress.current_stop, language),
            "next_stop": stop_on_path(progress.next_stop, language, along_from_m=progress.distance_along_m),
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


def stop_on_path(stop, language: str, *, along_from_m: float | None = None) -> dict | None:
    """StopOnPathSerializer's output (NextStopSerializer's with `along_from_m`,
    the snapped position's metres along the path), written as a plain dict:
    building the two serializers was ~0.4 ms of a progress request."""
    if stop is None:
        return None
    shown = {
        "order": int(stop.order),
        "site": str(stop.site),
        "name": None if stop.name is None else pick(stop.name, language),
        "along_m": round(stop.along_m, 1),
        "distance_m": round(stop.distance_m, 1),
        "trigger_radius_m": int(stop.trigger_radius_m),
        "dwell_min": int(stop.dwell_min),
    }
    if along_from_m is not None:
        shown["distance_along_path_m"] = round(max(stop.along_m - along_from_m, 0.0), 1)
    return shown
