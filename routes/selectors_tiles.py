"""The vector-tile layer of published routes (see geodata/tiles.py)."""

from django.db.models import QuerySet

from editorial.translations import Translated
from geodata.tiles import InTile, Placeholder, TileGeometry
from routes.models import Route


def route_tile_layer(
    *, z: int | Placeholder, x: int | Placeholder, y: int | Placeholder, language: str
) -> QuerySet:
    """Published routes crossing tile z/x/y: slug, name, theme, designation,
    path quality (z, x, y may be geodata.tiles' placeholders)."""
    return (
        Route.objects.published()
        .filter(InTile("path", z=z, x=x, y=y))
        .annotate(mvt_geom=TileGeometry("path", z=z, x=x, y=y), label=Translated("name", language))
        .values("mvt_geom", "slug", "label", "theme", "designation", "path_quality")
        .order_by()  # a tile's features have no order
    )
