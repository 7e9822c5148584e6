"""Writes for sites: the one write path of the admin, the staff API, imports
and the seed loader.

Each change runs in one transaction and in one order: lock the row (SELECT …
FOR UPDATE), check the caller's role (editorial.workflow), check the version
it read (editorial.versions), validate (full_clean), write. So the same
change gets the same checks and the same history row whoever makes it.
Keyword-only arguments; `user=None` is the system (see
editorial.workflow.require_can_edit).
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from editorial.versions import check_version, lock, object_version
from editorial.vocabularies import PERIODS, Status
from editorial.workflow import require_can_edit, transition
from sites.models import Period, Site

# The content a caller may set. Status, the slug after creation, timestamps
# and authorship are never here: the workflow moves status, the slug is the
# stable public identifier, and authorship comes from `user`.
SITE_FIELDS = (
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
UPSERT_FIELDS = SITE_FIELDS  # the name imports know


def differs(current, new) -> bool:
    """Whether setting `new` changes a stored value. GEOS equality is
    exact-coordinate only between equal SRIDs and types; compare geometries
    by their EWKT text."""
    if hasattr(current, "ewkt") and hasattr(new, "ewkt"):
        return current.ewkt != new.ewkt
    return current != new


def check_fields(fields: dict, known: Sequence[str], what: str) -> None:
    """A programming error, not bad input: callers pass content fields only."""
    unknown = set(fields) - set(known)
    if unknown:
        msg = f"Unknown {what} field(s): {', '.join(sorted(unknown))}"
        raise TypeError(msg)


def changed_fields(obj, fields: dict) -> dict:
    return {name: value for name, value in fields.items() if differs(getattr(obj, name), value)}


def _known_periods(codes: Iterable[str]) -> list[str]:
    wanted = sorted(set(codes))
    known = set(Period.objects.filter(code__in=wanted).values_list("code", flat=True))
    missing = [code for code in wanted if code not in known]
    if missing:
        raise ValidationError({"periods": [f"Unknown period(s): {', '.join(missing)}."]})
    return wanted


def _save(site: Site, user, wanted_periods: list[str] | None) -> None:
    site.updated_by = user
    site.full_clean()
    if user is not None:  # else simple_history takes the request's user, if any
        site._history_user = user
    site.save()
    if wanted_periods is not None:
        site.periods.set(wanted_periods)


def _create(slug: str, user, periods: Iterable[str], status: str, fields: dict) -> Site:
    # Everything is validated before the first write, so a failure leaves no
    # row and no history behind.
    check_fields(fields, SITE_FIELDS, "site")
    wanted = _known_periods(periods)
    site = Site(slug=slug, status=status, created_by=user, **fields)
    _save(site, user, wanted or None)
    return site


@transaction.atomic
def site_create(*, slug: str, user, periods: Iterable[str] = (), **fields) -> Site:
    """A new draft site by `user` (the workflow moves it on from there)."""
    return _create(slug, user, periods, Status.DRAFT, fields)


def _apply(site: Site, user, periods: Iterable[str] | None, fields: dict) -> bool:
    """Write what differs; returns whether anything did. A change of the
    periods only still saves the site, so updated_at, updated_by and the
    version move with every real edit; no change writes nothing."""
    wanted = _known_periods(periods) if periods is not None else None
    if wanted is not None and wanted == sorted(site.periods.values_list("code", flat=True)):
        wanted = None
    changed = changed_fields(site, fields)
    if not changed and wanted is None:
        return False
    for name, value in changed.items():
        setattr(site, name, value)
    _save(site, user, wanted)
    return True


@transaction.atomic
def site_update(
    *,
    site: Site,
    user,
    expected_versions: Sequence[str] | None = None,
    periods: Iterable[str] | None = None,
    **fields,
) -> Site:
    """Change the given fields (and periods, when not None) of `site`.
    `site` is re-read under a lock: unsaved changes on it are not taken."""
    check_fields(fields, SITE_FIELDS, "site")
    lock(site)
    require_can_edit(user, site)
    check_version(object_version(site), expected_versions)
    _apply(site, user, periods, fields)
    return site


@transaction.atomic
def site_upsert(
    *, slug: str, periods: Iterable[str] | None = None, status: str | None = None, user=None, **fields
) -> tuple[Site, bool]:
    """Create or update the site with `slug` (imports, the seed loader).
    Returns (site, changed); re-running an import changes nothing. `status`
    applies only when the site is created (an existing site's workflow
    state belongs to its reviewers)."""
    check_fields(fields, SITE_FIELDS, "site")
    site = Site.objects.select_for_update().filter(slug=slug).first()
    if site is None:
        return _create(slug, user, periods or (), status or Status.DRAFT, fields), True
    require_can_edit(user, site)
    return site, _apply(site, user, periods, fields)


@transaction.atomic
def site_archive(*, site: Site, user, expected_versions: Sequence[str] | None = None) -> Site:
    """Deleting a site archives it (never a hard delete); the workflow decides
    whether `user` may (editors: their own drafts only)."""
    transition(site, to_status=Status.ARCHIVED, user=user, expected_versions=expected_versions)
    return site


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
