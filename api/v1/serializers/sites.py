"""The v1 contract of sites: list and nearby features (twins of the SQL-built
lists, kept equal by tests/api/v1/test_tourist_parity.py), the site detail
with its photos, periods, routes and visit facts."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from api.v1.serializers.fields import GeoJSONField, TranslatedField, UTCDateTimeField, media_url
from geodata.geojson import GEOJSON_PRECISION
from sites.models import Photo, Site
from sites.validators import ACCESSIBILITY_FLAGS


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
