"""GET /api/v1/routes/{slug}/plan?start=2026-12-05T09:00: the day on a route,
arrival and departure at each stop, with a warning where a stop is closed at
arrival or its hours are unknown (routes.day_plan). Times are local to
Europe/Istanbul; a `start` with an offset is converted to it."""

from datetime import datetime

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.exceptions import PROBLEM_MEDIA_TYPE
from api.params import QueryParams
from api.public import PublicReadApi
from api.rawjson import RawJSONRenderer
from api.v1.schema import COMMON_PARAMETERS, NOT_ACCEPTABLE, NOT_FOUND, NOT_MODIFIED, bad_parameter
from api.v1.serializers import TranslatedField
from routes.day_plan import CLOSED_AT_ARRIVAL, HOURS_UNKNOWN, local_zone, route_day_plan


class StartField(serializers.Field):
    default_error_messages = {
        "invalid": "Expected a local date and time like 2026-12-05T09:00 (Europe/Istanbul).",
        "range": "The year must be between 2000 and 2100.",
    }

    def to_internal_value(self, data):
        try:
            moment = datetime.fromisoformat(str(data).strip())
        except ValueError:
            self.fail("invalid")
        if not 2000 <= moment.year <= 2100:
            self.fail("range")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=local_zone())
        return moment.astimezone(local_zone())


class PlanParams(QueryParams):
    start = StartField(help_text="Local start, e.g. 2026-12-05T09:00 (Europe/Istanbul).")


class LocalTimeField(serializers.DateTimeField):
    def to_representation(self, value):
        return value.astimezone(local_zone()).isoformat(timespec="minutes")


class PlannedStopSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    site = serializers.CharField()
    name = TranslatedField()
    arrive = LocalTimeField(help_text="Local time (Europe/Istanbul) with its offset.")
    depart = LocalTimeField()
    moving_min = serializers.FloatField(help_text="Minutes moving from the previous stop.")
    dwell_min = serializers.IntegerField()
    opening_hours = serializers.CharField(help_text="OSM opening_hours syntax; empty when unknown.")
    open_at_arrival = serializers.BooleanField(allow_null=True, help_text="null: hours unknown.")
    warning = serializers.ChoiceField(choices=[CLOSED_AT_ARRIVAL, HOURS_UNKNOWN], allow_null=True)


class DayPlanSerializer(serializers.Serializer):
    route = serializers.CharField(source="route.slug")
    mode = serializers.CharField(source="route.main_mode")
    timezone = serializers.SerializerMethodField()
    start = LocalTimeField()
    end = LocalTimeField()
    stops = PlannedStopSerializer(many=True)
    attribution = serializers.SerializerMethodField()
    license = serializers.SerializerMethodField()

    def get_timezone(self, plan) -> str:
        return settings.TIME_ZONE

    def get_attribution(self, plan) -> str:
        return settings.HERITAGE_DATA_ATTRIBUTION

    def get_license(self, plan) -> str:
        return settings.HERITAGE_DATA_LICENSE


class RoutePlanApi(PublicReadApi):
    """The day on a route from a start time."""

    cache_control = "public, max-age=300"
    renderer_classes = [RawJSONRenderer]  # plain JSON, not GeoJSON

    @extend_schema(
        operation_id="routes_plan",
        tags=["routes"],
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.STR,
                required=True,
                description="Local start time, e.g. 2026-12-05T09:00 (Europe/Istanbul; an offset converts).",
            ),
            *COMMON_PARAMETERS,
        ],
        responses={
            200: OpenApiResponse(DayPlanSerializer, description="application/json: the stops with times."),
            304: NOT_MODIFIED,
            (400, PROBLEM_MEDIA_TYPE): bad_parameter("`start` missing or not a date and time."),
            (404, PROBLEM_MEDIA_TYPE): NOT_FOUND,
            (406, PROBLEM_MEDIA_TYPE): NOT_ACCEPTABLE,
        },
    )
    def get(self, request, slug):
        params = PlanParams.parse(request)
        plan = route_day_plan(slug=slug, start=params["start"])
        if plan is None:
            raise Http404("No published route has this slug.")
        return Response(DayPlanSerializer(plan, context={"request": request, "language": self.language}).data)
