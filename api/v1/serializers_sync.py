"""Serializers (documentation contracts) of the offline-sync additions."""

from rest_framework import serializers

from api.v1.serializers import RouteListFeatureSerializer


class RouteListWithPackageSerializer(RouteListFeatureSerializer):
    """The route list's feature, with the offline package's size per language
    (api.v1.routes adds it to the SQL-built feature)."""

    package_bytes = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        read_only=True,
        help_text="Bytes of GET /routes/{slug}/package per language (null: not built yet).",
    )

    class Meta(RouteListFeatureSerializer.Meta):
        fields = (*RouteListFeatureSerializer.Meta.fields, "package_bytes")
