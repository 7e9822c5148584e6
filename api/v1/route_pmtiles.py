"""A route's corridor as one PMTiles file, for maps that work offline.

GET /api/v1/tiles/routes/{slug}.pmtiles?lang=tr: the vector tiles of our own
layers (sites and routes, exactly the bytes /api/v1/tiles serves) at zooms
CORRIDOR_ZOOMS over every tile within CORRIDOR_M of the route's path, gzipped,
in one PMTiles v3 archive (written by the `pmtiles` package). MapLibre reads
it with the `pmtiles` protocol, from the phone's storage. A separate download
beside the route package (docs/adr/0012-change-feed-and-route-packages.md):
the package stays ≤ 3 MB and an app that draws no map never fetches it.

Built once per route, language and content version into the package
directory (var/packages/<route>/<lang>/corridor-v<version>.pmtiles), written
to a temporary name and renamed, so a reader never sees half a file; two
first requests at once may both build it, and the second rename is harmless.
The same data gives the same bytes: tiles sorted by tile id, gzip without a
timestamp.
"""

import gzip
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from api.v1.tiles import VECTOR_LAYERS, tile_statement
from editorial.content_version import content_version
from interchange import packages

CORRIDOR_ZOOMS = range(12, 17)  # city to street; MapLibre overzooms z16 beyond
CORRIDOR_M = 300  # either side of the path: the stops and the streets to them
MEDIA_TYPE = "application/vnd.pmtiles"
BUILD_ATTEMPTS = 3

# Web Mercator tiles whose square touches the corridor, per zoom: the box of
# the corridor in tile numbers, then each tile of it tested.
CORRIDOR_TILES_SQL = """
WITH corridor AS (
  SELECT ST_Transform(ST_Buffer(path, %(metres)s)::geometry, 3857) AS area
  FROM routes_route WHERE slug = %(slug)s AND status = 'published'
),
world AS (SELECT 20037508.342789244 AS half),
span AS (
  SELECT z, 2 * world.half / 2 ^ z AS size, area, world.half
  FROM corridor, world, generate_series(%(min_zoom)s, %(max_zoom)s) AS z
)
SELECT span.z, x, y FROM span,
  generate_series(floor((ST_XMin(area) + half) / size)::int, floor((ST_XMax(area) + half) / size)::int) AS x,
  generate_series(floor((half - ST_YMax(area)) / size)::int, floor((half - ST_YMin(area)) / size)::int) AS y
WHERE ST_Intersects(ST_TileEnvelope(span.z, x, y), area)
"""


@dataclass(frozen=True)
class CorridorTiles:
    path: Path
    version: int
    tiles: int


class NoSuchRoute(LookupError):
    pass


def corridor_tiles(slug: str) -> list[tuple[int, int, int]]:
    """The corridor's z/x/y, in tile-id order (the order PMTiles keeps)."""
    with connection.cursor() as cursor:
        cursor.execute(
            CORRIDOR_TILES_SQL,
            {
                "slug": slug,
                "metres": CORRIDOR_M,
                "min_zoom": CORRIDOR_ZOOMS[0],
                "max_zoom": CORRIDOR_ZOOMS[-1],
            },
        )
        return sorted(cursor.fetchall(), key=lambda zxy: zxy_to_tileid(*zxy))


def corridor_path(slug: str, language: str, version: int) -> Path:
    return packages.root() / slug / language / f"corridor-v{version}.pmtiles"


def route_corridor(slug: str, language: str) -> CorridorTiles:
    """The route's corridor archive at the current content version, built
    when missing. Raises NoSuchRoute for a route that is not published."""
    for _attempt in range(BUILD_ATTEMPTS):
        version = content_version()
        path = corridor_path(slug, language, version)
        if path.exists():
            return CorridorTiles(path, version, tiles=-1)
        built = _build(slug, language, version)
        if built is not None:
            return built
    msg = "The data kept changing while the corridor was built."
    raise RuntimeError(msg)


def _build(slug: str, language: str, version: int) -> CorridorTiles | None:
    """Write the archive for `version`; None when a tile came from another
    version (a write landed during the build: the caller starts again)."""
    zxys = corridor_tiles(slug)
    if not zxys:
        raise NoSuchRoute(slug)
    path = corridor_path(slug, language, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".corridor-", suffix=".tmp")
    written = 0
    try:
        with os.fdopen(handle, "wb") as out:
            writer = Writer(out)
            for z, x, y in zxys:
                tile, tile_version = tile_statement(language, z).execute(z, x, y)
                if tile_version != version:
                    return None
                if tile:  # an empty tile needs no entry: readers treat a missing one as empty
                    writer.write_tile(zxy_to_tileid(z, x, y), gzip.compress(tile, mtime=0))
                    written += 1
            if not written:
                raise NoSuchRoute(slug)
            writer.finalize(_header(zxys), _metadata(slug, language, version))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return CorridorTiles(path, version, written)


def _header(zxys: list[tuple[int, int, int]]) -> dict:
    west, south, east, north = _bounds(zxys)
    return {
        "tile_type": TileType.MVT,
        "tile_compression": Compression.GZIP,
        "min_lon_e7": round(west * 1e7),
        "min_lat_e7": round(south * 1e7),
        "max_lon_e7": round(east * 1e7),
        "max_lat_e7": round(north * 1e7),
        "center_zoom": 15,
        "center_lon_e7": round((west + east) / 2 * 1e7),
        "center_lat_e7": round((south + north) / 2 * 1e7),
    }


def _bounds(zxys: list[tuple[int, int, int]]) -> tuple[float, float, float, float]:
    """The corridor's box in degrees, from its tiles at the first zoom."""
    from geodata.tiles import tile_bounds_lat

    first = min(z for z, _x, _y in zxys)
    tiles = [(x, y) for z, x, y in zxys if z == first]
    west = min(x for x, _y in tiles) / 2**first * 360 - 180
    east = (max(x for x, _y in tiles) + 1) / 2**first * 360 - 180
    south = tile_bounds_lat(first, max(y for _x, y in tiles))[0]
    north = tile_bounds_lat(first, min(y for _x, y in tiles))[1]
    return west, south, east, north


def _metadata(slug: str, language: str, version: int) -> dict:
    from django.conf import settings

    return {
        "name": f"{slug} corridor",
        "format": "pbf",
        "route": slug,
        "language": language,
        "data_version": version,
        "corridor_m": CORRIDOR_M,
        "attribution": settings.HERITAGE_DATA_ATTRIBUTION,
        "license": settings.HERITAGE_DATA_LICENSE,
        "vector_layers": VECTOR_LAYERS,
    }
