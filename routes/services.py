"""Writes for routes and their stops: the one write path of the admin, the
staff API, imports and the seed loader.

As in sites.services, each change runs in one transaction and in one order:
lock (SELECT … FOR UPDATE), role (editorial.workflow), version
(editorial.versions), validation, write. A stop's rights are its route's.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CheckConstraint
from django.utils import timezone

from editorial.versions import check_version, collection_version, lock, object_version
from editorial.vocabularies import Status
from editorial.workflow import require_can_edit, require_can_remove_stops, transition
from routes.models import Route, RouteStop
from sites.models import Site
from sites.services import changed_fields, check_fields

# Status, slug-after-create, length_m (a generated column), timestamps and
# authorship are never content fields.
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
STOP_FIELDS = ("designation", "dwell_min", "trigger_radius_m", "narrative")


@dataclass(frozen=True)
class StopSpec:
    """One stop as the caller wants it; its place in the list is its order."""

    site_slug: str
    designation: str = "proposed"
    dwell_min: int = 15
    trigger_radius_m: int = 30
    narrative: dict | None = None


def _history(obj, user) -> None:
    if user is not None:  # else simple_history takes the request's user, if any
        obj._history_user = user


# --- Routes --------------------------------------------------------------------


def _save_route(route: Route, user) -> Route:
    route.updated_by = user
    route.full_clean(exclude=["length_m"])
    _history(route, user)
    route.save()
    route.refresh_from_db(fields=["length_m"])
    return route


def _create_route(slug: str, user, status: str, fields: dict) -> Route:
    check_fields(fields, ROUTE_FIELDS, "route")
    return _save_route(Route(slug=slug, status=status, created_by=user, **fields), user)


@transaction.atomic
def route_create(*, slug: str, user, **fields) -> Route:
    """A new draft route by `user`; length_m is computed by PostGIS."""
    return _create_route(slug, user, Status.DRAFT, fields)


def _apply_route(route: Route, user, fields: dict) -> bool:
    changed = changed_fields(route, fields)
    if not changed:
        return False  # nothing written: no history row, the version stays
    for name, value in changed.items():
        setattr(route, name, value)
    _save_route(route, user)
    return True


@transaction.atomic
def route_update(*, route: Route, user, expected_versions: Sequence[str] | None = None, **fields) -> Route:
    """Change the given fields of `route` (re-read under a lock); length_m
    follows the path."""
    check_fields(fields, ROUTE_FIELDS, "route")
    lock(route)
    require_can_edit(user, route)
    check_version(object_version(route), expected_versions)
    _apply_route(route, user, fields)
    return route


@transaction.atomic
def route_upsert(*, slug: str, status: str | None = None, user=None, **fields) -> tuple[Route, bool]:
    """Create or update a route by slug (imports, the seed loader); saves
    only what differs. `status` applies on creation only."""
    check_fields(fields, ROUTE_FIELDS, "route")
    route = Route.objects.select_for_update().filter(slug=slug).first()
    if route is None:
        return _create_route(slug, user, status or Status.DRAFT, fields), True
    require_can_edit(user, route)
    return route, _apply_route(route, user, fields)


@transaction.atomic
def route_archive(*, route: Route, user, expected_versions: Sequence[str] | None = None) -> Route:
    """Deleting a route archives it; the workflow decides who may."""
    transition(route, to_status=Status.ARCHIVED, user=user, expected_versions=expected_versions)
    return route


# --- Stops ---------------------------------------------------------------------

# Which field a CHECK constraint is about, to name it in errors.
CHECK_FIELDS = {
    "routestop_trigger_radius_range": "trigger_radius_m",
    "routestop_order_positive": "order",
    "routestop_designation_known": "designation",
}


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


def check_stop_site(site: Site) -> None:
    """A site that becomes a stop must not be archived."""
    if site.status == Status.ARCHIVED:
        raise ValidationError({"site": [f"{site.slug} is archived; restore it before adding it to a route."]})


def _save_stop(stop: RouteStop, user) -> None:
    _clean_stop(stop)
    _history(stop, user)
    stop.save()


def _route_touched(route: Route, user) -> None:
    # The route's public representation includes its stops, so a stop change
    # moves the route's updated_at (and version). A queryset update: the
    # stop's own history row records the change; no duplicate route row.
    Route.objects.filter(pk=route.pk).update(updated_at=timezone.now(), updated_by=user)


def _locked_stops(route: Route, user, expected_versions: Sequence[str] | None) -> list[RouteStop]:
    """Lock the route, check the role, lock its stops in order and check the
    version of the list (the staff API's ETag of …/stops)."""
    lock(route)
    require_can_edit(user, route)
    stops = list(route.stops.select_related("site").select_for_update(of=("self",)).order_by("order"))
    check_version(collection_version(stops), expected_versions)
    return stops


def _renumber(stops: list[RouteStop], user) -> None:
    # Number 1..n (closing any old gaps); the (route, order) constraint is
    # deferred to COMMIT, so orders may collide on the way.
    for position, each in enumerate(stops, start=1):
        if each.pk is None or each.order != position:
            each.order = position
            _save_stop(each, user)


@transaction.atomic
def stop_create(
    *,
    route: Route,
    site: Site,
    user,
    order: int | None = None,
    expected_versions: Sequence[str] | None = None,
    **fields,
) -> RouteStop:
    """Add `site` to `route` at `order` (1-based; default: last), moving the
    later stops one place down. A site is a stop of a route at most once.
    Adding needs no version (it creates), but a caller that read the list
    may pass its version: the later stops move."""
    check_fields(fields, STOP_FIELDS, "stop")
    stops = _locked_stops(route, user, expected_versions)
    check_stop_site(site)
    if any(stop.site_id == site.pk for stop in stops):
        raise ValidationError({"site": [f"{site.slug} is already a stop of this route."]})
    last = len(stops) + 1
    order = last if order is None else order
    if not 1 <= order <= last:
        raise ValidationError({"order": [f"The order must be 1 to {last}."]})
    stop = RouteStop(route=route, site=site, order=order, **fields)
    _clean_stop(stop)
    stops.insert(order - 1, stop)
    _renumber(stops, user)
    _route_touched(route, user)
    return stop


def _locked_stop(stop: RouteStop, user, expected_versions: Sequence[str] | None) -> RouteStop:
    lock(stop.route)
    require_can_edit(user, stop.route)
    lock(stop)
    check_version(object_version(stop), expected_versions)
    return stop


@transaction.atomic
def stop_update(
    *, stop: RouteStop, user, expected_versions: Sequence[str] | None = None, **fields
) -> RouteStop:
    """Change the given fields of one stop (its site and order stay: use
    stop_create/stop_delete and stops_reorder)."""
    check_fields(fields, STOP_FIELDS, "stop")
    _locked_stop(stop, user, expected_versions)
    changed = changed_fields(stop, fields)
    if not changed:
        return stop
    for name, value in changed.items():
        setattr(stop, name, value)
    _save_stop(stop, user)
    _route_touched(stop.route, user)
    return stop


@transaction.atomic
def stop_delete(*, stop: RouteStop, user, expected_versions: Sequence[str] | None = None) -> None:
    """Take a stop off its route and close the gap in the order.

    A stop has no status of its own: removing it is an edit of the route,
    kept in the stop's history (a '-' record, restorable from the admin),
    and a reviewer's move. The site itself is untouched."""
    route = stop.route
    lock(route)
    require_can_edit(user, route)
    require_can_remove_stops(user, route)
    lock(stop)
    check_version(object_version(stop), expected_versions)
    _history(stop, user)
    stop.delete()
    _renumber(list(route.stops.select_for_update().order_by("order")), user)
    _route_touched(route, user)


@transaction.atomic
def stops_reorder(
    *, route: Route, site_slugs: Sequence[str], user, expected_versions: Sequence[str] | None = None
) -> None:
    """Put the route's stops in the order of `site_slugs` (each exactly once),
    in one transaction: the deferred unique constraint is checked at COMMIT."""
    stops = {stop.site.slug: stop for stop in _locked_stops(route, user, expected_versions)}
    if len(site_slugs) != len(set(site_slugs)) or sorted(stops) != sorted(site_slugs):
        raise ValidationError({"stops": ["Give every stop of the route exactly once, by site slug."]})
    for order, slug in enumerate(site_slugs, start=1):
        stop = stops[slug]
        if stop.order != order:
            stop.order = order
            _history(stop, user)
            stop.save(update_fields=["order"])
    _route_touched(route, user)


def _stop_values(order: int, spec: StopSpec) -> dict:
    return {
        "order": order,
        "designation": spec.designation,
        "dwell_min": spec.dwell_min,
        "trigger_radius_m": spec.trigger_radius_m,
        "narrative": spec.narrative or {},
    }


def _sites_of(stops: Sequence[StopSpec]) -> dict[str, Site]:
    slugs = [spec.site_slug for spec in stops]
    if len(set(slugs)) != len(slugs):
        raise ValidationError({"stops": ["A site can be a stop of a route only once."]})
    sites = Site.objects.in_bulk(slugs, field_name="slug")
    missing = [slug for slug in slugs if slug not in sites]
    if missing:
        raise ValidationError({"stops": [f"Unknown site(s): {', '.join(missing)}."]})
    return sites


@transaction.atomic
def route_set_stops(*, route: Route, stops: Sequence[StopSpec], user=None) -> bool:
    """Make the route's stops exactly `stops`, in that order (imports, the
    seed loader, the admin's stop list). Returns whether anything changed.
    The same checks as stop_create/stop_delete: the role, a reviewer to
    remove stops, no archived site added, the stop CHECK constraints."""
    sites = _sites_of(stops)
    existing = {stop.site.slug: stop for stop in _locked_stops(route, user, None)}
    removed = [existing.pop(slug) for slug in set(existing) - set(sites)]
    if removed:
        require_can_remove_stops(user, route)
    for stop in removed:
        _history(stop, user)
        stop.delete()
    changed = bool(removed)
    for order, spec in enumerate(stops, start=1):
        values = _stop_values(order, spec)
        stop = existing.get(spec.site_slug)
        if stop is None:
            check_stop_site(sites[spec.site_slug])
            stop = RouteStop(route=route, site=sites[spec.site_slug])
        elif all(getattr(stop, key) == value for key, value in values.items()):
            continue
        for key, value in values.items():
            setattr(stop, key, value)
        _save_stop(stop, user)
        changed = True
    if changed:
        _route_touched(route, user)
    return changed
