"""Writes for routes and their stops."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from routes.models import Route, RouteStop
from sites.models import Site

ROUTE_FIELDS = (
    "name",
    "summary",
    "description",
    "theme",
    "modes",
    "path",
    "path_quality",
    "duration_min",
    "license",
    "attribution",
)


@dataclass(frozen=True)
class StopSpec:
    """One stop as the caller wants it; `order` is its place in the list."""

    site_slug: str
    designation: str = "proposed"
    dwell_min: int = 15
    trigger_radius_m: int = 30
    narrative: dict | None = None


def _differs(current, new) -> bool:
    if hasattr(current, "ewkt") and hasattr(new, "ewkt"):
        return current.ewkt != new.ewkt
    return current != new


@transaction.atomic
def route_upsert(*, slug: str, status: str | None = None, user=None, **fields) -> tuple[Route, bool]:
    """Create or update a route by slug; saves only when something differs.
    `status` applies on creation only (the workflow owns it afterwards)."""
    unknown = set(fields) - set(ROUTE_FIELDS)
    if unknown:
        msg = f"Unknown route field(s): {', '.join(sorted(unknown))}"
        raise TypeError(msg)
    route = Route.objects.filter(slug=slug).first()
    created = route is None
    if created:
        route = Route(slug=slug, created_by=user)
        if status:
            route.status = status
    changed = created
    for name, value in fields.items():
        if _differs(getattr(route, name), value):
            setattr(route, name, value)
            changed = True
    if changed:
        route.updated_by = user
        route.full_clean(exclude=["length_m"])
        route.save()
        route.refresh_from_db(fields=["length_m"])
    return route, changed


@transaction.atomic
def route_set_stops(*, route: Route, stops: Sequence[StopSpec]) -> bool:
    """Make the route's stops exactly `stops`, in that order. Returns whether
    anything changed. Orders are swapped freely: the (route, order) unique
    constraint is deferred to COMMIT."""
    slugs = [spec.site_slug for spec in stops]
    if len(set(slugs)) != len(slugs):
        raise ValidationError({"stops": ["A site can be a stop of a route only once."]})
    sites = Site.objects.in_bulk(slugs, field_name="slug")
    missing = [slug for slug in slugs if slug not in sites]
    if missing:
        raise ValidationError({"stops": [f"Unknown site(s): {', '.join(missing)}."]})

    existing = {stop.site.slug: stop for stop in route.stops.select_related("site")}
    changed = False
    for slug in set(existing) - set(slugs):
        existing.pop(slug).delete()
        changed = True
    for order, spec in enumerate(stops, start=1):
        values = {
            "order": order,
            "designation": spec.designation,
            "dwell_min": spec.dwell_min,
            "trigger_radius_m": spec.trigger_radius_m,
            "narrative": spec.narrative or {},
        }
        stop = existing.get(spec.site_slug) or RouteStop(route=route, site=sites[spec.site_slug])
        if stop.pk and all(getattr(stop, k) == v for k, v in values.items()):
            continue
        for key, value in values.items():
            setattr(stop, key, value)
        stop.full_clean(validate_unique=False, validate_constraints=False)
        stop.save()
        changed = True
    return changed


@transaction.atomic
def route_reorder_stops(*, route: Route, site_slugs: Sequence[str]) -> None:
    """Put the route's existing stops in the order of `site_slugs`, in one
    transaction (the deferred unique constraint is checked at COMMIT)."""
    stops = {stop.site.slug: stop for stop in route.stops.select_related("site")}
    if sorted(stops) != sorted(site_slugs):
        raise ValidationError({"stops": ["Give every stop of the route exactly once."]})
    for order, slug in enumerate(site_slugs, start=1):
        stop = stops[slug]
        if stop.order != order:
            stop.order = order
            stop.save(update_fields=["order"])
