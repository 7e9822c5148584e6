"""Map support for the admin: django-leaflet widgets plus our own layers.

`MapAdminMixin` gives a ModelAdmin
- Leaflet widgets for geometry fields (assets from django-leaflet's package,
  no CDN; a basemap only if HERITAGE_BASEMAP_URL is set);
- a change form that draws the other sites and routes under the widgets
  (templates/admin/heritage/change_form.html + static/heritage/admin-map.js),
  from a GeoJSON URL the concrete admin names in `map_layers_url_name`;
- a change list with a map of the current filter and search.

Features are built in PostGIS (geodata.geojson.feature), not per row in
Python; the change-list map is capped at MAP_FEATURE_LIMIT features.

The context layers are a registry: each app registers its own layer from
its admin module (`register_map_layer`), so the view that serves them
(`layers_response`) needs to import no app, and sites need not know routes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, QuerySet, Value
from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from leaflet.admin import LeafletGeoAdminMixin

from geodata.geojson import GEOJSON_MEDIA_TYPE, feature

MAP_FEATURE_LIMIT = 5000
READONLY_MAP_SUFFIX = "_on_map"


def feature_collection(querysets: list[tuple[QuerySet, str, str]], *, limit: int = MAP_FEATURE_LIMIT) -> dict:
    """One FeatureCollection from several (queryset, geometry field, layer
    name) sources. Each feature's properties: layer, slug, name (all
    languages), status; its id is the row's pk."""
    features: list[dict] = []
    for queryset, geometry, layer in querysets:
        remaining = limit - len(features)
        if remaining <= 0:
            break
        rows = (
            queryset.exclude(**{f"{geometry}__isnull": True})
            .annotate(
                map_feature=feature(
                    geometry=geometry,
                    properties={
                        "layer": Value(layer, output_field=CharField()),
                        "slug": "slug",
                        "name": "name",
                        "status": "status",
                    },
                )
            )
            .values_list("map_feature", flat=True)[:remaining]
        )
        features.extend(rows)
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class MapLayer:
    name: str  # "site": the `layer` property and the ?exclude= prefix
    queryset: Callable[[], QuerySet]
    geometry: str
    position: int  # drawn in ascending order: lines under points


MAP_LAYERS: dict[str, MapLayer] = {}


def register_map_layer(name: str, *, queryset: Callable[[], QuerySet], geometry: str, position: int) -> None:
    MAP_LAYERS[name] = MapLayer(name, queryset, geometry, position)


def layers_response(request) -> JsonResponse:
    """Every registered layer, every status, for the map widgets;
    `?exclude=site:12` leaves out the object being edited."""
    excluded, _, pk = request.GET.get("exclude", "").partition(":")
    sources = []
    for layer in sorted(MAP_LAYERS.values(), key=lambda layer: layer.position):
        rows = layer.queryset()
        if layer.name == excluded and pk.isdigit():
            rows = rows.exclude(pk=int(pk))
        sources.append((rows, layer.geometry, layer.name))
    return JsonResponse(feature_collection(sources), content_type=GEOJSON_MEDIA_TYPE)


def layers_view(model_admin, request) -> JsonResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    return layers_response(request)


class MapAdminMixin(LeafletGeoAdminMixin):
    change_form_template = "admin/heritage/change_form.html"
    change_list_template = "admin/heritage/change_list.html"
    delete_confirmation_template = "admin/heritage/delete_confirmation.html"
    # The admin URL name of the context-layers GeoJSON view.
    map_layers_url_name = "admin:sites_site_layers"
    # The geometry shown for each row on the change-list map.
    changelist_map_geometry = "location"
    changelist_map_layer = "site"

    def map_layers_url(self, obj=None) -> str | None:
        try:
            url = reverse(self.map_layers_url_name)
        except NoReverseMatch:
            return None
        if obj is not None and obj.pk:
            url += f"?exclude={self.changelist_map_layer}:{obj.pk}"
        return url

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # View-only pages (e.g. an editor opening a published site) show each
        # geometry on a small read-only map instead of its WKT text.
        for field in self.model._meta.get_fields():
            if isinstance(field, GeometryField):
                show = partial(self._readonly_map, field_name=field.name)
                show.short_description = field.verbose_name.capitalize()
                setattr(self, f"{field.name}{READONLY_MAP_SUFFIX}", show)

    def _readonly_map(self, obj, *, field_name: str):
        geometry = getattr(obj, field_name, None)
        if geometry is None:
            return "—"
        return format_html('<div class="heritage-readonly-map" data-geometry="{}"></div>', geometry.json)

    def _can_change(self, request, obj) -> bool:
        return obj is None or self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._can_change(request, obj):
            return fieldsets
        mapped = {name for name in dir(self) if name.endswith(READONLY_MAP_SUFFIX)}

        def swap(name):
            if isinstance(name, (list, tuple)):
                return type(name)(swap(n) for n in name)
            return f"{name}{READONLY_MAP_SUFFIX}" if f"{name}{READONLY_MAP_SUFFIX}" in mapped else name

        return [(title, {**options, "fields": swap(options["fields"])}) for title, options in fieldsets]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["heritage_map_config"] = {"layersUrl": self.map_layers_url(obj)}
        context["heritage_readonly_maps"] = not self._can_change(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        changelist = (context or {}).get("cl")
        if changelist is None:
            return response
        collection = feature_collection(
            [(changelist.queryset.order_by(), self.changelist_map_geometry, self.changelist_map_layer)]
        )
        shown = len(collection["features"])
        opts = self.model._meta
        context["heritage_changelist_features"] = collection
        context["heritage_changelist_config"] = {
            "changeUrl": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=["__id__"])
        }
        context["heritage_changelist_note"] = (
            f"The map shows the {shown} {opts.verbose_name_plural} of the current filter and search"
            + (f" (first {MAP_FEATURE_LIMIT})." if shown >= MAP_FEATURE_LIMIT else ".")
        )
        return response
