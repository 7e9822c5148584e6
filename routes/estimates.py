"""Time estimates for a route: moving time by its main mode plus time at stops."""

import math

from django.db.models import Sum

from routes.models import MODE_SPEED_KMH, Mode, Route


def moving_minutes(length_m: float, mode: str) -> float:
    """Minutes to cover `length_m` metres at the mode's average speed."""
    speed_kmh = MODE_SPEED_KMH.get(mode, MODE_SPEED_KMH[Mode.WALK])
    return length_m / 1000 / speed_kmh * 60


def route_estimated_duration_min(route: Route) -> int:
    """Whole minutes for the route: moving time on its path by its main mode
    plus the dwell minutes of every stop (one query for the dwell sum)."""
    dwell = route.stops.aggregate(total=Sum("dwell_min"))["total"] or 0
    return math.ceil(moving_minutes(route.length_m or 0, route.main_mode) + dwell)
