"""Export and OGC filters parsed from plain strings (query parameters or
command-line options) into one typed value.

No HTTP here: a bad value raises FilterError naming the parameter, and each
edge (API view, OGC view, management command) turns it into its own error.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from editorial.vocabularies import Kind


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


@dataclass(frozen=True)
class SiteFilters:
    bbox: tuple[float, float, float, float] | None = None
    kinds: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    route: str | None = None
    years: YearInterval | None = None


def parse_bbox(value: str, *, parameter: str = "bbox") -> tuple[float, float, float, float]:
    """`minlon,minlat,maxlon,maxlat` (WGS84), or the 6-number 3D form whose
    heights are ignored (OGC API - Features allows both)."""
    parts = value.split(",")
    if len(parts) not in (4, 6):
        raise FilterError(parameter, "Give 4 numbers: min_lon,min_lat,max_lon,max_lat.")
    try:
        numbers = [float(part) for part in parts]
    except ValueError as error:
        raise FilterError(parameter, "Every bbox value must be a number.") from error
    if not all(math.isfinite(number) for number in numbers):
        raise FilterError(parameter, "bbox values must be finite numbers.")
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


# A year as ISO 8601 allows it with expansion: optional sign, at least 1
# digit, optionally followed by the rest of a date or date-time (ignored).
_YEAR = re.compile(r"^([+-]?\d{1,6})(?:-\d{2}(?:-\d{2}(?:[Tt].*)?)?)?$")


def _year(text: str, *, parameter: str) -> int | None:
    text = text.strip()
    if text in ("..", ""):
        return None
    match = _YEAR.match(text)
    if not match:
        raise FilterError(
            parameter,
            f"{text!r} is not a year or RFC 3339 date; "
            "use e.g. 1453, -0546 (546 BCE) or 1453-05-29T00:00:00Z.",
        )
    return int(match.group(1))


def parse_datetime(value: str, *, parameter: str = "datetime") -> YearInterval:
    """OGC `datetime`: an instant or an interval `start/end` with `..` for an
    open end. Only the year is used, because site dates are years; negative
    years are BCE (an extension of RFC 3339, which has no BCE)."""
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


def parse_site_filters(params: Mapping[str, str], *, periods_known: set[str] | None = None) -> SiteFilters:
    """The site-list filters shared by exports and OGC: bbox, kind, period,
    route, datetime. Missing or empty values mean no filter."""
    for name in ("bbox", "kind", "period", "route", "datetime"):
        if "\x00" in (params.get(name) or ""):
            raise FilterError(name, "NUL characters are not allowed.")
    values: dict = {}
    if params.get("bbox"):
        values["bbox"] = parse_bbox(params["bbox"])
    if params.get("kind"):
        values["kinds"] = parse_choices(params["kind"], parameter="kind", allowed=set(Kind.values))
    if params.get("period"):
        values["periods"] = parse_choices(params["period"], parameter="period", allowed=periods_known)
    if params.get("route"):
        values["route"] = params["route"].strip()
    if params.get("datetime"):
        values["years"] = parse_datetime(params["datetime"])
    return SiteFilters(**values)
