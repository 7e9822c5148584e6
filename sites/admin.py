"""Admin for heritage sites and their photos: the staff map editor.

Sites are plotted on a Leaflet map (point location, optional footprint or
line); the other sites and routes are drawn underneath, from
editorial.admin_maps' layer registry, so no basemap is needed. Status moves are admin actions
through editorial.workflow; deleting archives. Every change is recorded by
django-simple-history (History button: who, when, field-level changes,
revert). Photos are uploaded inline and processed by sites.photos.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import path
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from editorial import workflow
from editorial.admin_maps import MapAdminMixin, layers_view, register_map_layer
from editorial.admin_widgets import TranslationsAdminMixin
from editorial.admin_workflow import WorkflowAdminMixin, adopt, request_roles
from editorial.translations import fold, pick
from editorial.vocabularies import Status
from sites.models import Photo, Site
from sites.photos import (
    PHOTO_FIELDS,
    PhotoRejected,
    check_image,
    photo_apply_suggested_location,
    photo_create,
    photo_delete,
    photo_update,
    photo_url,
)
from sites.services import SITE_FIELDS, site_create, site_update


class RouteListFilter(admin.SimpleListFilter):
    """Sites that are stops of a given route (`?route=<slug>`), through the
    reverse relation: the sites app does not import routes."""

    title = "route"
    parameter_name = "route"

    def lookups(self, request, model_admin):
        rows = (
            Site.objects.filter(route_stops__isnull=False)
            .values_list("route_stops__route__slug", "route_stops__route__name")
            .distinct()
            .order_by("route_stops__route__slug")
        )
        return [(slug, pick(name, "tr") or slug) for slug, name in rows]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(route_stops__route__slug=self.value())
        return queryset


def photo_preview(photo: Photo | None):
    if photo is None or not photo.pk or not photo.renditions:
        return "—"
    return format_html('<img src="{}" alt="" style="max-height:80px">', photo_url(photo.renditions["320"]))


def lon_lat(point) -> str:
    return "—" if point is None else f"{point.x:.6f}, {point.y:.6f}"


def published_photo_keeps_credits(photo: Photo, cleaned: dict) -> dict:
    """The database refuses a published photo without credits (constraint
    photo_published_has_credits); a form says so instead of failing the save."""
    if photo.pk is not None and photo.status == Status.PUBLISHED:
        missing = [name for name in ("caption", "author", "license") if name in cleaned and not cleaned[name]]
        if missing:
            raise ValidationError(f"A published photo needs {', '.join(missing)}.")
    return cleaned


def photo_fields(cleaned: dict) -> dict:
    return {name: cleaned[name] for name in PHOTO_FIELDS if name in cleaned}


class PhotoAdminForm(forms.ModelForm):
    def clean(self):
        return published_photo_keeps_credits(self.instance, super().clean())


class PhotoInlineForm(forms.ModelForm):
    """New rows take an upload (checked by sites.photos, never trusted by
    extension); existing rows edit credits. `use_as_site_location` moves the
    site to the photo's EXIF position: an explicit choice, never automatic."""

    upload = forms.FileField(required=False, help_text="JPEG, PNG or WebP; at most 20 MB and 40 megapixels.")
    use_as_site_location = forms.BooleanField(
        required=False,
        label="Use GPS as site location",
        help_text="Move the site to the photo's GPS position.",
    )

    class Meta:
        model = Photo
        fields = ("caption", "author", "license", "sort_order")

    # Set per request by PhotoInline.get_formset: the signed-in user.
    heritage_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A stored photo's file is fixed; only photos with GPS can move the site.
        if self.instance.pk is not None:
            self.fields["upload"].disabled = True
        if self.instance.suggested_location is None:
            self.fields["use_as_site_location"].disabled = True
        # A row the user's role may not edit (an editor and a published
        # photo) is shown but not taken: disabled fields keep their values.
        if self.instance.pk is not None and not workflow.can_edit(self.heritage_user, self.instance):
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        return published_photo_keeps_credits(self.instance, super().clean())

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if self.instance.pk is None and self.has_changed():
                raise ValidationError("Choose a photo to upload.")
            return None
        if self.instance.pk is not None:
            raise ValidationError("A stored photo cannot be replaced; upload a new one.")
        try:
            check_image(upload)
        except PhotoRejected as error:
            raise ValidationError(error.message_text, code="invalid_image") from error
        return upload

    def clean_use_as_site_location(self):
        wanted = self.cleaned_data.get("use_as_site_location")
        if wanted and (self.instance.pk is None or self.instance.suggested_location is None):
            raise ValidationError("This photo has no GPS position.")
        return wanted


