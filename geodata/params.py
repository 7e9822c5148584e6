"""Parameters parsed from plain strings (query parameters or command-line
options) into plain values: one rule each for a bbox, a comma-separated
list, an OGC `datetime` and an integer, so every edge says the same thing.

No HTTP and no domain here: a bad value raises FilterError naming the
parameter, and each edge (API view, OGC view, management command) turns it
into its own error. Digits are ASCII only: `str.isdigit()`, `int()` and
`\\d` also accept "²" or "٣", which would be a 500 or a silent 3.
"""

import calendar
import math
import re
from dataclasses import dataclass


class FilterError(ValueError):
    """A filter value that cannot be used; `parameter` names it."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class YearInterval:
    """A closed interval of years, either end open (None). BCE years are
    negative; see docs/adr/0005-exports-and-ogc.md for year numbering."""

    start: int | None
    end: int | None


Box = tuple[float, float, float, float]

BBOX_FORMAT = "Give 4 numbers min_lon,min_lat,max_lon,max_lat (or 6 with heights, which are ignored)."
# A decimal number as the OpenAPI schemas describe it: no NaN, no Infinity,
# no hex, ASCII digits only (float() would take "١٢" and " 1_0 ").
_NUMBER = re.compile(r"^\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$")


def parse_bbox(value: str, *, parameter: str = "bbox") -> Box:
    """`minlon,minlat,maxlon,maxlat` (WGS84), or the 6-number 3D form whose
    heights are ignored (OGC API - Features allows both). A zero-area box
    (a line or a point) is allowed: it still selects what lies on it."""
    parts = str(value).split(",")
    if len(parts) not in (4, 6):
        raise FilterError(parameter, BBOX_FORMAT)
    if not all(_NUMBER.match(part) for part in parts):
        raise FilterError(parameter, "Every bbox value must be a finite number.")
    numbers = [float(part) for part in parts]
    if not all(math.isfinite(number) for number in numbers):  # 1e999
        raise FilterError(parameter, "Every bbox value must be a finite number.")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise FilterError(parameter, "Longitudes must be within -180..180 and latitudes within -90..90.")
    if west > east or south > north:
        raise FilterError(
            parameter, "The minimum must not exceed the maximum (min_lon,min_lat,max_lon,max_lat)."
        )
    return west, south, east, north


def parse_bbox_numbers(value: str, *, parameter: str = "bbox") -> Box:
    """A bbox in a projected CRS (bbox-crs): 4 finite numbers (or 6 with
    heights, ignored), minimum before maximum, in the CRS's own units."""
    parts = str(value).split(",")
    if len(parts) not in (4, 6):
        raise FilterError(parameter, "Give 4 numbers minx,miny,maxx,maxy in the bbox-crs (6 with heights).")
    if not all(_NUMBER.match(part) for part in parts):
        raise FilterError(parameter, "Every bbox value must be a finite number.")
    numbers = [float(part) for part in parts]
    if not all(math.isfinite(number) and abs(number) <= 1e8 for number in numbers):
        raise FilterError(parameter, "Every bbox value must be a finite number within ±1e8.")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise FilterError(parameter, "The minimum must not exceed the maximum (minx,miny,maxx,maxy).")
    return numbers[0], numbers[1], numbers[2], numbers[3]


def check_bbox_span(box: Box, *, max_degrees: float, parameter: str = "bbox") -> None:
    """A separate limit some edges add on top of parse_bbox (the phone map)."""
    west, south, east, north = box
    if east - west > max_degrees or north - south > max_degrees:
        raise FilterError(parameter, f"The box may span at most {max_degrees:g} degrees each way.")


_INTEGER = re.compile(r"^-?[0-9]+$")


def parse_integer(value: str, *, parameter: str, minimum: int, maximum: int) -> int:
    """A whole number in minimum..maximum, written with ASCII digits only."""
    text = str(value).strip()
    if not _INTEGER.match(text):
        raise FilterError(parameter, f"Must be a whole number {minimum}..{maximum} (ASCII digits).")
    if len(text) > 30:  # int() on a huge string is slow; anything this long is out of range
        raise FilterError(parameter, f"Must be at most {maximum}.")
    number = int(text)
    if number < minimum:
        raise FilterError(parameter, f"Must be at least {minimum}.")
    if number > maximum:  # beyond PostgreSQL's bigint it would be a 500
        raise FilterError(parameter, f"Must be at most {maximum}.")
    return number


def parse_choices(value: str, *, parameter: str, allowed: set[str] | None = None) -> tuple[str, ...]:
    """A comma-separated list; each item checked against `allowed` if given."""
    items = tuple(dict.fromkeys(item.strip() for item in value.split(",") if item.strip()))
    if not items:
        raise FilterError(parameter, "Give at least one value.")
    if allowed is not None:
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise FilterError(parameter, f"Unknown value(s): {', '.join(unknown)}.")
    return items


# A year as ISO 8601 allows it with expansion (optional sign, 1 to 6
# digits), alone or followed by the rest of an RFC 3339 date or date-time.
_YEAR = re.compile(
    r"^(?P<year>[+-]?[0-9]{1,6})"
    r"(?:-(?P<month>[0-9]{2})"
    r"(?:-(?P<day>[0-9]{2})"
    r"(?:[Tt](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-](?P<offset_hour>[0-9]{2}):(?P<offset_minute>[0-9]{2})))?)?)?$"
)
_YEAR_HINT = "use e.g. 1453, -0546 (546 BCE) or 1453-05-29T00:00:00Z."


def _valid_date_time(match: re.Match) -> bool:
    """The month, day and time exist (2024-02-30 and 99:99:99 do not)."""
    parts = {name: int(text) for name, text in match.groupdict().items() if text is not None}
    if "month" in parts and not 1 <= parts["month"] <= 12:
        return False
    if "day" in parts:
        # Proleptic Gregorian leap years; calendar.isleap takes BCE (negative) years too.
        year, month = parts["year"], parts["month"]
        length = 29 if month == 2 and calendar.isleap(year) else calendar.mdays[month]
        if not 1 <= parts["day"] <= length:
            return False
    limits = {"hour": 23, "minute": 59, "second": 60, "offset_hour": 23, "offset_minute": 59}
    return all(parts.get(name, 0) <= limit for name, limit in limits.items())


def _year(text: str, *, parameter: str) -> int | None:
    text = text.strip()
    if text in ("..", ""):
        return None
    match = _YEAR.match(text)
    if not match:
        raise FilterError(parameter, f"{text!r} is not a year or RFC 3339 date; {_YEAR_HINT}")
    if not _valid_date_time(match):
        raise FilterError(parameter, f"{text!r} is not a date that exists; {_YEAR_HINT}")
    return int(match.group("year"))


def parse_datetime(value: str, *, parameter: str = "datetime") -> YearInterval:
    """OGC `datetime`: an instant or an interval `start/end` with `..` for an
    open end. Only the year is used, because site dates are years, but the
    whole date must exist; negative years are BCE (an extension of RFC
    3339, which has no BCE)."""
    if value.count("/") > 1:
        raise FilterError(parameter, "Give an instant or one interval start/end.")
    if "/" in value:
        start_text, end_text = value.split("/")
        start, end = _year(start_text, parameter=parameter), _year(end_text, parameter=parameter)
    else:
        start = end = _year(value, parameter=parameter)
        if start is None:
            raise FilterError(parameter, "An instant must be a year or a date.")
    if start is not None and end is not None and start > end:
        raise FilterError(parameter, "The interval's start is after its end.")
    return YearInterval(start, end)
