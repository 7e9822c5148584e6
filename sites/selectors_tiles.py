"""Vector-tile layers of published sites and routes (see geodata/tiles.py)."""

from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from geodata.tiles import InTile, TileGeometry
from routes.models import Route
from sites.models import Site


def _name_in(language: str):
    # Per-field fallback: the asked language, then tr, then en.
    return Coalesce(KT(f"name__{language}"), KT("name__tr"), KT("name__en"))


def site_tile_layer(*, z: int, x: int, y: int, language: str) -> QuerySet:
    """Published sites in tile z/x/y: slug, name, kind, years."""
    return (
        Site.objects.published()
        .filter(InTile("location", z=z, x=x, y=y))
        .annotate(mvt_geom=TileGeometry("location", z=z, x=x, y=y), label=_name_in(language))
        .values("mvt_geom", "slug", "label", "kind", "start_year", "end_year")
    )


def route_tile_layer(*, z: int, x: int, y: int, language: str) -> QuerySet:
    """Published routes crossing tile z/x/y: slug, name, theme, path quality."""
    return (
        Route.objects.published()
        .filter(InTile("path", z=z, x=x, y=y))
        .annotate(mvt_geom=TileGeometry("path", z=z, x=x, y=y), label=_name_in(language))
        .values("mvt_geom", "slug", "label", "theme", "path_quality")
    )