class PhotoInline(TranslationsAdminMixin, admin.TabularInline):
    model = Photo
    form = PhotoInlineForm
    extra = 1
    can_delete = False  # archive photos from the Photos list instead
    translation_fields = ("caption",)
    fields = (
        "preview",
        "upload",
        "caption",
        "author",
        "license",
        "sort_order",
        "status",
        "suggested_location_display",
        "use_as_site_location",
    )
    readonly_fields = ("preview", "status", "suggested_location_display")

    @admin.display(description="Photo")
    def preview(self, photo):
        return photo_preview(photo)

    @admin.display(description="GPS (suggested)")
    def suggested_location_display(self, photo):
        return lon_lat(photo.suggested_location)

    def has_view_permission(self, request, obj=None):
        return bool(request_roles(request))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"heritage_user": request.user})
        return formset

    # `obj` is the site: photos are uploaded and edited with a site the user
    # may edit (the API also lets editors attach draft photos to published sites).
    def has_add_permission(self, request, obj=None):
        return workflow.EDITOR in request_roles(request) and (
            obj is None or workflow.can_edit(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Site)
class SiteAdmin(WorkflowAdminMixin, TranslationsAdminMixin, MapAdminMixin, SimpleHistoryAdmin):
    list_display = ("slug", "display_name", "kind", "status", "district", "updated_at")
    list_filter = ("status", "kind", "periods", RouteListFilter, ("district", admin.AllValuesFieldListFilter))
    search_fields = ("slug",)  # widened to every language by get_search_results
    search_help_text = "Name in any language (accents and case ignored) or slug."
    filter_horizontal = ("periods",)
    inlines = [PhotoInline]
    translation_fields = ("name", "description")
    long_translation_fields = ("description",)
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")
    history_list_display = ("status",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "periods", ("start_year", "end_year"))}),
        (
            "Where",
            {
                "fields": ("location", "shape", "geometry_quality", "confidence", "district", "address"),
                "description": "Click the marker tool, then the map, to plot the site. Grey, orange and "
                "blue marks are other draft, in-review and published sites and routes.",
            },
        ),
        ("Visit", {"fields": ("description", "opening_hours", "accessibility", "sources")}),
        ("Identifiers and credits", {"fields": ("wikidata", "pleiades", "osm", "license", "attribution")}),
        ("Workflow", {"fields": ("status", "created_at", "updated_at", "created_by", "updated_by")}),
    )

    @admin.display(description="name", ordering="slug")
    def display_name(self, site):
        return pick(site.name, "tr")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # The slug is the public URL: fixed once the site exists.
        return (*fields, "slug") if obj is not None else fields

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(Q(search_text__contains=fold(term)) | Q(slug__icontains=term)), False

    def save_model(self, request, obj, form, change):
        """Through sites.services, like every other write: the service takes
        the form's content and writes what differs from the stored row."""
        fields = {name: form.cleaned_data[name] for name in SITE_FIELDS if name in form.cleaned_data}
        periods = form.cleaned_data.get("periods")
        codes = None if periods is None else [period.code for period in periods]
        if change:
            site_update(site=obj, user=request.user, periods=codes, **fields)
            return
        site = site_create(slug=form.cleaned_data["slug"], user=request.user, periods=codes or (), **fields)
        adopt(obj, site)

    def save_related(self, request, form, formsets, change):
        # The periods were set by the service (save_model); the formsets
        # (photos) still go through save_formset.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Photo:
            return super().save_formset(request, form, formset, change)
        return self._save_photos(request, form.instance, formset)

    def _save_photos(self, request, site, formset):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for photo_form in formset.forms:
            if not photo_form.has_changed() or not photo_form.cleaned_data:
                continue
            data = photo_form.cleaned_data
            if photo_form.instance.pk is None:
                photo = photo_create(
                    site=site,
                    upload=data["upload"],
                    user=request.user,
                    caption=data.get("caption") or {},
                    author=data.get("author", ""),
                    license=data.get("license", ""),
                    sort_order=data.get("sort_order") or 0,
                )
                formset.new_objects.append(photo)
                continue
            photo = photo_update(photo=photo_form.instance, user=request.user, **photo_fields(data))
            formset.changed_objects.append((photo, photo_form.changed_data))
            if data.get("use_as_site_location"):
                self._apply_location(request, photo)

    def _apply_location(self, request, photo):
        try:
            photo_apply_suggested_location(photo=photo, user=request.user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, f"Location not changed: {error}", messages.WARNING)
        else:
            self.message_user(request, f"The site now stands at the GPS position of photo {photo.pk}.")

    def get_urls(self):
        # The context layers of every map widget (editorial.admin_maps'
        # registry: sites here, routes from routes/admin.py).
        view = self.admin_site.admin_view(partial(layers_view, self))
        return [path("layers.geojson", view, name="sites_site_layers"), *super().get_urls()]


