"""Heritage sites: what staff plot and tourists visit.

Geometries are WGS84 geography (docs/adr/0001-geography-storage.md). The
database enforces what must never be wrong: year order, geometry validity,
2D WGS84 coordinates, one slug per site.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.measure import D
from django.core.validators import RegexValidator
from django.db.models import Q, Value
from simple_history.models import HistoricalRecords

from editorial.translations import TranslationsValidator, empty_translations, search_text
from editorial.vocabularies import Confidence, GeometryQuality, Kind, Status


class Period(models.Model):
    """A period of the controlled vocabulary (neolithic … republic)."""

    code = models.SlugField(max_length=40, primary_key=True)
    name = models.JSONField(default=empty_translations, validators=[TranslationsValidator(required=True)])
    start_year = models.IntegerField(help_text="Approximate; BCE negative.")
    end_year = models.IntegerField(null=True, blank=True, help_text="Empty: to the present.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__lte=models.F("end_year")),
                name="period_start_before_end",
            )
        ]

    def __str__(self):
        return self.code


class SiteQuerySet(models.QuerySet):
    """Chainable filters; each reads like English."""

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def near(self, point, *, metres: float):
        return self.filter(location__dwithin=(point, D(m=metres)))

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def in_period(self, period: str):
        return self.filter(periods__code=period)

    def standing_in(self, year: int):
        """Sites standing in `year`: begun by then and not yet gone (no end
        year: still standing). Undated sites are left out."""
        return self.filter(start_year__lte=year).filter(Q(end_year__isnull=True) | Q(end_year__gte=year))

    def matching(self, folded_query: str):
        """Name search, accent- and case-insensitive (see translations.fold)."""
        return self.filter(search_text__contains=folded_query)


wikidata_id = RegexValidator(r"^Q[1-9]\d*$", "A Wikidata id looks like Q123.")
pleiades_id = RegexValidator(r"^\d+$", "A Pleiades id is a number.")
osm_id = RegexValidator(r"^(node|way|relation)/\d+$", "An OSM id looks like way/123.")


class Site(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.JSONField(
        default=empty_translations,
        validators=[TranslationsValidator(required=True, max_length=200)],
        help_text='Per language, e.g. {"tr": "…", "en": "…", "de": "…"}.',
    )
    description = models.JSONField(
        default=empty_translations,
        blank=True,
        validators=[TranslationsValidator(max_length=20000)],
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    periods = models.ManyToManyField(Period, blank=True, related_name="sites")
    start_year = models.IntegerField(null=True, blank=True, help_text="Approximate; BCE negative.")
    end_year = models.IntegerField(
        null=True, blank=True, help_text="Empty: still standing or unknown."
    )

    # geography=True: distances and lengths in metres, and ST_DWithin on
    # geography still uses the GiST index (ADR 0001).
    location = models.PointField(srid=4326, geography=True)
    shape = models.GeometryField(
        srid=4326,
        geography=True,
        null=True,
        blank=True,
        help_text="Footprint polygon, or the line of an aqueduct or stream.",
    )
    geometry_quality = models.CharField(
        max_length=20, choices=GeometryQuality.choices, default=GeometryQuality.TRACED
    )
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )

    district = models.CharField(max_length=100, blank=True)
    address = models.CharField(max_length=300, blank=True)
    opening_hours = models.CharField(
        max_length=255, blank=True, help_text="OpenStreetMap opening_hours syntax; empty: unknown."
    )
    # Hours change and sources age: where they come from and when they were
    # true are shown with them, never the hours alone.
    # db_default: rows written in SQL (bulk loads, benchmarks) get them too.
    opening_hours_source = models.CharField(max_length=500, blank=True, default="", db_default="")
    opening_hours_as_of = models.DateField(null=True, blank=True, help_text="When the source said so.")
    accessibility = models.JSONField(
        default=dict,
        blank=True,
        help_text="step_free_access, seating, toilets (true/false/null = unknown), surface, notes.",
    )
    accessibility_source = models.CharField(max_length=500, blank=True, default="", db_default="")
    accessibility_as_of = models.DateField(null=True, blank=True)
    access_note = models.JSONField(
        default=empty_translations,
        db_default=Value({}, output_field=models.JSONField()),
        blank=True,
        validators=[TranslationsValidator(max_length=2000)],
        help_text="How to get in, per language (e.g. visits need prior permission).",
    )
    # Every researched fact with its source, conflicting and alternative ones
    # included: [{"field", "value", "source", "note"}] (fixtures/izmir/README.md).
    provenance = models.JSONField(
        default=list, db_default=Value([], output_field=models.JSONField()), blank=True
    )

    wikidata = models.CharField(max_length=20, blank=True, validators=[wikidata_id])
    pleiades = models.CharField(max_length=20, blank=True, validators=[pleiades_id])
    osm = models.CharField(max_length=40, blank=True, validators=[osm_id])
    sources = models.JSONField(default=list, blank=True, help_text="Citations, one string each.")
    license = models.CharField(max_length=60, default="CC-BY-4.0")
    attribution = models.CharField(max_length=300, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Folded names in every language, kept by save() for `q` search.
    search_text = models.TextField(blank=True, editable=False, default="")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[periods])
    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(start_year__lte=models.F("end_year")),
                name="site_start_year_not_after_end_year",
                violation_error_message="The start year must not be after the end year.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="site_status_known"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="site_kind_known"),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="site_status_kind")]

    def __str__(self):
        return self.slug

    def save(self, *args, **kwargs):
        self.search_text = search_text(self.name, self.slug)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def clean(self):
        from sites.validators import validate_site

        validate_site(self)


def photo_upload_to(photo: "Photo", filename: str) -> str:
    # The stored name never comes from the client (see sites/photos.py).
    return f"photos/originals/{photo.site_id}/{filename}"


class Photo(models.Model):
    """A photo of a site. Served only as EXIF-free WebP renditions."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="photos")
    original = models.ImageField(upload_to=photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    caption = models.JSONField(
        default=empty_translations, blank=True, validators=[TranslationsValidator(max_length=1000)]
    )
    author = models.CharField(max_length=200, blank=True)
    license = models.CharField(max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # EXIF GPS of the original, offered to editors as a suggested location;
    # never applied to the site without an editor's action.
    suggested_location = models.PointField(srid=4326, geography=True, null=True, blank=True)
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["site", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="photo_status_known"),
            # A photo needs a caption, an author and a licence before it can be published.
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | (~Q(author="") & ~Q(license="") & ~Q(caption={})),
                name="photo_published_has_credits",
                violation_error_message="A published photo needs a caption, an author and a licence.",
            ),
        ]

    def __str__(self):
        return f"{self.site_id}: {self.original.name}"


