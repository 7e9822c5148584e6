"""Query-parameter parsing for the public API: one serializer per endpoint.

Every bad value becomes a 400 problem+json naming the parameter
(api.exceptions.ParameterError). Views never parse query strings by hand.
"""

import math

from django.conf import settings
from django.contrib.gis.geos import Point, Polygon
from rest_framework import serializers

from api.exceptions import ParameterError
from api.paging import StrictIntegerField
from editorial.translations import fold
from editorial.vocabularies import PERIODS, Kind
from geodata.params import FilterError, check_bbox_span, parse_bbox

# A phone map shows a city, at most a province: a larger bbox is a client bug
# (or a scraper) and would defeat the point of paging by area.
MAX_BBOX_SPAN_DEG = 5.0
SITES_DEFAULT_LIMIT = 100
SITES_MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000
NEARBY_DEFAULT_RADIUS_M = 1000
NEARBY_MAX_RADIUS_M = 50_000
NEARBY_DEFAULT_LIMIT = 20
NEARBY_MAX_LIMIT = 100
MAX_ACCURACY_M = 10_000
MAX_QUERY_LENGTH = 100
# Time travel: years are integers, BCE negative (the seed starts at 6500 BCE).
MIN_YEAR = -10_000
MAX_YEAR = 9999
PERIOD_CODES = [code for code, *_rest in PERIODS]


class FiniteFloatField(serializers.FloatField):
    """A float that refuses NaN and ±Infinity (Python's float() accepts them)."""

    default_error_messages = {
        "invalid": "A number is required.",
        "not_finite": "Must be a finite number (not NaN or Infinity).",
    }

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.strip():
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("not_finite")
        return value


def latitude_field(**kwargs) -> FiniteFloatField:
    return FiniteFloatField(min_value=-90, max_value=90, **kwargs)


def longitude_field(**kwargs) -> FiniteFloatField:
    return FiniteFloatField(min_value=-180, max_value=180, **kwargs)


class BBoxField(serializers.Field):
    """`minLon,minLat,maxLon,maxLat` (OGC API - Features order) -> Polygon.

    The rule and its messages are geodata.params.parse_bbox's, shared with
    OGC, exports and the command line; the phone map's size limit is a
    separate check on top (check_bbox_span)."""

    def to_internal_value(self, data):
        try:
            box = parse_bbox(str(data), parameter=self.field_name)
            check_bbox_span(box, max_degrees=MAX_BBOX_SPAN_DEG, parameter=self.field_name)
        except FilterError as error:
            raise serializers.ValidationError(error.message) from error
        return Polygon.from_bbox(box)

    def to_representation(self, value):
        return ",".join(f"{v:g}" for v in value.extent)


class LanguageField(serializers.Field):
    """`lang` is never an error: an unsupported value falls back (api.i18n)."""

    def to_internal_value(self, data):
        return str(data)[:35]

    def to_representation(self, value):
        return value


class QueryParams(serializers.Serializer):
    """Base: `parse(request)` returns validated data or raises ParameterError."""

    lang = LanguageField(required=False, help_text="Language code (tr, en, de); others fall back.")

    @classmethod
    def parse(cls, request) -> dict:
        params = cls(data=request.query_params)
        # DRF deep-copies every declared field for each new serializer (a third
        # of parsing a nearby request's parameters); these fields hold no
        # per-request state, so one bound set per class serves every request.
        params.fields = cls._shared_fields()
        if not params.is_valid():
            raise ParameterError(params.errors)
        return params.validated_data

    @classmethod
    def _shared_fields(cls):
        prototype = cls.__dict__.get("_prototype")
        if prototype is None:  # one per class, not inherited from a parent's
            prototype = cls()
            cls._prototype = prototype
        return prototype.fields


def year_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text="Only sites standing in this year (start_year ≤ year ≤ end_year; no end: still standing).",
    )


class SiteListParams(QueryParams):
    bbox = BBoxField(required=False, help_text="minLon,minLat,maxLon,maxLat (WGS84).")
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    period = serializers.ChoiceField(choices=PERIOD_CODES, required=False)
    route = serializers.SlugField(required=False, help_text="Slug of a published route.")
    q = serializers.CharField(
        required=False, max_length=MAX_QUERY_LENGTH, help_text="Name search, any language, accents ignored."
    )
    year = year_field()
    limit = StrictIntegerField(min_value=1, max_value=SITES_MAX_LIMIT, default=SITES_DEFAULT_LIMIT)
    offset = StrictIntegerField(min_value=0, max_value=MAX_OFFSET, default=0)

    def validate_q(self, value: str) -> str:
        folded = fold(value.strip())
        if not folded:
            msg = "Give at least one letter or digit."
            raise serializers.ValidationError(msg)
        return folded


class NearbyParams(QueryParams):
    lat = latitude_field()
    lon = longitude_field()
    radius = FiniteFloatField(
        required=False,
        default=NEARBY_DEFAULT_RADIUS_M,
        max_value=NEARBY_MAX_RADIUS_M,
        help_text=f"Metres, > 0 and ≤ {NEARBY_MAX_RADIUS_M}.",
    )
    limit = StrictIntegerField(min_value=1, max_value=NEARBY_MAX_LIMIT, default=NEARBY_DEFAULT_LIMIT)
    year = year_field()

    def validate_radius(self, value: float) -> float:
        if value <= 0:
            msg = "Must be greater than 0 metres."
            raise serializers.ValidationError(msg)
        return value

    def validate(self, attrs):
        attrs["point"] = Point(attrs["lon"], attrs["lat"], srid=4326)
        return attrs


class ProgressParams(QueryParams):
    """A position for linear referencing. It must lie in the service area:
    positions are projected to UTM 35N, which cannot represent the far side
    of the globe (PROJ refuses), and a route in İzmir has nothing to say
    about them anyway."""

    lat = latitude_field()
    lon = longitude_field()
    accuracy = FiniteFloatField(
        required=False, default=0, min_value=0, max_value=MAX_ACCURACY_M, help_text="GPS accuracy, metres."
    )

    def validate(self, attrs):
        west, south, east, north = settings.HERITAGE_SERVICE_AREA
        errors = {}
        if not west <= attrs["lon"] <= east:
            errors["lon"] = [f"Outside the service area: expected {west}..{east}."]
        if not south <= attrs["lat"] <= north:
            errors["lat"] = [f"Outside the service area: expected {south}..{north}."]
        if errors:
            raise serializers.ValidationError(errors)
        attrs["point"] = Point(attrs["lon"], attrs["lat"], srid=4326)
        return attrs


class TileParams(QueryParams):
    year = year_field()


class LanguageParams(QueryParams):
    """Endpoints whose only parameter is `lang`."""


class ChangesParams(QueryParams):
    """GET /api/v1/changes: an opaque cursor from an earlier answer."""

    since = serializers.CharField(required=False, max_length=8192, help_text="`next` of an earlier answer.")
    limit = StrictIntegerField(min_value=1, max_value=1000, default=500)
