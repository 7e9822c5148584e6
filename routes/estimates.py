"""Time estimates for a route: moving time by its main mode plus time at stops.

One rule, in two spellings that a parity test keeps equal
(tests/routes/test_estimates.py):

- Python: `estimated_duration_min` (and `duration_min`: the planned
  duration when staff set one, else the estimate), for one route in hand;
- SQL: `estimated_duration_min_sql` / `duration_min_sql`, for lists built in
  PostGIS (routes.selectors), from the same speeds and the same arithmetic
  (metres ÷ metres-per-minute + dwell, rounded up), so both round alike.
"""

import math

from django.db.models import Case, Expression, F, FloatField, IntegerField, Sum, Value, When
from django.db.models.functions import Cast, Ceil, Coalesce

from routes.models import MODE_SPEED_KMH, Mode, Route


def metres_per_min(mode: str) -> float:
    """The mode's average speed (unknown modes: walking)."""
    return MODE_SPEED_KMH.get(mode, MODE_SPEED_KMH[Mode.WALK]) * 1000 / 60


def moving_minutes(length_m: float, mode: str) -> float:
    """Minutes to cover `length_m` metres at the mode's average speed."""
    return length_m / metres_per_min(mode)


def estimated_duration_min(*, length_m: float | None, mode: str, dwell_min: float) -> int:
    """Whole minutes: moving time plus the minutes spent at the stops, rounded up."""
    return math.ceil(moving_minutes(length_m or 0, mode) + dwell_min)


def duration_min(*, planned_min: int | None, length_m: float | None, mode: str, dwell_min: float) -> int:
    """What a tourist is told: the planned duration, else the estimate."""
    if planned_min is not None:
        return planned_min
    return estimated_duration_min(length_m=length_m, mode=mode, dwell_min=dwell_min)


def route_estimated_duration_min(route: Route) -> int:
    """The estimate for one route, with all its stops (one query for the dwell sum)."""
    dwell = route.stops.aggregate(total=Sum("dwell_min"))["total"] or 0
    return estimated_duration_min(length_m=route.length_m, mode=route.main_mode, dwell_min=dwell)


# --- The SQL twin ----------------------------------------------------------------


def _metres_per_min_sql() -> Expression:
    # modes__0 is modes[1] in SQL: the route's main mode (Route.main_mode).
    whens = [When(modes__0=mode, then=Value(metres_per_min(mode))) for mode in MODE_SPEED_KMH]
    return Case(*whens, default=Value(metres_per_min(Mode.WALK)), output_field=FloatField())


def estimated_duration_min_sql(dwell_min: Expression) -> Expression:
    """estimated_duration_min on a Route queryset; `dwell_min` is the dwell
    of the stops that count (an annotation or subquery)."""
    moving = Coalesce(F("length_m"), Value(0.0)) / _metres_per_min_sql()
    return Cast(Ceil(moving + dwell_min), IntegerField())


def duration_min_sql(dwell_min: Expression) -> Expression:
    """duration_min on a Route queryset."""
    return Coalesce("duration_min", estimated_duration_min_sql(dwell_min))
