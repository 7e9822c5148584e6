"""Domain checks for a Site that go beyond single fields."""

import opening_hours
from django.core.exceptions import ValidationError

from editorial.vocabularies import Surface
from geodata.validators import validate_geometry, validate_in_service_area

SHAPE_TYPES = ("Polygon", "MultiPolygon", "LineString", "MultiLineString")
ACCESSIBILITY_FLAGS = ("step_free_access", "seating", "toilets")


def validate_accessibility(value) -> None:
    if not isinstance(value, dict):
        msg = "Accessibility must be an object."
        raise ValidationError(msg)
    unknown = sorted(set(value) - {*ACCESSIBILITY_FLAGS, "surface", "notes"})
    if unknown:
        msg = f"Unknown accessibility key(s): {', '.join(unknown)}."
        raise ValidationError(msg)
    for flag in ACCESSIBILITY_FLAGS:
        if flag in value and value[flag] not in (True, False, None):
            msg = f"{flag} must be true, false or null."
            raise ValidationError(msg)
    if value.get("surface") not in (None, "", *Surface.values):
        msg = f"surface must be one of {', '.join(Surface.values)}."
        raise ValidationError(msg)
    notes = value.get("notes", "")
    if not isinstance(notes, str) or len(notes) > 1000:
        msg = "notes must be a text of at most 1000 characters."
        raise ValidationError(msg)


def validate_opening_hours(value: str) -> None:
    """OpenStreetMap opening_hours syntax, parsed by opening-hours-py (the
    same parser that evaluates them for a day plan)."""
    if value and not opening_hours.validate(value):
        msg = f"{value!r} is not OpenStreetMap opening_hours syntax (e.g. Mo-Sa 09:00-18:00)."
        raise ValidationError(msg)


# Slugs that are words of the API's own paths (/api/v1/sites/nearby).
RESERVED_SLUGS = frozenset({"nearby"})


def validate_site(site) -> None:
    """Raise one ValidationError keyed by field for everything wrong."""
    errors: dict[str, list] = {}

    def check(field, func, *args, **kwargs):
        try:
            func(*args, **kwargs)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)

    if site.slug in RESERVED_SLUGS:
        errors["slug"] = [f"{site.slug!r} is a word of the API's paths; choose another slug."]
    if site.location is not None:
        check("location", validate_geometry, site.location, allowed_types=("Point",))
        if "location" not in errors:
            check("location", validate_in_service_area, site.location)
    if site.shape is not None:
        check("shape", validate_geometry, site.shape, allowed_types=SHAPE_TYPES)
        if "shape" not in errors:
            check("shape", validate_in_service_area, site.shape)
    check("accessibility", validate_accessibility, site.accessibility)
    check("opening_hours", validate_opening_hours, site.opening_hours)
    if not isinstance(site.provenance, list) or not all(isinstance(p, dict) for p in site.provenance):
        errors.setdefault("provenance", []).append("Provenance must be a list of objects.")
    if site.start_year is not None and site.end_year is not None and site.start_year > site.end_year:
        # Named here (the CHECK constraint would say it only as a whole-row error).
        years = f"{site.start_year} > {site.end_year}"
        errors["end_year"] = [f"The start year must not be after the end year ({years})."]
    if site.sources is not None and (
        not isinstance(site.sources, list) or not all(isinstance(s, str) for s in site.sources)
    ):
        errors.setdefault("sources", []).append("Sources must be a list of citation strings.")
    if errors:
        raise ValidationError(errors)
