"""Staff views for sites: list/create, read/edit/archive, workflow moves.

    GET    /api/v1/staff/sites[?status=&limit=&offset=]   FeatureCollection
    POST   /api/v1/staff/sites                            Feature -> 201 draft
    GET    /api/v1/staff/sites/{slug}                     Feature + ETag
    PATCH  /api/v1/staff/sites/{slug}      If-Match       Feature (partial)
    DELETE /api/v1/staff/sites/{slug}      If-Match       archives (200, Feature)
    POST   /api/v1/staff/sites/{slug}/status  If-Match    {"status": "review"}
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema

from api.concurrency import etag_for, require_if_match
from api.geojson_input import parse_feature
from api.v1.staff.common import StaffApi, collection, editable, feature_response, page, status_param
from api.v1.staff.schema import SITE
from api.v1.staff.selectors import staff_sites
from api.v1.staff.serializers import (
    SiteFeatureSerializer,
    SitePropertiesSerializer,
    StatusSerializer,
    feature_errors,
    validated_properties,
)
from editorial.workflow import transition
from sites.models import Site
from sites.services import site_archive, site_create, site_update

LOCATION_TYPES = ("Point",)


def site_fields(request, *, instance=None) -> dict:
    """The body as service keyword arguments (location from the geometry)."""
    geometry, properties, given = parse_feature(
        request.data, geometry_types=LOCATION_TYPES, geometry_required=instance is None
    )
    fields = validated_properties(SitePropertiesSerializer, properties, instance=instance)
    if given:
        fields["location"] = geometry
    return fields


def site_response(pk: int, *, status: int = 200, created: bool = False):
    site = get_object_or_404(staff_sites(), pk=pk)
    location = reverse("v1:staff-site-detail", kwargs={"slug": site.slug}) if created else None
    return feature_response(
        SiteFeatureSerializer(site).data, etag=etag_for(site), status=status, location=location
    )


def locked_site(slug: str) -> Site:
    return get_object_or_404(Site.objects.select_for_update(), slug=slug)


class StaffSiteListApi(StaffApi):
    @extend_schema(**SITE["list"])
    def get(self, request):
        sites, matched = page(request, staff_sites(status=status_param(request)))
        return feature_response(
            collection(SiteFeatureSerializer(sites, many=True).data, matched), etag=None
        )

    @extend_schema(**SITE["create"])
    def post(self, request):
        fields = site_fields(request)
        with feature_errors(geometry_field="location"):
            site = site_create(user=request.user, **fields)
        return site_response(site.pk, status=201, created=True)


class StaffSiteDetailApi(StaffApi):
    @extend_schema(**SITE["retrieve"])
    def get(self, request, slug):
        site = get_object_or_404(staff_sites(), slug=slug)
        return feature_response(SiteFeatureSerializer(site).data, etag=etag_for(site))

    @extend_schema(**SITE["update"])
    def patch(self, request, slug):
        with transaction.atomic():
            site = editable(request, locked_site(slug))
            fields = site_fields(request, instance=site)
            with feature_errors(geometry_field="location"):
                site_update(site=site, user=request.user, **fields)
        return site_response(site.pk)

    @extend_schema(**SITE["archive"])
    def delete(self, request, slug):
        """Archives: nothing is hard-deleted (editorial.workflow decides who may)."""
        with transaction.atomic():
            site = locked_site(slug)
            require_if_match(request, etag_for(site))
            site_archive(site=site, user=request.user)
        return site_response(site.pk)


class StaffSiteStatusApi(StaffApi):
    @extend_schema(**SITE["status"])
    def post(self, request, slug):
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            site = locked_site(slug)
            require_if_match(request, etag_for(site))
            transition(site, to_status=serializer.validated_data["status"], user=request.user)
        return site_response(site.pk)
