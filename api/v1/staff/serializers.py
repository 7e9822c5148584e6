"""The staff write contract: GeoJSON Features in, GeoJSON Features out.

Input: a Feature whose `geometry` is the object's main geometry (a site's
location Point, a route's path line; a stop has none: it sits at its site)
and whose `properties` carry everything else, multilingual texts as
{"tr": …, "en": …, "de": …} objects.

Mass assignment: properties the server owns (status, timestamps,
authorship, length_m, and the slug once created) are refused with a 400
naming them, never silently ignored: a client that thinks it set the status
learns at once that it did not. Unknown properties are refused the same way,
so a typo is not lost. Status moves go through …/status (editorial.workflow).

Errors name the member: `geometry`, `properties.<name>`.

Validation happens once: these serializers check shapes (types, JSON
structure, lengths, choices, mass assignment); what the domain decides
(geometry inside the service area, known periods, years in order,
accessibility) is the model's full_clean, run by the services, and
`feature_errors` names those errors the same way.
"""

import contextlib

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from api.geojson_input import GeometryError, build_geometry
from editorial.translations import TranslationsValidator
from editorial.vocabularies import Confidence, GeometryQuality, Kind
from routes.models import Mode, StopDesignation, Theme
from sites.models import Site, osm_id, pleiades_id, wikidata_id
from sites.validators import SHAPE_TYPES

SERVER_OWNED = ("status", "created_at", "updated_at", "created_by", "updated_by", "id", "search_text")

READ_ONLY_MESSAGES = {
    "status": "Read-only: move it with POST …/status (the workflow decides who may).",
    "slug": "Read-only once created: the slug is the public identifier.",
    "site": "Read-only once created: take the stop off and add the other site.",
    "order": "Read-only once created: PUT …/stop-order to move stops.",
}

MIN_YEAR, MAX_YEAR = -12000, 2100


@extend_schema_field(OpenApiTypes.OBJECT)
class GeometryInputField(serializers.Field):
    """A GeoJSON geometry inside properties (a site's `shape`)."""

    def __init__(self, *, allowed_types: tuple[str, ...], **kwargs):
        self.allowed_types = allowed_types
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return build_geometry(data, allowed_types=self.allowed_types)
        except GeometryError as error:
            raise ValidationError(str(error)) from error

    def to_representation(self, value):  # output is built by the feature serializers
        return value


def translations(*, required: bool = False, max_length: int, allow_empty: bool = True):
    return serializers.JSONField(
        required=required,
        validators=[TranslationsValidator(required=not allow_empty, max_length=max_length)],
    )


def text(max_length: int, **kwargs):
    return serializers.CharField(max_length=max_length, allow_blank=True, trim_whitespace=False, **kwargs)


def year():
    # BCE negative; the bounds keep typos (20235) out.
    return serializers.IntegerField(allow_null=True, required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)


class PropertiesSerializer(serializers.Serializer):
    """Refuses server-owned and unknown properties, each by name."""

    server_owned: tuple[str, ...] = SERVER_OWNED
    create_only: tuple[str, ...] = ("slug",)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise ValidationError({"properties": ["Feature properties must be an object."]})
        errors = {}
        refused = set(self.server_owned)
        if not self.creating:
            refused |= set(self.create_only)
        for key in data:
            if key in refused:
                errors[key] = [READ_ONLY_MESSAGES.get(key, "Read-only: set by the server.")]
            elif key not in self.fields:
                errors[key] = [f"Unknown property; known: {', '.join(sorted(self.writable()))}."]
        if errors:
            raise ValidationError(errors)
        return super().to_internal_value(data)

    @property
    def creating(self) -> bool:
        return self.context.get("creating", self.instance is None)

    def writable(self) -> list[str]:
        owned = set() if self.creating else set(self.create_only)
        return [name for name in self.fields if name not in owned]


class SitePropertiesSerializer(PropertiesSerializer):
    slug = serializers.SlugField(max_length=120)
    name = translations(required=True, max_length=200, allow_empty=False)
    description = translations(max_length=20000)
    kind = serializers.ChoiceField(choices=Kind.choices)
    periods = serializers.ListField(child=serializers.SlugField(max_length=40), max_length=20, required=False)
    start_year = year()
    end_year = year()
    shape = GeometryInputField(allowed_types=SHAPE_TYPES, allow_null=True, required=False)
    geometry_quality = serializers.ChoiceField(choices=GeometryQuality.choices, required=False)
    confidence = serializers.ChoiceField(choices=Confidence.choices, required=False)
    district = text(100, required=False)
    address = text(300, required=False)
    opening_hours = text(255, required=False)
    accessibility = serializers.JSONField(required=False)
    wikidata = text(20, required=False, validators=[wikidata_id])
    pleiades = text(20, required=False, validators=[pleiades_id])
    osm = text(40, required=False, validators=[osm_id])
    sources = serializers.ListField(child=text(1000), max_length=100, required=False)
    license = serializers.CharField(max_length=60, required=False)
    attribution = text(300, required=False)


