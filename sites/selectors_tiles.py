"""Vector-tile layers of published sites and routes (see geodata/tiles.py)."""

from django.db.models import Count, Max, Min, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from geodata.tiles import InTile, SnapToTileGrid, TileGeometry
from routes.models import Route
from sites.models import Site


def _name_in(language: str):
    # Per-field fallback: the asked language, then tr, then en.
    return Coalesce(KT(f"name__{language}"), KT("name__tr"), KT("name__en"))


# Below this zoom, sites in one grid cell of CLUSTER_CELL tile units (of 4096)
# become one point with a `point_count`: about 1,000 points a tile at most, so a
# city-wide tile over 100k sites stays small enough for a bad connection.
CLUSTER_BELOW_ZOOM = 14
CLUSTER_CELL = 128


def site_tile_layer(*, z: int, x: int, y: int, language: str, year: int | None = None) -> QuerySet:
    """Published sites in tile z/x/y: slug, label, kind, years, point_count
    (always 1 from CLUSTER_BELOW_ZOOM on; below it, sites sharing a grid cell
    are one feature, named after the first of them by slug). With `year`, only
    sites standing in that year."""
    sites = Site.objects.published().filter(InTile("location", z=z, x=x, y=y))
    if year is not None:
        sites = sites.standing_in(year)
    point = TileGeometry("location", z=z, x=x, y=y)
    if z >= CLUSTER_BELOW_ZOOM:
        return sites.annotate(mvt_geom=point, label=_name_in(language), point_count=Count("pk")).values(
            "mvt_geom", "slug", "label", "kind", "start_year", "end_year", "point_count"
        )
    return (
        sites.annotate(mvt_geom=SnapToTileGrid(point, cell=CLUSTER_CELL))
        .values("mvt_geom")
        .annotate(
            point_count=Count("pk"),
            slug=Min("slug"),
            label=Min(_name_in(language)),
            kind=Min("kind"),
            start_year=Min("start_year"),
            end_year=Max("end_year"),
        )
        .order_by()
    )


def route_tile_layer(*, z: int, x: int, y: int, language: str) -> QuerySet:
    """Published routes crossing tile z/x/y: slug, name, theme, path quality."""
    return (
        Route.objects.published()
        .filter(InTile("path", z=z, x=x, y=y))
        .annotate(mvt_geom=TileGeometry("path", z=z, x=x, y=y), label=_name_in(language))
        .values("mvt_geom", "slug", "label", "theme", "path_quality")
    )
