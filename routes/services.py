"""Writes for routes and their stops."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CheckConstraint
from django.utils import timezone

from editorial.vocabularies import Status
from editorial.workflow import transition
from routes.models import Route, RouteStop
from sites.models import Site

ROUTE_FIELDS = (
    "name",
    "summary",
    "description",
    "theme",
    "designation",
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


# --- Staff writes (the write API and the admin) ------------------------------
# Status, slug-after-create, length_m (a generated column), timestamps and
# authorship are never in **fields.

STOP_FIELDS = ("designation", "dwell_min", "trigger_radius_m", "narrative")


def _check_route_fields(fields: dict) -> None:
    unknown = set(fields) - set(ROUTE_FIELDS)
    if unknown:
        msg = f"Unknown route field(s): {', '.join(sorted(unknown))}"
        raise TypeError(msg)


def _save_route(route: Route, user) -> Route:
    route.updated_by = user
    route.full_clean(exclude=["length_m"])
    route._history_user = user
    route.save()
    route.refresh_from_db(fields=["length_m"])
    return route


@transaction.atomic
def route_create(*, slug: str, user, **fields) -> Route:
    """A new draft route by `user`; length_m is computed by PostGIS."""
    _check_route_fields(fields)
    route = Route(slug=slug, status=Status.DRAFT, created_by=user, **fields)
    return _save_route(route, user)


@transaction.atomic
def route_update(*, route: Route, user, **fields) -> Route:
    """Change the given fields of `route`; length_m follows the path. A
    request that changes nothing writes nothing (the ETag stays)."""
    _check_route_fields(fields)
    changed = {name: value for name, value in fields.items() if _differs(getattr(route, name), value)}
    if not changed:
        return route
    for name, value in changed.items():
        setattr(route, name, value)
    return _save_route(route, user)


def route_archive(*, route: Route, user) -> Route:
    """Deleting a route archives it; the workflow decides who may."""
    transition(route, to_status=Status.ARCHIVED, user=user)
    return route


def _route_touched(route: Route, user) -> None:
    # The route's public representation includes its stops, so a stop change
    # moves the route's updated_at (and ETag). A queryset update: the stop's
    # own history row records the change; no duplicate route history row.
    Route.objects.filter(pk=route.pk).update(updated_at=timezone.now(), updated_by=user)


def _clean_stop(stop: RouteStop) -> None:
    # Unique constraints are left to the database: (route, order) is deferred
    # to COMMIT so orders can be swapped; duplicates of (route, site) are
    # checked by the callers with a message. CHECK constraints (radius 5..1000
    # m, order >= 1) are validated here so they are 400s, not IntegrityErrors.
    stop.full_clean(validate_unique=False, validate_constraints=False)
    errors: dict[str, list[str]] = {}
    for constraint in RouteStop._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            try:
                constraint.validate(RouteStop, stop)
            except ValidationError as error:
                errors.setdefault(CHECK_FIELDS.get(constraint.name, "__all__"), []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


# Which field a CHECK constraint is about, to name it in errors.
CHECK_FIELDS = {
    "routestop_trigger_radius_range": "trigger_radius_m",
    "routestop_order_positive": "order",
    "routestop_designation_known": "designation",
}


def _save_stop(stop: RouteStop, user) -> None:
    _clean_stop(stop)
    stop._history_user = user
    stop.save()


@transaction.atomic
def stop_create(*, route: Route, site: Site, user, order: int | None = None, **fields) -> RouteStop:
    """Add `site` to `route` at `order` (1-based; default: last), moving the
    later stops one place down. A site is a stop of a route at most once."""
    unknown = set(fields) - set(STOP_FIELDS)
    if unknown:
        msg = f"Unknown stop field(s): {', '.join(sorted(unknown))}"
        raise TypeError(msg)
    if site.status == Status.ARCHIVED:
        raise ValidationError({"site": [f"{site.slug} is archived; restore it before adding it to a route."]})
    stops = list(route.stops.select_for_update().order_by("order"))
    if any(stop.site_id == site.pk for stop in stops):
        raise ValidationError({"site": [f"{site.slug} is already a stop of this route."]})
    last = len(stops) + 1
    if order is None:
        order = last
    if not 1 <= order <= last:
        raise ValidationError({"order": [f"The order must be 1 to {last}."]})
    stop = RouteStop(route=route, site=site, order=order, **fields)
    _clean_stop(stop)
    stops.insert(order - 1, stop)
    # Number 1..n (closing any old gaps); the (route, order) constraint is
    # deferred to COMMIT, so orders may collide on the way.
    for position, each in enumerate(stops, start=1):
        if each.pk is None or each.order != position:
            each.order = position
            _save_stop(each, user)
    _route_touched(route, user)
    return stop


@transaction.atomic
def stop_update(*, stop: RouteStop, user, **fields) -> RouteStop:
    """Change the given fields of one stop (its site and order stay: use
    stop_create/stop_delete and route_reorder_stops)."""
    unknown = set(fields) - set(STOP_FIELDS)
    if unknown:
        msg = f"Unknown stop field(s): {', '.join(sorted(unknown))}"
        raise TypeError(msg)
    changed = {name: value for name, value in fields.items() if _differs(getattr(stop, name), value)}
    if not changed:
        return stop
    for name, value in changed.items():
        setattr(stop, name, value)
    _save_stop(stop, user)
    _route_touched(stop.route, user)
    return stop


@transaction.atomic
def stop_delete(*, stop: RouteStop, user) -> None:
    """Take a stop off its route and close the gap in the order.

    A stop has no status of its own: removing it is an edit of the route,
    kept in the stop's history (a '-' record, restorable from the admin).
    The site itself is untouched."""
    route = stop.route
    stop._history_user = user
    stop.delete()
    for later in route.stops.select_for_update().filter(order__gt=stop.order).order_by("order"):
        later.order -= 1
        _save_stop(later, user)
    _route_touched(route, user)


@transaction.atomic
def stops_reorder(*, route: Route, site_slugs: Sequence[str], user) -> None:
    """route_reorder_stops for a person: records who, moves the route's ETag."""
    locked = route.stops.select_related("site").select_for_update(of=("self",))
    stops = {stop.site.slug: stop for stop in locked}
    if len(site_slugs) != len(set(site_slugs)) or sorted(stops) != sorted(site_slugs):
        raise ValidationError({"stops": ["Give every stop of the route exactly once, by site slug."]})
    for order, slug in enumerate(site_slugs, start=1):
        stop = stops[slug]
        if stop.order != order:
            stop.order = order
            stop._history_user = user
            stop.save(update_fields=["order"])
    _route_touched(route, user)
