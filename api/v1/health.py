"""GET /api/v1/health: liveness of the service and its database."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from geodata.health import postgis_version

HealthSerializer = inline_serializer(
    "Health",
    {
        "status": serializers.ChoiceField(choices=["ok", "unavailable"]),
        "database": serializers.ChoiceField(choices=["ok", "unavailable"]),
        "postgis": serializers.CharField(allow_null=True),
    },
)


class HealthApi(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer}, tags=["health"])
    def get(self, request):
        version = postgis_version()
        state = "ok" if version else "unavailable"
        response = Response(
            {"status": state, "database": state, "postgis": version},
            status=200 if version else 503,
        )
        response["Cache-Control"] = "no-store"
        return response
