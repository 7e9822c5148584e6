"""Off route or not, by what the path is worth.

A traced or surveyed path is the course: a position more than
max(50 m, GPS accuracy) from it is off route. A schematic path is not the
course (both İzmir paths are straight lines between stops): a bus or a
walker on real streets between two stops can be hundreds of metres from the
line and still be on their way. So on a schematic leg the position is judged
by the leg's two stops instead: it is on route while the detour through it,
previous stop → position → next stop, is at most SCHEMATIC_DETOUR_FACTOR
times the leg (an ellipse around the leg, wider for a longer leg), plus the
same max(50 m, accuracy) margin.
"""

from dataclasses import dataclass

from editorial.vocabularies import GeometryQuality

OFF_ROUTE_TOLERANCE_M = 50.0
# Street networks are typically 1.2–1.4× the straight line between two
# points; 1.4 tolerates the longer real-world detours without calling a
# walk to the next stop "off route".
SCHEMATIC_DETOUR_FACTOR = 1.4

JUDGED_BY_PATH = "path"
JUDGED_BY_NEXT_STOP = "next_stop"


@dataclass(frozen=True)
class OffRouteJudgement:
    off_route: bool
    judged_by: str  # JUDGED_BY_PATH or JUDGED_BY_NEXT_STOP
    # Metres the position may stray: from the path, or, on a schematic leg,
    # the longest detour through it the leg allows.
    tolerance_m: float


def judge_off_route(*, path_quality: str, previous_stop, next_stop, distance_to_route_m: float,
                    accuracy_m: float) -> OffRouteJudgement:
    """`previous_stop` and `next_stop` are the leg's ends (routes.selectors.
    StopOnPath, with straight-line `distance_m` from the position and
    `along_m` on the path); either may be None before the first stop or
    after the last, where the path itself is the judge."""
    margin_m = max(OFF_ROUTE_TOLERANCE_M, accuracy_m)
    on_a_leg = previous_stop is not None and next_stop is not None
    if path_quality != GeometryQuality.SCHEMATIC or not on_a_leg:
        return OffRouteJudgement(distance_to_route_m > margin_m, JUDGED_BY_PATH, margin_m)
    # On a schematic path the line between two stops is straight: its
    # length along the path is the leg's straight-line length.
    leg_m = abs(next_stop.along_m - previous_stop.along_m)
    allowed_m = leg_m * SCHEMATIC_DETOUR_FACTOR + margin_m
    detour_m = previous_stop.distance_m + next_stop.distance_m
    return OffRouteJudgement(detour_m > allowed_m, JUDGED_BY_NEXT_STOP, allowed_m)
