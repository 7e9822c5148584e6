"""The site-list filters shared by exports and OGC, parsed from plain
strings (query parameters or command-line options) into SiteFilters.

The string rules are geodata.params' (one bbox rule, one datetime rule);
what is domain here is the vocabulary a `kind` is checked against.
"""

from collections.abc import Mapping

from editorial.vocabularies import Kind
from geodata.params import FilterError, parse_bbox, parse_choices, parse_datetime
from sites.selectors_export import SiteFilters

FILTER_NAMES = ("bbox", "kind", "period", "route", "datetime")


def parse_site_filters(params: Mapping[str, str], *, periods_known: set[str] | None = None) -> SiteFilters:
    """bbox, kind, period, route, datetime. Missing or empty values mean no
    filter; a bad one raises FilterError naming it."""
    for name in FILTER_NAMES:
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