class SiteTileCell(models.Model):
    """Published sites in one cluster cell of one zoom (1/32 of a tile), kept
    by triggers on sites_site (migration 0008): read by low-zoom vector tiles
    (sites.selectors_tiles), never written by Django."""

    pk = models.CompositePrimaryKey("zoom", "cx", "cy")
    zoom = models.SmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    n = models.IntegerField()
    sum_x = models.FloatField()  # Web Mercator metres, summed over the cell's sites
    sum_y = models.FloatField()
    id_sum = models.BigIntegerField()
    # The cell's one site when n == 1 (then id_sum is its id), else NULL.
    site = models.ForeignKey(
        Site, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        managed = False
        db_table = "sites_site_tile_cell"


class KeptFeature(models.Model):
    """A published site's OGC API feature, as the text PostgreSQL built for it,
    so a page of 1,000 features is read, not built (sites.kept_features, ADR 0010).

    Never trusted blindly: `digest` names the SQL that built the text (a
    changed expression in the code makes every row a miss), and triggers
    (migration 0010) delete a site's row in the same statement that changes
    the site, its periods or the period vocabulary. A missing or stale row
    costs speed only: readers fall back to building the feature."""

    site = models.OneToOneField(Site, primary_key=True, on_delete=models.CASCADE, related_name="kept_feature")
    digest = models.CharField(max_length=16)
    text = models.TextField()
    # The site's slug when the text was built (a change of the site deletes
    # the text): the page of every site reads the texts in this order
    # without the sites table (sites.kept_features.kept_page_sql).
    slug = models.CharField(max_length=120)

    class Meta:
        db_table = "sites_site_kept_feature"
        indexes = [models.Index(fields=["digest", "slug"], name="sites_kept_feature_page")]
