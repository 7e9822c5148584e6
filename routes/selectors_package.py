"""Reads for a route's offline package (interchange.packages): which photo
renditions it carries, and how new its content is."""

from django.db.models import Max, QuerySet

from editorial.vocabularies import Status
from routes.models import Route, RouteStop
from sites.models import Photo

PHONE_WIDTH = 800  # px: the rendition a phone screen needs


def package_photos(route: Route) -> QuerySet[Photo]:
    """Published photos of the route's published stops' sites, by site and order."""
    return Photo.objects.filter(
        status=Status.PUBLISHED,
        site__status=Status.PUBLISHED,
        site__route_stops__route=route,
    ).order_by("site__slug", "sort_order", "pk")


def phone_rendition(renditions: dict) -> str | None:
    """The storage name of the 800 px rendition, else the widest narrower
    one (photos are never upscaled), else the narrowest there is."""
    widths = sorted(int(key) for key, name in (renditions or {}).items() if str(key).isdigit() and name)
    if not widths:
        return None
    fitting = [width for width in widths if width <= PHONE_WIDTH]
    return renditions[str(fitting[-1] if fitting else widths[0])]


def content_time(route: Route):
    """The newest change among the route, its published stops' sites and
    their published photos: the package's `generated_at` (deterministic)."""
    stops = RouteStop.objects.filter(route=route, site__status=Status.PUBLISHED)
    newest = [
        route.updated_at,
        stops.aggregate(t=Max("site__updated_at"))["t"],
        package_photos(route).aggregate(t=Max("updated_at"))["t"],
    ]
    return max(time for time in newest if time is not None)
