"""Routes and their ordered stops.

`Route.length_m` is a generated column: PostGIS computes ST_Length on the
geography path whenever the path changes, so it cannot drift from the path.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
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


class AudioFormat(models.TextChoices):
    """What an audio guide file is, as read from its bytes (routes.audio_checks)."""

    MP3 = "mp3", "MP3"
    OGG_OPUS = "ogg_opus", "Ogg Opus"
    OGG_VORBIS = "ogg_vorbis", "Ogg Vorbis"
    M4A_AAC = "m4a_aac", "M4A (AAC)"


AUDIO_MEDIA_TYPES = {
    AudioFormat.MP3: "audio/mpeg",
    AudioFormat.OGG_OPUS: "audio/ogg",
    AudioFormat.OGG_VORBIS: "audio/ogg",
    AudioFormat.M4A_AAC: "audio/mp4",
}
AUDIO_MAX_BYTES = 20 * 1024 * 1024
AUDIO_MAX_DURATION_S = 20 * 60


def audio_upload_to(audio, filename: str) -> str:
    # The caller (routes.audio.audio_create) passes a generated name.
    return f"audio/{audio.stop_id}/{filename}"


class StopAudio(models.Model):
    """A recorded audio guide of one stop in one language. Its transcript is
    the stop's narrative in that language (captions for deaf and
    hard-of-hearing visitors): it must exist before the audio is published.
    The file is never replaced: a new recording is a new row."""

    stop = models.ForeignKey(RouteStop, on_delete=models.CASCADE, related_name="audio")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    file = models.FileField(upload_to=audio_upload_to, max_length=200)
    format = models.CharField(max_length=20, choices=AudioFormat.choices, editable=False)
    duration_s = models.FloatField(editable=False)
    size_bytes = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["stop", "language", "pk"]
        verbose_name = "stop audio"
        verbose_name_plural = "stop audio"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="stopaudio_status_known"),
            models.CheckConstraint(condition=Q(format__in=AudioFormat.values), name="stopaudio_format_known"),
            models.CheckConstraint(
                condition=Q(size_bytes__gte=1) & Q(size_bytes__lte=AUDIO_MAX_BYTES),
                name="stopaudio_size_range",
            ),
            models.CheckConstraint(
                condition=Q(duration_s__gt=0) & Q(duration_s__lte=AUDIO_MAX_DURATION_S),
                name="stopaudio_duration_range",
            ),
            models.UniqueConstraint(
                fields=["stop", "language"],
                condition=Q(status=Status.PUBLISHED),
                name="stopaudio_one_published_per_language",
                violation_error_message=(
                    "This stop already has published audio in this language: "
                    "send that one back to draft or archive it first."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.stop} [{self.language}]"

    @property
    def media_type(self) -> str:
        return AUDIO_MEDIA_TYPES[self.format]

    def clean(self):
        if self.status == Status.PUBLISHED and not self.transcript():
            msg = (
                f"The stop has no narrative in {self.language}: write the transcript "
                "(the stop's narrative in that language) before publishing its audio."
            )
            raise ValidationError({"status": [msg]})

    def transcript(self) -> str:
        narrative = RouteStop.objects.filter(pk=self.stop_id).values_list("narrative", flat=True).first()
        return str((narrative or {}).get(self.language) or "").strip()
