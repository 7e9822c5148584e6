"""Admin for routes and their ordered stops.

The path is drawn on the map or replaced by uploading a GeoJSON, GPX or KML
file (parsed by geodata.path_files). Stops are an ordered inline: change
the numbers and save once; the (route, order) unique constraint is
DEFERRED, so swapped orders are checked at COMMIT, and the formset itself
refuses duplicates. After a save, stops more than STOP_WARNING_DISTANCE_M
from the path are reported as a warning (distance on the spheroid, in
PostGIS). Length is a generated column, so it is always the path's.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import LineString, MultiLineString
from django.core.exceptions import ValidationError
from django.db.models import F, FloatField
from django.db.models.functions import Cast
from simple_history.admin import SimpleHistoryAdmin

from editorial import workflow
from editorial.admin_maps import MapAdminMixin, register_map_layer
from editorial.admin_widgets import TranslationsAdminMixin
from editorial.admin_workflow import WorkflowAdminMixin, adopt, request_roles
from editorial.translations import pick
from geodata.path_files import parse_path_file
from routes.admin_audio import StopAudioInline
from routes.estimates import route_estimated_duration_min
from routes.models import Route, RouteStop
from routes.services import (
    ROUTE_FIELDS,
    STOP_FIELDS,
    StopSpec,
    check_stop_site,
    route_create,
    route_set_stops,
    route_update,
    stop_update,
)

STOP_WARNING_DISTANCE_M = 100


def stops_far_from_path(
    route: Route, *, beyond_m: float = STOP_WARNING_DISTANCE_M
) -> list[tuple[int, str, float]]:
    """(order, site slug, metres) of the route's stops lying more than
    `beyond_m` metres from its path: ST_Distance on geography, one query."""
    return list(
        route.stops.annotate(distance_m=Cast(Distance("site__location", F("route__path")), FloatField()))
        .filter(distance_m__gt=beyond_m)
        .order_by("order")
        .values_list("order", "site__slug", "distance_m")
    )


class RouteAdminForm(forms.ModelForm):
    path_file = forms.FileField(
        required=False,
        label="Replace path from file",
        help_text="GeoJSON, GPX or KML (at most 5 MB). Replaces the drawn path; elevations are dropped.",
    )

    class Meta:
        model = Route
        fields = (
            "name",
            "slug",
            "theme",
            "modes",
            "summary",
            "description",
            "path",
            "path_quality",
            "duration_min",
            "license",
            "attribution",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "path" in self.fields:
            self.fields["path"].required = False  # a file may supply it

    def clean_path_file(self):
        upload = self.cleaned_data.get("path_file")
        return None if upload is None else parse_path_file(upload)

    def clean(self):
        cleaned = super().clean()
        from_file = cleaned.get("path_file")
        if from_file is not None:
            cleaned["path"] = from_file
            self.errors.pop("path", None)
        path = cleaned.get("path")
        if path is not None and path.geom_type == "MultiLineString" and len(path) == 1:
            # The map widget always draws a MultiLineString; one line is a LineString.
            cleaned["path"] = LineString(path[0].coords, srid=path.srid)
        elif not cleaned.get("path") and "path" in self.fields and "path" not in self.errors:
            self.add_error("path", "Draw the path on the map or upload a GeoJSON, GPX or KML file.")
        return cleaned


def _path_as_multiline(serialize, value):
    """The stored path for the map widget. The widget edits a collection of
    lines, and django-leaflet's loader splits a plain LineString into one
    "line" per vertex (an invalid layer: the path was not drawn and the page
    threw "Bounds are not valid"), so a LineString goes out as a one-line
    MultiLineString; RouteAdminForm.clean turns it back on save."""
    if value and not isinstance(value, str) and value.geom_type == "LineString":
        value = MultiLineString(value, srid=value.srid)
    return serialize(value)


class RouteStopForm(forms.ModelForm):
    order = forms.IntegerField(min_value=1, help_text="1 = first stop.")

    class Meta:
        model = RouteStop
        fields = ("order", "site", "designation", "dwell_min", "trigger_radius_m", "narrative")

    def clean_site(self):
        site = self.cleaned_data.get("site")
        if site is not None and site.pk != self.instance.site_id:
            check_stop_site(site)  # the service's rule, shown on the row
        return site

    def _get_validation_exclusions(self):
        # The (route, order) unique constraint is DEFERRED: rows may swap
        # orders within the one save. Per-row checks against the database
        # would refuse a swap, so order is left to the formset (duplicates
        # in the submission) and to PostgreSQL at COMMIT.
        exclude = super()._get_validation_exclusions()
        exclude.add("order")
        return exclude


class RouteStopFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen: dict[int, int] = {}
        for index, form in enumerate(self.forms, start=1):
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or self._should_delete_form(form):
                continue
            order = form.cleaned_data.get("order")
            if order in seen:
                msg = (
                    f"Two stops (rows {seen[order]} and {index}) have order {order}; give each stop its own."
                )
                raise ValidationError(msg)
            seen[order] = index


class RouteStopInline(TranslationsAdminMixin, admin.TabularInline):
    model = RouteStop
    form = RouteStopForm
    formset = RouteStopFormSet
    extra = 1
    autocomplete_fields = ("site",)
    translation_fields = ("narrative",)
    long_translation_fields = ("narrative",)
    fields = (
        "order",
        "site",
        "distance_to_path",
        "designation",
        "dwell_min",
        "trigger_radius_m",
        "narrative",
    )
    readonly_fields = ("distance_to_path",)
    ordering = ("order",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("site")
            .annotate(distance_m=Cast(Distance("site__location", F("route__path")), FloatField()))
        )

    @admin.display(description="From path")
    def distance_to_path(self, stop):
        distance = getattr(stop, "distance_m", None)
        if distance is None:
            return "—"
        flag = " ⚠" if distance > STOP_WARNING_DISTANCE_M else ""
        return f"{distance:.0f} m{flag}"

    def has_view_permission(self, request, obj=None):
        return bool(request_roles(request))

    def has_add_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Removing a stop deletes its row (its history keeps it), so it is a
        # reviewer's move: nothing is hard-deleted by editors.
        return obj is None or workflow.can_remove_stops(request.user, obj)


@admin.register(Route)
class RouteAdmin(WorkflowAdminMixin, TranslationsAdminMixin, MapAdminMixin, SimpleHistoryAdmin):
    form = RouteAdminForm
    list_display = ("slug", "display_name", "theme", "status", "length_km", "updated_at")
    list_filter = ("status", "theme")
    search_fields = ("slug",)
    inlines = [RouteStopInline]
    translation_fields = ("name", "summary", "description")
    long_translation_fields = ("summary", "description")
    readonly_fields = (
        "length_display",
        "estimated_duration",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
    )
    history_list_display = ("status",)
    changelist_map_geometry = "path"
    changelist_map_layer = "route"
    fieldsets = (
        (None, {"fields": ("name", "slug", "theme", "modes", "summary", "description")}),
        (
            "Path",
            {
                "fields": (
                    "path",
                    "path_file",
                    "path_quality",
                    "length_display",
                    "estimated_duration",
                    "duration_min",
                ),
                "description": "Draw the line on the map, or upload a file. Length is computed by PostGIS "
                "from the saved path.",
            },
        ),
        ("Credits", {"fields": ("license", "attribution")}),
        ("Workflow", {"fields": ("status", "created_at", "updated_at", "created_by", "updated_by")}),
    )

    @admin.display(description="name", ordering="slug")
    def display_name(self, route):
        return pick(route.name, "tr")

    @admin.display(description="length", ordering="length_m")
    def length_km(self, route):
        return "—" if route.length_m is None else f"{route.length_m / 1000:.2f} km"

    @admin.display(description="Length (from the saved path)")
    def length_display(self, route):
        if route.pk is None or route.length_m is None:
            return "computed on save"
        return f"{route.length_m:,.0f} m"

    @admin.display(description="Estimated duration")
    def estimated_duration(self, route):
        if route.pk is None:
            return "computed on save"
        minutes = route_estimated_duration_min(route)
        return f"{minutes // 60} h {minutes % 60:02d} min (moving by {route.main_mode} + time at stops)"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "path":
            # Offer only the line tool; several lines make a MultiLineString.
            formfield.widget.attrs["geom_name"] = "MultiLineString"
            formfield.widget.serialize = partial(_path_as_multiline, formfield.widget.serialize)
        return formfield

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "slug") if obj is not None else fields

    def get_search_results(self, request, queryset, search_term):
        from editorial.translations import fold

        term = search_term.strip()
        if not term:
            return queryset, False
        folded = fold(term)
        # Routes are few (tens) and have no search_text column: fold in Python.
        names = queryset.values_list("pk", "name")
        matches = [pk for pk, name in names if folded in fold(" ".join(map(str, name.values())))]
        return queryset.filter(pk__in=matches) | queryset.filter(slug__icontains=term), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        route = form.instance
        for order, slug, distance in stops_far_from_path(route):
            self.message_user(
                request,
                f"Stop {order} ({slug}) lies {distance:.0f} m from the path "
                f"(more than {STOP_WARNING_DISTANCE_M} m): check the path or the stop.",
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change):
        """Through routes.services, like every other write."""
        fields = {name: form.cleaned_data[name] for name in ROUTE_FIELDS if name in form.cleaned_data}
        if change:
            route_update(route=obj, user=request.user, **fields)
            return
        adopt(obj, route_create(slug=form.cleaned_data["slug"], user=request.user, **fields))

    def save_formset(self, request, form, formset, change):
        """The stop list as a whole, through route_set_stops: the same checks
        (role, reviewer to remove, stop constraints) as the API's stop writes."""
        kept, formset.new_objects, formset.changed_objects = [], [], []
        formset.deleted_objects = [f.instance for f in formset.deleted_forms if f.instance.pk]
        for stop_form in formset.forms:
            data = getattr(stop_form, "cleaned_data", None)
            if not data or stop_form in formset.deleted_forms:
                continue
            if stop_form.instance.pk is None and not stop_form.has_changed():
                continue  # an empty extra row
            kept.append(data)
            if stop_form.instance.pk is None:
                formset.new_objects.append(stop_form.instance)
            elif stop_form.changed_data:
                formset.changed_objects.append((stop_form.instance, stop_form.changed_data))
        kept.sort(key=lambda data: data["order"])
        specs = [
            StopSpec(
                site_slug=data["site"].slug,
                designation=data["designation"],
                dwell_min=data["dwell_min"],
                trigger_radius_m=data["trigger_radius_m"],
                narrative=data.get("narrative") or {},
            )
            for data in kept
        ]
        route_set_stops(route=form.instance, stops=specs, user=request.user)


