"""Plan the day on a route: arrival and departure at each stop from a start
time, and whether each stop is open when the tourist arrives.

Moving time between stops is the distance along the path between them (by
linear referencing in PostGIS) at the route's main mode's average speed
(routes.estimates); the time at a stop is its dwell. Times are local to
Europe/Istanbul (settings.TIME_ZONE). Opening hours are OpenStreetMap
`opening_hours` expressions, evaluated by the opening-hours-py library with
Turkey's public holidays.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import opening_hours
from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.db.models import F, Subquery

from editorial.vocabularies import Status
from geodata.functions import LineLocatePoint, ProjectedLine, ToProjected
from routes.estimates import moving_minutes
from routes.models import Route, RouteStop

CLOSED_AT_ARRIVAL = "closed_at_arrival"
HOURS_UNKNOWN = "hours_unknown"
HOLIDAY_COUNTRY = "TR"


@dataclass(frozen=True)
class PlannedStop:
    order: int
    site: str
    name: dict
    arrive: datetime
    depart: datetime
    moving_min: float
    dwell_min: int
    opening_hours: str
    open_at_arrival: bool | None  # None: hours unknown
    warning: str | None


@dataclass(frozen=True)
class DayPlan:
    route: Route
    start: datetime
    end: datetime
    stops: list[PlannedStop]


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def open_at(expression: str, moment: datetime) -> bool | None:
    """True/False when `expression` says so at `moment` (local time), None
    when the hours are empty, unparsable or say "unknown"."""
    if not expression.strip():
        return None
    try:
        hours = opening_hours.OpeningHours(expression, country=HOLIDAY_COUNTRY)
    except (opening_hours.ParserError, SyntaxError, ValueError):
        return None
    state = hours.state(moment.astimezone(local_zone()).replace(tzinfo=None))[0]
    if state == opening_hours.State.OPEN:
        return True
    if state == opening_hours.State.CLOSED:
        return False
    return None


def _stops_along(route: Route) -> list[dict]:
    """Published stops in order with their position along the path (m)."""
    line = Subquery(
        Route.objects.filter(pk=route.pk).annotate(line=ProjectedLine("path")).values("line")[:1],
        output_field=GeometryField(srid=0),
    )
    rows = (
        RouteStop.objects.filter(route=route, site__status=Status.PUBLISHED)
        .annotate(
            fraction=LineLocatePoint(line, ToProjected("site__location")), hours=F("site__opening_hours")
        )
        .order_by("order")
        .values("order", "site__slug", "site__name", "dwell_min", "fraction", "hours")
    )
    return [{**row, "along_m": row["fraction"] * route.length_m} for row in rows]


def route_day_plan(*, slug: str, start: datetime) -> DayPlan | None:
    """The day on the published route `slug` from `start` (aware), or None
    if there is no such route. Two queries."""
    route = Route.objects.published().filter(slug=slug).defer("path", "description").first()
    if route is None:
        return None
    clock = start.astimezone(local_zone())
    planned: list[PlannedStop] = []
    previous_along = None
    for row in _stops_along(route):
        metres = 0.0 if previous_along is None else abs(row["along_m"] - previous_along)
        moving = moving_minutes(metres, route.main_mode)
        arrive = clock + timedelta(minutes=moving)
        depart = arrive + timedelta(minutes=row["dwell_min"])
        is_open = open_at(row["hours"], arrive)
        warning = HOURS_UNKNOWN if is_open is None else (CLOSED_AT_ARRIVAL if not is_open else None)
        planned.append(
            PlannedStop(
                order=row["order"],
                site=row["site__slug"],
                name=row["site__name"],
                arrive=arrive,
                depart=depart,
                moving_min=moving,
                dwell_min=row["dwell_min"],
                opening_hours=row["hours"],
                open_at_arrival=is_open,
                warning=warning,
            )
        )
        clock, previous_along = depart, row["along_m"]
    return DayPlan(route=route, start=start.astimezone(local_zone()), end=clock, stops=planned)
