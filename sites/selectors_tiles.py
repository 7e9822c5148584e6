"""The vector-tile layer of published sites (see geodata/tiles.py; the
routes layer is routes/selectors_tiles.py)."""

from django.db.models import Case, Count, F, Max, Min, QuerySet, Value, When

from editorial.translations import Translated
from geodata.tiles import (
    TILE_EXTENT,
    InTile,
    MercatorTilePoint,
    Placeholder,
    SnapToTileGrid,
    TileGeometry,
    tile_number,
)
from sites.models import Site, SiteTileCell

# Below this zoom, sites in one grid cell of CLUSTER_CELL tile units (of 4096)
# become one point with a `point_count`: about 1,000 points a tile at most, so a
# city-wide tile over 100k sites stays small enough for a bad connection. At
# zoom 14 a cell is about 60 m a side in İzmir, less than a site's circle on the
# map there: what merges would overlap anyway. The cells are counted ahead by
# triggers (sites migrations 0008 and 0012, which assume these two numbers).
CLUSTER_BELOW_ZOOM = 15
CLUSTER_CELL = 128
CELLS_PER_TILE = TILE_EXTENT // CLUSTER_CELL  # 32 a side


Coordinate = int | Placeholder  # a number, or geodata.tiles' placeholder for one


def site_tile_layer(*, z: int, x: int, y: int, language: str, year: int | None = None) -> QuerySet:
    """Published sites in tile z/x/y: slug, label, kind, years, point_count.
    From CLUSTER_BELOW_ZOOM on, every site with point_count 1; below it, one
    feature per occupied cell at the mean of its sites, named after its site
    when it holds one (a cluster of several carries its point_count alone).
    With `year`, only the sites standing in that year (time travel)."""
    if year is None:
        if z < CLUSTER_BELOW_ZOOM:
            return site_cluster_layer(z=z, x=x, y=y, language=language)
        return site_point_layer(z=z, x=x, y=y, language=language)
    sites = Site.objects.published().filter(InTile("location", z=z, x=x, y=y)).standing_in(year)
    if z < CLUSTER_BELOW_ZOOM:
        return _standing_cluster_layer(sites, z=z, x=x, y=y, language=language)
    return _point_layer(sites, z=z, x=x, y=y, language=language)


def site_point_layer(*, z: Coordinate, x: Coordinate, y: Coordinate, language: str) -> QuerySet:
    """From CLUSTER_BELOW_ZOOM on: every published site in the tile."""
    sites = Site.objects.published().filter(InTile("location", z=z, x=x, y=y))
    return _point_layer(sites, z=z, x=x, y=y, language=language)


def _point_layer(sites: QuerySet, *, z: Coordinate, x: Coordinate, y: Coordinate, language: str) -> QuerySet:
    point = TileGeometry("location", z=z, x=x, y=y)
    labelled = sites.annotate(mvt_geom=point, label=Translated("name", language), point_count=Value(1))
    # No ORDER BY: a tile's features have no order (Site.Meta would sort by slug).
    columns = ("mvt_geom", "slug", "label", "kind", "start_year", "end_year", "point_count")
    return labelled.values(*columns).order_by()


def site_cluster_layer(*, z: Coordinate, x: Coordinate, y: Coordinate, language: str) -> QuerySet:
    """The tile's 32 × 32 cells from the trigger-kept counts: an index range
    read of at most 1,024 rows, however many sites the tile covers."""
    columns, rows = tile_number(x) * CELLS_PER_TILE, tile_number(y) * CELLS_PER_TILE
    return (
        SiteTileCell.objects.filter(
            zoom=tile_number(z),
            cx__gte=columns,
            cx__lt=columns + CELLS_PER_TILE,
            cy__gte=rows,
            cy__lt=rows + CELLS_PER_TILE,
            n__gt=0,
        )
        .annotate(
            mvt_geom=MercatorTilePoint(F("sum_x") / F("n"), F("sum_y") / F("n"), z=z, x=x, y=y),
            point_count=F("n"),
            slug=F("site__slug"),
            label=Case(When(n=1, then=Translated("site__name", language))),
            kind=F("site__kind"),
            start_year=F("site__start_year"),
            end_year=F("site__end_year"),
        )
        .values("mvt_geom", "slug", "label", "kind", "start_year", "end_year", "point_count")
    )


def _standing_cluster_layer(sites: QuerySet, *, z: int, x: int, y: int, language: str) -> QuerySet:
    """Clusters of the sites standing in one year, made per request: the
    trigger-kept cells count every published site, whatever its years. The
    year filter leaves few sites (a city had tens of monuments, not 100,000)."""
    point = TileGeometry("location", z=z, x=x, y=y)
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
