"""The vector-tile layer of published routes (see geodata/tiles.py)."""

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from editorial.translations import Translated
from geodata.tiles import InTile, MercatorTileGeometry, Placeholder, TileGeometry
from routes.models import Route

# Zooms whose tiles read a path generalized once by PostgreSQL (migration
# 0010: path_z6 … path_z13) instead of simplifying every full path per tile.
# Tiles below 6 read path_z6 (finer than they need; at those zooms the city
# is a few pixels); from 14 on the full path is clipped first, as before.
GENERALIZED_ZOOMS = range(6, 14)


def path_detail(z: int) -> int | None:
    """The generalized path a tile at zoom z reads (None: the full path)."""
    return None if z >= GENERALIZED_ZOOMS.stop else max(z, GENERALIZED_ZOOMS.start)


def route_tile_layer(
    *,
    z: int | Placeholder,
    x: int | Placeholder,
    y: int | Placeholder,
    language: str,
    detail: int | None = None,
) -> QuerySet:
    """Published routes crossing tile z/x/y: slug, name, theme, designation,
    path quality. z, x, y may be geodata.tiles' placeholders; then `detail`
    (path_detail of the zooms the statement serves) says which path to read,
    else it follows from z."""
    if not isinstance(z, Placeholder):
        detail = path_detail(int(z))
    if detail is None:
        geometry = TileGeometry("path", z=z, x=x, y=y)
    else:
        column = RawSQL(f'"routes_route"."path_z{int(detail)}"', ())
        geometry = MercatorTileGeometry(column, z=z, x=x, y=y)
    return (
        Route.objects.published()
        .filter(InTile("path", z=z, x=x, y=y))
        .annotate(mvt_geom=geometry, label=Translated("name", language))
        .values("mvt_geom", "slug", "label", "theme", "designation", "path_quality")
        .order_by()  # a tile's features have no order
    )
