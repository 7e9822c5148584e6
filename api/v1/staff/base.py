"""The staff views of a content resource (sites, routes), configured once.

Each view only translates HTTP: parse the request, call one service, answer.
Locks, the role check, the If-Match check and domain validation all live in
the service (sites.services, routes.services, editorial.workflow), so the
admin, imports and these views share them.

A resource module (sites.py, routes.py) subclasses `FeatureResource` with
its model, selector, serializers, geometry member and services, then makes
its views with `views(resource, schema)`.
"""

from collections.abc import Callable

from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.concurrency import etag_for, if_match
from api.geojson_input import parse_feature
from api.v1.staff.common import StaffApi, collection, feature_response, page, status_param
from api.v1.staff.serializers import StatusSerializer, feature_errors, validated_properties
from editorial.workflow import transition


class FeatureResource:
    """What differs between the staff resources; everything else is shared."""

    model: type[models.Model]
    selector: Callable  # (status=None) -> QuerySet with the feature serializer's annotations
    properties_serializer: type
    feature_serializer: type
    geometry_field: str  # the model field the Feature's geometry sets
    geometry_types: tuple[str, ...]
    detail_url_name: str
    # The services, called with keyword arguments only: create(user=,
    # **fields); update(<name>=obj, user=, expected_versions=, **fields);
    # archive(<name>=obj, user=, expected_versions=).
    name: str  # "site": the services' keyword for the object
    create: staticmethod
    update: staticmethod
    archive: staticmethod

    @classmethod
    def fields(cls, request, *, creating: bool) -> dict:
        """The body as service keyword arguments (the geometry as its field)."""
        geometry, properties, given = parse_feature(
            request.data, geometry_types=cls.geometry_types, geometry_required=creating
        )
        fields = validated_properties(cls.properties_serializer, properties, creating=creating)
        if given:
            fields[cls.geometry_field] = geometry
        return fields

    @classmethod
    def errors(cls):
        """Service ValidationErrors named as the Feature names them."""
        return feature_errors(geometry_field=cls.geometry_field)

    @classmethod
    def response(cls, pk: int, *, status: int = 200, created: bool = False):
        obj = get_object_or_404(cls.selector(), pk=pk)
        location = reverse(cls.detail_url_name, kwargs={"slug": obj.slug}) if created else None
        data = cls.feature_serializer(obj).data
        return feature_response(data, etag=etag_for(obj), status=status, location=location)

    @classmethod
    def get(cls, slug: str):
        return get_object_or_404(cls.model, slug=slug)


class FeatureListApi(StaffApi):
    resource: type[FeatureResource]

    def get(self, request):
        resource = self.resource
        objects, matched = page(request, resource.selector(status=status_param(request)))
        features = resource.feature_serializer(objects, many=True).data
        return feature_response(collection(features, matched), etag=None)

    def post(self, request):
        resource = self.resource
        fields = resource.fields(request, creating=True)
        with resource.errors():
            obj = resource.create(user=request.user, **fields)
        return resource.response(obj.pk, status=201, created=True)


class FeatureDetailApi(StaffApi):
    resource: type[FeatureResource]

    def get(self, request, slug):
        obj = get_object_or_404(self.resource.selector(), slug=slug)
        return feature_response(self.resource.feature_serializer(obj).data, etag=etag_for(obj))

    def patch(self, request, slug):
        resource = self.resource
        obj = resource.get(slug)
        fields = resource.fields(request, creating=False)
        with resource.errors():
            resource.update(
                **{resource.name: obj}, user=request.user, expected_versions=if_match(request), **fields
            )
        return resource.response(obj.pk)

    def delete(self, request, slug):
        """Archives: nothing is hard-deleted (editorial.workflow decides who may)."""
        resource = self.resource
        obj = resource.get(slug)
        resource.archive(**{resource.name: obj}, user=request.user, expected_versions=if_match(request))
        return resource.response(obj.pk)


class FeatureStatusApi(StaffApi):
    resource: type[FeatureResource]

    def post(self, request, slug):
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.resource.get(slug)
        to_status = serializer.validated_data["status"]
        transition(obj, to_status=to_status, user=request.user, expected_versions=if_match(request))
        return self.resource.response(obj.pk)


def views(resource: type[FeatureResource], schema: dict) -> tuple[type, type, type]:
    """(list, detail, status) views for `resource`, documented by `schema`
    (api/v1/staff/schema.py: SITE, ROUTE)."""
    model = resource.model.__name__

    def make(base, label, **methods):
        documented = extend_schema_view(**{m: extend_schema(**schema[key]) for m, key in methods.items()})
        return documented(type(f"Staff{model}{label}Api", (base,), {"resource": resource}))

    return (
        make(FeatureListApi, "List", get="list", post="create"),
        make(FeatureDetailApi, "Detail", get="retrieve", patch="update", delete="archive"),
        make(FeatureStatusApi, "Status", post="status"),
    )
