"""The v1 contract of the public (tourist) resources.

Lists (sites, nearby, routes) are built in PostGIS by the selectors; the
drf-gis serializers here are their twins, and tests/api/v1 keeps the two
equal (parity tests). Details (a site, a route with its stops) and the
trigger zones are serialized here, with geometries already GeoJSON from SQL
(drf-gis passes dicts through), so no GEOS object is built per row.

Texts are multilingual dicts; `TranslatedField` picks one language per field
with the tr → en → any fallback. The language comes from the context.
"""

from datetime import UTC

from django.conf import settings
from django.core.files.storage import default_storage
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from api.i18n import DEFAULT_LANGUAGE
from api.rawjson import RawJSON
from api.v1.serializers_audio import StopAudioListField
from editorial.translations import pick
from geodata.geojson import GEOJSON_PRECISION
from routes.designations import designation_label
from routes.estimates import duration_min
from routes.models import Route, RouteStop
from sites.models import Photo, Site
from sites.validators import ACCESSIBILITY_FLAGS

UTC_SECONDS = "%Y-%m-%dT%H:%M:%SZ"


@extend_schema_field(OpenApiTypes.OBJECT)
class GeoJSONField(GeometryField):
    """A geometry the selector already made GeoJSON in SQL (an annotation):
    a dict (jsonb) passes through as drf-gis does; text is written into the
    response verbatim (api.rawjson.RawJSON). `geometry_type` is for the
    OpenAPI schema (api.v1.schema)."""

    def __init__(self, *, geometry_type: str = "Geometry", **kwargs):
        self.geometry_type = geometry_type
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        # Text (ST_AsGeoJSON without ::jsonb) goes to the response verbatim.
        if isinstance(value, str):
            return RawJSON(value)
        return super().to_representation(value)


@extend_schema_field(OpenApiTypes.STR)
class TranslatedField(serializers.Field):
    """A {"tr": …, "en": …} dict rendered as one string in the context's
    language, with the per-field fallback of editorial.translations.pick."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return pick(value, self.context.get("language", DEFAULT_LANGUAGE))


class UTCDateTimeField(serializers.DateTimeField):
    """UTC to the second, the same text SQL writes (to_char … 'Z')."""

    def __init__(self, **kwargs):
        super().__init__(format=UTC_SECONDS, default_timezone=UTC, read_only=True, **kwargs)

    def to_representation(self, value):
        return value.astimezone(UTC).strftime(UTC_SECONDS)


def media_url(request, path: str) -> str:
    """Absolute URL of a media-relative path (photo renditions)."""
    url = default_storage.url(path)
    return request.build_absolute_uri(url) if request is not None else url


class PhotoSerializer(serializers.ModelSerializer):
    """A published photo: credits and the URLs of its WebP renditions by
    width in pixels (only those already made)."""

    caption = TranslatedField()
    renditions = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ("id", "caption", "author", "license", "width", "height", "renditions")

    def get_renditions(self, photo) -> dict[str, str]:
        request = self.context.get("request")
        renditions = photo.renditions or {}
        # Only what the pipeline (sites.photos) has written: "width" -> path.
        widths = sorted(
            (
                key
                for key, path in renditions.items()
                if str(key).isdigit() and isinstance(path, str) and path
            ),
            key=int,
        )
        return {key: media_url(request, renditions[key]) for key in widths}


# --- sites ------------------------------------------------------------------


class SiteListFeatureSerializer(GeoFeatureModelSerializer):
    """Twin of sites.selectors.site_list_page(): a site on a map."""

    feature_id = serializers.CharField(source="slug", read_only=True)
    location = GeometryField(precision=GEOJSON_PRECISION, read_only=True)
    name = TranslatedField()
    periods = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Site
        geo_field = "location"
        id_field = "feature_id"
        fields = ("feature_id", "slug", "name", "kind", "periods", "start_year", "end_year")


class SiteNearbyFeatureSerializer(SiteListFeatureSerializer):
    """Twin of sites.selectors.site_nearby_features(): plus metres away."""

    distance_m = serializers.FloatField(read_only=True)

    class Meta(SiteListFeatureSerializer.Meta):
        fields = (*SiteListFeatureSerializer.Meta.fields, "distance_m")


class PeriodSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = TranslatedField()
    start_year = serializers.IntegerField(read_only=True)
    end_year = serializers.IntegerField(read_only=True, allow_null=True)


class SiteRouteSerializer(serializers.Serializer):
    """A published route the site is a stop of (from a RouteStop)."""

    slug = serializers.CharField(source="route.slug", read_only=True)
    name = TranslatedField(source="route.name")
    order = serializers.IntegerField(read_only=True)


@extend_schema_field(
    {
        "type": "object",
        "description": "Every flag is present: true, false, or null for unknown (never assume step-free).",
        "properties": {
            **{flag: {"type": "boolean", "nullable": True} for flag in ACCESSIBILITY_FLAGS},
            "surface": {"type": "string", "nullable": True},
            "notes": {"type": "string", "nullable": True},
        },
    }
)
class AccessibilityField(serializers.Field):
    """Accessibility facts with every key present, null where nobody knows."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        value = value or {}
        facts = {flag: value.get(flag) for flag in ACCESSIBILITY_FLAGS}
        return {**facts, "surface": value.get("surface") or None, "notes": value.get("notes") or None}


class SiteDetailSerializer(GeoFeatureModelSerializer):
    """One site with everything a detail screen shows. Expects
    sites.selectors.site_detail_queryset() (GeoJSON and relations ready)."""

    feature_id = serializers.CharField(source="slug", read_only=True)
    geometry = GeoJSONField(source="location_geojson", geometry_type="Point")
    name = TranslatedField()
    description = TranslatedField()
    periods = PeriodSerializer(many=True, read_only=True)
    shape = GeoJSONField(source="shape_geojson", allow_null=True)
    photos = PhotoSerializer(source="published_photos", many=True, read_only=True)
    routes = SiteRouteSerializer(source="published_stops", many=True, read_only=True)
    # Unknown is said as null, never as "" or {} (which read as "nothing to know").
    opening_hours = serializers.CharField(read_only=True, allow_null=True, default=None)
    opening_hours_source = serializers.CharField(read_only=True, allow_null=True)
    accessibility = AccessibilityField()
    accessibility_source = serializers.CharField(read_only=True, allow_null=True)
    access_note = TranslatedField(allow_null=True)
    updated_at = UTCDateTimeField()

    def to_representation(self, site):
        data = super().to_representation(site)
        properties = data["properties"]
        for name in ("opening_hours", "opening_hours_source", "accessibility_source", "access_note"):
            properties[name] = properties[name] or None
        return data

    class Meta:
        model = Site
        geo_field = "geometry"
        id_field = "feature_id"
        fields = (
            "feature_id",
            "slug",
            "name",
            "description",
            "kind",
            "periods",
            "start_year",
            "end_year",
            "district",
            "address",
            "opening_hours",
            "opening_hours_source",
            "opening_hours_as_of",
            "accessibility",
            "accessibility_source",
            "accessibility_as_of",
            "access_note",
            "provenance",
            "geometry_quality",
            "confidence",
            "shape",
            "wikidata",
            "pleiades",
            "osm",
            "sources",
            "license",
            "attribution",
            "photos",
            "routes",
            "updated_at",
        )


# --- routes -----------------------------------------------------------------


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
    audio = StopAudioListField()  # api.v1.serializers_audio

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


# --- progress ---------------------------------------------------------------


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