class RoutePropertiesSerializer(PropertiesSerializer):
    server_owned = (*SERVER_OWNED, "length_m")

    slug = serializers.SlugField(max_length=120)
    name = translations(required=True, max_length=200, allow_empty=False)
    summary = translations(max_length=1000)
    description = translations(max_length=20000)
    theme = serializers.ChoiceField(choices=Theme.choices, required=False)
    modes = serializers.ListField(
        child=serializers.ChoiceField(choices=Mode.choices), max_length=len(Mode.values), required=False
    )
    path_quality = serializers.ChoiceField(choices=GeometryQuality.choices, required=False)
    duration_min = serializers.IntegerField(allow_null=True, required=False, min_value=1, max_value=10080)
    license = serializers.CharField(max_length=60, required=False)
    attribution = text(300, required=False)

    def validate_modes(self, value):
        if len(set(value)) != len(value):
            msg = "Each mode at most once; the first is used for time estimates."
            raise ValidationError(msg)
        return value


class StopPropertiesSerializer(PropertiesSerializer):
    server_owned = (*SERVER_OWNED, "route", "site_status")
    # A stop's site and place are fixed once created: remove/add the stop,
    # or PUT …/stop-order to move it.
    create_only = ("site", "order")

    site = serializers.SlugField(max_length=120)
    order = serializers.IntegerField(min_value=1, required=False)
    designation = serializers.ChoiceField(choices=StopDesignation.choices, required=False)
    dwell_min = serializers.IntegerField(min_value=0, max_value=1440, required=False)
    trigger_radius_m = serializers.IntegerField(min_value=5, max_value=1000, required=False)
    narrative = translations(max_length=20000)

    def validate_site(self, value):
        site = Site.objects.filter(slug=value).first()
        if site is None:
            msg = f"No site has the slug {value!r}."
            raise ValidationError(msg)
        return site


class StatusSerializer(serializers.Serializer):
    status = serializers.CharField(max_length=20)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - {"status"})
            if unknown:
                raise ValidationError({key: ["Unknown member; send only status."] for key in unknown})
        return super().to_internal_value(data)


class StopOrderSerializer(serializers.Serializer):
    stops = serializers.ListField(child=serializers.SlugField(max_length=120), max_length=1000)


def validated_properties(serializer_class, properties: dict, *, creating: bool) -> dict:
    """Properties validated by `serializer_class` (all of them when creating,
    the given ones otherwise), errors keyed properties.<name>."""
    serializer = serializer_class(data=properties, partial=not creating, context={"creating": creating})
    if not serializer.is_valid():
        raise ValidationError({"properties": serializer.errors})
    return dict(serializer.validated_data)


@contextlib.contextmanager
def feature_errors(*, geometry_field: str | None):
    """Django ValidationErrors from services (full_clean) keyed as the
    Feature names them: the geometry field -> `geometry`, others ->
    `properties.<name>`."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise ValidationError({"body": error.messages}) from error
        detail: dict = {}
        properties: dict = {}
        for name, messages in error.message_dict.items():
            if name == geometry_field:
                detail["geometry"] = messages
            elif name == NON_FIELD_ERRORS:
                detail["body"] = messages
            else:
                properties[name] = messages
        if properties:
            detail["properties"] = properties
        raise ValidationError(detail) from error


# --- Output ------------------------------------------------------------------


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def _authorship(obj) -> dict:
    return {
        "created_at": obj.created_at.isoformat(),
        "updated_at": obj.updated_at.isoformat(),
        "created_by": _username(obj.created_by),
        "updated_by": _username(obj.updated_by),
    }


class SiteFeatureSerializer(serializers.BaseSerializer):
    """A site for staff, from staff_sites(): geometry built in the DB."""

    def to_representation(self, site):
        return {
            "type": "Feature",
            "id": site.slug,
            "geometry": site.location_geojson,
            "properties": {
                "slug": site.slug,
                "status": site.status,
                "name": site.name,
                "description": site.description,
                "kind": site.kind,
                "periods": sorted(period.code for period in site.periods.all()),
                "start_year": site.start_year,
                "end_year": site.end_year,
                "shape": site.shape_geojson,
                "geometry_quality": site.geometry_quality,
                "confidence": site.confidence,
                "district": site.district,
                "address": site.address,
                "opening_hours": site.opening_hours,
                "accessibility": site.accessibility,
                "wikidata": site.wikidata,
                "pleiades": site.pleiades,
                "osm": site.osm,
                "sources": site.sources,
                "license": site.license,
                "attribution": site.attribution,
                **_authorship(site),
            },
        }


class RouteFeatureSerializer(serializers.BaseSerializer):
    """A route for staff, from staff_routes(); its stops are …/stops."""

    def to_representation(self, route):
        return {
            "type": "Feature",
            "id": route.slug,
            "geometry": route.path_geojson,
            "properties": {
                "slug": route.slug,
                "status": route.status,
                "name": route.name,
                "summary": route.summary,
                "description": route.description,
                "theme": route.theme,
                "modes": route.modes,
                "path_quality": route.path_quality,
                "length_m": round(route.length_m, 1) if route.length_m is not None else None,
                "duration_min": route.duration_min,
                "license": route.license,
                "attribution": route.attribution,
                **_authorship(route),
            },
        }


class StopFeatureSerializer(serializers.BaseSerializer):
    """A stop for staff, from staff_stops(): at its site's location."""

    def to_representation(self, stop):
        return {
            "type": "Feature",
            "id": stop.site.slug,
            "geometry": stop.location_geojson,
            "properties": {
                "route": stop.route_slug,
                "site": stop.site.slug,
                "site_status": stop.site.status,
                "order": stop.order,
                "designation": stop.designation,
                "dwell_min": stop.dwell_min,
                "trigger_radius_m": stop.trigger_radius_m,
                "narrative": stop.narrative,
            },
        }
