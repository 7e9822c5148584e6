"""The vector-tile layer of published sites (see geodata/tiles.py; the
routes layer is routes/selectors_tiles.py)."""

from django.db.models import Count, Max, Min, QuerySet

from editorial.translations import Translated
from geodata.tiles import InTile, SnapToTileGrid, TileGeometry
from sites.models import Site

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
        labelled = sites.annotate(mvt_geom=point, label=Translated("name", language), point_count=Count("pk"))
        return labelled.values("mvt_geom", "slug", "label", "kind", "start_year", "end_year", "point_count")
    return (
        sites.annotate(mvt_geom=SnapToTileGrid(point, cell=CLUSTER_CELL))
        .values("mvt_geom")
        .annotate(
            point_count=Count("pk"),
            slug=Min("slug"),
            label=Min(Translated("name", language)),
            kind=Min("kind"),
            start_year=Min("start_year"),
            end_year=Max("end_year"),
        )
        .order_by()
    )
