"""Reads for researchers' route exports and the OGC routes/stops collections.

A route's export is the route feature (path + properties + its ordered stop
list) followed by its stops' sites in the site export contract
(sites/selectors_export.py), so one file re-imports the whole route.
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from editorial.translations import Translated
from geodata.geojson import GEOJSON_PRECISION, FeatureOptions, as_text, feature, geometry_json, shaped_feature
from routes.models import Route, RouteStop
from sites.models import Site
from sites.selectors_export import DESCRIPTION_LANGUAGE, EXPORT_CHUNK_SIZE, TITLE_LANGUAGE, title_expression

# The route's stops in order, as the importer's StopSpec fields. Stops whose
# site is not visible (a draft, for anonymous users) are left out.
STOPS_SQL = """(SELECT COALESCE(jsonb_agg(jsonb_build_object(
    'site', s.slug, 'order', rs."order", 'designation', rs.designation, 'dwell_min', rs.dwell_min,
    'trigger_radius_m', rs.trigger_radius_m, 'narrative', rs.narrative) ORDER BY rs."order"), '[]'::jsonb)
  FROM routes_routestop rs JOIN sites_site s ON s.id = rs.site_id
  WHERE rs.route_id = routes_route.id AND (s.status = 'published' OR %s))"""


def route_export_queryset(*, include_drafts: bool = False) -> QuerySet[Route]:
    """Routes, published only unless `include_drafts`, ordered by slug."""
    routes = Route.objects.all() if include_drafts else Route.objects.published()
    return routes.order_by("slug")


def route_export_properties(*, include_drafts: bool = False) -> dict:
    """The export contract of a route (`feature_type` tells importers apart
    a route from the sites that follow it)."""
    from django.db.models import JSONField, Value

    return {
        "feature_type": Value("route"),
        "slug": "slug",
        "name": "name",
        "summary": "summary",
        "description": "description",
        "theme": "theme",
        "designation": "designation",
        "modes": "modes",
        "path_quality": "path_quality",
        "duration_min": "duration_min",
        "length_m": RawSQL("round(routes_route.length_m::numeric, 1)::float8", ()),
        "license": "license",
        "attribution": "attribution",
        "status": "status",
        "stops": RawSQL(STOPS_SQL, (include_drafts,), output_field=JSONField()),
    }


def route_feature_expression(*, include_drafts: bool = False, options: FeatureOptions | None = None):
    """A route as GeoJSON Feature text (id = slug, geometry = path); an OGC
    page passes `options` (CRS, properties, geometry)."""
    properties = route_export_properties(include_drafts=include_drafts)
    if options is not None:
        shaped = shaped_feature(geometry="path", properties=properties, options=options, id_field="slug")
        return as_text(shaped)
    return as_text(feature(geometry="path", properties=properties, id_field="slug"))


def route_feature_texts(
    routes: QuerySet[Route],
    *,
    include_drafts: bool = False,
    chunk_size: int = EXPORT_CHUNK_SIZE,
    options: FeatureOptions | None = None,
) -> Iterator[str]:
    """One GeoJSON Feature per route as text (id = slug, geometry = path);
    `options`: only some properties, or no geometry (the export's
    `properties` and `skipGeometry`)."""
    expression = route_feature_expression(include_drafts=include_drafts, options=options)
    shaped = routes.annotate(feature_text=expression)
    return shaped.values_list("feature_text", flat=True).iterator(chunk_size=chunk_size)


def route_stop_sites(route: Route, *, include_drafts: bool = False) -> QuerySet[Site]:
    """The route's stop sites in stop order, each annotated with
    `stop_order` and `designation`."""
    sites = Site.objects.all() if include_drafts else Site.objects.published()
    return (
        sites.filter(route_stops__route=route)
        .annotate(
            stop_order=RawSQL('"routes_routestop"."order"', ()),
            designation=RawSQL('"routes_routestop"."designation"', ()),
            dwell_min=RawSQL('"routes_routestop"."dwell_min"', ()),
            trigger_radius_m=RawSQL('"routes_routestop"."trigger_radius_m"', ()),
        )
        .order_by("route_stops__order")
    )


def route_flat_rows(routes: QuerySet[Route]) -> Iterator[dict]:
    """Routes as flat dicts for CSV/GeoPackage/KML/GPX: path as WKT, as
    PostGIS KML and as a GeoJSON dict, plus a `title` and `summary_text` in
    one language (a handful of routes: no cursor)."""
    shaped = routes.annotate(
        wkt=RawSQL(f"ST_AsText(routes_route.path, {GEOJSON_PRECISION})", ()),
        kml=RawSQL(f"ST_AsKML(routes_route.path::geometry, {GEOJSON_PRECISION})", ()),
        path_geojson=geometry_json("path"),
        length_rounded=RawSQL("round(routes_route.length_m::numeric, 1)::float8", ()),
        # One name and one summary for the one-language formats (GPX, KML).
        title=title_expression("name", TITLE_LANGUAGE),
        summary_text=Translated("summary", DESCRIPTION_LANGUAGE),
    )
    return iter(
        shaped.values(
            "slug",
            "name",
            "summary",
            "description",
            "theme",
            "modes",
            "path_quality",
            "duration_min",
            "length_rounded",
            "license",
            "attribution",
            "status",
            "wkt",
            "kml",
            "path_geojson",
            "title",
            "summary_text",
        )
    )


def stop_queryset(*, include_drafts: bool = False) -> QuerySet[RouteStop]:
    """Route stops whose route and site are both visible, in route order."""
    stops = RouteStop.objects.all()
    if not include_drafts:
        stops = stops.filter(route__status="published", site__status="published")
    return stops.order_by("route__slug", "order")


def stop_feature_properties() -> dict:
    return {
        "route": "route__slug",
        "order": "order",
        "site": "site__slug",
        "name": "site__name",
        "kind": "site__kind",
        "designation": "designation",
        "dwell_min": "dwell_min",
        "trigger_radius_m": "trigger_radius_m",
    }


def stop_feature_expression(options: FeatureOptions | None = None):
    """A stop as a GeoJSON Feature (id = the stop's number, point = its site's)."""
    if options is not None:
        return as_text(
            shaped_feature(geometry="site__location", properties=stop_feature_properties(), options=options)
        )
    return as_text(feature(geometry="site__location", properties=stop_feature_properties()))