# Routes are drawn under the sites on every admin map (editorial.admin_maps).
register_map_layer("route", queryset=Route.objects.all, geometry="path", position=0)


@admin.register(RouteStop)
class RouteStopAdmin(WorkflowAdminMixin, TranslationsAdminMixin, SimpleHistoryAdmin):
    """Stops are edited on their route; this list exists for their history."""

    list_display = ("route", "order", "site", "designation", "dwell_min")
    list_filter = ("route",)
    inlines = [StopAudioInline]  # routes.admin_audio: the stop's audio guides
    list_select_related = ("route", "site")
    translation_fields = ("narrative",)
    autocomplete_fields = ("site",)
    actions = []

    def get_actions(self, request):
        return {}

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        route = getattr(obj, "route", None)
        return False if route is None else workflow.can_edit(request.user, route)

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, *args, **kwargs):
        # A stop has no status of its own (its route's workflow applies):
        # no workflow buttons, which would read a status the stop lacks.
        return super(WorkflowAdminMixin, self).render_change_form(request, context, *args, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A stop moves or changes site on its route's page (the whole list).
        exists = obj is not None and RouteStop.objects.filter(pk=obj.pk).exists()
        return ("route", "order", "site") if exists else ("route",)

    def save_model(self, request, obj, form, change):
        if RouteStop.objects.filter(pk=obj.pk).exists():
            fields = {name: form.cleaned_data[name] for name in STOP_FIELDS if name in form.cleaned_data}
            stop_update(stop=obj, user=request.user, **fields)
        else:  # a superuser restoring a removed stop from its history
            super().save_model(request, obj, form, change)
