"""Writes for sites: keyword-only arguments, one transaction, full_clean() first.

Every write path (admin, API, fixtures, imports) goes through these, so the
same validation applies everywhere.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from editorial.vocabularies import PERIODS, Status
from editorial.workflow import transition
from sites.models import Period, Site

# Fields a caller may set through site_upsert; status and authorship are not
# here on purpose (see editorial.workflow for status changes).
UPSERT_FIELDS = (
    "name",
    "description",
    "kind",
    "start_year",
    "end_year",
    "location",
    "shape",
    "geometry_quality",
    "confidence",
    "district",
    "address",
    "opening_hours",
    "opening_hours_source",
    "opening_hours_as_of",
    "accessibility",
    "accessibility_source",
    "accessibility_as_of",
    "access_note",
    "provenance",
    "wikidata",
    "pleiades",
    "osm",
    "sources",
    "license",
    "attribution",
)


def _differs(current, new) -> bool:
    # GEOS equality is exact-coordinate; compare geometries by WKB/EWKT text.
    if hasattr(current, "ewkt") and hasattr(new, "ewkt"):
        return current.ewkt != new.ewkt
    return current != new


@transaction.atomic
def site_upsert(
    *,
    slug: str,
    periods: Iterable[str] | None = None,
    status: str | None = None,
    user=None,
    **fields,
) -> tuple[Site, bool]:
    """Create or update the site with `slug`. Returns (site, changed).

    Saves only when something differs, so re-running an import or a fixture
    load changes nothing: no new history rows, no new updated_at. `status` is
    applied only when the site is created (an existing site's workflow state
    belongs to its reviewers)."""
    unknown = set(fields) - set(UPSERT_FIELDS)
    if unknown:
        msg = f"Unknown site field(s): {', '.join(sorted(unknown))}"
        raise TypeError(msg)

    site = Site.objects.filter(slug=slug).first()
    created = site is None
    if created:
        site = Site(slug=slug, created_by=user)
        if status:
            site.status = status
    changed = created
    for name, value in fields.items():
        if _differs(getattr(site, name), value):
            setattr(site, name, value)
            changed = True

    wanted_periods = sorted(set(periods)) if periods is not None else None
    current_periods = [] if created else sorted(site.periods.values_list("code", flat=True))
    periods_changed = wanted_periods is not None and wanted_periods != current_periods

    if changed:
        site.updated_by = user
        site.full_clean()
        site.save()
    if periods_changed:
        known = set(Period.objects.filter(code__in=wanted_periods).values_list("code", flat=True))
        missing = sorted(set(wanted_periods) - known)
        if missing:
            raise ValidationError({"periods": [f"Unknown period(s): {', '.join(missing)}."]})
        site.periods.set(wanted_periods)
    return site, changed or periods_changed


def period_vocabulary_sync(period_model=Period) -> None:
    """Make the Period table hold editorial.vocabularies.PERIODS. Used by the data
    migration (with its historical model) and by the seed loader."""
    for index, (code, tr, en, de, start, end) in enumerate(PERIODS):
        period_model.objects.update_or_create(
            code=code,
            defaults={
                "name": {"tr": tr, "en": en, "de": de},
                "start_year": start,
                "end_year": end,
                "sort_order": index,
            },
        )


# --- Staff writes (the write API and the admin) ------------------------------
# Status, slug-after-create, timestamps and authorship are never in **fields:
# the workflow moves status, the slug is the stable public identifier, and
# authorship comes from `user`.


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(UPSERT_FIELDS)
    if unknown:
        msg = f"Unknown site field(s): {', '.join(sorted(unknown))}"
        raise TypeError(msg)


def _known_periods(codes: Iterable[str]) -> list[str]:
    wanted = sorted(set(codes))
    known = set(Period.objects.filter(code__in=wanted).values_list("code", flat=True))
    missing = [code for code in wanted if code not in known]
    if missing:
        raise ValidationError({"periods": [f"Unknown period(s): {', '.join(missing)}."]})
    return wanted


@transaction.atomic
def site_create(*, slug: str, user, periods: Iterable[str] = (), **fields) -> Site:
    """A new draft site by `user`. Everything is validated before the first
    write, so a failure leaves no row and no history behind."""
    _check_fields(fields)
    wanted = _known_periods(periods)
    site = Site(slug=slug, status=Status.DRAFT, created_by=user, updated_by=user, **fields)
    site.full_clean()
    site._history_user = user
    site.save()
    if wanted:
        site.periods.set(wanted)
    return site


@transaction.atomic
def site_update(*, site: Site, user, periods: Iterable[str] | None = None, **fields) -> Site:
    """Change the given fields (and periods, when not None) of `site`.

    A request that changes nothing writes nothing (no history row, the ETag
    stays); one that changes only the periods still saves the site, so
    updated_at, updated_by and the ETag move with every real edit."""
    _check_fields(fields)
    wanted = _known_periods(periods) if periods is not None else None
    periods_changed = wanted is not None and wanted != sorted(site.periods.values_list("code", flat=True))
    changed = {name: value for name, value in fields.items() if _differs(getattr(site, name), value)}
    if not changed and not periods_changed:
        return site
    for name, value in changed.items():
        setattr(site, name, value)
    site.updated_by = user
    site.full_clean()
    site._history_user = user
    site.save()
    if periods_changed:
        site.periods.set(wanted)
    return site


def site_archive(*, site: Site, user) -> Site:
    """Deleting a site archives it (never a hard delete); the workflow decides
    whether `user` may (editors: their own drafts only)."""
    transition(site, to_status=Status.ARCHIVED, user=user)
    return site
