"""The v1 contract of releases (GET /api/v1/releases…): a list, one release
with its files, each file with its stable URL, size and SHA-256."""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def absolute(request, url_name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(f"v1:{url_name}", kwargs=kwargs))


class ReleaseChangesSerializer(serializers.Serializer):
    since = serializers.CharField(source="previous", help_text="The previous release; empty for the first.")
    added = serializers.IntegerField(help_text="Sites published since the previous release.")
    changed = serializers.IntegerField(help_text="Sites whose exported content changed.")
    withdrawn = serializers.IntegerField(help_text="Sites no longer published.")


class ReleaseFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    media_type = serializers.CharField()
    bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, entry) -> str:
        request, version = self.context["request"], self.context["version"]
        return absolute(request, "release-file", version=version, name=entry["name"])


class ReleaseSummarySerializer(serializers.Serializer):
    version = serializers.CharField()
    released_at = serializers.DateTimeField(default_timezone=UTC)
    url = serializers.SerializerMethodField(help_text="Stable URL of the release, for a bibliography.")
    sites = serializers.IntegerField(source="site_count")
    routes = serializers.IntegerField(source="route_count")
    changes = serializers.SerializerMethodField()
    citation = serializers.CharField()

    def get_url(self, release) -> str:
        return absolute(self.context["request"], "release-detail", version=release.version)

    @extend_schema_field(ReleaseChangesSerializer)
    def get_changes(self, release) -> dict:
        return ReleaseChangesSerializer(release).data


class ReleaseDetailSerializer(ReleaseSummarySerializer):
    license = serializers.SerializerMethodField()
    attribution = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    def get_license(self, release) -> str:
        return settings.HERITAGE_DATA_LICENSE

    def get_attribution(self, release) -> str:
        return settings.HERITAGE_DATA_ATTRIBUTION

    @extend_schema_field(ReleaseFileSerializer(many=True))
    def get_files(self, release) -> list:
        context = {**self.context, "version": release.version}
        return ReleaseFileSerializer(release.files, many=True, context=context).data


class ReleaseLinkSerializer(serializers.Serializer):
    href = serializers.URLField()
    rel = serializers.CharField()
    type = serializers.CharField()


class ReleaseListSerializer(serializers.Serializer):
    releases = ReleaseSummarySerializer(many=True)
    links = ReleaseLinkSerializer(many=True)
