"""/api/v1/ routes for vector tiles."""

from django.urls import path, re_path

from api.v1 import tiles

urlpatterns = [
    path("tiles.json", tiles.TileJsonApi.as_view(), name="tilejson"),
    path(
        "tiles/routes/<str:slug>.pmtiles", tiles.RouteCorridorTilesApi.as_view(), name="route-corridor-tiles"
    ),
    # Signed numbers reach the view, so a negative x is a 400 naming z/x/y, not a bare 404.
    re_path(
        r"^tiles/(?P<z>-?\d+)/(?P<x>-?\d+)/(?P<y>-?\d+)\.mvt$",
        tiles.VectorTileApi.as_view(),
        name="vector-tile",
    ),
    re_path(
        r"^tiles/v(?P<version>\d+)/(?P<z>-?\d+)/(?P<x>-?\d+)/(?P<y>-?\d+)\.mvt$",
        tiles.VersionedVectorTileApi.as_view(),
        name="vector-tile-versioned",
    ),
]