register_map_layer("site", queryset=Site.objects.all, geometry="location", position=1)


@admin.action(description="Use the photo's GPS position as its site's location")
def use_as_site_location(modeladmin, request, queryset):
    for photo in queryset.select_related("site"):
        try:
            photo_apply_suggested_location(photo=photo, user=request.user)
        except (PermissionDenied, ValidationError) as error:
            text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            modeladmin.message_user(request, f"{photo}: {text}", messages.WARNING)
        else:
            modeladmin.message_user(request, f"{photo.site}: moved to {lon_lat(photo.suggested_location)}.")


@admin.register(Photo)
class PhotoAdmin(WorkflowAdminMixin, TranslationsAdminMixin, SimpleHistoryAdmin):
    """Credits and workflow of photos; uploads happen on the site's page
    (or through the API), where sites.photos checks them."""

    change_form_template = "admin/heritage/change_form.html"  # workflow buttons
    form = PhotoAdminForm
    list_display = (
        "preview",
        "site",
        "status",
        "author",
        "license",
        "suggested_location_display",
        "created_at",
    )
    list_filter = ("status", "license")
    search_fields = ("site__slug", "author")
    list_select_related = ("site",)
    translation_fields = ("caption",)
    fields = (
        "site",
        "preview",
        "caption",
        "author",
        "license",
        "sort_order",
        "status",
        "size",
        "suggested_location_display",
        "created_at",
        "created_by",
    )
    readonly_fields = ("site", "preview", "size", "suggested_location_display", "created_at", "created_by")
    history_list_display = ("status",)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if workflow.EDITOR in request_roles(request):
            actions["use_as_site_location"] = self.get_action(use_as_site_location)
        return actions

    def has_add_permission(self, request, *args):
        return False

    def save_model(self, request, obj, form, change):
        # Photos are never added here (uploads go through the site's page).
        photo_update(photo=obj, user=request.user, **photo_fields(form.cleaned_data))

    def delete_model(self, request, obj):
        if self._hard_delete(request, obj):
            request._heritage_hard_deleted = True
            photo_delete(obj)  # and its files
            return
        super().delete_model(request, obj)

    @admin.display(description="Photo")
    def preview(self, photo):
        return photo_preview(photo)

    @admin.display(description="Pixels")
    def size(self, photo):
        return f"{photo.width} × {photo.height}"

    @admin.display(description="GPS (suggested)")
    def suggested_location_display(self, photo):
        return lon_lat(photo.suggested_location)
