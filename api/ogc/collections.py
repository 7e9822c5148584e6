"""The three feature collections and how each is queried.

A collection knows its visible rows (published only: the OGC API is
public), its extra query parameters, its feature expression (GeoJSON text
built by PostgreSQL) and how an item id maps to a row.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import QuerySet

from geodata.cql2 import Queryable, Queryables
from geodata.exports.bbox import in_bbox
from geodata.params import FilterError, parse_bbox, parse_choices
from interchange.filters import parse_site_filters
from routes.models import Mode, Theme
from routes.selectors_export import (
    route_export_queryset,
    route_feature_expression,
    stop_feature_expression,
    stop_queryset,
)
from sites.selectors_export import SiteFilters, site_export_queryset, site_feature_expression


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    geometry_type: str
    filters: tuple[str, ...]  # property filters besides bbox, limit, offset
    rows: Callable[[Mapping[str, str]], QuerySet]
    expression: Callable[[], object]
    id_lookup: str
    geometry_column: str  # SQL of the geography column (bbox-crs, CQL2 spatial functions)
    queryables: Queryables
    id_is_integer: bool = False
    temporal: bool = False
    filter_help: dict[str, str] = field(default_factory=dict)


def _sites(params: Mapping[str, str]) -> QuerySet:
    from sites.models import Period

    known = set(Period.objects.values_list("code", flat=True)) if params.get("period") else None
    filters: SiteFilters = parse_site_filters(params, periods_known=known)
    return site_export_queryset(filters=filters)


def _routes(params: Mapping[str, str]) -> QuerySet:
    routes = route_export_queryset()
    if params.get("bbox"):
        routes = routes.filter(in_bbox('"routes_route"."path"', parse_bbox(params["bbox"]), lines=True))
    if params.get("theme"):
        routes = routes.filter(
            theme__in=parse_choices(params["theme"], parameter="theme", allowed=set(Theme.values))
        )
    if params.get("mode"):
        modes = parse_choices(params["mode"], parameter="mode", allowed=set(Mode.values))
        routes = routes.filter(modes__overlap=list(modes))
    return routes


def _stops(params: Mapping[str, str]) -> QuerySet:
    stops = stop_queryset()
    if params.get("bbox"):
        # The join to sites_site is there already: the feature's point is the site's.
        stops = stops.select_related("site").filter(
            in_bbox('"sites_site"."location"', parse_bbox(params["bbox"]))
        )
    if params.get("route"):
        stops = stops.filter(route__slug__in=parse_choices(params["route"], parameter="route"))
    return stops


SITE_LOCATION, ROUTE_PATH = '"sites_site"."location"', '"routes_route"."path"'


def _queryables(column: str, years=None, **properties: tuple[str, str, str]) -> Queryables:
    """name=(ORM lookup, JSON type, description) for each queryable property."""
    return Queryables(
        properties={name: Queryable(*spec) for name, spec in properties.items()},
        geometry_column=column,
        years=years,
    )


SITE_QUERYABLES = _queryables(
    SITE_LOCATION,
    ("start_year", "end_year"),
    slug=("slug", "string", "The site's identifier"),
    kind=("kind", "string", "Kind of site (mosque, church, han, ...)"),
    start_year=("start_year", "integer", "First year, BCE negative"),
    end_year=("end_year", "integer", "Last year, BCE negative; null when still standing"),
    district=("district", "string", "District of İzmir"),
    geometry_quality=("geometry_quality", "string", "How the location was made"),
    confidence=("confidence", "string", "Confidence in the coordinates"),
    wikidata=("wikidata", "string", "Wikidata item"),
    pleiades=("pleiades", "string", "Pleiades place"),
    osm=("osm", "string", "OpenStreetMap element"),
    license=("license", "string", "Licence of the record"),
)
ROUTE_QUERYABLES = _queryables(
    ROUTE_PATH,
    slug=("slug", "string", "The route's identifier"),
    theme=("theme", "string", "Theme of the route"),
    designation=("designation", "string", "Designation"),
    path_quality=("path_quality", "string", "How the path was made"),
    duration_min=("duration_min", "integer", "Planned duration in minutes"),
    length_m=("length_m", "number", "Path length in metres"),
)
STOP_QUERYABLES = _queryables(
    SITE_LOCATION,
    route=("route__slug", "string", "The route's slug"),
    order=("order", "integer", "Order along the route"),
    site=("site__slug", "string", "The stop's site"),
    kind=("site__kind", "string", "Kind of the site"),
    designation=("designation", "string", "Official or proposed stop"),
    dwell_min=("dwell_min", "integer", "Minutes to spend at the stop"),
    trigger_radius_m=("trigger_radius_m", "integer", "Radius in metres that counts as arrived"),
)

COLLECTIONS = {
    "sites": Collection(
        id="sites",
        title="Heritage sites",
        description=(
            "Published heritage sites of İzmir: points with kind, periods, years (BCE negative), sources "
            "and coordinate confidence. Site coordinates: Bizİzmir Açık Veri Portalı (CC BY 4.0)."
        ),
        geometry_type="Point",
        filters=("kind", "period", "route", "datetime"),
        rows=_sites,
        expression=site_feature_expression,
        id_lookup="slug",
        geometry_column=SITE_LOCATION,
        queryables=SITE_QUERYABLES,
        temporal=True,
        filter_help={
            "kind": "Site kinds, comma-separated (e.g. mosque,church).",
            "period": "Period codes, comma-separated (e.g. roman,byzantine).",
            "route": "Slug of a published route: only its stops.",
            "datetime": (
                "Year or interval start/end ('..' open) overlapping the site's start_year..end_year. "
                "Only years count; negative years are BCE, e.g. -0546/-0334 or 1400/.. ."
            ),
        },
    ),
    "routes": Collection(
        id="routes",
        title="Heritage routes",
        description="Published heritage routes: paths in walking order, with their ordered stop list.",
        geometry_type="LineString",
        filters=("theme", "mode"),
        rows=_routes,
        expression=lambda options=None: route_feature_expression(options=options),
        id_lookup="slug",
        geometry_column=ROUTE_PATH,
        queryables=ROUTE_QUERYABLES,
        filter_help={"theme": "Route themes, comma-separated.", "mode": "Transport modes, comma-separated."},
    ),
    "stops": Collection(
        id="stops",
        title="Route stops",
        description="Stops of published routes, in order: the stop's site point, route slug and order.",
        geometry_type="Point",
        filters=("route",),
        rows=_stops,
        expression=stop_feature_expression,
        id_lookup="pk",
        geometry_column=SITE_LOCATION,
        queryables=STOP_QUERYABLES,
        id_is_integer=True,
        filter_help={"route": "Route slugs, comma-separated."},
    ),
}

__all__ = ["COLLECTIONS", "Collection", "FilterError"]
