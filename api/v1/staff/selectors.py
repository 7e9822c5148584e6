"""Reads for the staff API: every status, drafts included.

These stay with the staff views because nothing public may use them
(sites/selectors.py and routes/selectors.py serve published content only).
Geometries come out of PostGIS already as GeoJSON (geodata.geojson); the
concrete columns stay loaded because the ETag hashes them.
"""

from django.db.models import F, Prefetch, QuerySet

from geodata.geojson import geometry_json
from routes.models import Route, RouteStop
from sites.models import Period, Site


def staff_sites(*, status: str | None = None) -> QuerySet[Site]:
    """Sites in any status (or one), with GeoJSON geometries and period codes."""
    sites = (
        Site.objects.select_related("created_by", "updated_by")
        .prefetch_related(Prefetch("periods", queryset=Period.objects.only("code")))
        .annotate(location_geojson=geometry_json("location"), shape_geojson=geometry_json("shape"))
        .order_by("slug")
    )
    return sites.filter(status=status) if status else sites


def staff_routes(*, status: str | None = None) -> QuerySet[Route]:
    """Routes in any status (or one), with the path as GeoJSON; length_m in metres."""
    routes = (
        Route.objects.select_related("created_by", "updated_by")
        .annotate(path_geojson=geometry_json("path"))
        .order_by("slug")
    )
    return routes.filter(status=status) if status else routes


def staff_stops(*, route: Route) -> QuerySet[RouteStop]:
    """The route's stops in order, each at its site's location (GeoJSON)."""
    return (
        RouteStop.objects.filter(route=route)
        .select_related("site")
        .annotate(route_slug=F("route__slug"), location_geojson=geometry_json("site__location"))
        .order_by("order")
    )
