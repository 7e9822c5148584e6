"""Routes and their ordered stops.

`Route.length_m` is a generated column: PostGIS computes ST_Length on the
geography path whenever the path changes, so it cannot drift from the path.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Deferrable, F, Func, Q
from simple_history.models import HistoricalRecords

from editorial.translations import TranslationsValidator, empty_translations
from editorial.vocabularies import GeometryQuality, Status
from sites.models import Site


class Theme(models.TextChoices):
    HISTORY = "history", "History"
    WATER = "water", "Water heritage"
    ARCHAEOLOGY = "archaeology", "Archaeology"
    FAITH = "faith", "Faith"
    ARCHITECTURE = "architecture", "Architecture"


class Mode(models.TextChoices):
    WALK = "walk", "On foot"
    BUS = "bus", "Bus"
    BICYCLE = "bicycle", "Bicycle"
    CAR = "car", "Car"


# Average moving speed per mode (km/h), for remaining-time estimates.
MODE_SPEED_KMH = {Mode.WALK: 4.5, Mode.BICYCLE: 14.0, Mode.BUS: 20.0, Mode.CAR: 30.0}


class RouteDesignation(models.TextChoices):
    """Whether the programme announced the route as it is, or the project
    proposes it while the programme has published no stop list."""

    OFFICIAL = "official", "Official route"
    PROPOSED = "proposed", "Proposed route, in development"


class RouteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Route(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.JSONField(
        default=empty_translations, validators=[TranslationsValidator(required=True, max_length=200)]
    )
    summary = models.JSONField(
        default=empty_translations, blank=True, validators=[TranslationsValidator(max_length=1000)]
    )
    description = models.JSONField(
        default=empty_translations, blank=True, validators=[TranslationsValidator(max_length=20000)]
    )
    theme = models.CharField(max_length=20, choices=Theme.choices, default=Theme.HISTORY)
    designation = models.CharField(
        max_length=20,
        choices=RouteDesignation.choices,
        default=RouteDesignation.PROPOSED,
        db_default=RouteDesignation.PROPOSED,
        help_text="Official: announced by the programme as it is. Proposed: shown as in development.",
    )
    modes = ArrayField(
        models.CharField(max_length=20, choices=Mode.choices),
        default=list,
        help_text="Transport modes; the first is used for time estimates.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    path = models.GeometryField(
        srid=4326, geography=True, help_text="LineString or MultiLineString, in walking order."
    )
    path_quality = models.CharField(
        max_length=20, choices=GeometryQuality.choices, default=GeometryQuality.TRACED
    )
    # Metres on the spheroid, computed by PostGIS (ST_Length on geography).
    length_m = models.GeneratedField(
        expression=Func(F("path"), function="ST_Length", output_field=models.FloatField()),
        output_field=models.FloatField(),
        db_persist=True,
    )
    duration_min = models.PositiveIntegerField(
        null=True, blank=True, help_text="Estimated duration including visits; empty: estimated."
    )
    license = models.CharField(max_length=60, default="CC-BY-4.0")
    attribution = models.CharField(max_length=300, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["length_m"])
    objects = RouteQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="route_status_known"),
            models.CheckConstraint(condition=Q(theme__in=Theme.values), name="route_theme_known"),
            models.CheckConstraint(
                condition=Q(designation__in=RouteDesignation.values), name="route_designation_known"
            ),
            models.CheckConstraint(
                condition=Q(modes__contained_by=Mode.values), name="route_modes_known"
            ),
        ]

    def __str__(self):
        return self.slug

    @property
    def main_mode(self) -> str:
        return self.modes[0] if self.modes else Mode.WALK

    def clean(self):
        from routes.validators import validate_route

        validate_route(self)


class StopDesignation(models.TextChoices):
    """Whether the programme announced the stop or the project proposes it."""

    OFFICIAL = "official", "Official"
    PROPOSED = "proposed", "Proposed"


DEFAULT_TRIGGER_RADIUS_M = 30


class RouteStop(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="route_stops")
    order = models.PositiveIntegerField(help_text="1 = first stop.")
    designation = models.CharField(
        max_length=20, choices=StopDesignation.choices, default=StopDesignation.PROPOSED
    )
    dwell_min = models.PositiveIntegerField(default=15, help_text="Minutes spent at the stop.")
    trigger_radius_m = models.PositiveIntegerField(
        default=DEFAULT_TRIGGER_RADIUS_M, help_text="Geofence radius in metres."
    )
    narrative = models.JSONField(
        default=empty_translations, blank=True, validators=[TranslationsValidator(max_length=20000)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["route", "order"]
        constraints = [
            # Deferred: a reorder can swap orders inside one transaction and
            # is checked at COMMIT (routes.services.stops_reorder).
            models.UniqueConstraint(
                fields=["route", "order"],
                name="routestop_unique_order",
                deferrable=Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(fields=["route", "site"], name="routestop_unique_site"),
            models.CheckConstraint(condition=Q(order__gte=1), name="routestop_order_positive"),
            models.CheckConstraint(
                condition=Q(trigger_radius_m__gte=5) & Q(trigger_radius_m__lte=1000),
                name="routestop_trigger_radius_range",
                violation_error_message="The trigger radius must be 5 to 1000 metres.",
            ),
            models.CheckConstraint(
                condition=Q(designation__in=StopDesignation.values), name="routestop_designation_known"
            ),
        ]

    def __str__(self):
        return f"{self.route_id} #{self.order}: {self.site_id}"
